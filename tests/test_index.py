"""The saved index: self-describing, round-trips, refuses a mismatched encoder, rebuilds on change."""

import json

import numpy as np
import pytest

from models.encoders.fake import FakeEncoder
from models.encoders.tfidf import TfidfEncoder
from recommender.errors import IndexMismatchError
from recommender.index import CorpusIndex, ensure_index, index_link
from recommender.vectors import FlatIndex, HNSWIndex, NumpyIndex


@pytest.fixture
def decls(seed_decls):
    return list(seed_decls.values())


def test_save_load_round_trip(decls, tmp_path):
    index = CorpusIndex.build(decls, FakeEncoder())
    link = tmp_path / "index" / "fake"
    index.save(link)
    manifest = json.loads((link / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == 5
    assert manifest["encoder"] == {"id": "fake", "dim": 64}
    assert manifest["corpus_hash"] == index.corpus_hash
    assert manifest["counts"]["projects"] == 22 and manifest["index_kind"] == "flat"
    assert {"faiss-cpu", "numpy", "zhibiao"} <= set(manifest["libraries"])
    loaded = CorpusIndex.load(link, FakeEncoder())
    assert loaded.project_ids == index.project_ids and loaded.names == index.names
    query = FakeEncoder().encode_queries(["社区智慧微菜场建设"])
    assert np.array_equal(loaded.projects.search(query, 5)[1], index.projects.search(query, 5)[1])
    assert np.allclose(loaded.name_vectors, index.name_vectors)


def test_tfidf_state_travels_with_the_index(decls, tmp_path):
    index = CorpusIndex.build(decls, TfidfEncoder())
    link = tmp_path / "tfidf"
    index.save(link)
    loaded = CorpusIndex.load(link, TfidfEncoder())
    text = ["上海智慧微菜场建设"]
    assert np.allclose(loaded.encoder.encode_queries(text), index.encoder.encode_queries(text), atol=1e-5)


def test_mismatched_manifest_is_refused(decls, tmp_path):
    link = tmp_path / "fake"
    CorpusIndex.build(decls, FakeEncoder()).save(link)
    with pytest.raises(IndexMismatchError, match="索引由编码器 fake 建成，当前编码器为 tfidf"):
        CorpusIndex.load(link, TfidfEncoder())
    with pytest.raises(IndexMismatchError, match="索引向量为 64 维，编码器 fake 输出 32 维"):
        CorpusIndex.load(link, FakeEncoder(dim=32))
    manifest = json.loads((link / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 99
    (link.resolve() / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="索引格式版本为 99"):
        CorpusIndex.load(link, FakeEncoder())


def test_rebuilt_when_the_corpus_changes_and_swapped_atomically(decls, tmp_path):
    messages = []
    first = ensure_index(decls[:10], FakeEncoder(), tmp_path, say=messages.append)
    link = index_link(tmp_path, FakeEncoder())
    target_before = link.resolve()
    again = ensure_index(decls[:10], FakeEncoder(), tmp_path, say=messages.append)
    assert again.corpus_hash == first.corpus_hash and link.resolve() == target_before
    changed = ensure_index(decls, FakeEncoder(), tmp_path, say=messages.append)
    assert changed.corpus_hash != first.corpus_hash
    # the version just replaced stays until the next swap (a replica may still be loading it)
    assert link.is_symlink() and link.resolve() != target_before and target_before.exists()
    assert any("正在重建索引" in m for m in messages)
    second = link.resolve()
    ensure_index(decls[:5], FakeEncoder(), tmp_path, say=messages.append)
    assert not target_before.exists() and second.exists() and link.resolve() not in (second, target_before)


@pytest.mark.parametrize("cls", [FlatIndex, HNSWIndex, NumpyIndex])
def test_vector_indexes_agree_on_the_nearest(cls, tmp_path):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(500, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = cls().build(vectors)
    scores, ids = index.search(vectors[:5], 3)
    assert list(ids[:, 0]) == [0, 1, 2, 3, 4]
    path = tmp_path / f"v.{index.kind}"
    index.save(path)
    assert list(cls().load(path).search(vectors[:5], 1)[1][:, 0]) == [0, 1, 2, 3, 4]


def test_loading_warms_the_files_queries_read(decls, tmp_path):
    """CorpusIndex.load asks the kernel to read the served files ahead (recommender.prefetch): the
    BM25 matrix, word vectors, vector index, names and tables, not the build-only term counts and
    float vectors."""
    from recommender.prefetch import files_served, prefetch
    index = CorpusIndex.build(decls, FakeEncoder())
    link = tmp_path / "index" / "fake"
    index.save(link)
    served = {str(p.relative_to(link.resolve())) for p in files_served(link.resolve())}
    assert {"projects.flat", "names.npy", "lexical/bm25/data.csc.index.npy", "lexical/bm25/indices.csc.index.npy",
            "lexical/rel.weights.npy", "lexical/idf.npy"} <= served
    assert not any(p.startswith(("lexical/terms.", "vectors")) for p in served)
    assert any(p.startswith("tables/") for p in served)
    thread = prefetch(link.resolve())
    thread.join(timeout=10)
    assert not thread.is_alive()
    from recommender.prefetch import warm
    assert warm(link.resolve()) == sum(p.stat().st_size for p in files_served(link.resolve()))
    assert CorpusIndex.load(link, FakeEncoder()).warm() >= 0.0


def test_an_index_of_an_older_static_table_is_rebuilt_not_refused(decls, tmp_path):
    """An upgrade that ships a new static-e5 table: the next start rebuilds the index (its vectors
    came from the old table) instead of stopping with an error."""
    from models.encoders import make_encoder
    encoder = make_encoder("static-e5")
    root = tmp_path / "index"
    first = ensure_index(decls, encoder, root)
    state = first.path / "static_encoder.json"
    saved = json.loads(state.read_text(encoding="utf-8"))
    state.write_text(json.dumps({**saved, "fingerprint": "0000000000000000"}), encoding="utf-8")
    said = []
    again = ensure_index(decls, make_encoder("static-e5"), root, say=said.append)
    assert again.path != first.path
    assert any("索引已过时" in m for m in said)
    assert json.loads((again.path / "static_encoder.json").read_text(encoding="utf-8"))["fingerprint"] == saved["fingerprint"]
