"""The Encoder seam: texts in, L2-normalised float32 rows out.

Queries and passages are separate calls because e5-style models use different prefixes.
An encoder that learns from the corpus (tfidf) does it in `fit` and persists its state with
`save(dir)` / `load(dir)` (JSON and .npy only); neural encoders have nothing to save.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    id: str    # as written in manifests and chosen with --encoder / ZHIBIAO_ENCODER
    dim: int

    def fit(self, texts: list[str]) -> "Encoder": ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...

    def save(self, directory: Path) -> None: ...

    def load(self, directory: Path) -> "Encoder": ...


def normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


class StatelessEncoder:
    """Base for encoders that learn nothing from the corpus."""

    def fit(self, texts: list[str]):
        return self

    def save(self, directory: Path) -> None:
        return None

    def load(self, directory: Path):
        return self
