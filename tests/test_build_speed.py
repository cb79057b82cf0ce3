"""What makes an index build fast changes none of its bits: the forked cut-and-embed workers give the
serial term counts and vectors, jieba's clause memory gives the same cut, and a logistic fit on each
distinct row weighted by its count is the fit on every row, the saved dictionary is the sorted one,
and jieba's default tokenizer read from our copy of its dictionary is jieba's own."""

import functools

import jieba
import numpy as np
import pytest

import recommender.passage_pool as pool
from corpus.store import sample_declarations
from models.charlinear import CharLogistic
from models.encoders.static import StaticEncoder
from models.segment import Segmenter, _initialize_default, remember_blocks
from recommender.index import project_text
from recommender.lexical import TermCounts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Project texts of the seed declarations, each batch marked: 300 different texts."""
    base = [project_text(d) for d in sample_declarations()]
    return [f"（第{n}批）{text}" for n in range(14) for text in base][:300]


def test_forked_workers_give_the_serial_term_counts_and_vectors(texts):
    segmenter, encoder = Segmenter().fit(), StaticEncoder()
    assert len(texts) >= pool.MIN_TEXTS
    forked = list(pool.cut_and_encode(iter(texts), segmenter, encoder, expected=len(texts), jobs=2))
    serial = list(pool.cut_and_encode(iter(texts), segmenter, encoder, expected=len(texts), jobs=1))
    assert len(forked) == -(-len(texts) // pool.CHUNK) and len(serial) == 1
    merged = TermCounts()
    for counted, _ in forked:  # each chunk counted over a vocabulary of its own, merged in order
        merged.extend_counts(counted)
    one = serial[0][0]
    assert merged.vocab == one.vocab and len(one.vocab) > 300
    for column in ("indptr", "indices", "counts"):
        assert getattr(merged, column) == getattr(one, column)
    assert np.array_equal(np.vstack([v for _, v in forked]), serial[0][1])


def test_clause_memory_cuts_as_jieba_does(texts):
    plain, remembering = jieba.Tokenizer(), remember_blocks(jieba.Tokenizer())
    for text in texts[:40] + texts[:40]:  # the second round is read from the memory
        assert remembering.lcut(text) == plain.lcut(text)
        assert remembering.lcut(text, HMM=False) == plain.lcut(text, HMM=False)


def test_the_saved_dictionary_is_every_key_sorted():
    """`save` inserts the added entries into the sorted base lists: the lists sorting gives, with the
    frequencies our words set on known words (满意度, 道路) and on new ones."""
    segmenter = Segmenter(extra_words=["智慧微菜场建设", "城市道路养护", "满意度", "道路"]).fit()
    keys, freqs = segmenter._entries()
    freq = segmenter._tokenizer.FREQ
    assert keys == sorted(freq) and freqs == [freq[k] for k in sorted(freq)]
    assert freq["满意度"] == freq["智慧微菜场建设"] == 20000 and freq["智慧微菜场建"] == 0  # a prefix


def test_the_default_tokenizer_from_our_copy_is_jiebas_own(texts):
    own, ours = jieba.Tokenizer(), jieba.Tokenizer()
    own.initialize()
    ours.initialize = functools.partial(_initialize_default, ours, ours.initialize)
    ours.check_initialized()
    assert ours.total == own.total and ours.FREQ == own.FREQ
    assert [ours.lcut(t, HMM=False) for t in texts[:20]] == [own.lcut(t, HMM=False) for t in texts[:20]]


@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_a_fit_on_distinct_rows_with_counts_is_the_fit_on_every_row(class_weight):
    rows = [("服务对象满意度", "服务对象满意度"), ("道路完好率", "质量"), ("培训人次", "数量"),
            ("资金拨付及时率", "时效"), ("群众满意率", "服务对象满意度"), ("设备采购数量", "数量")]
    counts = [7, 3, 5, 1, 2, 4]
    texts = [t for (t, _), n in zip(rows, counts) for _ in range(n)]
    labels = [label for (_, label), n in zip(rows, counts) for _ in range(n)]
    grouped = CharLogistic(5.0, class_weight).fit(texts, labels)  # repeated rows: weighted path
    every = CharLogistic(5.0, class_weight)._fit_rows(texts, labels)  # one row each, as scikit-learn sees them
    assert grouped.classes == every.classes == ["数量", "时效", "服务对象满意度", "质量"]
    assert np.allclose(grouped.coef, every.coef, atol=1e-6)
    names = ["学员满意度", "道路养护里程", "项目完成及时率"]
    assert np.array_equal(grouped.predict_proba(names).argmax(axis=1), every.predict_proba(names).argmax(axis=1))


def test_the_ngram_weights_from_distinct_texts_are_the_fit_on_every_row(seed_decls):
    """The weighted path's vectorizer, fitted on each distinct text once with its count, has
    scikit-learn's vocabulary and idf over every row, bit for bit (the seeds' indicator names,
    repeated as a corpus repeats its templates)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from models.charlinear import NGRAMS, _fitted_on_every_row
    names = [i.name for d in seed_decls.values() for i in d.indicators]
    texts = [name for n, name in enumerate(names) for _ in range(1 + n % 4)]
    assert len(set(texts)) < len(texts)
    ours = _fitted_on_every_row(texts)
    theirs = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True).fit(texts)
    assert ours.vocabulary_ == theirs.vocabulary_ and ours.idf_.tobytes() == theirs.idf_.tobytes()
    assert (ours.transform(names[:50]) != theirs.transform(names[:50])).nnz == 0


def test_a_build_on_a_background_thread_stays_in_process():
    """A server builds on a thread beside the threads that serve: no fork there (a forked child
    inherits locks other threads hold); a one-thread CLI build forks."""
    import threading

    from recommender.passage_pool import forkable

    class Safe:
        fork_safe = True

    assert forkable(Safe()) is (threading.active_count() == 1)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(forkable(Safe())))
    worker.start()
    worker.join()
    assert seen == [False]
