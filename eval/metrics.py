"""Ranking metrics over article references, and percentiles. Small pure functions, shared by the
retrieval evaluation and the benchmark."""
from __future__ import annotations

import math
import re
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


# --- Answer-level metrics: citations, verdicts, key facts, faithfulness. ---------------------------------

def article_of(ref: object) -> str:
    """The article a reference points into, as text: `taixing:9(4)`, `taixing:28.2` → `taixing:9`, `taixing:28`;
    Ref objects work too."""
    text = str(ref).strip()
    return text.split("(", 1)[0].split("（", 1)[0].split(".", 1)[0].strip()


def cited_articles(refs) -> list[str]:
    """Distinct cited articles in the order first cited."""
    return list(dict.fromkeys(article_of(ref) for ref in refs))


def citation_scores(cited: list[str], gold: list[str], acceptable: list[str] = ()) -> dict[str, float | None]:
    """Article-level citation scores of one answer.

    primary: the first gold ref is cited; all: every gold ref is cited; precision: share of the cited
    articles that are in gold ∪ acceptable (None when nothing is cited).
    """
    cited = cited_articles(cited)
    allowed = set(gold) | set(acceptable)
    return {
        "primary": float(bool(gold) and gold[0] in cited),
        "all": float(bool(gold) and all(ref in cited for ref in gold)),
        "precision": (sum(ref in allowed for ref in cited) / len(cited)) if cited else None,
    }


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only; every other character (Chinese, full-width) is left as it is."""
    return text.translate(_ASCII_LOWER)


def key_facts_found(text: str, facts) -> list[bool]:
    """For each key fact, whether it appears verbatim in the text (case-insensitive for ASCII)."""
    haystack = ascii_lower(text or "")
    return [ascii_lower(fact) in haystack for fact in facts]


def key_fact_coverage(text: str, facts) -> float | None:
    """Fraction of key facts stated verbatim in the text; None when there are no key facts."""
    found = key_facts_found(text, facts)
    return sum(found) / len(found) if found else None


def faithfulness(citations, corpus) -> tuple[int, int]:
    """(fabricated, non_verbatim) among (ref, quote) pairs.

    A ref the corpus does not have is fabricated; a quote that is not a verbatim substring of an existing
    ref's text is non-verbatim. The two are disjoint: a fabricated ref's quote is not counted again.
    """
    fabricated = non_verbatim = 0
    for ref, quote in citations:
        if not corpus.exists(ref):
            fabricated += 1
        elif not corpus.quote_is_verbatim(ref, quote):
            non_verbatim += 1
    return fabricated, non_verbatim


def confusion_matrix(pairs, labels) -> dict[str, dict[str, int]]:
    """Counts of (gold, predicted) pairs as {gold: {predicted: n}}; None is shown as "none".

    Every label appears as a row and a column (plus "none" as a column), so tables line up.
    """
    name = lambda value: "none" if value is None else str(value)  # noqa: E731
    columns = [name(label) for label in labels] + ["none"]
    matrix = {name(label): dict.fromkeys(columns, 0) for label in labels}
    for gold, predicted in pairs:
        row = matrix.setdefault(name(gold), dict.fromkeys(columns, 0))
        row[name(predicted)] = row.get(name(predicted), 0) + 1
    return matrix


def accuracy(pairs) -> float | None:
    """Share of (gold, predicted) pairs that agree; None when there are none."""
    pairs = list(pairs)
    return sum(gold == predicted for gold, predicted in pairs) / len(pairs) if pairs else None


def mean_or_none(values) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return mean(present) if present else None


# --- The first line an officer may stop at. -------------------------------------------------------------

NEGATIVE = re.compile(r"不得|不可以|不能|不允许|不准|禁止|严禁|不应|\bno\b|\bnot\b|\bnever\b|prohibit|forbid|barred|banned|"
                      r"must not|may not|cannot|can['’]t", re.IGNORECASE)
MIN_OVERLAP = 6  # characters of a prohibited item that make a first line quote it


def prohibited_items(corpus) -> list[tuple[str, ...]]:
    """For every item listed under a lead clause that says 不得 (what must not be done, or who must not be
    hired), its distinctive runs: the MIN_OVERLAP-character windows of its text that stand nowhere in the
    texts outside such lists. Read off the texts, so the metric does not depend on the system's own model."""
    listed, outside = [], []
    for article in corpus.articles():
        lead = article.text.split("\n", 1)[0]
        if article.items and "不得" in lead:
            listed += [item.text for item in article.items]
            outside += [line for line in article.text.split("\n") if not line.startswith("（")]
        else:
            outside.append(article.text)
    elsewhere = "\n".join(outside)
    runs = []
    for text in listed:
        windows = (text[i:i + MIN_OVERLAP] for i in range(len(text) - MIN_OVERLAP + 1))
        runs.append(tuple(w for w in dict.fromkeys(windows) if w not in elsewhere))
    return [r for r in runs if r]


def misleading_first_line(line: str, items: list[tuple[str, ...]]) -> bool:
    """A first line that quotes an item of a 不得 list (one of its distinctive runs) without any word saying it
    is prohibited: an officer who reads only that line reads a permission."""
    return any(run in line for runs in items for run in runs) and not NEGATIVE.search(line)
