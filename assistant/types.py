"""The assistant's result types: a citation and an answer, serialised to the batch contract."""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus import Ref, load

YES, NO, CONDITIONAL, NOT_ADDRESSED = "yes", "no", "conditional", "not_addressed"
VERDICTS = (YES, NO, CONDITIONAL, NOT_ADDRESSED)
VERDICT, RETRIEVAL, DECLINED = "verdict", "retrieval", "declined"


@dataclass(frozen=True)
class Citation:
    """A verbatim quote from an article or one of its items, with its human label."""

    ref: Ref
    quote: str

    @property
    def label(self) -> str:
        return load().label(self.ref)

    def to_json(self) -> dict:
        return {"ref": str(self.ref), "measure": self.ref.measure, "article": self.ref.article,
                "paragraph": self.ref.paragraph, "item": self.ref.item, "quote": self.quote, "label": self.label}


@dataclass
class Answer:
    """What the user sees (text) and the structure behind it."""

    question: str
    text: str
    route: str  # verdict | retrieval | declined
    verdict: str | None = None
    declined: bool = False
    citations: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # validity notes and the like, also inside text
    related: list[Ref] = field(default_factory=list)  # nearest articles offered with a decline
    lang: str = "zh"
    latency_ms: float = 0.0
    # how sure the answer is (0…1, calibrated on the bank's calibration part), and the verdict it leans to; a yes/no
    # answer commits to `verdict` only when sure enough (assistant.confidence), else verdict is None
    confidence: float | None = None
    leaning: str | None = None
    required: bool = False  # a committed "yes" to whether something must be done: a duty (the app's 应当 badge)
    from_metadata: bool = False  # stated from measures.yaml (dates, issuer), which no article quotes

    def to_json(self, id: str | None = None) -> dict:
        data = {"id": id, "question": self.question, "answer": self.text, "verdict": self.verdict,
                "confidence": None if self.confidence is None else round(self.confidence, 3),
                "leaning": self.leaning, "declined": self.declined, "route": self.route,
                "citations": [c.to_json() for c in self.citations],
                "notes": list(self.notes), "related": [str(r) for r in self.related],
                "lang": self.lang, "latency_ms": round(self.latency_ms, 2)}
        return data if id is not None else {k: v for k, v in data.items() if k != "id"}


__all__ = ["Answer", "Citation"] + ["YES", "NO", "CONDITIONAL", "NOT_ADDRESSED", "VERDICTS",
                                              "VERDICT", "RETRIEVAL", "DECLINED"]
