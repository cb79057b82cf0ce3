"""`tfidf`: jieba tokens + character n-grams, TF-IDF, reduced to dense vectors by SVD (LSA).

No neural model. State (vocabulary, idf, SVD components, the segmenter's dictionary) is saved
as JSON + .npy beside the index, so a query is analysed exactly as the corpus was.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import sparse

from models.encoders.base import normalise
from models.errors import EncoderError
from models.segment import Segmenter

MAX_DIM = 256


class TfidfEncoder:
    id = "tfidf"

    def __init__(self, max_dim: int = MAX_DIM, segmenter: Segmenter | None = None):
        self.max_dim = max_dim
        self.segmenter = segmenter
        self.vocabulary_: dict[str, int] | None = None
        self.idf_: np.ndarray | None = None
        self.components_: np.ndarray | None = None

    @property
    def dim(self) -> int:
        if self.components_ is None:
            raise EncoderError("tfidf encoder is not fitted (build the index first)")
        return int(self.components_.shape[0])

    def _analyse(self, text: str) -> list[str]:
        text = text or ""
        compact = "".join(text.split())
        grams = [compact[i:i + n] for n in (2, 3) for i in range(len(compact) - n + 1)]
        return ["w:" + t for t in self.segmenter.cut(text)] + ["c:" + g for g in grams]

    def fit(self, texts: list[str]) -> TfidfEncoder:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        if self.segmenter is None:
            self.segmenter = Segmenter().fit()
        vectorizer = TfidfVectorizer(analyzer=self._analyse, sublinear_tf=True, min_df=1)
        vectorizer.fit(texts)
        self.vocabulary_ = {k: int(v) for k, v in vectorizer.vocabulary_.items()}
        self.idf_ = vectorizer.idf_.astype(np.float32)
        matrix = self._tfidf(texts)
        n_components = max(1, min(self.max_dim, matrix.shape[0] - 1, matrix.shape[1] - 1))
        svd = TruncatedSVD(n_components=n_components, random_state=0).fit(matrix)
        self.components_ = svd.components_.astype(np.float32)
        return self

    def _tfidf(self, texts: list[str]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            counts: dict[int, int] = {}
            for term in self._analyse(text):
                index = self.vocabulary_.get(term)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            for c, n in counts.items():
                rows.append(r)
                cols.append(c)
                vals.append((1.0 + np.log(n)) * self.idf_[c])
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocabulary_)),
                                   dtype=np.float32)
        norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ matrix

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self.vocabulary_ is None:
            raise EncoderError("tfidf encoder is not fitted (build the index first)")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(self._tfidf(texts) @ self.components_.T)

    encode_queries = _encode
    encode_passages = _encode

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "tfidf_vocabulary.json").write_text(
            json.dumps({"vocabulary": self.vocabulary_, "segmenter_words": self.segmenter.words_},
                       ensure_ascii=False), encoding="utf-8")
        np.save(directory / "tfidf_idf.npy", self.idf_)
        np.save(directory / "tfidf_components.npy", self.components_)

    def load(self, directory: Path) -> TfidfEncoder:
        try:
            state = json.loads((directory / "tfidf_vocabulary.json").read_text(encoding="utf-8"))
            self.idf_ = np.load(directory / "tfidf_idf.npy")
            self.components_ = np.load(directory / "tfidf_components.npy")
        except (OSError, ValueError) as exc:
            raise EncoderError(f"{directory}：tfidf 状态文件缺失或损坏（{exc}）") from None
        self.vocabulary_ = state["vocabulary"]
        self.segmenter = Segmenter(extra_words=state["segmenter_words"]).fit()
        return self
