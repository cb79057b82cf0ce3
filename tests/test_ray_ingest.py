"""`zhibiao ingest --engine ray` on a local Ray (num_cpus=2, started once for the module) gives the
same store and the same index as the plain ingest followed by an index build: same declarations,
every index file the same, same recommendations (issue 25, item 2); and `zhibiao corpus index
--engine ray` (Ray actors read the pages, cut and embed; the driver merges) writes every file of
the plain build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.store import CorpusStore
from tests.conftest import ROOT, SEEDS
from tests.test_build_pages import index_files, mixed_store  # noqa: F401  (a fixture)
from tests.test_store_suite import _tiny_forms

ray = pytest.importorskip("ray", reason="Ray 未安装（pip install -e '.[test]' 会装上 ray[data]）")

QUERY = ("recommend", "--name", "农村公路养护", "--description", "养护农村公路，提高路况优良率，群众满意", "--json")


@pytest.fixture(scope="module")
def local_ray():
    from recommender.ray_build import start_ray
    start_ray(None, 2)
    yield
    ray.shutdown()


def _cli(home, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ZHIBIAO_HOME=str(home), ZHIBIAO_ENCODER="static-e5", PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def _recommend(home) -> dict:
    done = _cli(home, *QUERY)
    assert "正在" not in done.stderr  # loaded as built: no build or update here
    answer = json.loads(done.stdout)
    return {k: v for k, v in answer.items() if k not in ("origin", "timing", "seconds", "elapsed_ms")}


@pytest.mark.slow
def test_ray_ingest_gives_the_same_store_index_and_recommendations(local_ray, tmp_path):
    from recommender.ray_build import ray_ingest
    forms = tmp_path / "forms"
    forms.mkdir()
    for path in SEEDS:
        shutil.copy(path, forms / path.name)
    _tiny_forms(forms / "tiny", 40, 0)
    plain_home, ray_home = tmp_path / "plain", tmp_path / "ray"
    # the plain way in its own processes (its parse pool forks: not from a process running Ray)
    assert "新增 45，替换 0，未变化 0，失败 0；语料库现有 62 份申报表" in _cli(plain_home, "ingest", "--jobs", "1", str(forms)).stdout
    _cli(plain_home, "corpus", "index")
    with CorpusStore(ray_home / "corpus.sqlite3") as store:
        done = ray_ingest(store, [forms], encoder_spec="static-e5", index_root=ray_home / "index", workers=2)
    assert [r.status for r in done.results] == ["new"] * 45
    # a first index: the build's page workers embed every text, the parse workers none (not twice)
    assert done.shards == 0 and done.index_path is not None
    with CorpusStore(plain_home / "corpus.sqlite3") as a, CorpusStore(ray_home / "corpus.sqlite3") as b:
        assert a.count() == b.count() == 62
        assert list(a.iter_id_data()) == list(b.iter_id_data())
    built = [next((home / "index").glob("static-e5.builds/*")) for home in (plain_home, ray_home)]
    plain, by_ray = (index_files(b, same_store=False) for b in built)
    assert len(plain) > 80 and plain.keys() == by_ray.keys()
    assert [name for name in plain if plain[name] != by_ray[name]] == []
    assert _recommend(ray_home) == _recommend(plain_home)
    assert not list((ray_home / "index").glob(".shards-*"))  # the shards go after the merge


@pytest.mark.slow
def test_ray_workers_bound_each_file_as_the_plain_ingest_does(local_ray, tmp_path):
    """A reference-cycle PDF never finishes parsing: in a Ray worker, as in the plain pool, the file's
    deadline stops it and it alone fails; the form beside it is stored."""
    from corpus.ingest_pool import Bounds
    from recommender.ray_build import ray_ingest
    from evaluation.hostile import cycle_pdf
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "cycle.pdf").write_bytes(cycle_pdf())
    shutil.copy(SEEDS[1], forms / SEEDS[1].name)
    with CorpusStore(tmp_path / "corpus.sqlite3") as store:
        done = ray_ingest(store, [forms], encoder_spec="static-e5", index_root=tmp_path / "index", workers=2,
                          bounds=Bounds(memory_mb=768, timeout_s=2), build_index=False)
        assert [(Path(r.path).name, r.status, r.reason) for r in done.results] == [
            (SEEDS[1].name, "new", None), ("cycle.pdf", "failed", "处理超过 2 秒的时限，已中止（文件过大或结构异常）")]
        assert store.count() == 1


@pytest.mark.slow
def test_ray_build_writes_every_file_of_the_plain_build(local_ray, mixed_store, tmp_path, monkeypatch):
    """Pages of 64 declarations over 2 actors (322 declarations, store order not id order): the
    driver merges them in store order into the plain build's files, byte for byte."""
    from models.encoders import make_encoder
    from recommender import build_pages
    from recommender.index import ensure_index
    from recommender.ray_build import ray_build_index
    monkeypatch.setattr(build_pages, "PAGE", 64)  # the driver pages the store and the texts
    with CorpusStore(mixed_store) as store:
        plain = ensure_index(store, make_encoder("static-e5"), tmp_path / "plain")
        built = ray_build_index(store, encoder_spec="static-e5", index_root=tmp_path / "ray", workers=2)
    assert built.read_s > 0 and built.cut_s > 0 and built.actors_s > 0 and built.worker_rss_mb > 0
    assert built.workers == 2
    # every worker's CPU apart (they sum to the workers' column), and the driver's fitting thread's
    assert len(built.worker_cpu_each) == 2 and min(built.worker_cpu_each) > 0 and built.fitter_cpu_s > 0
    assert abs(sum(built.worker_cpu_each) - built.worker_cpu_s) <= 0.11
    a, b = index_files(plain.path), index_files(Path(built.index_path))
    assert len(a) > 80 and a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
    assert not list((tmp_path / "ray").glob(".shards-*"))


@pytest.mark.slow
def test_a_ray_build_worker_runs_its_numeric_libraries_on_one_thread(local_ray):
    """A worker is a core: it sets one thread in its environment (for what loads later) and limits
    the pools loaded already (numpy's BLAS, loaded with Ray), so 1 vs 2 workers compares one core
    with two (`recommender.threads`)."""
    from recommender.ray_build import PageWorker, worker_options
    from recommender.threads import THREAD_VARIABLES
    actor = ray.remote(**worker_options(1))(PageWorker).remote("", "static-e5")
    try:
        counts = ray.get(actor.threads.remote())
    finally:
        ray.kill(actor)
    assert counts["env"] == {name: "1" for name in THREAD_VARIABLES}
    assert counts["faiss"] == 1 and {n for _, n in counts["pools"]} == {1}


@pytest.mark.slow
def test_a_ray_page_worker_cuts_the_texts_of_the_pages_it_read(local_ray, mixed_store):
    """The texts stay with the worker that read their page (they never travel to the driver): cut
    later, in any order, a page gives the counts and vectors of its texts read apart; a page another
    worker read is refused in one Chinese line."""
    from models.encoders import make_encoder
    from models.segment import Segmenter
    from recommender.build_pages import read_store_page
    from recommender.passage_pool import cut_and_encode_page
    from recommender.ray_build import PageWorker, worker_options
    with CorpusStore(mixed_store) as store:
        starts = store.page_starts(64)
    actor = ray.remote(**worker_options(1))(PageWorker).remote(str(mixed_store), "static-e5")
    try:
        pages = {n: ray.get(actor.read.remote(n, starts[n], 64)) for n in (0, 2)}
        words = ["农村公路养护", "路况优良率"]
        ray.get(actor.use_words.remote(words))
        cut = {n: ray.get(actor.cut_page.remote(n)) for n in (2, 0)}
        with pytest.raises(ray.exceptions.RayTaskError, match="没有第 1 页的项目文本"):
            ray.get(actor.cut_page.remote(1))
    finally:
        ray.kill(actor)
    segmenter, encoder = Segmenter(extra_words=words).fit(), make_encoder("static-e5")
    for n in (0, 2):
        page = read_store_page(str(mixed_store), starts[n], 64)
        assert len(page.texts) == 64 and json.loads(bytes(pages[n]["texts"])) == []  # no text travelled
        terms, vectors = cut_and_encode_page(page.texts, segmenter, encoder)
        assert cut[n]["vectors"].tobytes() == vectors.astype("float32").tobytes()
        for name, array in terms.arrays().items():
            assert cut[n][name].tobytes() == array.tobytes(), name


@pytest.mark.slow
def test_page_calls_start_when_made_and_come_back_in_page_order(local_ray):
    """A build's calls are made before anyone waits on them (the reads with the workers, the cuts
    with the words: a worker never waits on the driver's own preparations), at most two per worker
    in flight, and the results come back in page order."""
    from recommender.ray_build import _InOrder
    made = []

    def call(number, item):
        made.append(number)
        return ray.put(item * 10)
    calls = _InOrder(call, range(7), 2)
    assert made == [0, 1, 2, 3]  # made already: 2 workers, 2 calls each
    results = iter(calls)
    assert next(results) == 0 and made == [0, 1, 2, 3, 4]  # one taken, one more made
    assert list(results) == [10, 20, 30, 40, 50, 60] and made == list(range(7))
