"""Issue 13 in the CLI: the inputs that gave tracebacks now give one Chinese line naming the file
and what was expected, with exit status 2; spreadsheet exports are formula-safe."""

from __future__ import annotations

import csv
import json

import pytest

from api.cli import main
from corpus.schema import Declaration, Indicator, Source, Target
from evaluation.csv_safe import safe_cell, write_csv
from tests.hardening_support import services


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZHIBIAO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZHIBIAO_ENCODER", "tfidf")
    monkeypatch.chdir(tmp_path)

    def call(*argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return status, out, err
    return call


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("content, message", [
    ('{"indicators": ["x"]}', "indicators[0]：应为对象，实际为字符串"),
    ('{"indicators": [{"name": "满意度", "target": "≥90%"}]}', "indicators[0].target：应为对象，实际为字符串"),
    ('{"indicators": [{"name": 5, "target": {"raw": "≥90%"}}]}', "indicators[0].name：应为字符串，实际为整数"),
    ('[{"project_name": 7, "indicators": []}]', "[0].project_name：应为字符串，实际为整数"),
    ("[" * 100_000, "内容：JSON 嵌套超过 32 层的上限"),
    ('{"indicators": [', "内容：不是有效的 JSON（第 1 行第 17 列：此处应为一个值）"),
    (b"\xff\xfe\x00{", "内容：不是 UTF-8 编码的文本（第 1 个字节无法解码）"),
    ('{"indicators": [{"name": "完成时间", "target": {"raw": "2024年13月", "kind": "deadline", '
     '"deadline": {"year": 2024, "month": 13}}}]}', "indicators[0].target.deadline.month：应不大于 12"),
])
@pytest.mark.parametrize("command", ["parse", "review"])
def test_malformed_json_declarations(run, tmp_path, command, content, message):
    path = write(tmp_path, "bad.json", content)
    status, out, err = run(command, str(path))
    assert status == 2 and out == ""
    assert err == f"zhibiao: 错误：{path}: {message}\n"


def test_a_folder_a_missing_file_and_a_good_one(run, tmp_path):
    (tmp_path / "dir").mkdir()
    good = write(tmp_path, "good.json", json.dumps({"project_name": "区图书馆全民阅读推广", "indicators": [
        {"level1": "产出", "level2": "数量", "name": "读书讲座场次", "target": {"raw": "≥48场"}}]}, ensure_ascii=False))
    status, out, err = run("parse", "dir", "missing.xlsx", str(good), "--json")
    assert status == 2
    assert err.splitlines() == ["zhibiao: 错误：dir: 文件夹中没有申报表文件（.txt .xlsx .xls .docx .html .pdf .json .csv .zip）",
                                "zhibiao: 错误：missing.xlsx: 文件不存在"]
    parsed = json.loads(out)
    assert [d["project_name"] for d in parsed] == ["区图书馆全民阅读推广"]
    # review takes folders (the forms inside them): an empty one is one line and exit 2
    status, out, err = run("review", "dir")
    assert (status, out) == (2, "") and len(err.splitlines()) == 1 and "没有找到申报表文件" in err
    status, out, err = run("review", "missing.xlsx")
    assert (status, out, err) == (2, "", "zhibiao: 错误：missing.xlsx: 文件不存在\n")


def test_check_with_a_binary_input_is_one_line(run, tmp_path):
    path = write(tmp_path, "items.jsonl", b"\x00\xff\xfe\x01binary")
    status, out, err = run("check", "--input", str(path))
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert "items.jsonl 第 1 行：不是 UTF-8 文本" in err
    status, out, err = run("check", "--input", str(tmp_path))
    assert status == 2 and "是文件夹" in err and len(err.splitlines()) == 1
    deep = write(tmp_path, "deep.jsonl", "[" * 100_000)
    status, out, err = run("check", "--input", str(deep))
    assert status == 2 and "JSON 嵌套超过 32 层的上限" in err
    numbers = write(tmp_path, "numbers.jsonl", '{"name": 5, "value": 3}\n')
    status, out, err = run("check", "--input", str(numbers))
    assert status == 2 and "name 应为字符串" in err


def test_ingest_refuses_malformed_json_and_keeps_the_rest(run, tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    write(folder, "bad.json", '{"indicators": [{"name": 5}]}')
    write(folder, "good.json", json.dumps({"project_name": "区图书馆全民阅读推广", "indicators": [
        {"name": "读书讲座场次", "target": {"raw": "≥48场"}}]}, ensure_ascii=False))
    status, out, err = run("ingest", str(folder))
    assert status == 2
    assert err.splitlines()[0] == f"zhibiao: 错误：{folder / 'bad.json'}: indicators[0].name：应为字符串，实际为整数"
    assert "新增 1" in out and "失败 1" in out and "语料库现有 1 份申报表" in out


def test_usage_errors_are_chinese_lines(run):
    assert run("recommend", "--top-k", "x")[0] == 2
    status, out, err = run("parse")
    assert status == 2 and err == "zhibiao: 错误：zhibiao parse：缺少参数 FILE_OR_DIR（运行 zhibiao parse -h 查看用法）\n"
    status, out, err = run("report", "--by", "month")
    assert status == 2 and "参数 --by 的取值“month”无效，应为 'agency', 'year' 之一" in err


# --- spreadsheet-safe exports --------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("http://evil.example","点我")', '\'=HYPERLINK("http://evil.example","点我")'),
    ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("区图书馆", "区图书馆"), ("≥48场", "≥48场"), (-5, -5), (0.25, 0.25), (None, None), ("", ""),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_report_csv_neutralises_formulas(run, tmp_path):
    evil = '=HYPERLINK("http://evil.example","点我")'
    path = write(tmp_path, "evil.json", json.dumps({"project_name": evil, "agency": "@某区图书馆", "year": 2024,
                                                    "indicators": [{"level1": "产出", "level2": "数量",
                                                                    "name": "-读书讲座场次", "target": {"raw": "≥48场"}}]},
                                                   ensure_ascii=False))
    assert run("ingest", str(path))[0] == 0
    status, out, err = run("report", "--format", "csv", "--out", str(tmp_path / "report"))
    assert status == 0, err
    cells = [cell for name in ("declarations", "agencies", "indicator_library") for row in csv.reader(open(tmp_path / "report" / f"{name}.csv",
                                                                               encoding="utf-8-sig")) for cell in row]
    assert f"'{evil}" in cells and "'@某区图书馆" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_write_csv_keeps_numbers(tmp_path):
    write_csv(tmp_path / "t.csv", [{"name": "=1+1", "count": -3, "share": 0.5}])
    rows = list(csv.reader(open(tmp_path / "t.csv", encoding="utf-8-sig")))
    assert rows == [["name", "count", "share"], ["'=1+1", "-3", "0.5"]]


# --- the review itself (recommender/review.py, owned by the review engineer) ----------------

def test_review_survives_a_deadline_in_month_13():
    decl = Declaration(id="month13-1", source=Source("month13.json", "json", 1, 1), year=2024,
                       end_date="2024-12-31", indicators=[Indicator(
                           "产出", "时效", "产出", "时效", "完成时间",
                           Target("2024年13月", "<=", None, None, "deadline", {"year": 2024, "month": 13, "day": None}))])
    review = services().reviewer.review(decl)
    assert review.declaration_id == "month13-1"


def test_csv_with_a_lone_carriage_return(tmp_path):
    from corpus.errors import InputError
    from corpus.read import parse_file
    path = write(tmp_path, "cr.csv", b"Bj\xb8\xbab\r6")
    try:
        parse_file(path)
    except InputError:
        pass


def test_review_summary_csv_neutralises_formulas(run, tmp_path, monkeypatch):
    import api.commands_review as commands_review
    monkeypatch.setattr(commands_review, "load_reviewer", lambda settings: services().reviewer)
    evil = '=HYPERLINK("http://evil.example","点我")'
    form = write(tmp_path, "evil.json", json.dumps({"project_name": evil, "indicators": [
        {"level1": "产出", "level2": "数量", "name": "读书讲座场次", "target": {"raw": "≥48场"}}]}, ensure_ascii=False))
    status, out, err = run("review", str(form), "--summary", "--csv", str(tmp_path / "summary.csv"))
    assert status == 0, err
    cells = [c for row in csv.reader(open(tmp_path / "summary.csv", encoding="utf-8-sig")) for c in row]
    assert evil not in cells and f"'{evil}" in cells
