"""The bilingual domain lexicon: English and colloquial Chinese phrasings mapped to the corpus' own terms.

Both the retrievers (query expansion) and the rules classifier (normalising a question before matching
triggers) use it, so it lives here, once, as data in data/lexicon.yaml. Each entry is

    - terms: [送达法律文书]                 # words that stand in the articles
      zh: [送文书, 递文书, 送达通知书]        # how people say it in Chinese
      en: [serve documents, deliver papers]  # how people say it in English

A phrasing matches a question when it occurs in it: Chinese as a substring, English as a run of
stemmed words with stop words ignored (so "serving the documents" matches "serve documents").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from corpus.catalogue import DATA

WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    "a an the to of for in on at by with from my our your his her their its this that these those "
    "is are am be been being do does did i we you he she they it me us them".split()
)


def stem(word: str) -> str:
    """A deliberately light English stemmer: enough to fold serve/serves/serving/served together."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def english_words(text: str) -> tuple[str, ...]:
    """Lower-cased, stemmed English words of a text, stop words dropped."""
    return tuple(stem(w) for w in WORD.findall(text.lower()) if w not in STOP_WORDS)


def _contains_run(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return n > 0 and any(words[i : i + n] == run for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class Entry:
    terms: tuple[str, ...]
    zh: tuple[str, ...]
    en: tuple[str, ...]

    def matches(self, text: str, words: tuple[str, ...]) -> bool:
        return any(p in text for p in self.zh + self.terms) or any(
            _contains_run(words, english_words(p)) for p in self.en
        )


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...]

    def matches(self, text: str) -> list[Entry]:
        """The entries one of whose phrasings occurs in the text."""
        words = english_words(text)
        return [entry for entry in self.entries if entry.matches(text, words)]

    def corpus_terms(self, text: str) -> list[str]:
        """The corpus' own terms for what the text says, in lexicon order, without repeats."""
        seen: dict[str, None] = {}
        for entry in self.matches(text):
            seen.update(dict.fromkeys(entry.terms))
        return list(seen)

    def expand(self, text: str) -> str:
        """The text followed by the corpus terms it maps to: the query both retrievers see."""
        terms = [t for t in self.corpus_terms(text) if t not in text]
        return text if not terms else text + " " + " ".join(terms)


def parse_entries(data: list[dict]) -> tuple[Entry, ...]:
    return tuple(
        Entry(tuple(e["terms"]), tuple(e.get("zh") or ()), tuple(e.get("en") or ())) for e in data
    )


@cache
def load_lexicon() -> Lexicon:
    data = yaml.safe_load((DATA / "lexicon.yaml").read_text(encoding="utf-8")) or []
    return Lexicon(parse_entries(data))


@dataclass(frozen=True)
class Enrichment:
    """Hand-written doc2query text for one article: its key words, and questions it answers, in both languages."""

    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]
    questions_zh: tuple[str, ...]
    questions_en: tuple[str, ...]


@cache
def load_enrichment() -> dict[str, Enrichment]:
    """Per-article enrichment from data/enrichment.yaml, keyed by article reference ("taixing:9").

    Retrievers index it beside the article text, so that a question phrased the way officers ask it
    finds the article that answers it.
    """
    data = yaml.safe_load((DATA / "enrichment.yaml").read_text(encoding="utf-8")) or {}
    fields = ("keywords_zh", "keywords_en", "questions_zh", "questions_en")
    return {
        str(ref): Enrichment(*(tuple(entry.get(field) or ()) for field in fields))
        for ref, entry in data.items()
    }
