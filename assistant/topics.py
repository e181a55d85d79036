"""Compare topics: subjects looked up side by side in both measures, kept as data in topics.yaml.

    from assistant.topics import load_topics, topic, match_topics
    t = topic("training"); t.refs["taixing"], t.summary["zh"]
    match_topics("岗前培训几天？")  # → [Topic(id="training", ...)]

Adding a topic needs no code: add an entry to topics.yaml (tests/test_topics.py validates it).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from corpus import Ref
from corpus.lexicon import english_words
from corpus.yaml_data import parse_yaml

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Topic:
    id: str
    name: dict[str, str]  # zh, en
    triggers: dict[str, tuple[str, ...]]  # zh, en
    refs: dict[str, tuple[Ref, ...]]  # measure key → refs, in reading order; empty when the measure is silent;
    #                                    a measure the file does not list has not been looked at (see refs_for)
    summary: dict[str, str]  # zh, en: one line on how the measures differ

    def refs_for(self, measure: str) -> tuple[tuple[Ref, ...], bool]:
        """(refs, curated): the topic's articles in a measure as topics.yaml lists them; for a measure it does not
        list (one added later), the article the retrieval index finds for the topic's name and words, marked as
        not curated."""
        if measure in self.refs:
            return self.refs[measure], True
        from assistant.resources import article_index

        words = " ".join([self.name["zh"], *self.triggers.get("zh", ())[:6]])
        hits = article_index().search(words, k=1, measure=measure)
        return tuple(Ref.parse(h.ref) for h in hits), False

    def title(self, lang: str = "zh") -> str:
        return self.name[lang] if lang in self.name else self.name["zh"]

    def all_refs(self) -> list[Ref]:
        return [ref for refs in self.refs.values() for ref in refs]

    def article_refs(self) -> set[str]:
        """The topic's refs at article level, as strings (taixing:9), for matching gold items."""
        return {str(ref.article_ref) for ref in self.all_refs()}

    def score(self, text: str) -> int:
        """How many of the topic's trigger words a text contains (Chinese as substrings, English as runs
        of stemmed words)."""
        words = english_words(text)
        zh = sum(1 for w in self.triggers.get("zh", ()) if w and w in text)
        en = 0
        for phrase in self.triggers.get("en", ()):
            run = english_words(phrase)
            if run and any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1)):
                en += 1
        return zh + en


def _topic(row: dict) -> Topic:
    missing = [key for key in ("id", "name", "triggers", "refs", "summary") if key not in row]
    if missing:
        raise ValueError(f"topic {row.get('id', '?')}: missing {', '.join(missing)}")
    return Topic(
        id=str(row["id"]),
        name={lang: str(row["name"][lang]) for lang in LANGS},
        triggers={lang: tuple(str(w) for w in (row["triggers"].get(lang) or ())) for lang in LANGS},
        refs={measure: tuple(Ref.parse(r) for r in (refs or ())) for measure, refs in row["refs"].items()},
        summary={lang: str(row["summary"][lang]).strip() for lang in LANGS},
    )


def parse_topics(text: str) -> list[Topic]:
    rows = parse_yaml(text) or []
    topics = [_topic(row) for row in rows]
    ids = [t.id for t in topics]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate topic ids: {', '.join(duplicates)}")
    return topics


@cache
def load_topics() -> tuple[Topic, ...]:
    """The topics in file order (read once per process)."""
    text = (resources.files("assistant") / "topics.yaml").read_text(encoding="utf-8")
    return tuple(parse_topics(text))


def topic(topic_id: str) -> Topic:
    for t in load_topics():
        if t.id == topic_id:
            return t
    raise KeyError(f"unknown topic {topic_id!r} (known: {', '.join(t.id for t in load_topics())})")


def match_topics(text: str, limit: int = 3) -> list[Topic]:
    """The topics a question or keyword points at, best first (none when no trigger occurs)."""
    scored = [(t.score(text), i, t) for i, t in enumerate(load_topics())]
    scored = [row for row in scored if row[0] > 0]
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [t for _, _, t in scored[:limit]]


__all__ = ["Topic", "load_topics", "match_topics", "parse_topics", "topic"]
