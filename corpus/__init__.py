"""The measures on administrative law-enforcement auxiliary personnel, as structured data.

`corpus.load()` returns the parsed corpus; `Ref.parse("taixing:9(4)")` addresses an item.
"""
from corpus.catalogue import Corpus, CorpusError, UnknownRef, data_dir, load
from corpus.model import EXPIRED, IN_FORCE, NOT_IN_FORCE, Article, Item, Measure, Ref, Status
from corpus.numerals import from_chinese, to_chinese

__all__ = [
    "Article", "Corpus", "CorpusError", "EXPIRED", "data_dir", "IN_FORCE", "Item", "Measure", "NOT_IN_FORCE", "Ref", "Status",
    "UnknownRef", "from_chinese", "load", "to_chinese",
]
