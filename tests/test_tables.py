"""Corpus tables and the store-backed engine: the same answers as the declarations themselves,
incremental index updates that embed only what changed, and a build killed half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from corpus import framework
from corpus.store import CorpusStore
from models.encoders.fake import FakeEncoder
from models.levels import LevelClassifier
from recommender.engine import Engine
from recommender.index import CorpusIndex, ensure_index, index_link
from recommender.naming import merge_key
from recommender.recommend import recommend

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CountingEncoder(FakeEncoder):
    """The fake encoder, counting the passages it embeds."""

    def __init__(self):
        super().__init__()
        self.passages = 0

    def encode_passages(self, texts):
        self.passages += len(texts)
        return self._encode(texts)


@pytest.fixture(scope="module")
def decls(seed_decls):
    return list(seed_decls.values())


@pytest.fixture(scope="module")
def engine(decls, tmp_path_factory):
    return Engine.build(decls, FakeEncoder(), tmp_path_factory.mktemp("index"))


def _store(path, groups: dict[str, list]) -> CorpusStore:
    store = CorpusStore(path).open()
    for source, items in groups.items():
        store.add_declarations(items, source=source)
    return store


def test_tables_hold_what_the_declarations_say(engine, decls):
    assert len(engine.decls) == 22 and len(engine.tables) == 22
    values = Counter()
    for decl in decls:
        row = engine.row_of[decl.id]
        assert engine.tables.ids[row] == decl.id
        assert engine.tables.keyed_values(row) == [(merge_key(i.name), i.target.raw) for i in decl.indicators]
        for ind in decl.indicators:
            values[(merge_key(ind.name), ind.target.raw)] += 1
    for (key, raw), count in values.items():
        assert engine.tables.value_counts(key)[raw] == count
    assert engine.tables.value_counts("没有这个指标") is None
    assert engine.row_of.get("no-such-id") is None


def test_levels_are_the_classifiers_computed_at_index_time(engine, decls):
    classifier = LevelClassifier().fit(decls)
    unlabelled = [i for d in decls for i in d.indicators if not i.level2]
    assert len(unlabelled) == 16
    for ind, (level2, confidence) in zip(unlabelled, classifier.predict([i.name for i in unlabelled])):
        fits = ind.level1 in (None, framework.LEVEL2[level2])
        expected = (framework.LEVEL2[level2], level2) if confidence >= 0.4 and fits else (ind.level1, None)
        assert engine.level_of(ind) == expected


def test_agency_statistics_come_from_the_tables(engine, decls):
    for agency in sorted({d.agency for d in decls if d.agency}):
        forms = [d for d in decls if d.agency == agency]
        using = sum(any(i.level1 == "投入和管理" for i in d.indicators) for d in forms)
        assert engine.agency_uses_input_management(agency) == (using * 2 >= len(forms))
    assert engine.agency_uses_input_management("没有这个单位") is None
    using = sum(any(i.level1 == "投入和管理" for i in d.indicators) for d in decls)
    assert engine.corpus_uses_input_management() == (using * 2 > 22)


def test_store_engine_recommends_exactly_as_the_list_engine(engine, decls, tmp_path):
    store = _store(tmp_path / "corpus.sqlite3", {"seeds": decls})
    from_store = Engine.build(store, FakeEncoder(), tmp_path / "index")
    assert list(from_store.index.project_ids) == list(engine.index.project_ids)
    for decl in [d for d in decls if d.project_name][:6]:
        kwargs = dict(project_name=decl.project_name or "", description=decl.texts.get("overview") or "",
                      agency=decl.agency, exclude_ids=frozenset({decl.id}))
        assert recommend(from_store, **kwargs).to_dict() == recommend(engine, **kwargs).to_dict()
    store.close()


def test_incremental_update_embeds_only_new_declarations(decls, tmp_path):
    store = _store(tmp_path / "corpus.sqlite3", {"first": decls[:10]})
    encoder = CountingEncoder()
    first = ensure_index(store, encoder, tmp_path / "index")
    assert len(first.tables) == 10
    names_before = len(first.names)
    store.add_declarations(decls[10:], source="second")
    encoder.passages = 0
    messages = []
    second = ensure_index(store, encoder, tmp_path / "index", say=messages.append)
    assert len(second.tables) == 22
    new_names = len(set(second.names) - set(first.names))
    assert encoder.passages == 12 + new_names and new_names == len(second.names) - names_before
    assert any("只向量化新增或修改的申报表" in m for m in messages)
    # the updated index holds what a full build holds
    full = ensure_index(decls, FakeEncoder(), tmp_path / "full")
    assert sorted(second.project_ids) == sorted(full.project_ids) and sorted(second.names) == sorted(full.names)
    for decl in decls:
        a, b = second.tables.row_of(decl.id), full.tables.row_of(decl.id)
        assert second.tables.keyed_values(a) == full.tables.keyed_values(b)
    # a source replaced by fewer declarations: the removed ones leave the index
    store.add_declarations(decls[10:12], source="second")
    encoder.passages = 0
    third = ensure_index(store, encoder, tmp_path / "index")
    assert len(third.tables) == 12 and encoder.passages == 0
    assert third.tables.row_of(decls[15].id) is None
    store.close()


_CHILD = """
import sys, time
from corpus.store import CorpusStore
from models.encoders.fake import FakeEncoder
from recommender.index import ensure_index

class Stalling(FakeEncoder):
    def encode_passages(self, texts):
        open(sys.argv[3], "w").close()  # tell the parent we are inside the build
        time.sleep(120)
        return self._encode(texts)

store = CorpusStore(sys.argv[1]).open()
ensure_index(store, Stalling(), sys.argv[2])
"""


@pytest.mark.slow
def test_a_build_killed_half_way_leaves_the_old_index_and_is_redone(decls, tmp_path):
    store = _store(tmp_path / "corpus.sqlite3", {"first": decls[:10]})
    index_root = tmp_path / "index"
    old = ensure_index(store, FakeEncoder(), index_root)
    link = index_link(index_root, FakeEncoder())
    live = link.resolve()
    store.add_declarations(decls[10:], source="second")
    marker = tmp_path / "inside"
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(store.path), str(index_root), str(marker)],
                             cwd=ROOT)
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline and child.poll() is None:
        time.sleep(0.1)
    assert marker.exists()
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    builds = link.parent / f"{link.name}.builds"
    half_written = {b.resolve() for b in builds.iterdir()} - {live}
    assert len(half_written) == 1 and link.resolve() == live  # a half-written build beside the live one
    assert len(CorpusIndex.load(link, FakeEncoder()).tables) == len(old.tables) == 10
    messages = []
    redone = ensure_index(store, FakeEncoder(), index_root, say=messages.append)
    assert len(redone.tables) == 22
    assert any("未完成的索引构建" in m for m in messages)
    # the half-written build is gone; the replaced one stays until the next swap (a replica may be loading it)
    assert {b.resolve() for b in builds.iterdir()} == {live, link.resolve()} and link.resolve() != live
    store.close()
