"""Any local sentence-transformers model directory (`st:<path>`); never touches the network."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from models.encoders.base import StatelessEncoder, normalise
from models.errors import EncoderError


class SentenceTransformerEncoder(StatelessEncoder):
    def __init__(self, path: str | Path, query_prefix: str = "", passage_prefix: str = ""):
        self.path = Path(path).expanduser()
        self.id = f"st:{self.path}"
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model = None
        self._dim: int | None = None

    def _get(self):
        if self._model is None:
            if not (self.path / "config.json").exists() and not (self.path / "modules.json").exists():
                raise EncoderError(f"st:{self.path}：此处没有 sentence-transformers 模型"
                                   "（应为含 modules.json 或 config.json 的目录）")
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise EncoderError("st: 编码器需要可选依赖 torch 和 sentence-transformers，`make run` 不安装它们："
                                   "请运行 .venv/bin/pip install -e '.[st]'（make test 会一并安装）") from None
            self._model = SentenceTransformer(str(self.path), device="cpu")
            get_dim = getattr(self._model, "get_embedding_dimension", None) or \
                self._model.get_sentence_embedding_dimension
            self._dim = int(get_dim())
        return self._model

    @property
    def dim(self) -> int:
        self._get()
        return self._dim

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        model = self._get()
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = model.encode([prefix + t for t in texts], batch_size=32,
                               convert_to_numpy=True, show_progress_bar=False)
        return normalise(vectors)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self.query_prefix)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self.passage_prefix)
