"""Core types of the corpus: a measure, its articles, paragraphs, items and sub-items, and references to them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from corpus.numerals import to_chinese

IN_FORCE, NOT_IN_FORCE, EXPIRED, UNKNOWN = "in_force", "not_in_force", "expired", "unknown"


@dataclass(frozen=True)
class Term:
    """How long a measure runs, and the clause that says so. `years` is None for a measure with no fixed
    term (it runs until repealed), `ref` and `clause` None when no article states the term."""

    years: int | None
    trial: bool = False
    ref: str | None = None
    clause: str | None = None


@dataclass(frozen=True)
class Status:
    """A measure's validity on a given day. `expires` is None when the measure has no fixed term."""

    measure: str
    as_of: date
    state: str  # in_force | not_in_force | expired
    in_force: date
    expires: date | None


@dataclass(frozen=True)
class Measure:
    """One regulation (办法) and the facts about it that are not in its articles."""

    key: str
    title: str
    short_name: str
    english_name: str
    english_short_name: str
    issuer: str
    jurisdiction: str
    level: str
    issued: date
    in_force: date
    term: Term
    aliases: tuple[str, ...] = ()  # other names a question may use: places, abbreviations, English names

    @property
    def english_subject(self) -> str:
        """The English short name as a sentence starts with it: "The Hebei measure"."""
        return self.english_short_name[:1].upper() + self.english_short_name[1:]

    @property
    def expires(self) -> date | None:
        """The last day of the term: in-force date plus the term, less one day; None without a fixed term."""
        if self.term.years is None:
            return None
        start = self.in_force
        try:
            end = start.replace(year=start.year + self.term.years)
        except ValueError:  # 29 February
            end = start.replace(year=start.year + self.term.years, day=28) + timedelta(days=1)
        return end - timedelta(days=1)

    def status(self, as_of: date) -> Status:
        expires = self.expires
        if as_of < self.in_force:
            state = NOT_IN_FORCE
        elif expires is not None and as_of > expires:
            state = EXPIRED
        else:
            state = IN_FORCE
        return Status(self.key, as_of, state, self.in_force, expires)


KEY = r"[a-z][a-z0-9_]*"
REF_PATTERN = re.compile(
    rf"^\s*({KEY})\s*[:：]\s*(\d{{1,3}})\s*(?:\.\s*(\d{{1,2}}))?\s*"
    r"(?:[(（]\s*(\d{1,2})\s*[)）]\s*(\d{1,2})?)?\s*$"
)


@dataclass(frozen=True)
class Ref:
    """An address in the corpus. `taixing:9` is an article, `taixing:28.2` its second paragraph (款),
    `taixing:9(4)` its item （四） (项), `hulin:8(1)2` the item's sub-item 2 (目). Items are numbered through an
    article, so an item's reference needs no paragraph."""

    measure: str
    article: int
    item: int | None = None
    paragraph: int | None = None
    subitem: int | None = None

    @classmethod
    def parse(cls, text: str) -> Ref:
        match = REF_PATTERN.match(text or "") if isinstance(text, str) else None
        if not match or (match.group(3) and match.group(4)):
            raise ValueError(f"not a reference: {text!r} (expected e.g. taixing:9, taixing:9(4) or taixing:28.2)")
        key, article, paragraph, item, subitem = match.groups()
        return cls(key, int(article), int(item) if item else None, int(paragraph) if paragraph else None,
                   int(subitem) if subitem else None)

    def __str__(self) -> str:
        text = f"{self.measure}:{self.article}"
        if self.paragraph:
            text += f".{self.paragraph}"
        if self.item:
            text += f"({self.item})" + (str(self.subitem) if self.subitem else "")
        return text

    @property
    def sort_key(self) -> tuple:
        return self.measure, self.article, self.paragraph or 0, self.item or 0, self.subitem or 0

    def __lt__(self, other: Ref) -> bool:
        return self.sort_key < other.sort_key

    @property
    def article_ref(self) -> Ref:
        return Ref(self.measure, self.article)

    @property
    def item_ref(self) -> Ref:
        """The item a sub-item belongs to (itself for anything else)."""
        return Ref(self.measure, self.article, self.item) if self.subitem else self

    def label(self, title: str) -> str:
        """《title》第九条第（四）项, 第二十八条第二款, for people."""
        text = f"《{title}》第{to_chinese(self.article)}条"
        if self.paragraph:
            text += f"第{to_chinese(self.paragraph)}款"
        if self.item:
            text += f"第（{to_chinese(self.item)}）项"
        if self.subitem:
            text += f"第{self.subitem}目"
        return text


@dataclass(frozen=True)
class SubItem:
    """A numbered sub-item 1. 2. … (目) of an item; text as printed, without its marker."""

    number: int
    text: str


@dataclass(frozen=True)
class Item:
    """One numbered item （一）（二）… (项) of an article; text is as printed, without its marker."""

    number: int
    text: str
    subitems: tuple[SubItem, ...] = ()

    def subitem(self, number: int) -> SubItem | None:
        return next((s for s in self.subitems if s.number == number), None)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (款): its own line as printed (the lead clause, when items follow), the numbers of the
    items listed under it, and its body: its line with every item and sub-item line under it."""

    number: int
    text: str
    items: tuple[int, ...] = ()
    body: str = ""


@dataclass(frozen=True)
class Article:
    """One article (条): its number as printed, the chapter (and section) it sits in, its clean text (one line per
    paragraph, item and sub-item, markers as printed), its paragraphs and its items."""

    ref: Ref
    number_as_printed: str
    chapter: str | None
    text: str
    items: tuple[Item, ...] = field(default=())
    paragraphs: tuple[Paragraph, ...] = field(default=())
    section: str | None = None

    def item(self, number: int) -> Item | None:
        return next((it for it in self.items if it.number == number), None)

    def paragraph(self, number: int) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.number == number), None)

    @property
    def lead(self) -> str:
        """The article's first line: the lead clause of its items, when it has any."""
        return self.text.split("\n", 1)[0]
