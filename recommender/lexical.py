"""BM25 over segmented declaration texts (the lexical half of project retrieval)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from scipy import sparse

from models.segment import Segmenter


class BM25:
    def __init__(self, segmenter: Segmenter, k1: float = 1.5, b: float = 0.75):
        self.segmenter = segmenter
        self.k1 = k1
        self.b = b
        self._vocab: dict[str, int] = {}
        self._matrix: sparse.csc_matrix | None = None

    def fit(self, texts: list[str]) -> BM25:
        return self.fit_tokens([self.segmenter.cut(t) for t in texts])

    def fit_tokens(self, token_lists: list[list[str]]) -> BM25:
        docs = [Counter(tokens) for tokens in token_lists]
        for doc in docs:
            for term in doc:
                self._vocab.setdefault(term, len(self._vocab))
        lengths = np.array([sum(d.values()) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if len(docs) else 1.0
        df = Counter(term for doc in docs for term in doc)
        n = len(docs)
        rows, cols, vals = [], [], []
        for r, doc in enumerate(docs):
            norm = self.k1 * (1 - self.b + self.b * lengths[r] / max(avg, 1e-9))
            for term, tf in doc.items():
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                rows.append(r)
                cols.append(self._vocab[term])
                vals.append(idf * tf * (self.k1 + 1) / (tf + norm))
        self._matrix = sparse.csc_matrix((vals, (rows, cols)), shape=(n, len(self._vocab)),
                                         dtype=np.float32)
        return self

    def scores(self, query: str) -> np.ndarray:
        terms = [self._vocab[t] for t in set(self.segmenter.cut(query)) if t in self._vocab]
        if not terms:
            return np.zeros(self._matrix.shape[0], dtype=np.float32)
        return np.asarray(self._matrix[:, terms].sum(axis=1)).ravel()
