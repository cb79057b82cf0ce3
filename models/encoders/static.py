"""`static-e5`: a lookup-table sentence encoder distilled from multilingual-e5-small.

A text is cut by jieba with the table's own vocabulary as its dictionary (no HMM), so every
Chinese token is a vocabulary word or a single character; a token outside the vocabulary
(a Latin or digit run) falls back to its characters, and those outside too are skipped. The
text's vector is the mean of its tokens' rows (which carry the SIF weights), L2-normalised, then
sent through the affine map fitted to e5's sentence vectors (map.npy: x @ W + b, so the vector
keeps e5's shared direction and long and short texts compare as they do in e5) and
L2-normalised again (see distil.py and manifest.json).

The table is shipped in static_data/ (made by `python -m models.encoders.distil`) and
memory-mapped read-only: many processes share one copy, and encoding is plain numpy plus a
read-only jieba lookup, so it is thread-safe without a lock. Queries and passages get the same
vector (the teacher's tokens were all embedded with the "query: " prefix).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from pathlib import Path

import numpy as np

from models.encoders.base import StatelessEncoder, normalise
from models.errors import EncoderError

DATA_DIR = Path(__file__).parent / "static_data"
TABLE_FILE = "table.npy"
VOCAB_FILE = "vocab.txt"
MANIFEST_FILE = "manifest.json"
MAP_FILE = "map.npy"  # float32 (dim + 1, dim): the rows of W, then the bias b
STATE_FILE = "static_encoder.json"  # written beside an index: which table made its vectors

_SKIP = re.compile(r"^[\W_]+$")


class StaticEncoder(StatelessEncoder):
    id = "static-e5"
    fork_safe = True  # numpy and jieba only: a forked worker embeds with the table it inherits

    def __init__(self, data_dir: str | Path = DATA_DIR):
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()  # guards loading only, never encoding
        self._table: np.ndarray | None = None
        self._ids: dict[str, int] = {}
        self._tokenizer = None
        self._weights: np.ndarray | None = None
        self._bias: np.ndarray | None = None
        self.manifest = self._read_manifest()
        self.dim = int(self.manifest["dimension"])
        self.fingerprint = str(self.manifest.get("fingerprint", ""))

    def _read_manifest(self) -> dict:
        path = self.data_dir / MANIFEST_FILE
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except OSError:
            raise EncoderError(f"static-e5：缺少 {path}；请用 "
                               "`python -m models.encoders.distil` 重建词表") from None
        except ValueError as exc:
            raise EncoderError(f"static-e5：{path} 不是有效的 JSON（{exc}）") from None
        for field in ("dimension", "vocabulary_size"):
            if not isinstance(manifest.get(field), int):
                raise EncoderError(f"static-e5：{path}：字段 {field} 缺失或不是整数")
        return manifest

    def _load(self) -> None:
        with self._lock:
            if self._table is not None:
                return
            import jieba

            from models.segment import remember_blocks
            jieba.setLogLevel(logging.WARNING)
            table_path, vocab_path = self.data_dir / TABLE_FILE, self.data_dir / VOCAB_FILE
            map_path = self.data_dir / MAP_FILE
            try:
                table = np.load(table_path, mmap_mode="r")
                affine = np.load(map_path).astype(np.float32)
                tokens = [line.split(" ", 1)[0] for line in
                          vocab_path.read_text(encoding="utf-8").splitlines()]
            except (OSError, ValueError) as exc:
                raise EncoderError(f"static-e5：{self.data_dir} 中的词向量表缺失或损坏（{exc}）；"
                                   "请用 `python -m models.encoders.distil` 重建") from None
            expected = (self.manifest["vocabulary_size"], self.dim)
            if table.shape != expected or len(tokens) != expected[0]:
                raise EncoderError(f"static-e5：{table_path} 形状为 {table.shape}，{vocab_path} "
                                   f"有 {len(tokens)} 个词，与 manifest 所记 {expected} 不符")
            if affine.shape != (self.dim + 1, self.dim):
                raise EncoderError(f"static-e5：{map_path} 形状为 {affine.shape}，应为 "
                                   f"{(self.dim + 1, self.dim)}；请用 `python -m models.encoders.distil` 重建")
            tokenizer = jieba.Tokenizer(dictionary=str(vocab_path))
            tokenizer.initialize()  # builds the prefix dictionary now, not on the first request
            self._weights, self._bias = affine[:-1], affine[-1]
            self._ids = {t: i for i, t in enumerate(tokens)}
            self._tokenizer = remember_blocks(tokenizer)
            self._table = table

    def token_ids(self, text: str) -> list[int]:
        """Rows that make up `text`: vocabulary words, else their characters."""
        if self._table is None:
            self._load()
        ids = []
        for token in self._tokenizer.lcut(text or "", HMM=False):
            row = self._ids.get(token)
            if row is not None:
                ids.append(row)
            elif not _SKIP.match(token):
                ids.extend(r for r in (self._ids.get(c) for c in token) if r is not None)
        return ids

    def tokens(self, text: str) -> list[str]:
        """The vocabulary tokens `text` is read as (for explaining a vector)."""
        if self._table is None:
            self._load()
        vocab = list(self._ids)
        return [vocab[i] for i in self.token_ids(text)]

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._table is None:
            self._load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.token_ids(text)
            if ids:  # a text without one known token stays the zero vector
                bag = normalise(self._table[ids].sum(axis=0, dtype=np.float32))[0]
                # one row at a time: a text gets the same bits alone or in any batch (a matrix
                # product over a batch may round differently from a vector product)
                out[row] = bag @ self._weights + self._bias
        return normalise(out)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def save(self, directory: Path) -> None:
        """Record which table made an index's vectors, so a rebuilt table is noticed."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / STATE_FILE).write_text(json.dumps(
            {"encoder": self.id, "fingerprint": self.fingerprint, "dimension": self.dim,
             "vocabulary_size": self.manifest["vocabulary_size"]}, ensure_ascii=False), encoding="utf-8")

    def load(self, directory: Path) -> StaticEncoder:
        path = Path(directory) / STATE_FILE
        if path.exists():
            try:
                saved = json.loads(path.read_text(encoding="utf-8")).get("fingerprint")
            except ValueError as exc:
                raise EncoderError(f"{path}：不是有效的 JSON（{exc}）") from None
            if saved != self.fingerprint:
                raise EncoderError(f"{directory}：索引向量由 static-e5 词表 {saved} 生成，"
                                   f"已安装的词表为 {self.fingerprint}；请重建索引")
        return self
