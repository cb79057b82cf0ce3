"""Vector indexes: exact (faiss flat) up to HNSW_THRESHOLD rows, approximate (HNSW) up to
SQ_THRESHOLD, quantised (IVF + SQ8) above.

Recall@10 of the quantised index against exact search: 0.905 at nprobe 64 on 200,000 synthetic
vectors (see recommender/vectors/quantised.py).
"""

from __future__ import annotations

from recommender.vectors.base import VectorIndex
from recommender.vectors.brute import NumpyIndex
from recommender.vectors.flat import FlatIndex
from recommender.vectors.hnsw import HNSWIndex
from recommender.vectors.quantised import IVFSQ8Index

# Exact flat search over 50k x 384 floats takes ~5 ms on 2 cores; above that HNSW keeps
# queries in the low milliseconds (see `zhibiao bench`). Above SQ_THRESHOLD the float vectors
# (1.5 GB at a million 384-d rows) no longer fit the memory budget: 8-bit codes, a quarter.
HNSW_THRESHOLD = 50_000
SQ_THRESHOLD = 200_000
KINDS = {"flat": FlatIndex, "hnsw": HNSWIndex, "numpy": NumpyIndex, "ivfsq8": IVFSQ8Index}


def index_for(size: int) -> VectorIndex:
    if size > SQ_THRESHOLD:
        return IVFSQ8Index()
    return HNSWIndex() if size > HNSW_THRESHOLD else FlatIndex()


__all__ = ["VectorIndex", "FlatIndex", "HNSWIndex", "NumpyIndex", "IVFSQ8Index", "HNSW_THRESHOLD",
           "SQ_THRESHOLD", "KINDS", "index_for"]
