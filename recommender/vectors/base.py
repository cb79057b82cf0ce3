"""The VectorIndex seam: inner-product search over L2-normalised rows (= cosine)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np


class VectorIndex(Protocol):
    kind: str

    def build(self, vectors: np.ndarray) -> "VectorIndex": ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, row ids), each (n_queries, k); ids are -1 where fewer than k rows exist."""

    def save(self, path: Path) -> None: ...

    def load(self, path: Path) -> "VectorIndex": ...

    def memory_bytes(self) -> int: ...
