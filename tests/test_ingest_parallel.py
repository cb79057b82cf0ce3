"""`zhibiao ingest` with a pool of parsing processes: same store as one process, unchanged files
skipped, files removed, a bounded worker that dies costs one file, and kill -9 leaves whole files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import corpus.read
from corpus.errors import InputError
from corpus.ingest_pool import Bounds, parse_files
from corpus.read import parse_file
from corpus.store import CorpusStore, ingest
from tests.conftest import ROOT, SEEDS
from tests.test_cli_corpus import messages

SEED_COUNTS = {seed.name: len(parse_file(seed)) for seed in SEEDS}  # 22 declarations in 5 files


def _store_rows(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT d.id, d.position, d.data, f.sha256 FROM declarations d "
                            "JOIN files f ON f.path = d.file_path ORDER BY d.id").fetchall()


def test_two_jobs_store_exactly_what_one_job_stores(tmp_path):
    copies = tmp_path / "forms"
    copies.mkdir()
    for n in range(3):
        for seed in SEEDS:
            (copies / f"{n}_{seed.name}").write_bytes(seed.read_bytes())
    rows = {}
    for jobs in (1, 2):
        with CorpusStore(tmp_path / f"jobs{jobs}.sqlite3") as store:
            results = ingest(store, [copies], jobs=jobs)
            # the store is content-addressed (issue 20): the second and third copies are aliases
            assert [r.status for r in results] == ["new"] * 5 + ["unchanged"] * 10
            assert [r.declarations for r in results] == [SEED_COUNTS[s.name] for s in SEEDS] * 3
            assert store.count() == 22 and len(store.aliases()) == 10
        rows[jobs] = _store_rows(tmp_path / f"jobs{jobs}.sqlite3")
    assert rows[1] == rows[2] and len(rows[1]) == 22


def test_unchanged_files_are_not_parsed(tmp_path, monkeypatch):
    with CorpusStore(tmp_path / "c.sqlite3") as store:
        ingest(store, SEEDS, jobs=1)

        def refuse(path, **_):  # the workers fork after this patch: any parse would fail the file
            raise InputError(path, "parsed again")
        monkeypatch.setattr(corpus.read, "parse_file", refuse)
        again = ingest(store, SEEDS, jobs=2)
        assert [(r.status, r.declarations) for r in again] == [("unchanged", SEED_COUNTS[s.name]) for s in SEEDS]
        changed = tmp_path / SEEDS[0].name
        changed.write_bytes(SEEDS[0].read_bytes() + b"\n")
        assert [(r.status, r.reason) for r in ingest(store, [changed], jobs=1)] == [("failed", "parsed again")]


def test_results_come_back_in_order_and_failures_name_the_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    tasks = [(str(SEEDS[0]), None), (str(bad), None), (str(SEEDS[1]), None)]
    parsed = list(parse_files(tasks, jobs=2))
    assert [p.path for p in parsed] == [t[0] for t in tasks]
    assert [len(p.declarations or []) for p in parsed] == [SEED_COUNTS[SEEDS[0].name], 0, SEED_COUNTS[SEEDS[1].name]]
    assert parsed[1].reason == "是二进制文件；应为 UTF-8 或 GB18030 编码的绩效目标申报表文本"


def test_a_worker_that_dies_costs_only_its_file(monkeypatch):
    # a reader crashing in C (or killed by the CPU-time limit) takes its worker down and breaks the
    # pool; the files in flight are read again alone, so only the one to blame fails
    real = corpus.read.parse_file
    crashing = str(SEEDS[2])

    def parse_or_crash(path, **kwargs):
        if str(path) == crashing:
            os._exit(70)
        return real(path, **kwargs)
    monkeypatch.setattr(corpus.read, "parse_file", parse_or_crash)  # inherited by the forked workers
    tasks = [(str(seed), None) for seed in SEEDS]
    parsed = list(parse_files(tasks, jobs=2, bounds=Bounds(memory_mb=512, timeout_s=30)))
    assert [p.path for p in parsed] == [t[0] for t in tasks]
    assert [len(p.declarations or []) for p in parsed] == [
        0 if str(seed) == crashing else SEED_COUNTS[seed.name] for seed in SEEDS]
    assert parsed[2].reason == ("读取时工作进程异常退出（可能超出 512 MB 内存上限、超过 30 秒时限，或文件损坏）")


def test_memory_error_in_a_reader_fails_the_file_with_the_cap(monkeypatch):
    def exhausted(path, **kwargs):
        raise MemoryError
    monkeypatch.setattr(corpus.read, "parse_file", exhausted)
    parsed = list(parse_files([(str(SEEDS[0]), None)], jobs=1, bounds=Bounds(memory_mb=300)))
    assert parsed[0].reason == "处理时超出 300 MB 内存上限"


def test_ingest_remove_drops_a_file_and_a_folder(zhibiao, tmp_path):
    forms = tmp_path / "forms"
    (forms / "sub").mkdir(parents=True)
    for seed in SEEDS[:2]:
        (forms / seed.name).write_bytes(seed.read_bytes())
    (forms / "sub" / SEEDS[2].name).write_bytes(SEEDS[2].read_bytes())
    first = zhibiao("ingest", str(forms), "--jobs", "2")
    assert first.returncode == 0, first.stderr
    total = sum(SEED_COUNTS[s.name] for s in SEEDS[:3])
    assert f"新增 3，替换 0，未变化 0，失败 0；语料库现有 {total} 份申报表" in first.stdout
    one = zhibiao("ingest", "--remove", str(forms / SEEDS[0].name))
    left = total - SEED_COUNTS[SEEDS[0].name]
    assert one.returncode == 0 and f"删除 1 个文件的 {SEED_COUNTS[SEEDS[0].name]} 份申报表；语料库现有 {left} 份" in one.stdout
    folder = zhibiao("ingest", "--remove", str(forms / "sub"), str(tmp_path / "never-stored.txt"))
    assert folder.returncode == 2
    assert messages(folder.stderr) == (f"zhibiao: 错误：{tmp_path / 'never-stored.txt'}: 不在语料库中"
                                       "（按绝对路径查找；文件夹删除其中所有已入库的文件）\n")
    assert f"删除 1 个文件的 {SEED_COUNTS[SEEDS[2].name]} 份申报表；语料库现有 {SEED_COUNTS[SEEDS[1].name]} 份" in folder.stdout
    again = zhibiao("ingest", str(forms))  # the removed files come back as new
    assert "新增 2，替换 0，未变化 1，失败 0" in again.stdout


def test_jobs_must_be_positive(zhibiao):
    result = zhibiao("ingest", str(SEEDS[0]), "--jobs", "0")
    assert result.returncode == 2 and result.stderr == "zhibiao: 错误：--jobs 应为不小于 1 的整数，收到 0\n"


def test_summary_line_when_stderr_is_not_a_terminal(zhibiao):
    result = zhibiao("ingest", str(ROOT / "corpus" / "samples"), "--jobs", "2")
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhibiao: 用时 ")
    assert "5 个文件（解析 5 个，" in lines[0] and "入库 22 份申报表（" in lines[0] and "2 个进程并行解析" in lines[0]


@pytest.mark.slow
def test_kill_9_mid_ingest_leaves_whole_files_and_a_rerun_finishes(zhibiao, tmp_path):
    forms = tmp_path / "many"
    forms.mkdir()
    for n in range(40):
        for seed in SEEDS:  # 200 files; each copy differs (blank lines appended) so no hash repeats
            (forms / f"{n:03d}_{seed.name}").write_bytes(seed.read_bytes() + b"\n" * (n + 1))
    store = zhibiao.home / "corpus.sqlite3"
    env = dict(os.environ, ZHIBIAO_HOME=str(zhibiao.home))
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "ingest", str(forms), "--jobs", "2"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
        try:
            with sqlite3.connect(store) as conn:
                if conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] >= 10:
                    break
        except sqlite3.OperationalError:  # not created yet
            pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    expected = {path.name: len(parse_file(path)) for path in forms.iterdir()}

    def check(conn) -> int:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        files = conn.execute("SELECT path FROM files").fetchall()
        for (path,) in files:
            rows = conn.execute("SELECT position FROM declarations WHERE file_path=? ORDER BY position",
                                (path,)).fetchall()
            assert [r[0] for r in rows] == list(range(expected[path.split("/")[-1]]))
            indicators = conn.execute("SELECT COUNT(*) FROM indicators i JOIN declarations d "
                                      "ON d.id = i.declaration_id WHERE d.file_path=?", (path,)).fetchone()[0]
            assert indicators > 0
        assert conn.execute("SELECT COUNT(*) FROM declarations WHERE file_path NOT IN "
                            "(SELECT path FROM files)").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM indicators WHERE declaration_id NOT IN "
                            "(SELECT id FROM declarations)").fetchone()[0] == 0
        return len(files)

    with sqlite3.connect(store) as conn:
        stored = check(conn)
    assert 10 <= stored < 200  # killed mid-way, whole files only
    time.sleep(0.5)  # the workers die with their parent (PR_SET_PDEATHSIG)
    orphans = subprocess.run(["pgrep", "-f", f"api.cli ingest {forms}"], capture_output=True, text=True).stdout
    assert orphans.strip() == ""
    rerun = zhibiao("ingest", str(forms))
    assert rerun.returncode == 0, rerun.stderr
    assert f"：新增 {200 - stored}，替换 0，未变化 {stored}，失败 0；语料库现有 {40 * 22} 份申报表" in rerun.stdout
    with sqlite3.connect(store) as conn:
        assert check(conn) == 200
