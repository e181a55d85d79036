"""Core types of the corpus: a measure, its articles and items, and references to them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from corpus.numerals import to_chinese

IN_FORCE, NOT_IN_FORCE, EXPIRED = "in_force", "not_in_force", "expired"


@dataclass(frozen=True)
class Term:
    """How long a measure runs, and the clause that says so."""

    years: int
    trial: bool
    ref: str
    clause: str


@dataclass(frozen=True)
class Status:
    """A measure's validity on a given day."""

    measure: str
    as_of: date
    state: str  # in_force | not_in_force | expired
    in_force: date
    expires: date


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

    @property
    def english_subject(self) -> str:
        """The English short name as a sentence starts with it: "The Hebei measure"."""
        return self.english_short_name[:1].upper() + self.english_short_name[1:]

    @property
    def expires(self) -> date:
        """The last day of the term: in-force date plus the term, less one day."""
        start = self.in_force
        try:
            end = start.replace(year=start.year + self.term.years)
        except ValueError:  # 29 February
            end = start.replace(year=start.year + self.term.years, day=28) + timedelta(days=1)
        return end - timedelta(days=1)

    def status(self, as_of: date) -> Status:
        if as_of < self.in_force:
            state = NOT_IN_FORCE
        elif as_of > self.expires:
            state = EXPIRED
        else:
            state = IN_FORCE
        return Status(self.key, as_of, state, self.in_force, self.expires)


REF_PATTERN = re.compile(r"^\s*([a-z]+)\s*[:：]\s*(\d{1,3})\s*(?:[(（]\s*(\d{1,2})\s*[)）])?\s*$")


@dataclass(frozen=True, order=True)
class Ref:
    """An address in the corpus: `taixing:9` is an article, `taixing:9(4)` its item （四）."""

    measure: str
    article: int
    item: int | None = None

    @classmethod
    def parse(cls, text: str) -> Ref:
        match = REF_PATTERN.match(text or "")
        if not match:
            raise ValueError(f"not a reference: {text!r} (expected e.g. taixing:9 or taixing:9(4))")
        key, article, item = match.groups()
        return cls(key, int(article), int(item) if item else None)

    def __str__(self) -> str:
        return f"{self.measure}:{self.article}" + (f"({self.item})" if self.item else "")

    @property
    def article_ref(self) -> Ref:
        return Ref(self.measure, self.article)

    def label(self, title: str) -> str:
        """《title》第九条第（四）项, for people."""
        item = f"第（{to_chinese(self.item)}）项" if self.item else ""
        return f"《{title}》第{to_chinese(self.article)}条{item}"


@dataclass(frozen=True)
class Item:
    """One numbered item （一）（二）… of an article; text is as printed, without its marker."""

    number: int
    text: str


@dataclass(frozen=True)
class Article:
    """One article (条): its number as printed, the chapter it sits in, its clean text and items."""

    ref: Ref
    number_as_printed: str
    chapter: str | None
    text: str
    items: tuple[Item, ...] = field(default=())

    def item(self, number: int) -> Item | None:
        return next((it for it in self.items if it.number == number), None)
