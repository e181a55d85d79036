"""Fitting the encoder's top layers to the bank: how much better do the question vectors alone read?

    .venv/bin/python -m bench.encoder_tuning [--fit 'f*'] [--layers 4] [--rank 16] [--epochs 4] [--lr 5e-4]

A probe of reading.encoder's fit, not the reading. The bottom layers stay frozen and run once; the top
`--layers` are fitted (low-rank adapters of `--rank` beside each weight, or the whole weights with `--rank 0`) with
one head per label the bank carries: the deciding provision (a cosine head, so that the vectors themselves move
towards their provision), whose conduct, does or omits, may or must, alone or with an officer, scope and form.
They are fitted on the training part's writers that match `--fit` only; the probe is then read on the training
part's other writers (another style of writing, never seen by the fit) and on the calibration part. Held-out is
never read. For the vectors before and after: a logistic regression on the vectors per label, fitted on the same
writers, and the provision of the 20 nearest situations. Prints the accuracies, the time and the peak RSS.
"""
from __future__ import annotations

import argparse
import fnmatch
import time

import numpy as np

from bench.common import peak_rss_mb
from reading.encoder import LABELS, label_codes, run_frozen, tune

NEIGHBOURS, TEMPERATURE = 20, 0.05


def probe(vectors: np.ndarray, targets: dict[str, np.ndarray], fit: np.ndarray,
          groups: dict[str, np.ndarray]) -> dict[str, float]:
    """Accuracy per label and group of a logistic regression on the vectors, and of the nearest situations' vote
    on the provision, both from the `fit` rows."""
    from sklearn.linear_model import LogisticRegression

    out = {}
    for name in LABELS:
        known = targets[name] >= 0
        model = LogisticRegression(C=10, max_iter=2000).fit(vectors[fit & known], targets[name][fit & known])
        for group, rows in groups.items():
            out[f"{name}, {group}"] = float((model.predict(vectors[rows & known]) == targets[name][rows & known]).mean())
    known = targets["primary"] >= 0
    memory, memory_labels = vectors[fit & known], targets["primary"][fit & known]
    for group, rows in groups.items():
        asked = np.flatnonzero(rows & known)
        sims = vectors[asked] @ memory.T
        near = np.argpartition(-sims, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]
        weights = np.exp(np.take_along_axis(sims, near, axis=1) / TEMPERATURE)
        votes = np.zeros((len(asked), int(memory_labels.max()) + 1))
        np.add.at(votes, (np.repeat(np.arange(len(asked)), NEIGHBOURS), memory_labels[near].ravel()), weights.ravel())
        out[f"primary by 20 nearest, {group}"] = float((votes.argmax(axis=1) == targets["primary"][asked]).mean())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", default="f*", help="training-part writers to fit on (a glob over writer ids)")
    parser.add_argument("--layers", type=int, default=4, help="top layers fitted; the rest stay frozen")
    parser.add_argument("--rank", type=int, default=16, help="rank of the adapters; 0 fits the whole weights")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=5e-4, help="learning rate of the layers (5e-5 with --rank 0)")
    args = parser.parse_args()

    from reading.bank import load_bank

    started = time.perf_counter()
    train, calibration = load_bank("train"), load_bank("calibration")
    items = train + calibration
    fit = np.array([n < len(train) and fnmatch.fnmatch(i.writer, args.fit) for n, i in enumerate(items)])
    groups = {"other writers": np.array([n < len(train) for n in range(len(items))]) & ~fit,
              "calibration": np.array([n >= len(train) for n in range(len(items))])}
    targets = label_codes(items)
    print(f"{len(items)} questions: fitted on {fit.sum()} ({args.fit}), probed on "
          + ", ".join(f"{rows.sum()} ({group})" for group, rows in groups.items()), flush=True)

    copy, start, hidden, frozen = run_frozen([i.question for i in items], args.layers)
    print(f"frozen layers run once: {time.perf_counter() - started:.0f} s", flush=True)
    tuned = tune(hidden, targets, fit, copy, start, rank=args.rank, epochs=args.epochs, lr=args.lr,
                 say=lambda line: print(" ", line, flush=True))
    print(f"fitted: {time.perf_counter() - started:.0f} s", flush=True)

    before, after = probe(frozen, targets, fit, groups), probe(tuned, targets, fit, groups)
    print(f"\n{'accuracy':40} {'frozen':>7} {'fitted':>7}")
    for key in before:
        print(f"{key:40} {before[key]:7.3f} {after[key]:7.3f}")
    print(f"\n{time.perf_counter() - started:.0f} s in all; peak RSS {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
