"""A faster way to put two sparse feature matrices side by side.

DIET and the response selector each join the sparse features of every message (regex, lexical,
word and character counts: five joins each) with `scipy.sparse.hstack`, which builds a general
block matrix and checks it: about a tenth of the NLU server's time. Two COO matrices with the
same rows join by shifting the columns of the second; the result is the same matrix, in the
same COO layout and dtype, as `hstack` gives.
"""

from __future__ import annotations

import numpy as np
from rasa.shared.nlu.training_data.features import Features
from scipy.sparse import coo_matrix

_combine_sparse_features = Features._combine_sparse_features


def hstack(left: coo_matrix, right: coo_matrix) -> coo_matrix:
    """`scipy.sparse.hstack([left, right])` for two COO matrices with the same number of rows."""
    rows, left_columns = left.shape
    width = left_columns + right.shape[1]
    index = np.int64 if max(rows, width, left.nnz + right.nnz) > np.iinfo(np.int32).max \
        else np.int32
    data = np.concatenate([left.data, right.data]).astype(
        np.result_type(left.dtype, right.dtype), copy=False)
    row = np.concatenate([left.row, right.row]).astype(index, copy=False)
    col = np.concatenate([left.col, right.col + left_columns]).astype(index, copy=False)
    return coo_matrix((data, (row, col)), shape=(rows, width))


def combine_sparse_features(self: Features, additional_features: Features) -> None:
    """`Features._combine_sparse_features`, joining COO matrices with `hstack` above."""
    left, right = self.features, additional_features.features
    if not (isinstance(left, coo_matrix) and isinstance(right, coo_matrix)
            and left.shape[0] == right.shape[0]):
        _combine_sparse_features(self, additional_features)
        return
    self.features = hstack(left, right)
    self._cached_fingerprint = None


def install() -> None:
    Features._combine_sparse_features = combine_sparse_features  # type: ignore[method-assign]
