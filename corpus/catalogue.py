"""The loaded corpus: the measures' metadata, their parsed articles, and look-ups by reference.

The measures are data: `data/measures.yaml` lists them (any number) and `data/texts/` holds their texts, as
published. `FAGUI_CORPUS_DIR` points at another data folder (a deployment's own measures, or a test's copy).
`read_measures()` checks the metadata and names every problem by entry and field; `load()` refuses a corpus with
problems with a `CorpusError` that says what to fix, never a KeyError.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from corpus.model import Article, Measure, Ref, Term
from corpus.parse import Document, ParseError, parse
from corpus.yaml_data import parse_yaml

PACKAGE_DATA = resources.files("corpus") / "data"
MEASURES_FILE = "measures.yaml"
KEY = re.compile(r"^[a-z][a-z0-9_]{1,30}$")
REQUIRED = ("title", "short_name", "issuer", "jurisdiction", "issued", "in_force", "text")
OPTIONAL = ("english_name", "english_short_name", "level", "aliases", "term")
TERM_FIELDS = ("years", "trial", "ref", "clause")


def data_dir() -> Path:
    """Where the measures, their texts and the lexicon live: FAGUI_CORPUS_DIR, or the package's own data."""
    return Path(os.environ.get("FAGUI_CORPUS_DIR") or str(PACKAGE_DATA))



class UnknownRef(LookupError):
    """A reference to an article or item that the corpus does not have."""


class CorpusError(ValueError):
    """The measures' metadata or texts cannot be read; the message names the entry, the field or the line."""


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


def _date(value, where: str, problems: list[str]) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: not a date (YYYY-MM-DD): {value!r}")
        return None


def _term(key: str, meta: dict, problems: list[str]) -> Term:
    term = meta.get("term")
    if term is None:
        return Term(years=None)
    if not isinstance(term, dict) or set(term) - set(TERM_FIELDS):
        problems.append(f"{MEASURES_FILE}: {key}.term: expected a mapping of {', '.join(TERM_FIELDS)}")
        return Term(years=None)
    years = term.get("years")
    if years is not None and (not isinstance(years, int) or years < 1):
        problems.append(f"{MEASURES_FILE}: {key}.term.years: expected a whole number of years or nothing, got {years!r}")
        years = None
    if (term.get("ref") is None) != (term.get("clause") is None):
        problems.append(f"{MEASURES_FILE}: {key}.term: ref and clause go together (the article and its words)")
    return Term(years=years, trial=bool(term.get("trial", False)), ref=term.get("ref"), clause=term.get("clause"))


def read_measure(key: object, meta: object, problems: list[str]) -> Measure | None:
    """One entry of measures.yaml as a Measure, or None; every problem is added to `problems`, naming the entry
    and its field."""
    where = f"{MEASURES_FILE}: {key}"
    if not isinstance(key, str) or not KEY.match(key):
        problems.append(f"{where}: a key is 2-31 lower-case letters, digits or _, starting with a letter")
        return None
    if not isinstance(meta, dict):
        problems.append(f"{where}: expected a mapping of fields")
        return None
    missing = [f for f in REQUIRED if meta.get(f) in (None, "")]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(set(meta) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        problems.append(f"{where}: unknown field {', '.join(unknown)} (known: {', '.join(REQUIRED + OPTIONAL)})")
    if missing:
        return None
    issued, in_force = _date(meta["issued"], f"{where}.issued", problems), _date(meta["in_force"], f"{where}.in_force", problems)
    aliases = meta.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [a.strip() for a in re.split(r"[,，、]", aliases) if a.strip()]
    if not isinstance(aliases, (list, tuple)):
        problems.append(f"{where}.aliases: expected a list of names")
        aliases = ()
    term = _term(key, meta, problems)
    if issued is None or in_force is None:
        return None
    english = str(meta.get("english_short_name") or f"the {key.replace('_', ' ').title()} measure")
    return Measure(
        key=key, title=str(meta["title"]), short_name=str(meta["short_name"]),
        english_name=str(meta.get("english_name") or english), english_short_name=english,
        issuer=str(meta["issuer"]), jurisdiction=str(meta["jurisdiction"]), level=str(meta.get("level") or ""),
        issued=issued, in_force=in_force, term=term, aliases=tuple(str(a) for a in aliases),
    )


def read_text(path: Path, where: str) -> str:
    """A measure's text: UTF-8 (with or without a byte-order mark), or GB18030 as Chinese offices often save it."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CorpusError(f"{where}: cannot read {path}: {error.strerror or error}") from error
    if b"\0" in raw:
        raise CorpusError(f"{where}: {path} is not a text file (it holds NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CorpusError(f"{where}: {path} is neither UTF-8 nor GB18030 text")


def read_measures(folder: Path | None = None) -> tuple[dict[str, Measure], dict[str, Document], str, list[str]]:
    """Every measure of a data folder, its parsed text, the hash of all texts, and every problem found."""
    folder = folder or data_dir()
    problems: list[str] = []
    path = folder / MEASURES_FILE
    try:
        meta = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        return {}, {}, "", [f"{path}: cannot read it: {error.strerror or error}"]
    except Exception as error:  # a YAML syntax error names its line
        return {}, {}, "", [f"{MEASURES_FILE}: not valid YAML: {error}"]
    if not isinstance(meta, dict) or not meta:
        return {}, {}, "", [f"{MEASURES_FILE}: expected a mapping of measure keys to their fields"]
    digest = hashlib.sha256()
    measures, documents = {}, {}
    for key, entry in meta.items():
        measure = read_measure(key, entry, problems)
        if measure is None:
            continue
        where = f"{MEASURES_FILE}: {key}.text"
        try:
            raw = read_text(folder / str(entry["text"]), where)
            document = parse(key, raw)
        except (CorpusError, ParseError) as error:
            problems.append(str(error))
            continue
        if not document.articles:
            problems.append(f"{where}: no article (第一条…) found in {entry['text']}")
            continue
        digest.update(key.encode() + b"\0" + raw.encode("utf-8") + b"\0")
        measures[key], documents[key] = measure, document
        if measure.term.ref:
            try:
                ref = Ref.parse(measure.term.ref)
                articles = document.articles
                text = articles[ref.article - 1].text if ref.measure == key and 1 <= ref.article <= len(articles) else None
            except ValueError:
                text = None
            if text is None:
                problems.append(f"{MEASURES_FILE}: {key}.term.ref: {measure.term.ref!r} is not an article of {key}")
            elif measure.term.clause not in text:
                problems.append(f"{MEASURES_FILE}: {key}.term.clause is not verbatim in {measure.term.ref}")
    names: dict[str, str] = {}
    for key, m in measures.items():
        for name in (m.short_name, *m.aliases):
            if names.setdefault(name, key) != key:
                problems.append(f"{MEASURES_FILE}: {key}: the name {name!r} is also {names[name]}'s")
    return measures, documents, digest.hexdigest(), problems


@cache
def load() -> Corpus:
    """Read, check and parse the measures once per process; raises CorpusError naming what is wrong."""
    measures, documents, content_hash, problems = read_measures()
    if problems:
        raise CorpusError("the corpus has problems (python -m corpus lint lists them): " + "; ".join(problems[:5]))
    return Corpus(measures, documents, content_hash)


WRITTEN_REF = re.compile(
    r"^\s*(?P<name>.*?)\s*(?:办法)?\s*第\s*(?P<article>[一二三四五六七八九十百零〇两\d]+)\s*条"
    r"(?:\s*第\s*(?P<paragraph>[一二三四五六七八九十\d]+)\s*款)?"
    r"(?:\s*第?\s*[（(]\s*(?P<item>[一二三四五六七八九十\d]+)\s*[）)]\s*项?)?\s*$")


def find_ref(text: str, corpus: Corpus | None = None, measure: str | None = None) -> Ref:
    """A reference as people write it: `taixing:9(4)`, or 泰兴第九条, 泰兴办法第九条第（四）项, 河北第14条第二款,
    第九条 (with `measure`, or when the corpus has one measure). Raises ValueError saying what it could not read."""
    from corpus.numerals import parse_number

    corpus = corpus or load()
    try:
        return Ref.parse(text)
    except ValueError:
        pass
    match = WRITTEN_REF.match(text or "")
    if not match:
        raise ValueError(f"not a reference: {text!r} (write e.g. taixing:9, taixing:9(4) or 泰兴第九条第（四）项)")
    name = match.group("name").strip().removesuffix("办法").strip()
    keys = [k for k, m in corpus.measures.items()
            if name and (name in (k, m.short_name, m.short_name.removesuffix("办法"), m.title, *m.aliases)
                         or name.lower() == k)]
    if not name:
        keys = [measure] if measure else list(corpus.measures) if len(corpus.measures) == 1 else []
    if len(keys) != 1:
        known = "、".join(m.short_name for m in corpus.measures.values())
        raise ValueError(f"which measure is {text!r}? name one of {known} (e.g. {next(iter(corpus.measures.values())).short_name}第九条)")
    numbers = {k: int(parse_number(v)) if v else None for k, v in match.groupdict().items() if k != "name"}
    # items are numbered through an article: 第九条第一款第（二）项 is 第九条第（二）项
    return Ref(keys[0], numbers["article"], numbers["item"], None if numbers["item"] else numbers["paragraph"])
