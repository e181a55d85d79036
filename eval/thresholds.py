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
    Threshold("confidence.confidently_wrong", "<=", 0.02),  # a committed verdict that is wrong, over all yes/no
    Threshold("confidence.leaning_accuracy", ">=", 0.90),  # the verdict leaned to, committed or not
    Threshold("citations.primary_cited", ">=", 0.93),
    Threshold("out_of_scope.declined", ">=", 0.90),
    Threshold("faithfulness.fabricated_refs", "==", 0),
    Threshold("faithfulness.non_verbatim_quotes", "==", 0),
    Threshold("first_line.misleading", "==", 0),
)

# What "the default beats every baseline" is judged on: (metric, higher is better).
KEY_METRICS = (
    ("retrieval.mrr", True),
    ("citations.primary_cited", True),
    ("citations.all_cited", True),
    ("citations.precision", True),
    ("verdicts.accuracy", True),
    ("verdicts.given", True),
    ("confidence.leaning_accuracy", True),
    ("confidence.confidently_wrong", False),
    ("key_facts.covered", True),
    ("out_of_scope.declined", True),
    ("in_scope.false_decline_rate", False),
)

# Substrings of metric names where lower is better (used by `compare`).
LOWER_IS_BETTER = ("confidently_wrong", "ece", "latency", "_ms", "fabricated", "non_verbatim", "false_decline", "rss", "errors", "failed",
                   "seconds", "misleading")


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
    applicable: bool = True  # False when the gold file has no item the metric is computed over

    def to_json(self) -> dict:
        return {"metric": self.threshold.metric, "op": self.threshold.op, "limit": self.threshold.limit,
                "value": self.value, "passed": self.passed, "applicable": self.applicable}


def check(overall: dict, thresholds=THRESHOLDS) -> list[Check]:
    """Check every threshold against an `overall` metrics block. A metric over no items (a gold file without
    out-of-scope questions has no decline rate) is not applicable: it neither passes nor fails the run."""
    checks = []
    for t in thresholds:
        value = lookup(overall, t.metric)
        checks.append(Check(t, value, True, applicable=False) if value is None else Check(t, value, t.holds(value)))
    return checks
