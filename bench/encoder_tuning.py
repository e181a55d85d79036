"""Fitting the encoder's top layers to the bank: how much better do the question vectors alone read?

    .venv/bin/python -m bench.encoder_tuning [--fit 'f*'] [--layers 4] [--rank 16] [--epochs 4] [--lr 5e-4]

A probe, not the reading: the shipped encoder stays as it is. The bottom layers stay frozen and run once; the top
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
import torch

from bench.common import peak_rss_mb

LABELS = ("primary", "side", "polarity", "modal", "manner", "scope", "form")
NEIGHBOURS, TEMPERATURE = 20, 0.05


def label(item, name: str) -> str | None:
    """The item's label for the probe: provisions for questions in scope only; scope as in or out."""
    if name == "primary":
        return item.primary if item.in_scope else None
    value = getattr(item, name)
    return None if value is None else str(value)


class Adapter(torch.nn.Module):
    """A low-rank update beside a frozen linear layer: x W + x A B, B starting at zero."""

    def __init__(self, base: torch.nn.Linear, rank: int) -> None:
        super().__init__()
        self.base = base.requires_grad_(False)
        self.a = torch.nn.Parameter(torch.randn(base.in_features, rank) / base.in_features ** 0.5)
        self.b = torch.nn.Parameter(torch.zeros(rank, base.out_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.a) @ self.b


def label_codes(items) -> dict[str, np.ndarray]:
    """Per label, each item's class number (sorted values), -1 where it has none."""
    targets = {}
    for name in LABELS:
        values = [label(i, name) for i in items]
        codes = {v: c for c, v in enumerate(sorted({v for v in values if v is not None}))}
        targets[name] = np.array([codes.get(v, -1) for v in values], np.int64)
    return targets


def run_frozen(items, layers: int):
    """The encoder copy, where its fitted top starts, each question's hidden states below it (half precision) and
    each question's vector before fitting."""
    from index.e5_torch import TorchEncoder

    copy = TorchEncoder()
    start = len(copy.layers) - layers
    embedded = copy.token_embeddings([i.question for i in items])
    hidden, frozen = [None] * len(items), np.zeros((len(items), embedded[0].shape[1]), np.float32)
    with torch.no_grad():
        by_length = np.argsort([len(e) for e in embedded], kind="stable")
        for at in range(0, len(items), 64):
            rows = by_length[at : at + 64]
            x, mask = copy.batch([embedded[i] for i in rows])
            below = copy.run(x, mask, 0, start)
            frozen[rows] = copy.pool(copy.run(below, mask, start), mask).numpy()
            for j, i in enumerate(rows):
                hidden[i] = below[j, : len(embedded[i])].numpy().astype(np.float16)
    return copy, start, hidden, frozen


def tune(hidden: list[np.ndarray], targets: dict[str, np.ndarray], fit: np.ndarray, copy, start: int, args) -> np.ndarray:
    """Fit the layers from `start` up on the rows in `fit`; every row's vector after."""
    top = copy.layers[start:]
    if args.rank:
        for layer in top:
            layer.requires_grad_(False)
            for name in ("q", "k", "v", "ao", "fi", "fo"):
                setattr(layer, name, Adapter(getattr(layer, name), args.rank))
    heads = torch.nn.ModuleDict({name: torch.nn.Linear(copy.layers[0].q.in_features, int(targets[name].max()) + 1,
                                                       bias=name != "primary") for name in LABELS})
    optimiser = torch.optim.AdamW([{"params": [p for p in top.parameters() if p.requires_grad], "lr": args.lr},
                                   {"params": heads.parameters(), "lr": 1e-3}], weight_decay=0.01)
    lengths = np.array([len(h) for h in hidden])
    rng = np.random.default_rng(0)

    def batches(rows: np.ndarray, size: int, shuffle: bool) -> list[np.ndarray]:
        """Batches of similar lengths (less padding), in random order when training."""
        rows = rng.permutation(rows) if shuffle else rows
        out = []
        for at in range(0, len(rows), size * 20):
            chunk = rows[at : at + size * 20]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
        return [out[i] for i in rng.permutation(len(out))] if shuffle else out

    def vectors(rows: np.ndarray):
        x, mask = copy.batch([hidden[i].astype(np.float32) for i in rows])
        return copy.pool(copy.run(x, mask, start), mask)

    steps = args.epochs * len(batches(np.flatnonzero(fit), 32, False))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / 100) * max(0.0, 1 - s / steps))
    torch_targets = {name: torch.from_numpy(values) for name, values in targets.items()}
    for epoch in range(args.epochs):
        started, losses = time.perf_counter(), []
        for rows in batches(np.flatnonzero(fit), 32, True):
            pooled, loss = vectors(rows), 0.0
            for name, head in heads.items():
                wanted = torch_targets[name][rows]
                if not (wanted >= 0).any():
                    continue
                logits = (16 * pooled @ torch.nn.functional.normalize(head.weight, dim=-1).T if name == "primary"
                          else head(pooled))
                loss = loss + torch.nn.functional.cross_entropy(logits, wanted, ignore_index=-1)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(loss.item())
        print(f"  epoch {epoch + 1}: loss {np.mean(losses):.3f}, {time.perf_counter() - started:.0f} s", flush=True)
    with torch.no_grad():
        out = np.zeros((len(hidden), copy.layers[0].q.in_features), np.float32)
        for rows in batches(np.arange(len(hidden)), 128, False):
            out[rows] = vectors(rows).numpy()
    return out


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

    torch.manual_seed(0)
    started = time.perf_counter()
    train, calibration = load_bank("train"), load_bank("calibration")
    items = train + calibration
    fit = np.array([n < len(train) and fnmatch.fnmatch(i.writer, args.fit) for n, i in enumerate(items)])
    groups = {"other writers": np.array([n < len(train) for n in range(len(items))]) & ~fit,
              "calibration": np.array([n >= len(train) for n in range(len(items))])}
    targets = label_codes(items)
    print(f"{len(items)} questions: fitted on {fit.sum()} ({args.fit}), probed on "
          + ", ".join(f"{rows.sum()} ({group})" for group, rows in groups.items()), flush=True)

    copy, start, hidden, frozen = run_frozen(items, args.layers)
    print(f"frozen layers run once: {time.perf_counter() - started:.0f} s", flush=True)
    tuned = tune(hidden, targets, fit, copy, start, args)
    print(f"fitted: {time.perf_counter() - started:.0f} s", flush=True)

    before, after = probe(frozen, targets, fit, groups), probe(tuned, targets, fit, groups)
    print(f"\n{'accuracy':40} {'frozen':>7} {'fitted':>7}")
    for key in before:
        print(f"{key:40} {before[key]:7.3f} {after[key]:7.3f}")
    print(f"\n{time.perf_counter() - started:.0f} s in all; peak RSS {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
