"""Sparse rows in plain numpy: the few products the learned reading takes of hashed n-grams.

A question's n-grams are a sparse row over the training vocabulary. Answering multiplies it by dense weights
(the field classifiers, the provision classifier) and by the bank's situations (nearest neighbours, provision
prototypes). scipy.sparse would do it, but importing it costs a cold answer about 0.2 s and each small product
carries its bookkeeping; these rows do the same arithmetic with a gather and a sum. Training hands them to
scikit-learn as scipy matrices (`scipy()`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK = 1 << 22  # values gathered at once by a product with dense weights


@dataclass(frozen=True)
class Rows:
    """Compressed sparse rows: row i holds `data[indptr[i]:indptr[i+1]]` at `indices[...]` (sorted columns);
    float32 values, int32 columns."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def of(cls, pieces: list[tuple[np.ndarray, np.ndarray]], width: int) -> Rows:
        """Rows from (columns, values) per row."""
        indptr = np.zeros(len(pieces) + 1, np.int64)
        np.cumsum([len(c) for c, _ in pieces], out=indptr[1:])
        indices = np.concatenate([c for c, _ in pieces]).astype(np.int32) if pieces else np.zeros(0, np.int32)
        data = np.concatenate([v for _, v in pieces]).astype(np.float32) if pieces else np.zeros(0, np.float32)
        return cls(data, indices, indptr, (len(pieces), width))

    @classmethod
    def from_arrays(cls, data, indices, indptr, shape) -> Rows:
        return cls(np.asarray(data, np.float32), np.asarray(indices, np.int32), np.asarray(indptr, np.int64),
                   (int(shape[0]), int(shape[1])))

    @classmethod
    def from_dense(cls, matrix: np.ndarray) -> Rows:
        rows, columns = np.nonzero(matrix)
        indptr = np.zeros(matrix.shape[0] + 1, np.int64)
        np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
        return cls(matrix[rows, columns].astype(np.float32), columns.astype(np.int32), indptr, matrix.shape)

    def saved(self, prefix: str) -> dict[str, np.ndarray]:
        """As a reader saves it, compact (from_saved reads it back): values in half precision, and each entry's
        place in the flattened matrix as its gap from the previous entry's, in 16 bits when every gap fits.
        The gaps are small and repetitive, so they compress to little: it keeps the shipped reader within 20 MB."""
        flat = self._row_ids() * np.int64(self.shape[1]) + self.indices
        gaps = np.diff(flat, prepend=0)
        if len(gaps) > 1 and gaps[1:].min() <= 0:
            raise ValueError("columns must be increasing within each row")
        kind = np.uint16 if not len(gaps) or gaps.max() < 1 << 16 else np.int64
        return {f"{prefix}data": self.data.astype(np.float16), f"{prefix}gaps": gaps.astype(kind),
                f"{prefix}shape": np.array(self.shape)}

    @classmethod
    def from_saved(cls, arrays, prefix: str) -> Rows:
        """The rows `saved(prefix)` wrote, float32 values and int32 columns."""
        height, width = (int(n) for n in arrays[f"{prefix}shape"])
        rows, columns = np.divmod(np.cumsum(arrays[f"{prefix}gaps"], dtype=np.int64), width)
        indptr = np.zeros(height + 1, np.int64)
        np.cumsum(np.bincount(rows, minlength=height), out=indptr[1:])
        return cls(np.asarray(arrays[f"{prefix}data"], np.float32), columns.astype(np.int32), indptr, (height, width))

    def _row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def __getitem__(self, rows) -> Rows:
        """The rows selected by an index array or a boolean mask, in that order."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows, np.int64)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        take = _ranges(starts, ends)
        indptr = np.zeros(len(rows) + 1, np.int64)
        np.cumsum(ends - starts, out=indptr[1:])
        return Rows(self.data[take], self.indices[take], indptr, (len(rows), self.shape[1]))

    def scaled(self, weights: np.ndarray) -> Rows:
        """Each row multiplied by its weight."""
        return Rows(self.data * np.repeat(np.asarray(weights, np.float32), np.diff(self.indptr)), self.indices,
                    self.indptr, self.shape)

    def dot(self, dense: np.ndarray) -> np.ndarray:
        """self @ dense, a dense (rows × dense's columns) float32 array."""
        out = np.zeros((self.shape[0], dense.shape[1]), np.float32)
        per_block = max(1, CHUNK // max(1, dense.shape[1]))  # entries gathered at once
        row = 0
        while row < self.shape[0]:  # blocks of whole rows, each at least one row
            end = int(np.searchsorted(self.indptr, self.indptr[row] + per_block, side="right")) - 1
            end = min(max(end, row + 1), self.shape[0])
            counts = np.diff(self.indptr[row:end + 1])
            nonempty = np.flatnonzero(counts)
            if len(nonempty):
                first, last = self.indptr[row], self.indptr[end]
                products = self.data[first:last, None] * dense[self.indices[first:last]]
                out[row + nonempty] = np.add.reduceat(products, self.indptr[row + nonempty] - first, axis=0)
            row = end
        return out

    def transposed_dot(self, dense: np.ndarray) -> np.ndarray:
        """selfᵀ @ dense for a dense (rows × k) array that is mostly zeros: a dense (columns × k) float32 array,
        summed from the rows each nonzero of `dense` selects."""
        rows, ks = np.nonzero(dense)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        take = _ranges(starts, ends)
        lengths = ends - starts
        keys = np.repeat(ks, lengths) * self.shape[1] + self.indices[take]
        weights = np.repeat(dense[rows, ks], lengths) * self.data[take]
        summed = np.bincount(keys, weights=weights, minlength=dense.shape[1] * self.shape[1])
        return summed.reshape(dense.shape[1], self.shape[1]).T.astype(np.float32)

    def dot_rows(self, other: Rows) -> np.ndarray:
        """self @ other, other a sparse (self's columns × n) matrix: a dense (rows × n) float32 array."""
        out = np.zeros((self.shape[0], other.shape[1]), np.float32)
        for i in range(self.shape[0]):
            s, e = self.indptr[i], self.indptr[i + 1]
            starts, ends = other.indptr[self.indices[s:e]], other.indptr[self.indices[s:e] + 1]
            take = _ranges(starts, ends)
            weights = np.repeat(self.data[s:e], ends - starts) * other.data[take]
            out[i] = np.bincount(other.indices[take], weights=weights, minlength=other.shape[1])
        return out

    def transposed(self) -> Rows:
        """The transpose, as rows (each former column's entries, by former row)."""
        order = np.argsort(self.indices, kind="stable")
        indptr = np.zeros(self.shape[1] + 1, np.int64)
        np.cumsum(np.bincount(self.indices, minlength=self.shape[1]), out=indptr[1:])
        return Rows(self.data[order], self._row_ids()[order].astype(np.int32), indptr, (self.shape[1], self.shape[0]))

    def dense(self) -> np.ndarray:
        out = np.zeros(self.shape, np.float32)
        out[self._row_ids(), self.indices] = self.data
        return out

    def scipy(self):
        """The same matrix for scikit-learn (training only)."""
        from scipy.sparse import csr_matrix

        return csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def hstack(left: Rows, right: Rows) -> Rows:
    """[left | right], row by row: right's columns after left's."""
    counts = np.diff(left.indptr) + np.diff(right.indptr)
    indptr = np.zeros(left.shape[0] + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    rows = np.concatenate([left._row_ids(), right._row_ids()])
    order = np.argsort(rows, kind="stable")
    return Rows(np.concatenate([left.data, right.data])[order],
                np.concatenate([left.indices, right.indices + np.int32(left.shape[1])])[order], indptr,
                (left.shape[0], left.shape[1] + right.shape[1]))


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of arange(start, end) for each pair."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return offsets + np.arange(total)


__all__ = ["Rows", "hstack"]
