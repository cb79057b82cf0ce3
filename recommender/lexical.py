"""The lexical half of project retrieval, saved in the index directory and memory-mapped.

- BM25 (`bm25s`, Lucene variant, k1=1.5, b=0.75) over the segmented project texts;
- a sparse IDF-weighted term matrix (CSR, unit rows, words of ≥ 2 characters) for
  `relatedness` (cosine with the query) and `shared_terms`;
- the raw term counts (CSR), so an incremental build re-uses the rows of unchanged declarations.

Terms are the project's jieba `Segmenter` tokens; one vocabulary (bm25s's `vocab_dict`) serves all.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import version
from array import array
from collections import Counter
from pathlib import Path

import numpy as np

from models.segment import Segmenter
from recommender.tables import mapped

CHUNK_ENTRIES = 4_000_000  # (project, term) entries handled at once while saving
EXACT_SORT_UP_TO = 50_000
PRUNE_FROM = 50_000  # above this many projects, BM25 leaves out the query's very common words
COMMON_SHARE = 0.1  # "very common": in more than this share of the projects (measured at 100,000 synthetic
# projects: the pruned top 50 hold 0.87 of what the full BM25 ranks as top 50, ties counted; 1.8 → 1.2 ms)


class TermCounts:
    """Per-project term counts (CSR) over a growing vocabulary: the build-time artefact, in compact
    arrays (a million projects of ~70 distinct terms each take ~600 MB, not Python ints)."""

    def __init__(self, vocab: list[str] | None = None):
        self.vocab: list[str] = list(vocab or [])
        self._ids = {t: i for i, t in enumerate(self.vocab)}
        self.indptr = array("q", [0])
        self.indices = array("i")
        self.counts = array("i")

    @classmethod
    def spooled(cls, directory: Path) -> "TermCounts":
        """Counts whose entries go straight to `terms.indices.npy` and `terms.counts.npy` in
        `directory` as they are added (`save_lexical` then writes only the rest): a build holds
        the vocabulary and one offset a project, not 8 bytes an entry (~0.6 GB at a million)."""
        from recommender.vector_file import NpyAppender
        terms = cls()
        terms.indices = NpyAppender(directory / "terms.indices.npy", np.int32)
        terms.counts = NpyAppender(directory / "terms.counts.npy", np.int32)
        return terms

    def _id(self, term: str) -> int:
        tid = self._ids.get(term)
        if tid is None:
            tid = self._ids[term] = len(self.vocab)
            self.vocab.append(term)
        return tid

    def add_tokens(self, tokens: list[str]) -> None:
        counted = Counter(tokens)
        self.add_counted(tuple(counted), tuple(counted.values()))

    def add_counted(self, terms: tuple[str, ...], counts: tuple[int, ...]) -> None:
        """One project's distinct terms (in first-use order: the vocabulary's order) and counts."""
        self.indices.extend(map(self._id, terms))
        self.counts.extend(counts)
        self.indptr.append(len(self.indices))

    def arrays(self) -> dict[str, np.ndarray]:
        """The counts as named arrays (a page's counts travelling between processes)."""
        from recommender.tables import json_array
        return {"terms.vocab": json_array(self.vocab), "terms.indptr": np.frombuffer(self.indptr, dtype=np.int64),
                "terms.indices": np.frombuffer(self.indices, dtype=np.int32),
                "terms.counts": np.frombuffer(self.counts, dtype=np.int32)}

    @classmethod
    def from_arrays(cls, arrays) -> "TermCounts":
        from recommender.tables import from_json_array
        terms = cls(from_json_array(arrays["terms.vocab"]))
        for name, code, dtype in (("indptr", "q", np.int64), ("indices", "i", np.int32), ("counts", "i", np.int32)):
            setattr(terms, name, array(code, np.asarray(arrays[f"terms.{name}"], dtype=dtype).tobytes()))
        return terms

    def extend_counts(self, later: "TermCounts") -> None:
        """Append the projects another TermCounts counted apart (the next texts): its vocabulary,
        in its first-use order, is interned into this one, so ids and vocabulary are those of one
        count over both."""
        remap = np.fromiter((self._id(t) for t in later.vocab), dtype=np.int32, count=len(later.vocab))
        indices = np.frombuffer(later.indices, dtype=np.int32)
        self.indices.frombytes(remap[indices].tobytes() if len(indices) else b"")
        self.counts.extend(later.counts)
        shift = self.indptr[-1]
        self.indptr.frombytes((np.frombuffer(later.indptr, dtype=np.int64)[1:] + shift).tobytes())

    def add_rows_of(self, saved: "SavedCounts", rows) -> None:
        """Copy the rows of unchanged projects from a previous build (vocabulary remapped once)."""
        remap = np.full(len(saved.vocab), -1, dtype=np.int64)
        for start in range(0, len(rows), 10000):
            for row in rows[start:start + 10000]:
                a, b = int(saved.indptr[row]), int(saved.indptr[row + 1])
                old = np.asarray(saved.indices[a:b], dtype=np.int64)
                missing = old[remap[old] < 0]
                for tid in missing.tolist():
                    remap[tid] = self._id(saved.vocab[tid])
                self.indices.extend(remap[old].astype(np.int32).tolist())
                self.counts.extend(np.asarray(saved.counts[a:b]).tolist())
                self.indptr.append(len(self.indices))


def count_terms(texts, segmenter: Segmenter) -> TermCounts:
    """The term counts of `texts` (in order) over a vocabulary of their own: one page of a build's
    texts, counted by a worker and merged with `TermCounts.extend_counts`."""
    counts = TermCounts()
    for text in texts:
        counts.add_tokens(segmenter.cut(text))
    return counts


class SavedCounts:
    def __init__(self, directory: Path):
        self.indptr = np.load(directory / "terms.indptr.npy", mmap_mode="r")
        self.indices = np.load(directory / "terms.indices.npy", mmap_mode="r")
        self.counts = np.load(directory / "terms.counts.npy", mmap_mode="r")
        self.vocab = json.loads((directory / "terms.vocab.json").read_text(encoding="utf-8"))


def _chunks(indptr: np.ndarray, size: int = CHUNK_ENTRIES):
    """(first doc, last doc + 1, first entry, last entry + 1) covering the CSR rows in bounded pieces."""
    n = len(indptr) - 1
    doc = 0
    while doc < n:
        end = int(np.searchsorted(indptr, indptr[doc] + size, side="right")) - 1
        end = min(n, max(end, doc + 1))
        yield doc, end, int(indptr[doc]), int(indptr[end])
        doc = end


def save_lexical(terms: TermCounts, directory: Path, *, threads: int = 1) -> None:
    """Write counts, the IDF term matrix and the BM25 index of `terms` into `directory`, in chunks
    of CHUNK_ENTRIES entries so the build's memory stays a few arrays of the corpus's size.
    Consumes `terms`: once its counts are on disk they are read back from there a chunk at a
    time (through the page cache, not mapped), and the build stops holding them. `threads`: what
    the build runs on; from 2, the IDF term matrix and BM25, which need only the counts and the
    document frequencies, are written side by side (the same bytes: each is computed per project)."""
    from recommender.vector_file import NpyAppender, NpyRows
    indptr = np.frombuffer(terms.indptr, dtype=np.int64).copy()
    for name, column in (("indices", terms.indices), ("counts", terms.counts)):
        if isinstance(column, NpyAppender):  # spooled to this file as counted
            column.close()
        else:
            np.save(directory / f"terms.{name}.npy", np.frombuffer(column, dtype=np.int32) if len(column)
                    else np.zeros(0, np.int32))
    np.save(directory / "terms.indptr.npy", indptr)
    terms.indices, terms.counts, terms.indptr = array("i"), array("i"), array("q", [0])
    indices, counts = NpyRows(directory / "terms.indices.npy"), NpyRows(directory / "terms.counts.npy")
    (directory / "terms.vocab.json").write_text(json.dumps(terms.vocab, ensure_ascii=False), encoding="utf-8")
    n, n_terms = len(indptr) - 1, len(terms.vocab)
    long_term = np.array([len(t) >= 2 for t in terms.vocab], dtype=bool)
    df, total = np.zeros(n_terms, dtype=np.int64), 0
    for _, _, a, b in _chunks(indptr):
        ind = indices[a:b]
        df += np.bincount(ind, minlength=n_terms)
        total += int(np.count_nonzero(long_term[ind]))
    idf = np.log((n + 1) / (df + 0.5))  # the weighting `relatedness` has always used
    relatedness = (indptr, indices, counts, idf, long_term, total, directory)
    if threads < 2:
        _save_relatedness(*relatedness)
        _save_bm25(indptr, indices, counts, df, terms.vocab, directory / "bm25")
        return
    from concurrent.futures import ThreadPoolExecutor
    # numpy lets go of the GIL in the long steps of both; the matrix takes smaller chunks here,
    # so that the two sets of chunk temporaries together stay near what one set takes
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhibiao-relatedness") as pool:
        written = pool.submit(_save_relatedness, *relatedness, chunk=CHUNK_ENTRIES // 4)
        _save_bm25(indptr, indices, counts, df, terms.vocab, directory / "bm25")
        written.result()


def _save_relatedness(indptr, indices, counts, idf, long_term, total: int, directory: Path, *,
                      chunk: int = CHUNK_ENTRIES) -> None:
    """The IDF term matrix: unit rows over words of >= 2 characters (idf > 0 for every term, so the
    kept entries are exactly those of long terms; written in order, a chunk of projects at a time,
    each project's row computed on its own: any chunking gives the same bytes)."""
    from recommender.vector_file import NpyWriter
    n = len(indptr) - 1
    rel_indptr = np.zeros(n + 1, dtype=np.int64)
    with NpyWriter(directory / "rel.indices.npy", total, None, dtype=np.int32) as rel_indices, \
            NpyWriter(directory / "rel.weights.npy", total, None, dtype=np.float64) as rel_weights:
        for first, last, a, b in _chunks(indptr, chunk):
            ind, cnt = indices[a:b], counts[a:b]
            doc = np.repeat(np.arange(last - first), np.diff(indptr[first:last + 1]))
            weights = (1 + np.log(np.maximum(cnt, 1))) * idf[ind]
            keep = long_term[ind]
            norms = np.sqrt(np.bincount(doc[keep], weights=weights[keep] ** 2, minlength=last - first))
            norms[norms == 0] = 1.0
            rel_indptr[first + 1:last + 1] = np.bincount(doc[keep], minlength=last - first)
            rel_indices.write(ind[keep])
            rel_weights.write((weights / norms[doc])[keep])
    np.cumsum(rel_indptr, out=rel_indptr)
    np.save(directory / "rel.indptr.npy", rel_indptr)
    np.save(directory / "idf.npy", idf)
    (directory / "lexical.json").write_text(json.dumps(
        {"projects": n, "terms": len(idf), "unknown_idf": float(idf.max()) if len(idf) else 1.0}),
        encoding="utf-8")


def _save_bm25(indptr, indices, counts, df, vocab: list[str], directory: Path) -> None:
    """BM25 (bm25s's Lucene scoring, k1=1.5, b=0.75) as bm25s saves it: a CSC matrix of per-(project,
    term) scores. Computed here from the counts, in chunks, because bm25s.index wants every token
    of every project as Python lists (gigabytes at a million projects); `test_lexical` checks the
    arrays equal bm25s's own on the seeds."""
    k1, b = 1.5, 0.75
    n, n_terms = len(indptr) - 1, len(vocab)
    lengths = np.zeros(n, dtype=np.float64)
    for first, last, a, b_ in _chunks(indptr):
        doc = np.repeat(np.arange(last - first), np.diff(indptr[first:last + 1]))
        lengths[first:last] = np.bincount(doc, weights=counts[a:b_], minlength=last - first)
    average = float(lengths.mean()) if n else 1.0
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    col_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=col_ptr[1:])
    data = np.zeros(int(col_ptr[-1]), dtype=np.float32)
    rows = np.zeros(int(col_ptr[-1]), dtype=np.int32)
    next_free = col_ptr[:-1].copy()
    for first, last, a, b_ in _chunks(indptr):
        ind = indices[a:b_]
        doc = np.repeat(np.arange(first, last, dtype=np.int32), np.diff(indptr[first:last + 1]))
        tf = counts[a:b_].astype(np.float32)
        score = idf[ind] * tf / (np.float32(k1) * ((1 - b) + b * lengths[doc] / average).astype(np.float32) + tf)
        order = np.argsort(ind, kind="stable")  # by term, projects ascending within a term
        cols = ind[order]
        rank = np.arange(len(cols)) - np.searchsorted(cols, cols, side="left")
        at = next_free[cols] + rank
        data[at], rows[at] = score[order], doc[order]
        next_free += np.bincount(ind, minlength=n_terms)
    # the files bm25s's BM25.save writes for a Lucene index (test_lexical loads them with bm25s and
    # compares its scores), written here: importing bm25s imports scipy, ~0.3 s of every index build
    directory.mkdir(parents=True, exist_ok=True)
    for name, array_ in (("data", data), ("indices", rows), ("indptr", col_ptr)):
        np.save(directory / f"{name}.csc.index.npy", array_, allow_pickle=False)
    (directory / "vocab.index.json").write_text(json.dumps({t: i for i, t in enumerate(vocab)}, ensure_ascii=False),
                                                encoding="utf-8")
    params = {"k1": k1, "b": b, "delta": 0.5, "method": "lucene", "idf_method": "lucene", "dtype": "float32",
              "int_dtype": "int32", "num_docs": n, "version": version("bm25s"), "backend": "numpy"}
    (directory / "params.index.json").write_text(json.dumps(params, indent=4))


class SavedBM25:
    """The BM25 index bm25s saved (Lucene scores, no non-occurrence array), read with numpy alone:
    bm25s's own loader imports scipy (~1 s of a one-shot command). `get_scores_from_ids` adds the
    per-(project, term) scores as bm25s does, in the same order, so the sums are the same floats."""

    def __init__(self, directory: Path):
        params = json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") != "lucene":
            raise ValueError(f"{directory}：BM25 方法为 {params.get('method')}，应为 lucene；请重建索引")
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.int_dtype = np.dtype(params.get("int_dtype", "int32"))
        self.vocab_dict = json.loads((directory / "vocab.index.json").read_text(encoding="utf-8"))
        # np.memmap's per-slice overhead is paid per query word: plain ndarray views of the maps
        self.scores = {name: np.load(directory / f"{name}.csc.index.npy", mmap_mode="r").view(np.ndarray)
                       for name in ("data", "indices", "indptr")}
        self.scores["num_docs"] = params["num_docs"]

    def get_scores_from_ids(self, ids: list[int]) -> np.ndarray:
        ids = np.asarray(ids, dtype=self.int_dtype)
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        scores = np.zeros(self.scores["num_docs"], dtype=self.dtype)
        for start, end in zip(indptr[ids], indptr[ids + 1]):
            np.add.at(scores, indices[start:end], data[start:end])
        return scores


class Lexical:
    """The saved lexical index, memory-mapped (`Lexical(directory, segmenter)`)."""

    def __init__(self, directory: Path, segmenter: Segmenter):
        self.segmenter = segmenter
        self.bm25 = SavedBM25(directory / "bm25")
        self.vocab: dict[str, int] = self.bm25.vocab_dict
        self.n = int(self.bm25.scores["num_docs"])
        self.idf = mapped(directory / "idf.npy")
        self.rel_indptr = mapped(directory / "rel.indptr.npy")
        self.rel_indices = mapped(directory / "rel.indices.npy")
        self.rel_weights = mapped(directory / "rel.weights.npy")
        self.unknown_idf = json.loads((directory / "lexical.json").read_text())["unknown_idf"]
        self._last_query: tuple | None = None

    # ---- BM25 ------------------------------------------------------------------------------
    def _term_ids(self, query: str) -> list[int]:
        ids = sorted({self.vocab[t] for t in self.segmenter.cut(query) if t in self.vocab})
        if self.n > PRUNE_FROM and ids:
            # a large corpus: words in more than COMMON_SHARE of the projects (项目, 资金, 开展 …) weigh
            # little (idf < 2.3) yet hold most of the postings; scoring without them keeps the query time
            # flat as the corpus grows. The rarest word is always kept.
            df = self._df(ids)
            keep = df <= COMMON_SHARE * self.n
            keep[int(np.argmin(df))] = True
            ids = [i for i, k in zip(ids, keep) if k]
        return ids

    def _df(self, ids: list[int]) -> np.ndarray:
        indptr = self.bm25.scores["indptr"]
        return np.asarray(indptr[np.array(ids) + 1]) - np.asarray(indptr[ids])

    def scores(self, query: str) -> np.ndarray:
        ids = self._term_ids(query)
        if not ids:
            return np.zeros(self.n, dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """The `k` best (row, score) with a positive score, best first."""
        ids = self._term_ids(query)
        if not ids:
            return []
        scores = self.bm25.get_scores_from_ids(ids)
        if len(scores) <= EXACT_SORT_UP_TO:
            rows = np.argsort(-scores)[:k]
        else:
            rows = self._top_rows(scores, ids, k)
        return [(int(r), float(scores[r])) for r in rows if scores[r] > 0]

    def _top_rows(self, scores: np.ndarray, ids: list[int], k: int) -> np.ndarray:
        """The k best rows without partitioning a million scores: the k-th best score among the
        projects holding the rarest query word bounds the k-th best overall from below (any k
        projects do), so only the projects at or above it are ranked (exact, up to the order of ties)."""
        indptr = self.bm25.scores["indptr"]
        rarest = ids[int(np.argmin(self._df(ids)))]
        holders = self.bm25.scores["indices"][int(indptr[rarest]):int(indptr[rarest + 1])]
        bound = np.float32(0.0)
        if len(holders) >= k:
            held = scores[np.asarray(holders)]
            bound = np.partition(held, len(held) - k)[len(held) - k]
        rows = np.flatnonzero(scores >= bound) if bound > 0 else np.flatnonzero(scores > 0)
        if len(rows) > k:
            rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
        return rows[np.argsort(-scores[rows], kind="stable")]

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
