"""A tiny deterministic encoder for fast tests: hashed character bigrams, no model."""

from __future__ import annotations

import zlib

import numpy as np

from models.encoders.base import StatelessEncoder, normalise


class FakeEncoder(StatelessEncoder):
    id = "fake"

    def __init__(self, dim: int = 64):
        self.dim = dim

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            compact = "".join((text or "").split())
            for i in range(max(1, len(compact) - 1)):
                out[row, zlib.crc32(compact[i:i + 2].encode()) % self.dim] += 1.0
        return normalise(out)

    encode_queries = _encode
    encode_passages = _encode
