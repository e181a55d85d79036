"""Reciprocal-rank fusion of ranked lists. A list whose scores are all zero carries no signal and is left
out, so that a retriever that found nothing does not inject its arbitrary order."""
from __future__ import annotations

RRF_K = 60


def reciprocal_rank_fusion(rankings: list[list[tuple[str, float]]], weights: list[float] | None = None,
                           k: int = RRF_K) -> list[tuple[str, float]]:
    """Each ranking is [(ref, score), …] best first; entries with score <= 0 are not ranked. A weight
    multiplies a ranking's votes (weighted RRF)."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        ranked = [ref for ref, score in ranking if score > 0]
        for rank, ref in enumerate(ranked, start=1):
            fused[ref] = fused.get(ref, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def score_fusion(rankings: list[list[tuple[str, float]]], weights: list[float] | None = None) -> list[tuple[str, float]]:
    """Weighted sum of min-max normalised scores. Unlike RRF it keeps the size of the gaps: a BM25 score of 7
    against 2.5 says more than "first and second". A ranking with no positive score is left out."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        scored = [(ref, score) for ref, score in ranking if score > 0]
        if not scored:
            continue
        low, high = min(s for _, s in scored), max(s for _, s in scored)
        for ref, score in scored:
            fused[ref] = fused.get(ref, 0.0) + weight * ((score - low) / (high - low) if high > low else 1.0)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))
