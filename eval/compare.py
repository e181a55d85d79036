"""`python -m eval compare A/metrics.json B/metrics.json`: per-metric deltas (B − A), marking improvements and
regressions. Higher is better unless the metric is a latency, a memory figure, a count of failures or a
faithfulness violation (eval.thresholds.LOWER_IS_BETTER); sizes (n, counts of citations, routes) are neutral."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from eval.thresholds import LOWER_IS_BETTER

SKIP = {"confusion", "thresholds", "versus_baselines", "config", "gold", "created", "passed", "mode", "with_verdicts",
        "beats_every_baseline"}
NEUTRAL_LEAVES = {"n", "n_citing", "facts", "citations"}


@dataclass(frozen=True)
class Delta:
    """One metric in both files (a missing side is None)."""

    metric: str
    a: float | None
    b: float | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    @property
    def mark(self) -> str:
        """`improved`, `REGRESSED`, `changed` (neutral metric), `new`, `gone` or '' when equal."""
        if self.a is None:
            return "new"
        if self.b is None:
            return "gone"
        if abs(self.delta) < 1e-9:
            return ""
        sign = direction(self.metric)
        if sign == 0:
            return "changed"
        return "improved" if self.delta * sign > 0 else "REGRESSED"


def direction(metric: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 for sizes."""
    leaf = metric.rsplit(".", 1)[-1]
    if leaf in NEUTRAL_LEAVES or ".routes." in f".{metric}":
        return 0
    return -1 if any(part in metric for part in LOWER_IS_BETTER) else 1


def flatten(data: dict, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of metrics.json as dotted names (confusion matrices and settings left out)."""
    out = {}
    for key, value in data.items():
        if key in SKIP:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and not (
                isinstance(value, float) and math.isnan(value)):
            out[name] = float(value)
        elif value is None:
            out[name] = None
    return out


def compare(a: dict, b: dict) -> list[Delta]:
    """Deltas for every metric in either file, in A's order then B's new ones."""
    fa, fb = flatten(a), flatten(b)
    names = list(fa) + [name for name in fb if name not in fa]
    return [Delta(name, fa.get(name), fb.get(name)) for name in names
            if not (fa.get(name) is None and fb.get(name) is None)]


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() and abs(value) >= 1 else f"{value:.4g}"


def render(deltas: list[Delta], changed_only: bool = False) -> str:
    """A Markdown table of the deltas, then a one-line tally."""
    rows = [d for d in deltas if d.mark or not changed_only]
    lines = ["| metric | A | B | B − A | |", "|---|---|---|---|---|"]
    for d in rows:
        delta = "–" if d.delta is None else f"{d.delta:+.4g}"
        lines.append(f"| {d.metric} | {_num(d.a)} | {_num(d.b)} | {delta} | {d.mark} |")
    marks = [d.mark for d in deltas]
    lines += ["", f"{marks.count('improved')} improved, {marks.count('REGRESSED')} regressed, "
                  f"{sum(1 for m in marks if not m)} unchanged"]
    return "\n".join(lines)


def main(path_a: str | Path, path_b: str | Path, changed_only: bool = False) -> str:
    a = json.loads(Path(path_a).read_text(encoding="utf-8"))
    b = json.loads(Path(path_b).read_text(encoding="utf-8"))
    return render(compare(a, b), changed_only)
