"""The lexical half of project retrieval, saved in the index directory and memory-mapped.

- BM25 (`bm25s`, Lucene variant, k1=1.5, b=0.75) over the segmented project texts;
- a sparse IDF-weighted term matrix (CSR, unit rows, words of ≥ 2 characters) for
  `relatedness` (cosine with the query) and `shared_terms`;
- the raw term counts (CSR), so an incremental build re-uses the rows of unchanged declarations.

Terms are the project's jieba `Segmenter` tokens; one vocabulary (bm25s's `vocab_dict`) serves all.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from pathlib import Path

import numpy as np

from models.segment import Segmenter

EXACT_SORT_UP_TO = 50_000  # below this many projects, rank BM25 scores with a full (reference) sort


class TermCounts:
    """Per-project term counts (CSR) over a growing vocabulary: the build-time artefact."""

    def __init__(self, vocab: list[str] | None = None):
        self.vocab: list[str] = list(vocab or [])
        self._ids = {t: i for i, t in enumerate(self.vocab)}
        self.indptr = [0]
        self.indices: list[int] = []
        self.counts: list[int] = []

    def add_tokens(self, tokens: list[str]) -> None:
        for term, count in Counter(tokens).items():
            tid = self._ids.get(term)
            if tid is None:
                tid = self._ids[term] = len(self.vocab)
                self.vocab.append(term)
            self.indices.append(tid)
            self.counts.append(count)
        self.indptr.append(len(self.indices))

    def add_row_of(self, saved: "SavedCounts", row: int) -> None:
        start, end = int(saved.indptr[row]), int(saved.indptr[row + 1])
        for tid, count in zip(saved.indices[start:end], saved.counts[start:end]):
            term = saved.vocab[int(tid)]
            new = self._ids.get(term)
            if new is None:
                new = self._ids[term] = len(self.vocab)
                self.vocab.append(term)
            self.indices.append(new)
            self.counts.append(int(count))
        self.indptr.append(len(self.indices))


class SavedCounts:
    def __init__(self, directory: Path):
        self.indptr = np.load(directory / "terms.indptr.npy", mmap_mode="r")
        self.indices = np.load(directory / "terms.indices.npy", mmap_mode="r")
        self.counts = np.load(directory / "terms.counts.npy", mmap_mode="r")
        self.vocab = json.loads((directory / "terms.vocab.json").read_text(encoding="utf-8"))


def save_lexical(terms: TermCounts, directory: Path) -> None:
    """Write counts, the IDF term matrix and the BM25 index of `terms` into `directory`."""
    import bm25s
    indptr = np.array(terms.indptr, dtype=np.int64)
    indices = np.array(terms.indices, dtype=np.int32)
    counts = np.array(terms.counts, dtype=np.int32)
    np.save(directory / "terms.indptr.npy", indptr)
    np.save(directory / "terms.indices.npy", indices)
    np.save(directory / "terms.counts.npy", counts)
    (directory / "terms.vocab.json").write_text(json.dumps(terms.vocab, ensure_ascii=False), encoding="utf-8")
    n = len(indptr) - 1
    df = np.bincount(indices, minlength=len(terms.vocab))
    idf = np.log((n + 1) / (df + 0.5))  # the weighting `relatedness` has always used
    long_term = np.array([len(t) >= 2 for t in terms.vocab], dtype=bool)
    keep = long_term[indices] if len(indices) else np.zeros(0, dtype=bool)
    weights = (1 + np.log(np.maximum(counts, 1))) * idf[indices]
    doc = np.repeat(np.arange(n), np.diff(indptr))
    norms = np.sqrt(np.bincount(doc[keep], weights=weights[keep] ** 2, minlength=n))
    norms[norms == 0] = 1.0
    keep &= weights != 0
    rel_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc[keep], minlength=n), out=rel_indptr[1:])
    np.save(directory / "rel.indptr.npy", rel_indptr)
    np.save(directory / "rel.indices.npy", indices[keep])
    np.save(directory / "rel.weights.npy", (weights / norms[doc])[keep] if n else weights)
    np.save(directory / "idf.npy", idf)
    (directory / "lexical.json").write_text(json.dumps(
        {"projects": n, "terms": len(terms.vocab), "unknown_idf": float(idf.max()) if len(idf) else 1.0}),
        encoding="utf-8")
    # BM25 over the same vocabulary (token order inside a document does not matter to BM25)
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    token_ids = [np.repeat(indices[indptr[r]:indptr[r + 1]], counts[indptr[r]:indptr[r + 1]]).tolist()
                 for r in range(n)]
    vocab = {t: i for i, t in enumerate(terms.vocab)}
    model = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    model.index((token_ids, vocab), show_progress=False)
    model.save(str(directory / "bm25"), show_progress=False)


class Lexical:
    """The saved lexical index, memory-mapped (`Lexical(directory, segmenter)`)."""

    def __init__(self, directory: Path, segmenter: Segmenter):
        import bm25s
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.segmenter = segmenter
        self.bm25 = bm25s.BM25.load(str(directory / "bm25"), mmap=True, show_progress=False)
        self.vocab: dict[str, int] = self.bm25.vocab_dict
        self.n = int(self.bm25.scores["num_docs"])
        self.idf = np.load(directory / "idf.npy", mmap_mode="r")
        self.rel_indptr = np.load(directory / "rel.indptr.npy", mmap_mode="r")
        self.rel_indices = np.load(directory / "rel.indices.npy", mmap_mode="r")
        self.rel_weights = np.load(directory / "rel.weights.npy", mmap_mode="r")
        self.unknown_idf = json.loads((directory / "lexical.json").read_text())["unknown_idf"]
        self._last_query: tuple | None = None

    # ---- BM25 ------------------------------------------------------------------------------
    def scores(self, query: str) -> np.ndarray:
        ids = sorted({self.vocab[t] for t in self.segmenter.cut(query) if t in self.vocab})
        if not ids:
            return np.zeros(self.n, dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """The `k` best (row, score) with a positive score, best first."""
        scores = self.scores(query)
        if len(scores) <= EXACT_SORT_UP_TO:
            rows = np.argsort(-scores)[:k]
        else:
            part = np.argpartition(-scores, k - 1)[:k]
            rows = part[np.argsort(-scores[part])]
        return [(int(r), float(scores[r])) for r in rows if scores[r] > 0]

    # ---- IDF word vectors -------------------------------------------------------------------
    def _query_terms(self, query: str) -> tuple[list[tuple[int | None, float]], frozenset[str]]:
        cached = self._last_query
        if cached is not None and cached[0] == query:
            return cached[1]
        counts = Counter(self.segmenter.cut(query))
        weights = {}
        for t, c in counts.items():
            if len(t) < 2:
                continue
            tid = self.vocab.get(t)
            idf = float(self.idf[tid]) if tid is not None and tid < len(self.idf) else self.unknown_idf
            weights[t] = (1 + math.log(c)) * idf
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vector = [(self.vocab.get(t), w / norm) for t, w in weights.items() if w]
        value = (vector, frozenset(t for t in counts if len(t) >= 2))
        self._last_query = (query, value)
        return value

    def _doc(self, row: int) -> dict[int, float]:
        start, end = int(self.rel_indptr[row]), int(self.rel_indptr[row + 1])
        return dict(zip(self.rel_indices[start:end].tolist(), self.rel_weights[start:end].tolist()))

    def relatedness(self, query: str, row: int) -> float:
        vector, _ = self._query_terms(query)
        doc = self._doc(row)
        return sum(w * doc.get(t, 0.0) for t, w in vector)

    def shared_terms(self, query: str, row: int) -> int:
        _, terms = self._query_terms(query)
        doc = self._doc(row)
        return sum(1 for t in terms if self.vocab.get(t) in doc)
