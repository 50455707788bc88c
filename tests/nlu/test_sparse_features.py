"""Joining sparse features gives exactly what `scipy.sparse.hstack` gives, as Rasa joins them."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features

from bot.nlu.sparse_features import combine_sparse_features, hstack


def matrix(rows: int, columns: int, density: float, dtype: type, seed: int):
    return scipy.sparse.random(rows, columns, density=density, format="coo",
                               random_state=seed).astype(dtype)


@pytest.mark.parametrize(("rows", "left", "right", "dtypes"), [
    (11, 1, 24, (np.float64, np.float64)),       # a regex feature beside lexical ones
    (11, 2272, 9524, (np.float64, np.int64)),    # character counts beside the rest
    (1, 2248, 9524, (np.float64, np.int64)),     # a sentence
    (3, 5, 7, (np.int64, np.float32)),
    (4, 6, 0, (np.float64, np.float64)),         # nothing on the right
])
@pytest.mark.parametrize("density", [0.0, 0.05, 1.0])
def test_the_same_matrix_as_scipy(rows, left, right, dtypes, density):
    a = matrix(rows, left, density, dtypes[0], 1)
    b = matrix(rows, right, density, dtypes[1], 2)
    expected, joined = scipy.sparse.hstack([a, b]), hstack(a, b)
    assert type(joined) is type(expected)
    assert joined.shape == expected.shape
    assert joined.dtype == expected.dtype
    assert joined.row.dtype == expected.row.dtype and joined.col.dtype == expected.col.dtype
    assert np.array_equal(joined.row, expected.row)
    assert np.array_equal(joined.col, expected.col)
    assert np.array_equal(joined.data, expected.data)


def features(values) -> Features:
    return Features(values, "sequence", "text", "CountVectorsFeaturizer")


def test_features_join_as_in_rasa():
    ours, rasas = (features(matrix(5, 40, 0.2, np.float64, 3)) for _ in range(2))
    other = matrix(5, 300, 0.1, np.int64, 4)
    combine_sparse_features(ours, features(other))
    rasas.combine_with_features(features(other))
    assert (ours.features != rasas.features).nnz == 0
    assert ours.features.shape == rasas.features.shape == (5, 340)
    # Not COO, or rows that differ: Rasa's own join decides, errors included.
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        combine_sparse_features(features(matrix(5, 4, 0.5, np.float64, 5)),
                                features(matrix(6, 4, 0.5, np.float64, 6)))
    csr = features(matrix(5, 4, 0.5, np.float64, 7).tocsr())
    combine_sparse_features(csr, features(other))
    assert csr.features.shape == (5, 304)
