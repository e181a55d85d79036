"""The gold Q&A set: questions written from the measures, with the answers a good system gives.

`load_gold()` reads `eval/gold.jsonl` (one JSON object per line) into `GoldItem`s; the benchmark and the
test that validates the file both use it. `eval/dev.jsonl`, in the same schema, was written by a second author
from the two texts alone, without the gold set, the lexicon or the rules: lexicon work is checked on it, so
that the gold set stays a measurement rather than a target.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT = Path(__file__).with_name("gold.jsonl")
DEV = Path(__file__).with_name("dev.jsonl")

LANGS = ("zh", "en")
TYPES = ("yesno_duty", "factual", "list", "compare", "temporal", "out_of_scope")
VERDICTS = ("yes", "no", "conditional", "not_addressed")
SEVERAL = "both"  # an item about more than one measure


def measure_values() -> tuple[str | None, ...]:
    """What an item's measure may be: a measure's key from the corpus, "both" (several), or null (none named)."""
    from corpus import load

    return (*load().measures, SEVERAL, None)


REQUIRED = ("id", "question", "lang", "measure", "type", "gold_refs", "acceptable_refs", "key_facts",
            "rationale", "colloquial")


@dataclass(frozen=True)
class GoldItem:
    """One gold question and what a correct answer contains.

    `gold_refs` are article-level references (`taixing:9`), primary first; `acceptable_refs` may also be cited
    without being wrong. `verdict` is set on `yesno_duty` items only. `history`, optional, holds the earlier
    questions of a conversation: the item's question is then a follow-up ("那河北呢？"), asked after them. `key_facts` are short strings a correct
    answer states verbatim (fragments of the article text, or ISO dates and numbers).
    """

    id: str
    question: str
    lang: str
    measure: str | None
    type: str
    gold_refs: tuple[str, ...]
    acceptable_refs: tuple[str, ...]
    verdict: str | None
    key_facts: tuple[str, ...]
    rationale: str
    colloquial: bool
    history: tuple[str, ...] = ()  # earlier questions of the conversation, asked first in the same session

    @classmethod
    def from_dict(cls, row: dict) -> GoldItem:
        """Build an item from one parsed JSON line; a missing required field raises KeyError."""
        missing = [name for name in REQUIRED if name not in row]
        if missing:
            raise KeyError(f"{row.get('id', '?')}: missing {', '.join(missing)}")
        return cls(
            id=row["id"],
            question=row["question"],
            lang=row["lang"],
            measure=row["measure"],
            type=row["type"],
            gold_refs=tuple(row["gold_refs"]),
            acceptable_refs=tuple(row["acceptable_refs"]),
            verdict=row.get("verdict"),
            key_facts=tuple(row["key_facts"]),
            rationale=row["rationale"],
            colloquial=row["colloquial"],
            history=tuple(row.get("history") or ()),
        )


def load_gold(path: str | Path = DEFAULT) -> list[GoldItem]:
    """Read a gold file in this schema; blank lines are skipped, a bad line raises ValueError with its number.
    `bank:PART` reads a part of the question bank (reading.bank: train, calibration, held_out, final) or one
    writer's lines (`bank:f2`), in this schema."""
    if str(path).startswith("bank:"):
        from reading.bank import load_bank

        return [GoldItem.from_dict(item.to_gold()) for item in load_bank(str(path)[len("bank:"):])]
    items = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                items.append(GoldItem.from_dict(json.loads(line)))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: {error}") from error
    return items
