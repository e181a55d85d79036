"""Scoring: one gold item against what came back (`score_item`), and a set of scored items into the metric
blocks of metrics.json (`aggregate`).

Which items each metric is computed over:
- retrieval: items with gold_refs that are not out_of_scope (as eval/retrieval.py);
- primary / all gold cited, false declines: in-scope items (type != out_of_scope);
- citation precision: every answer that cites at least one article (an out-of-scope answer citing an
  article outside gold ∪ acceptable is imprecise too);
- verdicts: yesno_duty items; key facts: items that list key facts; declined: out_of_scope items;
- faithfulness: every citation of every answer (declines included).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from eval.gold import TYPES, VERDICTS, GoldItem
from eval.metrics import (accuracy, cited_articles, citation_scores, confusion_matrix, faithfulness,
                          key_facts_found, mean_or_none, misleading_first_line, percentile, prohibited_items,
                          ranking_metrics)

OUT_OF_SCOPE = "out_of_scope"
ROUTES = ("verdict", "retrieval", "declined", "error")


@dataclass(frozen=True)
class Problem:
    """Why an item failed: a kind (for grouping) and a detail (for the developer)."""

    kind: str
    detail: str


@dataclass
class ItemResult:
    """One gold item run through one configuration: what was expected, what came back, and its scores."""

    id: str
    question: str
    lang: str
    type: str
    measure: str | None
    gold_refs: list[str]
    acceptable_refs: list[str]
    gold_verdict: str | None
    key_facts: list[str]
    # what came back
    route: str
    verdict: str | None
    declined: bool
    cited: list[str]  # as cited, item level (taixing:9(4))
    text: str
    latency_ms: float
    wall_ms: float
    ranked: list[str] = field(default_factory=list)  # retrieval top 10 (articles)
    error: str | None = None
    confidence: float | None = None  # the answer's calibrated confidence
    leaning: str | None = None  # the verdict it leans to (set also when it does not commit)
    # scores
    primary_cited: float = 0.0
    all_cited: float = 0.0
    precision: float | None = None
    facts_found: list[bool] = field(default_factory=list)
    fabricated: int = 0
    non_verbatim: int = 0
    misleading: bool = False  # the first line quotes a prohibited item without saying it is prohibited
    problems: list[Problem] = field(default_factory=list)

    @property
    def in_scope(self) -> bool:
        return self.type != OUT_OF_SCOPE

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    @property
    def primary_rank(self) -> int | None:
        """1-based rank of the primary gold article in the retrieval top 10, None when absent."""
        if not self.gold_refs or self.gold_refs[0] not in self.ranked:
            return None
        return self.ranked.index(self.gold_refs[0]) + 1

    def to_json(self) -> dict:
        data = asdict(self)
        data["failed"] = self.failed
        data["primary_rank"] = self.primary_rank
        return data


def score_item(gold: GoldItem, answer, ranked: list[str], wall_ms: float, corpus,
               error: str | None = None) -> ItemResult:
    """Score one answer (an assistant Answer, or None when answer() raised `error`) against its gold item."""
    citations = list(answer.citations) if answer is not None else []
    cited = [str(c.ref) for c in citations]
    result = ItemResult(
        id=gold.id, question=gold.question, lang=gold.lang, type=gold.type, measure=gold.measure,
        gold_refs=list(gold.gold_refs), acceptable_refs=list(gold.acceptable_refs),
        gold_verdict=gold.verdict, key_facts=list(gold.key_facts),
        route="error" if answer is None else answer.route,
        verdict=None if answer is None else answer.verdict,
        declined=False if answer is None else bool(answer.declined),
        cited=cited, text="" if answer is None else answer.text,
        latency_ms=wall_ms if answer is None else float(answer.latency_ms), wall_ms=wall_ms,
        ranked=list(ranked), error=error,
        confidence=None if answer is None else answer.confidence, leaning=None if answer is None else answer.leaning,
    )
    scores = citation_scores(cited, result.gold_refs, result.acceptable_refs)
    result.primary_cited, result.all_cited, result.precision = scores["primary"], scores["all"], scores["precision"]
    result.facts_found = key_facts_found(result.text, result.key_facts)
    result.fabricated, result.non_verbatim = faithfulness([(c.ref, c.quote) for c in citations], corpus)
    result.misleading = not result.declined and misleading_first_line(result.first_line, prohibited_items(corpus))
    result.problems = _problems(result, citations, corpus)
    return result


def _problems(r: ItemResult, citations, corpus) -> list[Problem]:
    found = []
    if r.error:
        found.append(Problem("error", r.error))
    if r.in_scope and r.declined:
        found.append(Problem("false_decline", "declined an in-scope question"))
    if not r.in_scope and not r.declined:
        found.append(Problem("not_declined", f"answered an out-of-scope question (route {r.route})"))
    if r.in_scope and r.gold_refs and not r.primary_cited:
        found.append(Problem("primary_not_cited", f"wanted {r.gold_refs[0]}"))
    missing = [ref for ref in r.gold_refs[1:] if ref not in cited_articles(r.cited)]
    if r.in_scope and missing:
        found.append(Problem("gold_not_cited", ", ".join(missing)))
    allowed = set(r.gold_refs) | set(r.acceptable_refs)
    off = [ref for ref in cited_articles(r.cited) if ref not in allowed]
    if off:
        found.append(Problem("off_gold_citation", ", ".join(off)))
    if r.misleading:
        found.append(Problem("misleading_first_line", "quotes a prohibited item without saying it is prohibited"))
    if r.type == "yesno_duty" and r.verdict != r.gold_verdict:
        found.append(Problem("wrong_verdict", f"wanted {r.gold_verdict}, got {r.verdict}"))
    lost = [fact for fact, ok in zip(r.key_facts, r.facts_found) if not ok]
    if lost:
        found.append(Problem("key_facts_missing", " | ".join(lost)))
    for c in citations:
        if not corpus.exists(c.ref):
            found.append(Problem("fabricated_ref", str(c.ref)))
        elif not corpus.quote_is_verbatim(c.ref, c.quote):
            found.append(Problem("non_verbatim_quote", f"{c.ref}: {c.quote[:60]!r}"))
    return found


def _latency(results: list[ItemResult]) -> dict:
    def block(rows):
        return {"n": len(rows),
                "p50_ms": percentile([r.latency_ms for r in rows], 50) if rows else None,
                "p95_ms": percentile([r.latency_ms for r in rows], 95) if rows else None,
                "wall_p50_ms": percentile([r.wall_ms for r in rows], 50) if rows else None,
                "wall_p95_ms": percentile([r.wall_ms for r in rows], 95) if rows else None}

    out = {"all": block(results)}
    for route in ROUTES:
        rows = [r for r in results if r.route == route]
        if rows:
            out[route] = block(rows)
    return out


RELIABILITY_BINS = 10


def confidence_block(duty: list[ItemResult]) -> dict:
    """How the yes/no answers' confidence holds up: the share answered with a committed verdict, the accuracy of
    those, the share that is confidently wrong (a committed verdict that is wrong, over all yes/no questions), the
    accuracy of what each answer leans to (a decline leans to not addressed), the expected calibration error of
    the confidence against the leaning being right, and the reliability diagram's bins."""
    if not duty:
        return {"n": 0, "committed": None, "committed_accuracy": None, "confidently_wrong": None,
                "leaning_accuracy": None, "ece": None, "bins": []}
    committed = [r for r in duty if r.verdict is not None]
    lean = [(r.leaning or ("not_addressed" if r.declined else r.verdict)) for r in duty]
    right = [float(v == r.gold_verdict) for v, r in zip(lean, duty)]
    scored = [(r.confidence, ok) for r, ok in zip(duty, right) if r.confidence is not None]
    bins = []
    for b in range(RELIABILITY_BINS):
        low, high = b / RELIABILITY_BINS, (b + 1) / RELIABILITY_BINS
        inside = [(c, ok) for c, ok in scored if low <= c < high or (b == RELIABILITY_BINS - 1 and c == 1.0)]
        if inside:
            bins.append({"low": low, "high": high, "n": len(inside),
                         "confidence": sum(c for c, _ in inside) / len(inside),
                         "accuracy": sum(ok for _, ok in inside) / len(inside)})
    ece = sum(b["n"] * abs(b["confidence"] - b["accuracy"]) for b in bins) / len(scored) if scored else None
    return {"n": len(duty), "committed": len(committed) / len(duty),
            "committed_accuracy": accuracy((r.gold_verdict, r.verdict) for r in committed) if committed else None,
            "confidently_wrong": sum(r.verdict != r.gold_verdict for r in committed) / len(duty),
            "leaning_accuracy": sum(right) / len(duty), "ece": ece, "bins": bins}


def aggregate(results: list[ItemResult]) -> dict:
    """Every metric block over a set of scored items (one configuration; any slice of the gold set)."""
    ranked = [(r.ranked, r.gold_refs) for r in results if r.in_scope and r.gold_refs]
    in_scope = [r for r in results if r.in_scope]
    cite_rows = [r for r in in_scope if r.gold_refs]
    duty = [r for r in results if r.type == "yesno_duty"]
    facts = [r for r in results if r.key_facts]
    oos = [r for r in results if not r.in_scope]
    retrieval = ranking_metrics(ranked)
    return {
        "n": len(results),
        "retrieval": retrieval if ranked else {"n": 0, "hit@1": None, "hit@3": None, "mrr": None, "ndcg@10": None},
        "citations": {
            "n": len(cite_rows),
            "primary_cited": mean_or_none(r.primary_cited for r in cite_rows),
            "all_cited": mean_or_none(r.all_cited for r in cite_rows),
            "n_citing": sum(r.precision is not None for r in results),
            "precision": mean_or_none(r.precision for r in results),
        },
        "verdicts": {
            "n": len(duty),
            "accuracy": accuracy((r.gold_verdict, r.verdict) for r in duty),
            "given": mean_or_none(float(r.verdict is not None) for r in duty),
            "confusion": confusion_matrix([(r.gold_verdict, r.verdict) for r in duty], VERDICTS),
        },
        "confidence": confidence_block(duty),
        "key_facts": {
            "n": len(facts),
            "covered": mean_or_none(sum(r.facts_found) / len(r.facts_found) for r in facts),
            "facts": sum(len(r.key_facts) for r in facts),
            "found": sum(sum(r.facts_found) for r in facts),
        },
        "out_of_scope": {"n": len(oos), "declined": mean_or_none(float(r.declined) for r in oos)},
        "in_scope": {"n": len(in_scope), "false_decline_rate": mean_or_none(float(r.declined) for r in in_scope)},
        "faithfulness": {
            "citations": sum(len(r.cited) for r in results),
            "fabricated_refs": sum(r.fabricated for r in results),
            "non_verbatim_quotes": sum(r.non_verbatim for r in results),
        },
        "first_line": {"misleading": sum(r.misleading for r in results)},
        "routes": {route: sum(r.route == route for r in results) for route in ROUTES},
        "errors": sum(r.error is not None for r in results),
        "failed_items": sum(r.failed for r in results),
        "latency": _latency(results),
    }


def slices(results: list[ItemResult]) -> dict[str, dict]:
    """`overall`, `by_type` and `by_lang` metric blocks."""
    types = [t for t in TYPES if any(r.type == t for r in results)]
    langs = sorted({r.lang for r in results})
    return {
        "overall": aggregate(results),
        "by_type": {t: aggregate([r for r in results if r.type == t]) for t in types},
        "by_lang": {lang: aggregate([r for r in results if r.lang == lang]) for lang in langs},
    }

