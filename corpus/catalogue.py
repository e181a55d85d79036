"""The loaded corpus: measures' metadata, their parsed articles, and look-ups by reference."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from corpus.model import Article, Measure, Ref, Term
from corpus.parse import Document, parse
from corpus.yaml_data import parse_yaml

DATA = resources.files("corpus") / "data"


class UnknownRef(LookupError):
    """A reference to an article or item that the corpus does not have."""


@dataclass(frozen=True)
class Corpus:
    measures: dict[str, Measure]
    documents: dict[str, Document]
    content_hash: str

    def articles(self, measure: str | None = None) -> list[Article]:
        keys = [measure] if measure else list(self.measures)
        return [article for key in keys for article in self.documents[key].articles]

    def article(self, ref: Ref | str) -> Article:
        ref = Ref.parse(ref) if isinstance(ref, str) else ref
        if ref.measure not in self.documents:
            raise UnknownRef(f"unknown measure {ref.measure!r} (known: {', '.join(self.measures)})")
        articles = self.documents[ref.measure].articles
        if not 1 <= ref.article <= len(articles):
            raise UnknownRef(f"{ref.measure} has articles 1 to {len(articles)}, not {ref.article}")
        article = articles[ref.article - 1]
        if ref.item is not None and article.item(ref.item) is None:
            raise UnknownRef(f"{ref.article_ref} has {len(article.items)} items, not （{ref.item}）")
        if ref.subitem is not None and article.item(ref.item).subitem(ref.subitem) is None:
            raise UnknownRef(f"{ref.item_ref} has {len(article.item(ref.item).subitems)} sub-items, not {ref.subitem}")
        if ref.paragraph is not None and article.paragraph(ref.paragraph) is None:
            raise UnknownRef(f"{ref.article_ref} has {len(article.paragraphs)} paragraphs, not {ref.paragraph}")
        return article

    def text(self, ref: Ref | str) -> str:
        """The text a reference points at: a sub-item's, an item's, a paragraph's (its line and the lines of
        the items under it), or the whole article's."""
        ref = Ref.parse(ref) if isinstance(ref, str) else ref
        article = self.article(ref)
        if ref.subitem:
            return article.item(ref.item).subitem(ref.subitem).text
        if ref.item:
            return article.item(ref.item).text
        if ref.paragraph:
            return article.paragraph(ref.paragraph).body
        return article.text

    def exists(self, ref: Ref | str) -> bool:
        try:
            self.article(ref)
        except (UnknownRef, ValueError):
            return False
        return True

    def quote_is_verbatim(self, ref: Ref | str, quote: str) -> bool:
        """True when the quote is a non-empty verbatim substring of the referenced article or item."""
        return bool(quote) and self.exists(ref) and quote in self.text(ref)

    def label(self, ref: Ref | str) -> str:
        ref = Ref.parse(ref) if isinstance(ref, str) else ref
        self.article(ref)
        return ref.label(self.measures[ref.measure].title)


def _term(meta: dict) -> Term:
    term = meta.get("term") or {}
    return Term(years=term.get("years"), trial=bool(term.get("trial", False)), ref=term.get("ref"),
                clause=term.get("clause"))


def _measure(key: str, meta: dict) -> Measure:
    return Measure(
        key=key,
        title=meta["title"],
        short_name=meta["short_name"],
        english_name=meta["english_name"],
        english_short_name=meta["english_short_name"],
        issuer=meta["issuer"],
        jurisdiction=meta["jurisdiction"],
        level=meta["level"],
        issued=date.fromisoformat(str(meta["issued"])),
        in_force=date.fromisoformat(str(meta["in_force"])),
        term=_term(meta),
        aliases=tuple(str(a) for a in meta.get("aliases") or ()),
    )


@cache
def load() -> Corpus:
    """Read and parse the shipped texts once per process."""
    meta = parse_yaml((DATA / "measures.yaml").read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    measures, documents = {}, {}
    for key, entry in meta.items():
        raw = (DATA / entry["text"]).read_text(encoding="utf-8")
        digest.update(key.encode() + b"\0" + raw.encode("utf-8") + b"\0")
        measures[key] = _measure(key, entry)
        documents[key] = parse(key, raw)
    return Corpus(measures, documents, digest.hexdigest())
