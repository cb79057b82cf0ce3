"""Issue 13, item 7: property-based tests. Mutated seed and field forms, random office files,
malformed JSON declarations and random bytes go to the readers, the review and the CLI; the only
outcomes allowed are the documented ones (a result, InputError / JsonInputError, CLI exit 0 or 2
with no traceback), each within 5 seconds.

Default run: FUZZ_EXAMPLES (40) inputs per target, seconds. The slow test
`test_ten_thousand_inputs` runs 2,000 per target × 5 targets = 10,000 inputs and writes the
counts and the slowest input to fuzz-report.json beside this file's temp folder; run it with
    .venv/bin/python -m pytest tests/test_fuzz_inputs.py -m slow -q -s
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.cli import main
from api.validate import JsonInputError, declarations_from_json, load_json
from corpus.errors import CorpusError
from corpus.read import parse_file
from corpus.store import FORM_SUFFIXES, SAMPLES_DIR
from tests.hardening_support import FIELD_FORMS, services

FUZZ_EXAMPLES = int(os.environ.get("ZHIBIAO_FUZZ_EXAMPLES", "40"))
TEN_THOUSAND_PER_TARGET = 2_000
LIMIT_SECONDS = 5.0
FORMS = [p.read_bytes() for p in sorted(SAMPLES_DIR.glob("*.txt")) + FIELD_FORMS]
WORK = Path(tempfile.mkdtemp(prefix="zhibiao-fuzz-"))
TALLY: dict[str, list[float]] = defaultdict(list)   # target → seconds per input


def timed(target: str, call):
    # CPU seconds of this process, not the wall clock: the neighbours' load on a shared machine
    # does not count, a reader stuck in a loop does
    started = time.process_time()
    try:
        return call()
    finally:
        spent = time.process_time() - started
        TALLY[target].append(spent)
        assert spent < LIMIT_SECONDS, f"{target}: one input took {spent:.1f} CPU s"


# --- strategies -------------------------------------------------------------------------------

TABLE_BITS = ["\t", "\n", "一级指标\t二级指标\t三级指标\t指标值\n", "产出\t时效\t完成时间\t2024年13月底前\n",
              "≥", "%", "项目名称\t", "绩效目标申报表", "年度", "99999999999999999999", "13月32日", "\r",
              "\x00", "（", "*：", "备注", "满意度\t服务对象满意度\t满意度\t较满意\n", "=HYPERLINK(\"x\")"]


@st.composite
def mutated_form(draw) -> bytes:
    """A real form (seed or field form) with a few edits. Mostly at the text level (lines
    deleted, duplicated, swapped; table-ish text or random characters inserted; truncated after
    its first quarter) so the readers get far; one in five at the byte level (flips, random
    bytes), which mostly tests the refusal of broken encodings."""
    original = draw(st.sampled_from(FORMS))
    if draw(st.integers(0, 4)) == 0:
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, max(0, len(data) - 1)))
            if draw(st.booleans()) and data:
                data[at] = draw(st.integers(0, 255))
            else:
                data[at:at] = draw(st.binary(max_size=64))
        return bytes(data)
    lines = original.decode("utf-8", "replace").split("\n")
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "chars", "truncate"]))
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "delete":
            del lines[at:at + draw(st.integers(1, 5))]
        elif op == "duplicate":
            lines[at:at] = lines[at:at + draw(st.integers(1, 50))] * draw(st.integers(1, 3))
        elif op == "swap" and lines:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif op == "insert":
            lines.insert(at, draw(st.sampled_from(TABLE_BITS)))
        elif op == "chars" and lines:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut] + draw(st.text(max_size=12)) + line[cut:]
        elif op == "truncate":  # keep at least the opening quarter: the rest is what varies
            del lines[max(at, len(lines) // 4):]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                      st.text(max_size=30), st.sampled_from(["≥90%", "较满意", "2024年13月", "=0", "", "产出", "数量"]))
json_value = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["name", "target", "raw", "kind", "deadline", "month", "year", "day", "indicators", "budget", "texts",
         "level1", "level2", "value", "components", "amount", "source", "file", "id", "project_name", "end_date",
         "warnings", "code", "line", "x"]), inner, max_size=5)), max_leaves=25)


@st.composite
def declaration_json(draw) -> str:
    """Malformed (and sometimes valid) JSON declarations: a skeleton with random values put in
    random places, or random JSON, or broken text."""
    kind = draw(st.sampled_from(["skeleton", "random", "broken", "deep"]))
    if kind == "random":
        return json.dumps(draw(json_value), ensure_ascii=False)
    if kind == "deep":
        return draw(st.sampled_from(["[", "{\"a\":", "[{\"indicators\":"])) * draw(st.integers(30, 5000))
    skeleton = {"project_name": "区图书馆全民阅读推广", "year": 2024, "end_date": "2024-12-31",
                "indicators": [{"level1": "产出", "level2": "时效", "name": "完成时间",
                                "target": {"raw": "2024年12月底前", "kind": "deadline",
                                           "deadline": {"year": 2024, "month": 12, "day": None}}},
                               {"name": "读者满意度", "target": {"raw": "较满意"}}]}
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from([("project_name",), ("year",), ("indicators",), ("indicators", 0),
                                     ("indicators", 0, "name"), ("indicators", 0, "target"),
                                     ("indicators", 0, "target", "deadline"),
                                     ("indicators", 0, "target", "deadline", "month"),
                                     ("indicators", 1, "target", "raw"), ("budget",), ("texts",)]))
        node = skeleton
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = draw(json_value)
        except (KeyError, IndexError, TypeError):
            pass
    text = json.dumps(skeleton, ensure_ascii=False, allow_nan=True)
    if kind == "broken":
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.text(max_size=5)) + text[cut + draw(st.integers(0, 20)):]
    return text


@st.composite
def random_office_file(draw) -> tuple[str, bytes]:
    """Random bytes, or a zip (the container of .xlsx/.docx) with random members, under a
    suffix the readers accept."""
    suffix = draw(st.sampled_from(sorted(FORM_SUFFIXES)))
    if draw(st.booleans()):
        return suffix, draw(st.binary(max_size=2048))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for name in draw(st.lists(st.sampled_from(
                ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                 "word/document.xml", "_rels/.rels", "form.txt", "a/b.xlsx"]), max_size=5, unique=True)):
            book.writestr(name, draw(st.sampled_from([b"", b"<x/>", b"<?xml version='1.0'?><worksheet><sheetData>"
                                                      b"<row><c t='inlineStr'><is><t>\xe9\xa1\xb9</t></is></c></row>",
                                                      b"\x00\x01", "项目名称\t一级指标\n".encode()]))
                          + draw(st.binary(max_size=64)))
    return suffix, out.getvalue()


# --- the properties ---------------------------------------------------------------------------

def _file(data: bytes, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(suffix=suffix, dir=WORK)
    os.write(handle, data)
    os.close(handle)
    return Path(name)


def reader_survives(data: bytes, suffix: str = ".txt") -> None:
    path = _file(data, suffix)
    try:
        decls = timed("readers", lambda: _parse_or_refuse(path))
        reviewer = services().reviewer  # built once, outside the timing
        for decl in decls[:3]:  # the review of whatever was read
            timed("review", lambda d=decl: reviewer.review(d))
    finally:
        path.unlink()


def _parse_or_refuse(path: Path) -> list:
    try:
        return parse_file(path)
    except CorpusError:
        return []


def office_file_survives(item: tuple[str, bytes]) -> None:
    suffix, data = item
    path = _file(data, suffix)
    try:
        timed("office files", lambda: _parse_or_refuse(path))
    finally:
        path.unlink()


def json_declaration_survives(text: str) -> None:
    reviewer = services().reviewer

    def edge() -> None:
        try:
            decls = declarations_from_json(load_json(text.encode("utf-8", "surrogatepass")), file="f.json", stem="f")
        except JsonInputError as exc:
            assert exc.status in (400, 413, 422) and str(exc)
            return
        for decl in decls[:2]:
            reviewer.review(decl)
    timed("json declarations", edge)


def cli_survives(text: str, monkeypatch, capsys) -> None:
    services()
    path = _file(text.encode("utf-8", "surrogatepass"), ".json")
    try:
        for command in ("parse", "review"):
            status = timed(f"cli {command}", lambda c=command: main([c, str(path)]))
            out, err = capsys.readouterr()
            assert status in (0, 2) and "Traceback" not in err, err
            if status == 2:
                assert err.startswith("zhibiao: 错误：") and len(err.strip().splitlines()) == 1, err
    finally:
        path.unlink()


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    import api.commands_review as commands_review
    monkeypatch.setenv("ZHIBIAO_HOME", str(tmp_path))
    monkeypatch.setenv("ZHIBIAO_ENCODER", "tfidf")
    # the CLI's own code path, with the reviewer built once instead of per call
    monkeypatch.setattr(commands_review, "load_reviewer", lambda settings: services().reviewer)


def run_property(strategy, check, examples: int, *args, faults: list | None = None) -> None:
    """Hypothesis over `check`. With `faults`, every failing input is recorded there and the run
    goes on (the 10,000-input census); without, the first failure fails the test (and shrinks)."""
    def body(value):
        if faults is None:
            return check(value, *args)
        try:
            check(value, *args)
        except Exception as exc:  # census: record and go on
            faults.append((check.__name__, f"{type(exc).__name__}: {str(exc)[:160]}", repr(value)[:300]))
    settings(max_examples=examples, deadline=None, database=None, derandomize=examples <= FUZZ_EXAMPLES,
             suppress_health_check=list(HealthCheck))(given(strategy)(body))()


def test_mutated_forms_to_the_readers_and_the_review():
    run_property(mutated_form(), reader_survives, FUZZ_EXAMPLES)


def test_random_office_files_to_the_readers():
    run_property(random_office_file(), office_file_survives, FUZZ_EXAMPLES)


def reader_survives_pair(pair: tuple[bytes, str]) -> None:
    reader_survives(*pair)


def test_random_bytes_to_the_readers():
    run_property(st.tuples(st.binary(max_size=4096), st.sampled_from(sorted(FORM_SUFFIXES))),
                 reader_survives_pair, FUZZ_EXAMPLES)


def test_malformed_json_declarations_at_the_edge_and_the_review():
    run_property(declaration_json(), json_declaration_survives, FUZZ_EXAMPLES)


def test_malformed_json_declarations_through_the_cli(cli_env, monkeypatch, capsys):
    run_property(declaration_json(), cli_survives, FUZZ_EXAMPLES // 2, monkeypatch, capsys)


@pytest.mark.slow
def test_ten_thousand_inputs(cli_env, monkeypatch, capsys):
    """2,000 inputs for each of the five targets: 10,000 in all. Every input runs even after a
    failure, so the report counts them all; the distinct faults go to fuzz-report.json."""
    TALLY.clear()
    n, faults = TEN_THOUSAND_PER_TARGET, []
    run_property(mutated_form(), reader_survives, n, faults=faults)
    run_property(random_office_file(), office_file_survives, n, faults=faults)
    run_property(st.tuples(st.binary(max_size=4096), st.sampled_from(sorted(FORM_SUFFIXES))),
                 reader_survives_pair, n, faults=faults)
    run_property(declaration_json(), json_declaration_survives, n, faults=faults)
    run_property(declaration_json(), cli_survives, n, monkeypatch, capsys, faults=faults)
    tally = {target: {"calls": len(times), "slowest_s": round(max(times), 3)} for target, times in TALLY.items()}
    # one input each: the review of what was read and the CLI's second command reuse an input
    inputs = sum(len(t) for name, t in TALLY.items() if name not in ("review", "cli review"))
    distinct = sorted({(where, what) for where, what, _ in faults})
    report = {"inputs": inputs, "failing_inputs": len(faults), "distinct_faults": distinct,
              "first_input_per_fault": {f"{w}: {m}": next(v for w2, m2, v in faults if (w2, m2) == (w, m))
                                        for w, m in distinct}, "tally": tally}
    (WORK / "fuzz-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    with capsys.disabled():
        print(f"\nfuzz: {json.dumps(report, ensure_ascii=False, indent=1)}\nreport: {WORK / 'fuzz-report.json'}")
    assert inputs >= 10_000
    assert faults == []


# --- issue 20: long runs in every text field; crafted PDFs and zips in the upload routes ------

LONG_UNITS = ["1", "１", " ", "\u3000", "\t", "\n", "（", "(", "）", "，", ".", "%", "-", "—", "：", "≥", "指", "分",
              "*", "/", "<a", "1分", "(1", "1.", "1,", "年1", "1月", "一、", "_", "＿", "X"]
long_run = st.builds(lambda unit, n: (unit * n)[:n], st.sampled_from(LONG_UNITS), st.integers(2_000, 40_000))


@st.composite
def long_field_request(draw) -> tuple[str, dict]:
    """One API request with a long run of one character class in one of its text fields (each
    field cut to its documented limit, so the run reaches the code that reads it)."""
    run = draw(long_run)
    return draw(st.sampled_from([
        ("/v1/reviews", {"text": "一级指标\t二级指标\t三级指标\t指标值\n" + run}),
        ("/v1/reviews", {"text": "项目名称\t" + run + "\n一级指标\t二级指标\t三级指标\t指标值\n产出\t数量\t" + run[:500]
                         + "\t" + run[:2000] + "\n"}),
        ("/v1/reviews", {"project_name": run[:500], "indicators": [{"name": run[:500], "target": {"raw": run[:2000]}}]}),
        ("/v1/targets/assess", {"items": [{"name": run[:500], "value": run[:2000]}]}),
        ("/v1/recommendations", {"project_name": run[:200], "description": run[:5000]}),
    ]))


@pytest.fixture(scope="module")
def api_client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from tests.hardening_support import make_app
    # short deadlines: the crafted files below run into them
    with TestClient(make_app(tmp_path_factory.mktemp("fuzz-api-home"), parse_timeout_s=5,
                             ingest_timeout_s=10)) as client:
        yield client


def long_field_survives(request: tuple[str, dict], client) -> None:
    path, body = request
    answer = timed(f"long runs {path}", lambda: client.post(path, json=body))
    assert answer.status_code in (200, 413, 422), (path, answer.status_code, answer.text[:200])


def test_long_runs_in_every_text_field(api_client):
    run_property(long_field_request(), long_field_survives, FUZZ_EXAMPLES, api_client)


def test_crafted_pdfs_and_zips_in_the_upload_routes(api_client):
    """A reference-cycle PDF, a 1 MB Flate bomb and a zip with colliding, repeated and nested
    members: answered per file, never a server error, never a hang past the parse deadline."""
    from evaluation.hostile import colliding_zip, cycle_pdf, flate_bomb_pdf
    from tests.hardening_support import TOKEN
    form = FORMS[0]
    files = [("cycle.pdf", cycle_pdf()), ("bomb.pdf", flate_bomb_pdf(1.0)), ("c.zip", colliding_zip(form))]
    answer = api_client.post("/v1/reviews/files", files=[("files", f) for f in files])
    assert answer.status_code == 200
    body = answer.json()
    assert [entry["file"] for entry in body] == ["cycle.pdf", "bomb.pdf", "c.zip"]
    assert body[0] == {"file": "cycle.pdf", "error": "cycle.pdf：处理超过 5 秒的时限，已中止（文件过大或结构异常）",
                       "reviews": []}
    assert body[1]["error"].startswith("bomb.pdf：") and body[1]["reviews"] == []
    assert body[2]["error"] is None and len(body[2]["reviews"]) == 10  # seed 000 (5 forms) twice
    job = api_client.post("/v1/declarations", files=[("files", f) for f in files],
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert job.status_code == 202
    done = api_client.app.state.jobs.wait(job.json()["id"], 300)
    assert [(f.file, f.status) for f in done.files] == [("cycle.pdf", "failed"), ("bomb.pdf", "failed"),
                                                       ("c.zip", "new")]
    assert done.files[0].reason == "处理超过 10 秒的时限，已中止（文件过大或结构异常）"
    assert done.files[2].declarations == 10
