"""reading.rows (the reading's sparse products in numpy) and index.vectors (exact search) against scipy and a
plain sort: the same numbers, on random matrices of every shape, empty rows and columns included."""
import numpy as np
import pytest
import scipy.sparse as sp

from index.vectors import Vectors
from reading import rows as rows_module
from reading.rows import Rows, hstack


def random_pair(rng, density):
    matrix = sp.random(int(rng.integers(1, 40)), int(rng.integers(1, 300)), density=density, format="csr",
                       dtype=np.float32, random_state=int(rng.integers(1_000_000)))
    return matrix, Rows.from_arrays(matrix.data, matrix.indices, matrix.indptr, matrix.shape)


@pytest.mark.parametrize("chunk", [1, 7, 1 << 22])  # products gathered in blocks of any size agree
def test_products_equal_scipy(monkeypatch, chunk):
    monkeypatch.setattr(rows_module, "CHUNK", chunk)
    rng = np.random.default_rng(chunk)
    for density in (0.0, 0.02, 0.3):
        for _ in range(10):
            matrix, rows = random_pair(rng, density)
            dense = rng.standard_normal((matrix.shape[1], 5)).astype(np.float32)
            np.testing.assert_allclose(rows.dot(dense), matrix @ dense, atol=1e-5)
            other = sp.random(matrix.shape[1], 17, density=0.2, format="csr", dtype=np.float32, random_state=1)
            other_rows = Rows.from_arrays(other.data, other.indices, other.indptr, other.shape)
            np.testing.assert_allclose(rows.dot_rows(other_rows), (matrix @ other).toarray(), atol=1e-5)
            labels = (rng.random((matrix.shape[0], 4)) < 0.3).astype(np.float32)
            np.testing.assert_allclose(rows.transposed_dot(labels), matrix.T @ labels, atol=1e-5)
            np.testing.assert_array_equal(rows.transposed().dense(), matrix.T.toarray())
            picked = rng.integers(0, matrix.shape[0], 5)
            np.testing.assert_array_equal(rows[picked].dense(), matrix[picked].toarray())
            even = np.arange(matrix.shape[0]) % 2 == 0
            np.testing.assert_array_equal(rows[even].dense(), matrix[even].toarray())
            weights = np.arange(matrix.shape[0], dtype=np.float32)
            np.testing.assert_allclose(hstack(rows, rows.scaled(weights)).dense(),
                                       sp.hstack([matrix, sp.diags(weights) @ matrix]).toarray())
            np.testing.assert_array_equal(Rows.from_dense(matrix.toarray()).dense(), matrix.toarray())
            assert (rows.scipy() != matrix).nnz == 0


def test_saved_rows_read_back_the_same_in_half_precision():
    """A reader saves its sparse weights and situations as half-precision values and the gaps between entries
    (16 bits when they fit, wider when a row is long and empty): reading them back gives the same matrix."""
    rng, widths = np.random.default_rng(3), []
    for density in (0.0, 0.00002, 0.01, 0.5, 1.0):
        for shape in ((1, 1), (3, 70_000), (12, 300), (40, 5)):
            matrix = sp.random(*shape, density=density, format="csr", dtype=np.float32,
                               random_state=int(rng.integers(1_000_000)))
            saved = Rows.from_dense(matrix.toarray()).saved("w.")
            wide = saved["w.gaps"].max(initial=0) >= 1 << 16
            assert saved["w.gaps"].dtype == (np.int64 if wide else np.uint16)
            widths.append(wide)
            np.testing.assert_array_equal(Rows.from_saved(saved, "w.").dense(),
                                          matrix.toarray().astype(np.float16).astype(np.float32))
    assert any(widths) and not all(widths)
    with pytest.raises(ValueError):  # columns out of order cannot be told apart by their gaps
        Rows(np.ones(2, np.float32), np.array([3, 1], np.int32), np.array([0, 2]), (1, 5)).saved("w.")


def test_exact_search_is_a_sort_of_every_similarity():
    rng = np.random.default_rng(0)
    vectors = Vectors(rng.standard_normal((50, 8)).astype(np.float32))
    queries = rng.standard_normal((3, 8)).astype(np.float32)
    for k in (1, 5, 50, 80):
        sims, found = vectors.search(queries, k)
        expected = np.argsort(-(queries @ vectors.matrix.T), axis=1, kind="stable")[:, :min(k, 50)]
        np.testing.assert_array_equal(found, expected)
        np.testing.assert_allclose(sims, np.take_along_axis(queries @ vectors.matrix.T, expected, axis=1))


def test_stored_vectors_load_only_as_a_float32_matrix(tmp_path):
    Vectors(np.eye(3, dtype=np.float32)).save(tmp_path / "v.npy")
    np.testing.assert_array_equal(Vectors.load(tmp_path / "v.npy").matrix, np.eye(3))
    np.save(tmp_path / "w.npy", np.arange(3))
    with pytest.raises(ValueError):
        Vectors.load(tmp_path / "w.npy")
