"""Scope: questions the two measures do not settle. Hidden instructions, other places, and matters the
measures leave to other bodies or laws are recognised here, from the data in scope.yaml."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from corpus import Ref, load
from corpus.lexicon import contains_run, english_words
from corpus.names import name_pattern, named_measures
from corpus.places import NOTE, SUFFIX, places
from corpus.yaml_data import parse_yaml
from assistant.types import Citation


@dataclass(frozen=True)
class LeftElsewhere:
    """A matter an article governs only in principle, or sends to another body or law."""

    id: str
    zh: tuple[str, ...]
    en: tuple[tuple[str, ...], ...]  # stemmed word runs
    patterns: tuple[re.Pattern, ...]  # for phrasings with words in between ("工资具体多少钱")
    cites: tuple[Citation, ...]
    reason: dict[str, str]

    def matches(self, text: str, words: tuple[str, ...]) -> bool:
        return (any(p in text for p in self.zh) or any(contains_run(words, run, 0) for run in self.en)
                or any(p.search(text) for p in self.patterns))


@dataclass(frozen=True)
class Scope:
    left_elsewhere: tuple[LeftElsewhere, ...]
    other_places: re.Pattern
    own_places: re.Pattern
    asks_who_or_how: tuple[re.Pattern, ...]
    injection: tuple[re.Pattern, ...]
    tasks: tuple[re.Pattern, ...] = ()

    def injected(self, question: str) -> bool:
        return any(p.search(question) for p in self.injection)

    def task(self, question: str) -> bool:
        """A request to write something (a summary, an application), which the measures' text cannot ground."""
        return any(p.search(question) for p in self.tasks)

    def other_place(self, question: str) -> str | None:
        """The other place a question asks about, unless it also names one of the measures' places (their
        jurisdictions, and the cities and counties inside them: 石家庄 is governed by a provincial measure): one
        listed in scope.yaml, or a place name jieba's part-of-speech tagger finds (密山市, 牡丹江) that is not theirs."""
        if self.own_places.search(question) or places().governing(question):
            return None
        match = self.other_places.search(question)
        return match.group(0) if match else next(iter(place_names(question)), None)

    def other_instrument(self, question: str) -> str | None:
        """Another law or document the question names (《行政强制法》, 泰编办发〔2016〕54号), not one of the measures: what
        it says is not in their text."""
        titles = [m.title for m in load().measures.values()]
        for found in INSTRUMENT.finditer(question):
            name = found.group(1) or found.group(0)
            if not named_measures(name.lower()) and not any(name in t or t in name for t in titles):
                return name
        return None

    def asks_who_or_how_decided(self, question: str) -> bool:
        """Who decides a matter, or how it is decided: the article that names the body or states the principle
        answers it, even when the matter is a figure."""
        return any(p.search(question) for p in self.asks_who_or_how)

    def elsewhere(self, question: str) -> LeftElsewhere | None:
        """The matter a question asks for details of that the measures leave elsewhere; None when the
        question asks who decides or how it is decided (the article that names the body or states the
        principle answers that)."""
        if self.asks_who_or_how_decided(question):
            return None
        words = english_words(question)
        return next((entry for entry in self.left_elsewhere if entry.matches(question, words)), None)


# A law or document by its title in 《》, or a document number (泰编办发〔2016〕54号, [2020] 56).
INSTRUMENT = re.compile(r"《([^》]{2,40})》|[\u4e00-\u9fff]{1,8}发?[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号?")
COUNTRY = {"中华人民共和国", "中国"}  # the country is no other local place
PLACE_SUFFIX = "省市县区州镇乡"  # a two-character word tagged as a place without one is often not (东西, 上岗)


def place_names(question: str) -> list[str]:
    """The place names in a question's Chinese: its words that jieba's dictionary tags as places (ns)."""
    from index.tokens import places

    return [word for word in places(question)
            if word not in COUNTRY and (len(word) > 2 or word[-1] in PLACE_SUFFIX)]


def own_place_names() -> tuple[list[str], list[str]]:
    """The measures' own places, from measures.yaml: each jurisdiction (without its parenthesised note) with and
    without its 省/市/县/区 suffix, and each alias."""
    from corpus import load

    zh, en = [], []
    for m in load().measures.values():
        place = NOTE.sub("", m.jurisdiction).strip()
        names = {place, SUFFIX.sub("", place), *m.aliases}
        zh += [n for n in names if re.search(r"[\u4e00-\u9fff]", n)]
        en += [n.lower() for n in names if n and not re.search(r"[\u4e00-\u9fff]", n)]
    return zh, en


@cache
def load_scope() -> Scope:
    data = parse_yaml((resources.files("assistant") / "scope.yaml").read_text(encoding="utf-8"))
    entries = tuple(
        LeftElsewhere(
            id=e["id"], zh=tuple(e["zh"]), en=tuple(english_words(p) for p in e["en"]),
            patterns=tuple(re.compile(p, re.IGNORECASE) for p in e.get("patterns", ())),
            cites=tuple(Citation(Ref.parse(c["ref"]), c["quote"]) for c in e["cites"]), reason=e["reason"],
        )
        for e in data["left_elsewhere"]
    )
    own_zh, own_en = own_place_names()
    own_zh, own_en = own_zh + list(data["own_places"]["zh"]), own_en + list(data["own_places"]["en"])
    derived_zh, derived_en = places().elsewhere  # China's provinces and prefectures outside the jurisdictions
    others_zh = [p for p in [*data["other_places"]["zh"], *derived_zh] if not any(p in o or o in p for o in own_zh)]
    others_en = [p for p in [*data["other_places"]["en"], *derived_en] if p.lower() not in own_en]
    return Scope(
        left_elsewhere=entries,
        other_places=name_pattern(others_zh + others_en),
        own_places=name_pattern(own_zh + own_en),
        asks_who_or_how=tuple(re.compile(p, re.IGNORECASE) for p in data["asks_who_or_how"]),
        injection=tuple(re.compile(p, re.IGNORECASE) for p in data["injection_patterns"]),
        tasks=tuple(re.compile(p, re.IGNORECASE) for p in data.get("task_patterns") or ()),
    )
