"""Issue 20: one request must never freeze the server. One test (or more) per item; each failed
before the change it guards. The timings of the acceptance list are measured by
`python -m evaluation.hostile_bench`, not here."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from corpus.bounded import read_bounded
from corpus.ingest_pool import Bounds
from corpus.read import read
from corpus.read.interpret.labels import strip_decoration
from corpus.store import SAMPLES_DIR, CorpusStore
from evaluation.hostile import HEADER, colliding_zip, cycle_pdf, flate_bomb_pdf
from tests.hardening_support import TOKEN, make_app

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEED = sorted(SAMPLES_DIR.glob("*.txt"))[0]
ROOT = Path(__file__).resolve().parents[1]


# --- item 1: linear patterns (the property test is tests/test_linear_patterns.py) ------------

def test_decoration_of_a_long_digit_run_is_left_as_it_is_and_labels_still_lose_theirs():
    assert strip_decoration("1" * 20_000) == "1" * 20_000
    assert strip_decoration("产出指标(50分)") == "产出指标"
    assert strip_decoration("效益指标（30）") == "效益指标"
    assert strip_decoration("数量指标 (必填硬性指标)") == "数量指标"
    assert strip_decoration("满意度指标10分") == "满意度指标"


# --- item 2: bounded reading --------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    files = {"cycle": folder / "cycle.pdf", "bomb": folder / "bomb.pdf"}
    files["cycle"].write_bytes(cycle_pdf())
    files["bomb"].write_bytes(flate_bomb_pdf(1.0))
    return files


def test_a_reference_cycle_pdf_is_stopped_at_the_deadline(hostile):
    # the reason is the deadline's own message: the child was stopped by it (no clock here)
    result = read_bounded(path=hostile["cycle"], bounds=Bounds(memory_mb=768, timeout_s=2))
    assert result.declarations == []
    assert result.reason == "处理超过 2 秒的时限，已中止（文件过大或结构异常）"


def test_a_flate_bomb_is_stopped_by_the_memory_cap(hostile):
    result = read_bounded(path=hostile["bomb"], bounds=Bounds(memory_mb=512, timeout_s=20))
    assert not result.ok and result.declarations == []
    assert result.reason in ("不是可读取的 PDF（pdfplumber 读取时出错）", "处理时超出 512 MB 内存上限，已中止",
                             "读取时子进程异常退出（可能超出 512 MB 内存上限或 20 秒时限，或文件损坏）")


def test_pasted_text_is_read_in_the_child_as_a_file_is():
    result = read_bounded(text=SEED.read_text(encoding="utf-8"), file="粘贴.txt", bounds=Bounds(timeout_s=30))
    assert result.ok and len(result.declarations) == 5
    assert result.declarations[0].source.file == "粘贴.txt"


def test_cli_parse_and_review_of_a_cycle_pdf_exit_2_with_one_line(hostile, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ZHIBIAO_PARSE_TIMEOUT_S", "2")
    monkeypatch.setenv("ZHIBIAO_HOME", str(tmp_path))
    assert main(["parse", str(hostile["cycle"])]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"zhibiao: 错误：{hostile['cycle']}: 处理超过 2 秒的时限，已中止（文件过大或结构异常）"]


@pytest.fixture()
def app_client(tmp_path):
    def build(**settings):
        return TestClient(make_app(tmp_path / "home", **settings))
    return build


def test_review_routes_answer_503_with_retry_after_when_every_child_is_busy(app_client):
    with app_client(parse_children=1, parse_wait_s=0.2, parse_timeout_s=7) as client:
        slots = client.app.state.parse_slots
        assert slots._free.acquire(timeout=5)  # the one child is busy
        try:
            busy = client.post("/v1/reviews", json={"text": SEED.read_text(encoding="utf-8")})
            assert busy.status_code == 503 and busy.headers["retry-after"] == "7"
            assert busy.json()["error"]["code"] == "busy"
            files = client.post("/v1/reviews/files", files={"files": ("a.txt", SEED.read_bytes(), "text/plain")})
            assert files.status_code == 503 and files.headers["retry-after"] == "7"
        finally:
            slots._free.release()
        done = client.post("/v1/reviews", json={"text": SEED.read_text(encoding="utf-8")})
        assert done.status_code == 200 and len(done.json()) == 5


def test_review_of_an_uploaded_cycle_pdf_names_the_file_and_the_deadline(app_client, hostile):
    with app_client(parse_timeout_s=2) as client:
        answer = client.post("/v1/reviews/files", files={"files": ("循环.pdf", hostile["cycle"].read_bytes(),
                                                                   "application/pdf")})
    assert answer.status_code == 200
    assert answer.json() == [{"file": "循环.pdf", "error": "循环.pdf：处理超过 2 秒的时限，已中止（文件过大或结构异常）",
                              "reviews": []}]


def test_pasted_digits_are_answered_by_the_child(app_client):
    with app_client() as client:
        answer = client.post("/v1/reviews", json={"text": HEADER + "1" * 20_000})
    assert answer.status_code == 200  # a header and no indicator row: one empty form, reviewed
    (review,) = answer.json()
    assert review["declaration_id"] == "pasted-1" and review["summary"]["indicators"] == 0


# --- item 3: upload names are display names only -------------------------------------------

@pytest.mark.parametrize("name", ["../../../tmp/pwned.txt", "/tmp/pwned_abs.txt", "a\x00b.txt", "表" * 90 + ".txt"])
def test_an_upload_name_never_becomes_a_path(app_client, tmp_path, name):
    with app_client() as client:
        answer = client.post("/v1/declarations", headers=AUTH,
                             files={"files": (name, SEED.read_bytes(), "text/plain")})
        assert answer.status_code == 202, answer.text
        job = client.app.state.jobs.wait(answer.json()["id"], 120)
    assert [(f.status, f.declarations) for f in job.files] == [("new", 5)]
    assert not Path("/tmp/pwned.txt").exists() and not Path("/tmp/pwned_abs.txt").exists()
    with sqlite3.connect(tmp_path / "home" / "corpus.sqlite3") as db:
        (path, shown), = db.execute("SELECT path, name FROM files").fetchall()
    import hashlib
    assert Path(path).name == hashlib.sha256(SEED.read_bytes()).hexdigest() + ".txt"
    assert shown == job.files[0].file


# --- item 4: zip members that collide, repeat or nest --------------------------------------

def test_colliding_repeated_and_nested_zip_members_are_refused_one_by_one(tmp_path):
    archive = tmp_path / "表.zip"
    archive.write_bytes(colliding_zip(SEED.read_bytes()))
    decls = read(archive)
    assert sorted({d.source.file for d in decls}) == ["表.zip/a.txt", "表.zip/ok/form.txt"]
    assert len(decls) == 10
    skipped = [w.message for w in decls[0].warnings if w.code == "zip_member_skipped"]
    assert skipped == ["压缩包 表.zip 的成员 a.txt/b.txt: 路径与前面的成员冲突（同名的文件和文件夹）",
                       "压缩包 表.zip 的成员 a.txt: 与前面的成员重名",
                       "压缩包 表.zip 的成员 inner.zip: 嵌套的压缩包（请先解压）"]


def test_cli_parse_of_a_colliding_zip_exits_0_without_an_internal_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ZHIBIAO_HOME", str(tmp_path / "home"))
    archive = tmp_path / "c.zip"
    archive.write_bytes(colliding_zip(SEED.read_bytes()))
    assert main(["parse", "--json", str(archive)]) == 0
    out = capsys.readouterr()
    assert len(json.loads(out.out)) == 10 and "内部错误" not in out.err


# --- item 5: content-addressed store --------------------------------------------------------

def test_the_same_bytes_under_another_name_are_an_alias(tmp_path):
    first, second = tmp_path / "一.txt", tmp_path / "sub" / "二.txt"
    second.parent.mkdir()
    first.write_bytes(SEED.read_bytes())
    second.write_bytes(SEED.read_bytes())
    with CorpusStore(tmp_path / "s.sqlite3") as store:
        assert store.ingest_file(first).status == "new"
        again = store.ingest_file(second)
        assert (again.status, again.declarations) == ("unchanged", 5)
        assert again.note == "内容与已入库的 一.txt 相同，未重复存储，记为其别名"
        assert store.count() == 5
        assert store.aliases() == [(str(second.resolve()), str(first.resolve()), None)]
        assert store.remove_files([second]) == [(str(second.resolve()), 0)]
        assert store.aliases() == []


def test_a_store_of_the_earlier_format_gains_the_alias_table_and_name_column(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "INSERT INTO meta VALUES ('format_version', '1');"
                         "CREATE TABLE files (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, ingested_at TEXT NOT NULL);"
                         "INSERT INTO files VALUES ('/x/a.txt', 'abc', '2026-01-01');")
    with CorpusStore(path) as store:
        columns = [row[1] for row in store.conn.execute("PRAGMA table_info(files)")]
        assert columns == ["path", "sha256", "ingested_at", "name"]
        assert store.aliases() == []
        assert store.conn.execute("SELECT path, name FROM files").fetchall() == [("/x/a.txt", None)]


# --- item 6: CLI argument errors and byte-order marks ----------------------------------------

def _cli(args: list[str], env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())", *args],
                          capture_output=True, cwd=str(ROOT), timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_every_cli_argument_error_exits_2_with_one_chinese_line(tmp_path):
    afile = tmp_path / "a.txt"
    afile.write_text("x", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    bad_name = os.fsencode(tmp_path) + b"/bad\xff.txt"
    Path(os.fsdecode(bad_name)).write_bytes(SEED.read_bytes())
    home = {"ZHIBIAO_HOME": str(tmp_path / "home")}
    cases = [
        (["report", "--out", str(afile)], home, f"zhibiao: 错误：--out {afile}：已存在且不是文件夹；应为输出文件夹的路径"),
        (["report", "--out", "/dev/null"], home, "zhibiao: 错误：--out /dev/null：已存在且不是文件夹；应为输出文件夹的路径"),
        (["serve", "--port", "99999"], home, "zhibiao: 错误：--port 应为 1 到 65535 之间的整数，收到 99999"),
        (["parse", os.fsdecode(bad_name)], home,
         f"zhibiao: 错误：{tmp_path}/bad\ufffd.txt: 文件名不是有效的 UTF-8 编码；请把文件改名后再试"),
        (["corpus", "stats"], {"ZHIBIAO_HOME": str(afile)},
         f"zhibiao: 错误：{afile}: ZHIBIAO_HOME 不是文件夹；应为数据文件夹的路径"),
        (["recommend", "--input", str(fifo)], home,
         f"zhibiao: 错误：{fifo}：不是普通文件（管道、设备等）；应为 JSONL 文件（每行一个 "
         '{"project_name", "description", "agency"?}），标准输入请用 -'),
    ]
    for args, env, line in cases:
        done = _cli(args, env, timeout=30)
        assert (done.returncode, done.stderr.decode("utf-8").strip().splitlines()) == (2, [line]), args


@pytest.mark.parametrize("codec, shown", [("utf-16", "UTF-16"), ("utf-16-be", None), ("utf-8-sig", "带 BOM 的 UTF-8")])
def test_text_with_a_byte_order_mark_is_read_with_a_warning(tmp_path, codec, shown):
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path / "表.txt"
    data = text.encode(codec) if codec != "utf-16-be" else b"\xfe\xff" + text.encode("utf-16-be")
    path.write_bytes(data)
    decls = read(path)
    assert len(decls) == 5
    warned = [w.message for w in decls[0].warnings if w.code == "encoding_converted"]
    assert warned == [f"表.txt: 按 {shown or 'UTF-16'} 解码，已转换为 UTF-8"]


# --- item 7: trusted hosts and JSON content types --------------------------------------------

def test_requests_for_another_host_are_refused(app_client):
    with app_client() as client:
        bad = client.get("/healthz", headers={"host": "evil.example"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_host"
        for host in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
            assert client.get("/healthz", headers={"host": host}).status_code == 200, host


def test_allowed_hosts_come_from_the_environment(monkeypatch, tmp_path):
    from api.settings import Settings
    monkeypatch.setenv("ZHIBIAO_ALLOWED_HOSTS", "zhibiao.lan, 10.0.0.5")
    settings = Settings(home=tmp_path)
    assert settings.allowed_hosts == ["zhibiao.lan", "10.0.0.5"]
    with TestClient(make_app(tmp_path, allowed_hosts=settings.allowed_hosts)) as client:
        assert client.get("/healthz", headers={"host": "zhibiao.lan"}).status_code == 200
        assert client.get("/healthz", headers={"host": "localhost"}).status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_json_bodies_need_a_json_content_type(app_client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    with app_client() as client:
        answer = client.post("/v1/reviews", content=json.dumps({"text": "x"}), headers=headers)
        assert answer.status_code == 415 and answer.json()["error"]["code"] == "unsupported_media_type"
        ok = client.post("/v1/targets/assess", content=json.dumps({"items": [{"name": "满意度", "value": "≥90%"}]}),
                         headers={"content-type": "application/json; charset=utf-8"})
        assert ok.status_code == 200


# --- item 8: durable jobs ------------------------------------------------------------------

def test_unfinished_jobs_resume_after_a_restart_and_orphans_are_removed(tmp_path):
    home = tmp_path / "home"
    uploads = home / "uploads"
    uploads.mkdir(parents=True)
    waiting = uploads / "aa.txt"
    waiting.write_bytes(SEED.read_bytes())
    orphan = uploads / "orphan.txt"
    orphan.write_bytes(b"x")
    from api.job_table import JobTable
    from api.jobs import FileOutcome, Job
    job = Job("j1", files=[FileOutcome("一.txt"), FileOutcome("二.txt"), FileOutcome("三.txt")], total=3,
              paths=[uploads / "done.txt", waiting, uploads / "gone.txt"])
    job.files[0].status, job.files[0].declarations = "new", 5
    table = JobTable(home / "corpus.sqlite3")
    table.add(job)
    table.file(job, 0)
    table.close()
    with TestClient(make_app(home)) as client:  # the start of a server after a kill -9
        found = client.app.state.jobs.wait("j1", 120)
        answer = client.get("/v1/jobs/j1", headers=AUTH).json()
    assert found.state == "done"
    assert [(f["file"], f["status"]) for f in answer["files"]] == [("一.txt", "new"), ("二.txt", "new"),
                                                                   ("三.txt", "failed")]
    assert answer["files"][2]["reason"] == "服务重启时上传的文件已不在，未处理，请重新上传"
    assert list(uploads.iterdir()) == []


@pytest.mark.slow
def test_kill_9_during_a_20_file_job_then_a_restart_settles_every_file(tmp_path):
    from evaluation import hostile_bench
    hostile_bench.ROWS.clear()
    hostile_bench.bench_jobs(tmp_path)
    (row,) = hostile_bench.ROWS
    assert row["ok"], row
