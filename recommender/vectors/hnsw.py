"""Approximate search with faiss HNSW (inner product) over 8-bit scalar-quantised vectors, used
above HNSW_THRESHOLD rows: the graph (2*M links a row) plus 1 byte a dimension instead of 4, so
100,000 rows of 256 dimensions take ~50 MB instead of ~125 MB (recall measured by `zhibiao bench`)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

M = 32
EF_CONSTRUCTION = 80
EF_SEARCH = 64
TRAIN_ROWS = 100_000  # rows the quantiser's per-dimension ranges are learnt from


class HNSWIndex:
    kind = "hnsw"

    def __init__(self, m: int = M, ef_search: int = EF_SEARCH):
        self.m = m
        self.ef_search = ef_search
        self._index = None

    def build(self, vectors: np.ndarray) -> HNSWIndex:
        n, dim = vectors.shape
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, self.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EF_CONSTRUCTION
        rng = np.random.default_rng(0)
        sample = np.sort(rng.choice(n, size=min(n, TRAIN_ROWS), replace=False)) if n else np.zeros(0, np.int64)
        index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
        for start in range(0, n, 50_000):  # in pieces: the vectors may be a memory-mapped file
            index.add(np.ascontiguousarray(vectors[start:start + 50_000], dtype=np.float32))
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
        # 8-bit codes + graph links (2*M neighbours on level 0, int32 each)
        return int(self._index.ntotal * (self._index.d + 2 * self.m * 4 * 1.1))
