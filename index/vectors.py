"""The views' vectors, one unit-length float32 row each, and exact inner-product search over them, in numpy.

A set of measures makes a few thousand rows (920 for the two shipped ones, 170k for 10k articles), so an exact
search is one matrix-vector product and a partial sort. faiss's flat index did the same arithmetic; importing
it took 0.17 s of a cold answer, more than a search costs at 10k articles. Stored as a .npy file."""
from __future__ import annotations

from pathlib import Path

import numpy as np


class Vectors:
    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)

    @property
    def count(self) -> int:
        return self.matrix.shape[0]

    @property
    def dim(self) -> int:
        return self.matrix.shape[1]

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Per query row, the k most similar rows, best first: (similarities, row numbers)."""
        k = min(k, self.count)
        sims = queries @ self.matrix.T
        if k < self.count:
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        else:
            top = np.broadcast_to(np.arange(self.count), sims.shape).copy()
        order = np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1, kind="stable")
        rows = np.take_along_axis(top, order, axis=1)
        return np.take_along_axis(sims, rows, axis=1), rows

    def save(self, path: Path) -> None:
        with open(path, "wb") as handle:
            np.save(handle, self.matrix, allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> Vectors:
        """Raises ValueError (or OSError) for a file that is not a float32 matrix."""
        matrix = np.load(path, allow_pickle=False)
        if matrix.ndim != 2 or matrix.dtype != np.float32:
            raise ValueError(f"not a float32 matrix: {matrix.dtype} {matrix.shape}")
        return cls(matrix)


__all__ = ["Vectors"]
