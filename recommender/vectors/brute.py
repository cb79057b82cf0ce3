"""Plain numpy brute force: the reference the faiss indexes are measured against."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class NumpyIndex:
    kind = "numpy"

    def __init__(self):
        self._vectors: np.ndarray | None = None

    def build(self, vectors: np.ndarray) -> NumpyIndex:
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        return self

    def search(self, queries: np.ndarray, k: int):
        scores = np.atleast_2d(queries) @ self._vectors.T
        k = max(1, min(k, scores.shape[1]))
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
        ids = np.take_along_axis(top, order, axis=1)
        return np.take_along_axis(scores, ids, axis=1), ids

    def save(self, path: Path) -> None:
        with open(path, "wb") as handle:  # exactly this path (np.save would append .npy)
            np.save(handle, self._vectors)

    def load(self, path: Path) -> NumpyIndex:
        self._vectors = np.load(path)
        return self

    def memory_bytes(self) -> int:
        return int(self._vectors.nbytes)
