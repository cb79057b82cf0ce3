"""Exact search with faiss IndexFlatIP: the default up to SQ_THRESHOLD rows."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class FlatIndex:
    kind = "flat"

    def __init__(self):
        self._index = None

    def build(self, vectors: np.ndarray) -> FlatIndex:
        self._index = faiss.IndexFlatIP(vectors.shape[1])
        self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return self

    def search(self, queries: np.ndarray, k: int):
        k = max(1, min(k, self._index.ntotal)) if self._index.ntotal else 1
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    def load(self, path: Path) -> FlatIndex:
        try:  # the vectors stay in the page cache, shared by every worker process
            self._index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError:
            self._index = faiss.read_index(str(path))
        return self

    def memory_bytes(self) -> int:
        return int(self._index.ntotal * self._index.d * 4)
