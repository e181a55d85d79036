"""The bundled e5's transformer layers in torch, from the same 4-bit weights dequantized, so that they can be trained.

Answering runs the encoder in onnxruntime (index.e5_onnx); this copy exists for fitting the encoder to the bank
(bench.encoder_tuning). It takes the token embeddings that E5Encoder computes and follows encoder_graph step for
step, with an attention mask so that questions of different lengths go through in one batch. It agrees with the
onnxruntime encoder to a cosine above 0.999 (tests/test_e5_torch.py). torch is imported here only.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from index.e5_onnx import QUERY, E5Encoder, dequantize


class Layer(torch.nn.Module):
    """One post-norm transformer layer: attention, then the feed-forward block, each added and layer-normalised."""

    def __init__(self, encoder: E5Encoder, number: int) -> None:
        super().__init__()
        model, config, at = encoder.model, encoder.model.config, f"l{number}."
        self.heads = config.heads

        def linear(name: str) -> torch.nn.Linear:
            blocks = model.tensor(at + name + ".w")
            in_features = config.intermediate if name == "fo" else config.hidden
            layer = torch.nn.Linear(in_features, blocks.size * 32 // in_features)
            layer.weight.data = torch.from_numpy(dequantize(blocks, layer.out_features))
            layer.bias.data = torch.from_numpy(model.tensor(at + name + ".b").copy())
            return layer

        def norm(name: str) -> torch.nn.LayerNorm:
            layer = torch.nn.LayerNorm(config.hidden, eps=config.eps)
            layer.weight.data = torch.from_numpy(model.tensor(at + name + ".w").copy())
            layer.bias.data = torch.from_numpy(model.tensor(at + name + ".b").copy())
            return layer

        self.q, self.k, self.v, self.ao, self.fi, self.fo = map(linear, ("q", "k", "v", "ao", "fi", "fo"))
        self.aln, self.oln = norm("aln"), norm("oln")

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """x [batch, tokens, hidden]; mask [batch, tokens], True on real tokens."""
        batch, tokens, hidden = x.shape
        size = hidden // self.heads
        split = lambda t: t.view(batch, tokens, self.heads, size).transpose(1, 2)  # noqa: E731
        scores = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(size)
        weights = scores.masked_fill(~mask[:, None, None, :], -1e9).softmax(-1)
        context = (weights @ split(self.v(x))).transpose(1, 2).reshape(batch, tokens, hidden)
        x = self.aln(x + self.ao(context))
        return self.oln(x + self.fo(torch.nn.functional.gelu(self.fi(x))))


class TorchEncoder(torch.nn.Module):
    """The layers, run over a range (a frozen bottom can be run once and its output kept), and mean pooling."""

    def __init__(self, encoder: E5Encoder | None = None) -> None:
        super().__init__()
        self.encoder = encoder or E5Encoder()
        self.layers = torch.nn.ModuleList(Layer(self.encoder, n) for n in range(self.encoder.model.config.layers))

    def token_embeddings(self, texts: list[str], prefix: str = QUERY) -> list[np.ndarray]:
        """Each text's embedded tokens (its first window: questions are far shorter than 510 tokens)."""
        tokenizer = self.encoder.tokenizer
        return [self.encoder._embeddings(tokenizer.content(prefix + t)[: self.encoder._window]) for t in texts]

    @staticmethod
    def batch(rows: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
        """Rows of [tokens, hidden] padded to one tensor, with the mask of real tokens."""
        x = np.zeros((len(rows), max(len(r) for r in rows), rows[0].shape[1]), np.float32)
        mask = np.zeros(x.shape[:2], bool)
        for i, row in enumerate(rows):
            x[i, : len(row)], mask[i, : len(row)] = row, True
        return torch.from_numpy(x), torch.from_numpy(mask)

    def run(self, x: torch.Tensor, mask: torch.Tensor, start: int = 0, stop: int | None = None) -> torch.Tensor:
        for layer in self.layers[start:stop]:
            x = layer(x, mask)
        return x

    @staticmethod
    def pool(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The mean over real tokens, unit length: the sentence vector."""
        weights = mask[..., None].float()
        return torch.nn.functional.normalize((x * weights).sum(1) / weights.sum(1), dim=-1)

    def forward(self, texts: list[str], prefix: str = QUERY) -> torch.Tensor:
        x, mask = self.batch(self.token_embeddings(texts, prefix))
        return self.pool(self.run(x, mask), mask)
