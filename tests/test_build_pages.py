"""An index build's per-declaration work done page by page and merged in order is the one-pass
build, bit for bit: the row columns, words and rewrite tallies of pages merged are those of one
pass, and a build whose pages forked workers read writes every index file of the serial build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpus.store import CorpusStore, ingest, sample_declarations
from evaluation.bench import make_store, source_declarations
from models.encoders import make_encoder
from recommender import build_pages
from recommender.build_pages import DeclarationPage, ForkedPages, MergedPages, SerialPages, read_page
from recommender.index import CorpusIndex, StoreSource
from recommender.rewrite import RewriteAdvisor
from recommender.tables import Rows, h64
from tests.conftest import SEEDS


def index_files(directory: Path, *, same_store: bool = True) -> dict[str, bytes]:
    """Every file of an index directory; the manifest without its build time (and without the
    store's fingerprint when two stores are compared: it holds their ingest times)."""
    out = {}
    for path in sorted(p for p in Path(directory).rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "manifest.json" and path.parent == Path(directory):
            manifest = json.loads(data)
            manifest.pop("created_at")
            if not same_store:
                manifest.pop("corpus_hash")
            data = json.dumps(manifest, sort_keys=True).encode()
        out[str(path.relative_to(directory))] = data
    return out


def _hashed(decls):
    return [(d, h64(json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True))) for d in decls]


def test_pages_merged_in_order_are_one_pass():
    decls = sample_declarations()
    assert len(decls) >= 12
    whole = read_page(_hashed(decls))
    merged = MergedPages(Rows(), set())
    texts = []
    for start in range(0, len(decls), 5):  # pages of 5, each through its arrays (as workers send them)
        page = DeclarationPage.from_arrays(read_page(_hashed(decls[start:start + 5])).arrays())
        texts += merged.add(page)
    assert texts == whole.texts
    assert sorted(merged.words) == whole.words and len(whole.words) > 50
    got, want = merged.rows.arrays(), whole.rows.arrays()
    assert got.keys() == want.keys()
    for name in want:
        assert got[name].tobytes() == want[name].tobytes(), name
    assert merged.tallies.state() == whole.tallies.state() == RewriteAdvisor.corpus_state(decls)
    assert merged.tallies.to_json() == whole.tallies.to_json()
    assert any(found for _, found in whole.tallies.state())  # the seeds give rewrites: the test can fail


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory) -> Path:
    """300 synthetic declarations in one file and the seed forms in files of their own (store order,
    by file and position, is not id order)."""
    home = tmp_path_factory.mktemp("store")
    make_store(home, source_declarations(), 300)
    forms = home / "forms"
    forms.mkdir()
    for path in SEEDS:
        shutil.copy(path, forms / path.name)
    with CorpusStore(home / "corpus.sqlite3") as store:
        ingest(store, [forms], jobs=1)
    return home / "corpus.sqlite3"


@pytest.mark.slow
def test_forked_page_readers_write_the_serial_index(mixed_store, tmp_path, monkeypatch):
    monkeypatch.setattr(build_pages, "PAGE", 64)
    encoder = make_encoder("static-e5")
    with CorpusStore(mixed_store) as store:
        source = StoreSource(store)
        assert store.count() == 322
        ids = [i for i, _ in store.iter_id_data()]
        assert ids != sorted(ids)
        serial = CorpusIndex.build(source, encoder, directory=tmp_path / "serial",
                                   work=SerialPages(source.hashed_declarations()))
        forked = CorpusIndex.build(source, make_encoder("static-e5"), directory=tmp_path / "forked",
                                   work=ForkedPages(store, 2))
    assert len(serial.tables) == len(forked.tables) == 322
    a, b = index_files(serial.path), index_files(forked.path)
    assert len(a) > 80 and a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


@pytest.mark.slow
def test_the_level_classifier_is_started_once_its_forms_are_merged(mixed_store, tmp_path, monkeypatch):
    """The classifier learns from the first TRAIN_DECLARATIONS forms: its rows go to the fitting
    process as soon as those pages are merged (here 100 forms: after the second page of 64), not
    after the last page (and it learns from those forms only)."""
    from recommender import tables
    from recommender.fitted import FittedParts
    monkeypatch.setattr(build_pages, "PAGE", 64)
    monkeypatch.setattr(tables, "TRAIN_DECLARATIONS", 100)
    pages_read: list[int] = []
    started_after: list[int] = []
    real_pages, real_start = SerialPages.pages, FittedParts.start_levels

    def counted_pages(self):
        for page in real_pages(self):
            pages_read.append(len(page.rows))
            yield page

    def noted_start(self, names, labels):
        started_after.append(len(pages_read))
        return real_start(self, names, labels)
    monkeypatch.setattr(SerialPages, "pages", counted_pages)
    monkeypatch.setattr(FittedParts, "start_levels", noted_start)
    with CorpusStore(mixed_store) as store:
        source = StoreSource(store)
        early = CorpusIndex.build(source, make_encoder("static-e5"), directory=tmp_path / "early",
                                  work=SerialPages(source.hashed_declarations()))
        assert started_after == [2] and len(pages_read) == 6
        monkeypatch.setattr(tables, "TRAIN_DECLARATIONS", 322)  # every form: started after the last page
        late = CorpusIndex.build(source, make_encoder("static-e5"), directory=tmp_path / "late",
                                 work=SerialPages(source.hashed_declarations()))
        assert started_after == [2, 12]
    assert (early.path / "fitted" / "levels" / "coef.npy").read_bytes() != \
        (late.path / "fitted" / "levels" / "coef.npy").read_bytes()  # 100 forms' rows, not 322's
