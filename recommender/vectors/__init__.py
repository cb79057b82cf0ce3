"""Vector indexes: exact (faiss flat) up to HNSW_THRESHOLD rows, approximate (HNSW) above."""

from __future__ import annotations

from recommender.vectors.base import VectorIndex
from recommender.vectors.brute import NumpyIndex
from recommender.vectors.flat import FlatIndex
from recommender.vectors.hnsw import HNSWIndex

# Exact flat search over 50k x 384 floats takes ~5 ms on 2 cores; above that HNSW keeps
# queries in the low milliseconds (see `zhibiao bench`).
HNSW_THRESHOLD = 50_000
KINDS = {"flat": FlatIndex, "hnsw": HNSWIndex, "numpy": NumpyIndex}


def index_for(size: int) -> VectorIndex:
    return HNSWIndex() if size > HNSW_THRESHOLD else FlatIndex()


__all__ = ["VectorIndex", "FlatIndex", "HNSWIndex", "NumpyIndex", "HNSW_THRESHOLD", "KINDS", "index_for"]
