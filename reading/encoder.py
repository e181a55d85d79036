"""Fitting the encoder's top layers to the bank: low-rank adapters that the reading's question vectors go through.

The bundled e5 reads a question as retrieval taught it: by its words. The bank says what each question is about:
its deciding provision, whose conduct, does or omits, may or must, alone or with an officer, scope and form.
Here the top layers of a torch copy of the encoder (index.e5_torch) get a low-rank update beside each linear
weight (x W + x A B, B starting at zero), fitted with one head per label; the deciding provision's head is a
cosine head, so that the vectors themselves move towards their provision. The bottom layers stay frozen and run
once. The adapters (0.44 M numbers, kept in half precision in the reader) then go into the onnxruntime graph as a
second output (index.e5_onnx.encoder_graph): the reading reads the adapted vector, retrieval and the provisions'
similarity keep the model's own, which the index's views were embedded with.

Measured by bench.encoder_tuning and end to end on held_out (docs/evaluation.md). Deterministic: fixed seeds and a
fixed number of torch threads. torch is imported here only, at training.
"""
from __future__ import annotations

import time

import numpy as np

LABELS = ("primary", "side", "polarity", "modal", "manner", "scope", "form")
LINEARS = ("q", "k", "v", "ao", "fi", "fo")
LAYERS, RANK, EPOCHS, LR = 4, 16, 4, 5e-4  # the top 4 of 12 layers; as measured (docs/evaluation.md)
THREADS = 2  # torch's sums depend on its thread count: fixed, so that a fit is the same on any machine


def label(item, name: str) -> str | None:
    """The item's label for the fit: provisions for questions in scope only; scope as in or out."""
    if name == "primary":
        return item.primary if item.in_scope else None
    value = getattr(item, name)
    return None if value is None else str(value)


def label_codes(items) -> dict[str, np.ndarray]:
    """Per label, each item's class number (sorted values), -1 where it has none."""
    targets = {}
    for name in LABELS:
        values = [label(i, name) for i in items]
        codes = {v: c for c, v in enumerate(sorted({v for v in values if v is not None}))}
        targets[name] = np.array([codes.get(v, -1) for v in values], np.int64)
    return targets


def _adapter_class():
    import torch

    class Adapter(torch.nn.Module):
        """A low-rank update beside a frozen linear layer: x W + x A B, B starting at zero."""

        def __init__(self, base: torch.nn.Linear, rank: int) -> None:
            super().__init__()
            self.base = base.requires_grad_(False)
            self.a = torch.nn.Parameter(torch.randn(base.in_features, rank) / base.in_features ** 0.5)
            self.b = torch.nn.Parameter(torch.zeros(rank, base.out_features))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.base(x) + (x @ self.a) @ self.b

    return Adapter


def run_frozen(texts: list[str], layers: int = LAYERS):
    """The encoder copy, where its fitted top starts, each text's hidden states below it (half precision) and each
    text's vector before fitting."""
    import torch

    from index.e5_torch import TorchEncoder

    copy = TorchEncoder()
    start = len(copy.layers) - layers
    embedded = copy.token_embeddings(texts)
    hidden, frozen = [None] * len(texts), np.zeros((len(texts), embedded[0].shape[1]), np.float32)
    with torch.no_grad():
        by_length = np.argsort([len(e) for e in embedded], kind="stable")
        for at in range(0, len(texts), 64):
            rows = by_length[at : at + 64]
            x, mask = copy.batch([embedded[i] for i in rows])
            below = copy.run(x, mask, 0, start)
            frozen[rows] = copy.pool(copy.run(below, mask, start), mask).numpy()
            for j, i in enumerate(rows):
                hidden[i] = below[j, : len(embedded[i])].numpy().astype(np.float16)
    return copy, start, hidden, frozen


def tune(hidden: list[np.ndarray], targets: dict[str, np.ndarray], fit: np.ndarray, copy, start: int, *,
         rank: int = RANK, epochs: int = EPOCHS, lr: float = LR, seed: int = 0, say=print) -> np.ndarray:
    """Fit the layers from `start` up on the rows in `fit` (adapters of `rank`, or the whole weights with rank 0);
    every row's vector after."""
    import torch

    torch.manual_seed(seed)
    top = copy.layers[start:]
    if rank:
        adapter = _adapter_class()
        for layer in top:
            layer.requires_grad_(False)
            for name in LINEARS:
                setattr(layer, name, adapter(getattr(layer, name), rank))
    heads = torch.nn.ModuleDict({name: torch.nn.Linear(copy.layers[0].q.in_features, int(targets[name].max()) + 1,
                                                       bias=name != "primary") for name in LABELS})
    optimiser = torch.optim.AdamW([{"params": [p for p in top.parameters() if p.requires_grad], "lr": lr},
                                   {"params": heads.parameters(), "lr": 1e-3}], weight_decay=0.01)
    lengths = np.array([len(h) for h in hidden])
    rng = np.random.default_rng(seed)

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

    steps = epochs * len(batches(np.flatnonzero(fit), 32, False))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / 100) * max(0.0, 1 - s / steps))
    torch_targets = {name: torch.from_numpy(values) for name, values in targets.items()}
    for epoch in range(epochs):
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
        say(f"encoder epoch {epoch + 1}: loss {np.mean(losses):.3f}, {time.perf_counter() - started:.0f} s")
    with torch.no_grad():
        out = np.zeros((len(hidden), copy.layers[0].q.in_features), np.float32)
        for rows in batches(np.arange(len(hidden)), 128, False):
            out[rows] = vectors(rows).numpy()
    return out


def fit_adapters(texts: list[str], items, seed: int, epochs: int = EPOCHS, say=print) -> dict[str, np.ndarray]:
    """Adapters of the top layers fitted on the texts (the items' questions, as the reading reads them) and the
    items' labels, named as encoder_graph takes them ("l{layer}.{linear}.lora_a" [in, rank], ".lora_b" [rank,
    out]), in half precision as they are kept."""
    import torch

    torch.set_num_threads(THREADS)
    copy, start, hidden, _ = run_frozen(texts)
    tune(hidden, label_codes(items), np.ones(len(items), bool), copy, start, epochs=epochs, seed=seed, say=say)
    out = {}
    for number in range(start, len(copy.layers)):
        for name in LINEARS:
            adapter = getattr(copy.layers[number], name)
            out[f"l{number}.{name}.lora_a"] = adapter.a.detach().numpy().astype(np.float16)
            out[f"l{number}.{name}.lora_b"] = adapter.b.detach().numpy().astype(np.float16)
    return out


__all__ = ["LABELS", "fit_adapters", "label_codes", "run_frozen", "tune"]
