"""Vector indexes: exact (faiss flat) up to SQ_THRESHOLD rows, quantised (IVF + SQ8) above.

`zhibiao bench`, 2026-11-23, synthetic copies embedded with static-e5, recall@10 against numpy
brute force: IVF+SQ8 0.897 at 100,000 and 0.969 at 1,000,000 rows (search ~0.3 / ~1 ms, a quarter
of the float vectors' memory); HNSW (flat storage) is kept as a selectable kind and a benchmark
row (HNSW over SQ8 storage was tried: recall@10 0.49 at 100,000, dropped).
"""

from __future__ import annotations

from recommender.vectors.base import VectorIndex
from recommender.vectors.brute import NumpyIndex
from recommender.vectors.flat import FlatIndex
from recommender.vectors.hnsw import HNSWIndex
from recommender.vectors.quantised import IVFSQ8Index

# Exact flat search over 50k x 256 floats takes ~3 ms on one core; above that the inverted file
# keeps queries near 1 ms, and 8-bit codes keep a 100,000-form server under 500 MB (HNSW's float
# vectors and graph cost ~125 MB there).
SQ_THRESHOLD = 50_000
KINDS = {"flat": FlatIndex, "hnsw": HNSWIndex, "numpy": NumpyIndex, "ivfsq8": IVFSQ8Index}


def index_for(size: int) -> VectorIndex:
    return IVFSQ8Index() if size > SQ_THRESHOLD else FlatIndex()


__all__ = ["VectorIndex", "FlatIndex", "HNSWIndex", "NumpyIndex", "IVFSQ8Index",
           "SQ_THRESHOLD", "KINDS", "index_for"]
