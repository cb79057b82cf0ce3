"""Approximate search with faiss HNSW (inner product): a selectable kind and a benchmark row."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

M = 32
EF_CONSTRUCTION = 80
EF_SEARCH = 64


class HNSWIndex:
    kind = "hnsw"

    def __init__(self, m: int = M, ef_search: int = EF_SEARCH):
        self.m = m
        self.ef_search = ef_search
        self._index = None

    def build(self, vectors: np.ndarray) -> HNSWIndex:
        index = faiss.IndexHNSWFlat(vectors.shape[1], self.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EF_CONSTRUCTION
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self._index = index
        return self

    def search(self, queries: np.ndarray, k: int):
        self._index.hnsw.efSearch = max(self.ef_search, k)
        k = max(1, min(k, self._index.ntotal)) if self._index.ntotal else 1
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    def load(self, path: Path) -> HNSWIndex:
        self._index = faiss.read_index(str(path))
        return self

    def memory_bytes(self) -> int:
        # vectors + graph links (2*M neighbours on level 0, int32 each)
        return int(self._index.ntotal * (self._index.d * 4 + 2 * self.m * 4 * 1.1))
