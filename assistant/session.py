"""A conversation: its turns, for follow-ups, and the measure the user prefers."""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.query import Query
from assistant.types import Answer


@dataclass
class Turn:
    query: Query  # the question as understood, with what it inherited from earlier turns
    answer: Answer


@dataclass
class Session:
    measure: str | None = None  # the preferred measure; None for all of them
    turns: list[Turn] = field(default_factory=list)
    max_turns: int = 20

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def remember(self, turn: Turn) -> None:
        self.turns.append(turn)
        del self.turns[: -self.max_turns]
