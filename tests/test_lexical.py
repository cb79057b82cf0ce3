"""The lexical index's BM25 matrix is computed from term counts in chunks (bm25s.index would hold
every token as Python lists); it must equal what bm25s itself builds."""

from __future__ import annotations

import numpy as np

from corpus.store import sample_declarations
from models.segment import Segmenter
from recommender import lexical
from recommender.index import project_text
from recommender.lexical import TermCounts, save_lexical


def test_bm25_matrix_equals_bm25s_own(tmp_path, monkeypatch):
    import bm25s
    import tqdm
    # bm25s's progress bars start tqdm's monitor thread, which would outlive the test and (rightly) keep a
    # later build in this process from forking its workers (passage_pool forks only when single-threaded)
    monkeypatch.setattr(tqdm.std.tqdm, "monitor_interval", 0)
    monkeypatch.setattr(lexical, "CHUNK_ENTRIES", 300)  # several chunks even on the 22 seeds
    segmenter = Segmenter().fit()
    tokens = [segmenter.cut(project_text(d)) for d in sample_declarations()]
    terms = TermCounts()
    for doc in tokens:
        terms.add_tokens(doc)
    save_lexical(terms, tmp_path)
    ours = bm25s.BM25.load(str(tmp_path / "bm25"))
    vocab = {t: i for i, t in enumerate(terms.vocab)}
    reference = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    reference.index(([[vocab[t] for t in doc] for doc in tokens], vocab), show_progress=False)
    assert len(ours.scores["data"]) == 1465
    assert np.array_equal(ours.scores["indptr"], reference.scores["indptr"])
    assert np.array_equal(ours.scores["indices"], reference.scores["indices"])
    assert np.allclose(ours.scores["data"], reference.scores["data"], rtol=1e-6)
    assert ours.vocab_dict == {t: i for t, i in reference.vocab_dict.items() if t}  # bm25s adds ""
    # the files are the ones bm25s's own save writes, byte for byte (we write them without importing it)
    theirs = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    theirs.scores, theirs.vocab_dict, theirs.nonoccurrence_array = ours.scores, ours.vocab_dict, None
    theirs.save(str(tmp_path / "theirs"), show_progress=False)
    assert sorted(p.name for p in (tmp_path / "bm25").iterdir()) == sorted(p.name for p in (tmp_path / "theirs").iterdir())
    for path in (tmp_path / "theirs").iterdir():
        assert (tmp_path / "bm25" / path.name).read_bytes() == path.read_bytes(), path.name


def test_top_without_full_partition_finds_the_exact_top(tmp_path, monkeypatch):
    """Above EXACT_SORT_UP_TO projects `top` ranks only the projects at or above a bound taken from
    the rarest query word's holders; its scores must be exactly the k best (forced here on the seeds)."""
    segmenter = Segmenter().fit()
    decls = sample_declarations()
    terms = TermCounts()
    for d in decls:
        terms.add_tokens(segmenter.cut(project_text(d)))
    save_lexical(terms, tmp_path)
    index = lexical.Lexical(tmp_path, segmenter)
    checked = 0
    for d in decls:
        query = f"{d.project_name}。{(d.texts.get('overview') or '')[:200]}"
        scores = index.scores(query)
        for k in (1, 3, 10):  # the rarest word is often in 1–2 seeds: k=1 takes the bound
            exact = sorted((float(s) for s in scores if s > 0), reverse=True)[:k]
            monkeypatch.setattr(lexical, "EXACT_SORT_UP_TO", 0)
            fast = [s for _, s in index.top(query, k)]
            monkeypatch.setattr(lexical, "EXACT_SORT_UP_TO", 50_000)
            assert fast == exact
            checked += 1
    assert checked == 66


def test_written_side_by_side_the_lexical_files_are_the_same(tmp_path, monkeypatch):
    """On a build of two threads the IDF term matrix (in smaller chunks) and BM25 are written at once:
    every file is the one-thread build's, byte for byte (several chunks each, even on the seeds)."""
    monkeypatch.setattr(lexical, "CHUNK_ENTRIES", 1200)  # the matrix takes 300 a chunk on two threads
    segmenter = Segmenter().fit()
    texts = [project_text(d) for d in sample_declarations()]
    files = {}
    for threads in (1, 2):
        terms = TermCounts()
        for text in texts:
            terms.add_tokens(segmenter.cut(text))
        (tmp_path / str(threads)).mkdir()
        save_lexical(terms, tmp_path / str(threads), threads=threads)
        files[threads] = {str(p.relative_to(tmp_path / str(threads))): p.read_bytes()
                          for p in sorted((tmp_path / str(threads)).rglob("*")) if p.is_file()}
    assert len(files[1]) == 14 and files[1].keys() == files[2].keys()
    assert [name for name in files[1] if files[1][name] != files[2][name]] == []
    assert len(np.load(tmp_path / "2" / "rel.indices.npy")) > 1200  # more than one chunk of the matrix
