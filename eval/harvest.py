"""From feedback to gold: reviewed 👎 items (records/) as candidate gold items in the gold schema, so that real
questions, corrected by a reviewer, can be scored (`python -m eval run --gold candidates.jsonl`) and, once read by
a person, join a gold set.

    python -m eval harvest [--since YYYY-MM-DD] > candidates.jsonl
"""
from __future__ import annotations

import json
from datetime import datetime

from eval.gold import SEVERAL, VERDICTS

def check_correction(verdict: str | None, refs: list[str], facts: list[str]) -> list[str]:
    """What is wrong with a reviewer's correction: an article that does not exist, a key fact that its articles
    do not state word for word, an unknown verdict. Empty when it holds."""
    from corpus import load

    corpus = load()
    problems = []
    if verdict and verdict not in VERDICTS:
        problems.append(f"未知的结论：{verdict}")
    for ref in refs:
        if ":" not in ref or not corpus.exists(ref):
            problems.append(f"没有这一条：{ref}（写作 taixing:9 这样的形式）")
    texts = "".join(corpus.article(r).text for r in refs if ":" in r and corpus.exists(r))
    for fact in facts:
        if fact not in texts and not fact.replace("-", "").replace(".", "").isdigit():
            problems.append(f"要点须逐字摘自所引条文：「{fact}」")
    return problems


def gold_item(feedback, review) -> dict:
    """One reviewed feedback item in the gold schema (eval/gold.py)."""
    refs = [str(r) for r in review.expected_refs]
    measures = sorted({r.split(":")[0] for r in refs})
    kind = "yesno_duty" if review.expected_verdict else "factual" if refs else "out_of_scope"
    item = {
        "id": f"fb{feedback.id}",
        "question": feedback.question,
        "lang": feedback.lang if feedback.lang in ("zh", "en") else "zh",
        "measure": (measures[0] if len(measures) == 1 else SEVERAL) if measures else None,
        "type": kind,
        "gold_refs": refs,
        "acceptable_refs": [],
        "key_facts": list(review.key_facts),
        "rationale": (review.note or f"reviewed feedback #{feedback.id} ({feedback.reason or 'no reason'})").strip(),
        "colloquial": True,
    }
    if review.expected_verdict:
        item["verdict"] = review.expected_verdict
    return item


def harvest(since: datetime | None = None) -> list[dict]:
    from records import open_store

    store = open_store()
    if not store.ready:
        raise RuntimeError(f"the records database is not available: {store.problem}")
    return [gold_item(feedback, review) for feedback, review in store.reviewed(since)]


def write(items: list[dict], out) -> None:
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False) + "\n")


__all__ = ["check_correction", "gold_item", "harvest", "write"]
