"""One store suite, run against every implementation: SQLite (a file) and PostgreSQL (a real
server started once per session, `postgres_server` in conftest; skipped with the reason where
none can run). Expected values come from the reader's own output on the bundled seed forms."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.read import parse_file
from corpus.store import ingest
from corpus.store_protocol import Store
from corpus.stores import make_store
from tests.conftest import ROOT, SEEDS


@pytest.fixture(params=["sqlite", "postgres"])
def location(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "corpus.sqlite3")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def seeds(tmp_path) -> list[Path]:
    folder = tmp_path / "seeds"
    folder.mkdir()
    return [Path(shutil.copy(path, folder / path.name)) for path in SEEDS]


def _expected(paths: list[Path]):
    return [d for path in paths for d in parse_file(path)]


def test_both_stores_offer_the_interface(location):
    assert isinstance(make_store(location), Store)


def test_ingest_stores_every_declaration_whole_and_in_order(location, seeds):
    expected = _expected(seeds)
    with make_store(location) as store:
        results = ingest(store, seeds, jobs=1)
        assert [r.status for r in results] == ["new"] * len(seeds)
        assert [r.declarations for r in results] == [len(parse_file(p)) for p in seeds]
        assert store.count() == len(expected) == 22
        stored = list(store.iter_declarations(batch=3))
        assert [d.to_dict() for d in stored] == [d.to_dict() for d in expected]
        assert [i for i, _ in store.iter_id_data(batch=4)] == [d.id for d in expected]
        assert [row[0] for row in store.file_stamps()] == sorted(str(p.resolve()) for p in seeds)
        counts = store.aggregates("（未知）")
        assert counts["declarations"] == 22
        assert counts["indicators"] == sum(len(d.indicators) for d in expected)
        assert sum(counts["by_agency"].values()) == sum(counts["by_year"].values()) == 22
        assert list(counts["by_layout"]) == list(dict.fromkeys(d.source.layout for d in expected))
        fingerprint = store.fingerprint()
        again = ingest(store, seeds, jobs=1)
        assert [r.status for r in again] == ["unchanged"] * len(seeds)
        assert store.fingerprint() == fingerprint and store.count() == 22


def test_the_same_bytes_under_another_path_are_an_alias(location, seeds, tmp_path):
    copy = tmp_path / "elsewhere" / "copy.txt"
    copy.parent.mkdir()
    shutil.copy(seeds[1], copy)
    with make_store(location) as store:
        ingest(store, seeds, jobs=1)
        [result] = ingest(store, [copy], jobs=1)
        assert result.status == "unchanged" and result.declarations == 1
        assert result.note == f"内容与已入库的 {seeds[1].name} 相同，未重复存储，记为其别名"
        assert store.aliases() == [(str(copy.resolve()), str(seeds[1].resolve()), None)]
        assert store.count() == 22


def test_fetch_list_remove_and_add(location, seeds):
    expected = _expected(seeds)
    with make_store(location) as store:
        ingest(store, seeds, jobs=1)
        first, last = expected[0], expected[-1]
        assert store.get(first.id).to_dict() == first.to_dict()
        assert store.get("nothing-here") is None
        assert set(store.get_many([first.id, last.id, "nothing"])) == {first.id, last.id}
        assert store.layouts([first.id]) == {first.id: first.source.layout}
        word = next(d.texts["overview"][:6] for d in expected if d.texts.get("overview"))
        assert set(store.ids_with_overview(word, None, None)) == {
            d.id for d in expected if word in (d.texts.get("overview") or "")}
        total, page = store.files_page(limit=2)
        assert total == 5 and len(page) == 2
        removed = store.remove_files([seeds[0], "/no/such/file.txt"])
        assert removed == [(str(seeds[0].resolve()), 5), ("/no/such/file.txt", -1)]
        assert store.count() == 17
        assert store.add_declarations(expected[:5], source="generated:five") == 5
        assert store.count() == 22
        assert store.get(first.id).to_dict() == first.to_dict()


def test_a_failed_file_leaves_nothing(location, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with make_store(location) as store:
        [result] = ingest(store, [bad], jobs=1)
        assert result.status == "failed" and store.count() == 0 and store.file_stamps() == []


def _tiny_forms(folder: Path, distinct: int, copies: int) -> list[Path]:
    """`distinct` one-declaration forms, then `copies` files repeating the first forms' bytes."""
    folder.mkdir()
    paths = []
    for n in range(distinct + copies):
        k = n if n < distinct else n - distinct
        text = (f"项目名称\t农村公路养护项目{k}\n一级指标\t二级指标\t三级指标\t指标值\n"
                f"产出指标\t数量指标\t养护里程\t≥{k + 1}公里\n满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\n")
        path = folder / f"f{n:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


_INGESTER = """
import json, random, sys
from corpus.store import ingest
from corpus.stores import make_store
location, seed, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
random.Random(seed).shuffle(paths)
with make_store(location) as store:
    results = ingest(store, paths, jobs=1)
print(json.dumps([[r.path, r.status] for r in results]))
"""


def test_four_concurrent_ingesters_store_every_file_exactly_once(location, tmp_path):
    """4 processes ingest the same 500 files in different orders; 20 of the files repeat another's
    bytes under their own name. Each content is stored once, each copy is an alias, none is lost."""
    paths = _tiny_forms(tmp_path / "forms", 480, 20)
    procs = [subprocess.Popen([sys.executable, "-c", _INGESTER, location, str(seed), *map(str, paths)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for seed in range(4)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err[-2000:] for _, err in outputs]
    statuses = [status for out, _ in outputs for _, status in json.loads(out)]
    assert len(statuses) == 2000 and "failed" not in statuses and "replaced" not in statuses
    assert statuses.count("new") == 480  # every content written by exactly one ingester
    with make_store(location) as store:
        stored = {row[0] for row in store.file_stamps()}
        aliased = {row[0]: row[1] for row in store.aliases()}
        assert store.count() == 480 and len(stored) == 480 and len(aliased) == 20
        assert stored | set(aliased) == {str(p.resolve()) for p in paths} and not stored & set(aliased)
        for n in range(20):  # of a file and its copy, one is stored and the other points at it
            pair = {str(paths[n].resolve()), str(paths[480 + n].resolve())}
            [kept] = pair & stored
            [alias] = pair - stored
            assert aliased[alias] == kept
        names = sorted(int(d.project_name.removeprefix("农村公路养护项目")) for d in store.iter_declarations())
        assert names == list(range(480))


def test_pages_in_store_order_cover_the_store_once(location, seeds):
    with make_store(location) as store:
        ingest(store, seeds, jobs=1)
        whole = [tuple(r) for r in store.iter_id_data()]  # store order: file, then position in it
        starts = store.page_starts(8)
        assert len(starts) == 3 and starts[0] == ""  # 22 declarations: pages of 8, 8 and 6
        pages = [store.data_page(after, 8) for after in starts]
        assert [len(p) for p in pages] == [8, 8, 6]
        assert [tuple(r) for p in pages for r in p] == whole and len(whole) == 22
        assert len(store.page_starts(11)) == 2  # 22 = 2 full pages: no empty third
        assert store.data_page(store.page_starts(11)[1], 11) == [tuple(r) for r in whole[11:]]


def test_jobs_live_in_the_store_and_replicas_of_a_shared_store_answer_each_others(location, tmp_path):
    from api.job_table import JobTable
    from api.jobs import FileOutcome, Job, _job_of
    job = Job("job-a", files=[FileOutcome("一.txt"), FileOutcome("二.txt")], total=2,
              paths=[tmp_path / "a1.txt", tmp_path / "a2.txt"], created=1765000000.25)
    first, second = JobTable(location, owner="host-a:/home"), JobTable(location, owner="host-b:/home")
    try:
        first.add(job)
        job.files[0].status, job.files[0].declarations, job.files[0].seconds = "new", 3, 0.5
        first.file(job, 0)
        row, files = second.job("job-a")  # the other replica reads it
        seen = _job_of(row, files)
        assert (seen.id, seen.state, seen.created, seen.total) == ("job-a", "queued", 1765000000.25, 2)
        assert [(f.file, f.status, f.declarations, f.seconds) for f in seen.files] == [
            ("一.txt", "new", 3, 0.5), ("二.txt", "pending", 0, None)]
        assert second.job("no-such-job") is None
        # a server resumes its own jobs only (their uploads lie on its disk); one SQLite file is one server's
        shared = location.startswith("postgresql://")
        assert [r["id"] for r, _ in second.load()] == ([] if shared else ["job-a"])
        assert [r["id"] for r, _ in first.load()] == ["job-a"]
        job.state, job.finished = "done", 1765000001.5
        first.state(job)
        assert second.job("job-a")[0]["state"] == "done"
    finally:
        first.close()
        second.close()
