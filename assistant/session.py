"""A conversation: its turns, for follow-ups, and the measure the user prefers."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.types import Answer

MEASURE_NAMES = {
    "hebei": re.compile(r"河北|冀|\bhebei\b", re.IGNORECASE),
    "taixing": re.compile(r"泰兴|泰州|\btaixing\b|\btaizhou\b", re.IGNORECASE),
}
# A turn that leans on the one before: "那河北呢？", "如果有执法人员在场呢", "what about Hebei?"
FOLLOW_UP = re.compile(
    r"^\s*(那|那么|那如果|如果是|如果|换成|要是|假如|还有|另外|and\b|what about|how about|and if|what if|same for|and for|and in)",
    re.IGNORECASE,
)
TRAILING_NE = re.compile(r"呢[?？]?\s*$")


def named_measure(question: str) -> str | None:
    """The one measure a question names; None when it names neither or both."""
    named = [key for key, pattern in MEASURE_NAMES.items() if pattern.search(question)]
    return named[0] if len(named) == 1 else None


def names_both(question: str) -> bool:
    return all(pattern.search(question) for pattern in MEASURE_NAMES.values())


def is_follow_up(question: str) -> bool:
    short = len(question) <= 20 if re.search(r"[\u4e00-\u9fff]", question) else len(question.split()) <= 8
    return short and bool(FOLLOW_UP.search(question) or TRAILING_NE.search(question))


@dataclass
class Turn:
    question: str
    topic: str  # the question as understood, with what it inherited from earlier turns
    answer: Answer
    duty: Any = None  # the rules classifier's DutyQuestion, if it claimed the question


@dataclass
class Session:
    measure: str | None = None  # the preferred measure; None for both
    turns: list[Turn] = field(default_factory=list)
    max_turns: int = 20

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def remember(self, turn: Turn) -> None:
        self.turns.append(turn)
        del self.turns[: -self.max_turns]
