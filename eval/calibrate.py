"""Calibrating the answers' confidence on the bank's calibration part, never on what is reported.

    python -m eval calibrate [--target 0.010]

Every yes/no question of the calibration writers is answered; for each verdict answer, what says how far to trust
it (assistant.confidence.evidence: the weighed probability of the verdict leaned to, its margin, whether the
nearest training situations agree, how unsure each reading behind it is) and whether the verdict leaned to is
right. Boosted trees map the evidence to the chance of being right, held monotone in each piece of evidence
(assistant.confidence.TRUSTS): shallow trees see what a sum cannot, such as a high weighed probability with
neighbours that disagree (out of fold on this part, they commit 0.656 where a logistic regression committed 0.545,
at 0.007 and 0.005 confidently wrong). The threshold is chosen on
out-of-fold predictions (the model refitted without each writer of the part): the lowest calibrated confidence at
which the answers that would commit are confidently wrong on at most `target` of all the yes/no questions, and on
at most PER_WRITER of each writer's. Both are written beside the reader (calibration.json), which the assistant
reads.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from assistant.confidence import EVIDENCE, TRUSTS, Forest

# confidently wrong, over all yes/no questions of the calibration part: half the 0.02 a new set is held to, because
# one writer's share at a pooled threshold spreads around the pooled one (out of fold at 0.015: 0 to 0.036 by writer)
TARGET = 0.010
# and on each writer's: every calibration writer is a blind set like those a new set is measured on, held to 0.02.
# Pooled alone, the writers' styles closest to the training writers' (most are kit writers) set the threshold: with
# the encoder fitted to the bank it landed at 0.027 on held_out, whose writers are mostly of other styles
# (docs/evaluation.md).
PER_WRITER = 0.02
# shallow trees, slowly learned, each leaf over at least 80 answers: out of fold on the calibration part (2,113
# answers), depth 3 over depth 2, and either over the logistic regression, by the threshold's commitment
TREES = {"max_depth": 3, "learning_rate": 0.03, "max_iter": 300, "min_samples_leaf": 80}


def collect(part: str = "calibration") -> tuple[np.ndarray, np.ndarray, list[str], dict[str, int]]:
    """The evidence of each verdict answer to a yes/no question of the part, whether its leaning is right, its
    writer, and each writer's number of yes/no questions (a conversation's turns asked in order, in one session)."""
    from assistant import Session, answer
    from assistant.confidence import weigh
    from assistant.resources import article_index
    from assistant.verdict import decide
    from reading.bank import load_bank

    index = article_index()
    rows, right, writers, totals, sessions = [], [], [], {}, {}
    for item in load_bank(part):
        session = sessions.setdefault(item.conversation, Session()) if item.conversation else Session()
        reply = answer(item.question, session=session)
        if not item.yesno:
            continue
        totals[item.writer] = totals.get(item.writer, 0) + 1
        if reply.route != "verdict" or reply.leaning is None or session.last is None:
            continue
        q = session.last.query
        judged = weigh(index, q, decide(index, q))
        rows.append(judged.evidence)
        right.append(judged.leaning == item.combined_verdict)
        writers.append(item.writer)
    return np.array(rows), np.array(right, float), writers, totals


def fit_model(x: np.ndarray, y: np.ndarray, trusts: tuple[int, ...]) -> Forest:
    """Boosted trees (scikit-learn's, deterministic with its seed) held to `trusts`, read out as a Forest."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(monotonic_cst=list(trusts), random_state=0, **TREES).fit(x, y)
    trees = [predictors[0].nodes for predictors in model._predictors]  # noqa: SLF001 - pinned scikit-learn
    nodes = max(len(t) for t in trees)
    arrays = {name: np.zeros((len(trees), nodes), kind) for name, kind in Forest.FIELDS.items()}
    for k, tree in enumerate(trees):
        own = np.arange(len(tree))
        leaf = tree["is_leaf"].astype(bool)
        arrays["feature"][k, : len(tree)] = np.where(leaf, 0, tree["feature_idx"])
        arrays["threshold"][k, : len(tree)] = np.where(leaf, 0.0, tree["num_threshold"])
        arrays["left"][k, : len(tree)] = np.where(leaf, own, tree["left"])
        arrays["right"][k, : len(tree)] = np.where(leaf, own, tree["right"])
        arrays["value"][k, : len(tree)] = np.where(leaf, tree["value"], 0.0)
    depth = int(max(t["depth"].max() for t in trees))
    return Forest(float(model._baseline_prediction.ravel()[0]), depth, **arrays)  # noqa: SLF001


def threshold(confidence: np.ndarray, right: np.ndarray, total: int, target: float) -> float:
    """The lowest confidence at which the answers at or above it are wrong on at most `target` of all questions."""
    best = 1.01
    for t in sorted(set(np.round(confidence, 4)), reverse=True):
        wrong = ((confidence >= t) & (right == 0)).sum() / total
        if wrong > target:
            break
        best = float(t)
    return best


def fit(x: np.ndarray, right: np.ndarray, writers: list[str], totals: dict[str, int], target: float = TARGET,
        per_writer: float = PER_WRITER, trusts: tuple[int, ...] = TRUSTS) -> dict:

    folds, total = np.array(writers), sum(totals.values())
    out_of_fold = np.zeros(len(right))
    for w in sorted(set(writers)):
        held = folds == w
        out_of_fold[held] = fit_model(x[~held], right[~held], trusts).predict(x[held])
    t = max([threshold(out_of_fold, right, total, target)]
            + [threshold(out_of_fold[folds == w], right[folds == w], n, per_writer) for w, n in totals.items()])
    commits = out_of_fold >= t
    return fit_model(x, right, trusts).table() | {"features": list(EVIDENCE), "threshold": t,
                    "fitted_on": {"questions": total, "answered": int(len(right)), "target": target,
                                  "per_writer": per_writer,
                                  "committed": float(commits.sum() / total),
                                  "confidently_wrong": float((commits & (right == 0)).sum() / total),
                                  "leaning_accuracy": float(right.mean())}}


def main(target: float = TARGET) -> int:
    from assistant import confidence
    from assistant.resources import reader

    confidence.UNCALIBRATED = True
    try:
        x, right, writers, totals = collect()
    finally:
        confidence.UNCALIBRATED = False
    table = fit(x, right, writers, totals, target)
    path = Path(reader().folder) / confidence.CALIBRATION
    # one line: the trees are an artifact, like the reader beside it, not a text to read
    path.write_text(json.dumps({"reader": reader().manifest["depends"], "verdict": table}, separators=(",", ":")),
                    encoding="utf-8")
    confidence.calibration.cache_clear()
    fitted = table["fitted_on"]
    print(f"eval: calibrated on {fitted['answered']} of {fitted['questions']} yes/no questions (out of fold, by writer): threshold "
          f"{table['threshold']:.3f}, committed {fitted['committed']:.3f}, confidently wrong "
          f"{fitted['confidently_wrong']:.3f}, leaning right {fitted['leaning_accuracy']:.3f}; wrote {path}",
          file=sys.stderr)
    return 0


__all__ = ["collect", "fit", "fit_model", "main", "threshold"]
