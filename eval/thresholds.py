"""The CI thresholds and the key metrics, in one place.

Metric names are dotted paths into the `overall` block of metrics.json (see eval/scoring.py).
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass


@dataclass(frozen=True)
class Threshold:
    """One gate: `metric op limit`, e.g. citations.primary_cited >= 0.95."""

    metric: str
    op: str  # ">=" or "=="  or "<="
    limit: float

    def holds(self, value: float | None) -> bool:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return False
        return {">=": operator.ge, "<=": operator.le, "==": operator.eq}[self.op](value, self.limit)

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.limit:g}"


THRESHOLDS = (
    Threshold("citations.primary_cited", ">=", 0.95),
    Threshold("verdicts.accuracy", ">=", 0.95),
    Threshold("out_of_scope.declined", ">=", 0.90),
    Threshold("faithfulness.fabricated_refs", "==", 0),
    Threshold("faithfulness.non_verbatim_quotes", "==", 0),
)

# Where a target above is not met yet, CI holds the floor measured on 2026-11-22 instead, so that no change
# lands that makes the system worse; `python -m eval run` still fails on the targets. Raise a floor whenever
# the measured value rises; delete it once its target holds. (Issue 6 stays open while any floor exists.)
FLOORS = {
    "citations.primary_cited": Threshold("citations.primary_cited", ">=", 0.94),
    "verdicts.accuracy": Threshold("verdicts.accuracy", ">=", 0.91),
}


def ci_gate(threshold: Threshold) -> Threshold:
    """The threshold CI enforces for a target: the target itself, or its measured floor while it is unmet."""
    return FLOORS.get(threshold.metric, threshold)

# What "the default beats every baseline" is judged on: (metric, higher is better).
KEY_METRICS = (
    ("retrieval.mrr", True),
    ("citations.primary_cited", True),
    ("citations.all_cited", True),
    ("citations.precision", True),
    ("verdicts.accuracy", True),
    ("key_facts.covered", True),
    ("out_of_scope.declined", True),
    ("in_scope.false_decline_rate", False),
)

# Substrings of metric names where lower is better (used by `compare`).
LOWER_IS_BETTER = ("latency", "_ms", "fabricated", "non_verbatim", "false_decline", "rss", "errors", "failed",
                   "seconds")


def lookup(block: dict, dotted: str):
    """The value at a dotted path in nested dicts, or None."""
    value = block
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


@dataclass(frozen=True)
class Check:
    """A threshold and the value it was checked against."""

    threshold: Threshold
    value: float | None
    passed: bool

    def to_json(self) -> dict:
        return {"metric": self.threshold.metric, "op": self.threshold.op, "limit": self.threshold.limit,
                "value": self.value, "passed": self.passed}


def check(overall: dict, thresholds=THRESHOLDS) -> list[Check]:
    """Check every threshold against an `overall` metrics block."""
    return [Check(t, lookup(overall, t.metric), t.holds(lookup(overall, t.metric))) for t in thresholds]
