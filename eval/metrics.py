"""Ranking metrics over article references, and percentiles. Small pure functions, shared by the
retrieval evaluation and the benchmark."""
from __future__ import annotations

import math
from statistics import mean


def hit_at(ranked: list[str], primary: str, k: int) -> float:
    return float(primary in ranked[:k])


def reciprocal_rank(ranked: list[str], primary: str) -> float:
    return 1.0 / (ranked.index(primary) + 1) if primary in ranked else 0.0


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k: every gold article counts as relevant."""
    if not relevant:
        return 0.0
    dcg = sum(1 / math.log2(i + 2) for i, ref in enumerate(ranked[:k]) if ref in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal


def ranking_metrics(rows: list[tuple[list[str], list[str]]]) -> dict[str, float]:
    """rows: (ranked refs, gold refs with the primary first) per question."""
    if not rows:
        return {"n": 0}
    return {
        "n": len(rows),
        "hit@1": mean(hit_at(r, g[0], 1) for r, g in rows),
        "hit@3": mean(hit_at(r, g[0], 3) for r, g in rows),
        "mrr": mean(reciprocal_rank(r, g[0]) for r, g in rows),
        "ndcg@10": mean(ndcg_at(r, set(g), 10) for r, g in rows),
    }


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
