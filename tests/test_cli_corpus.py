"""The corpus commands as a user runs them: parse, bad input, ingest, stats."""

import json

from tests.conftest import ROOT, SEEDS

from corpus.read import parse_file

SEED_002 = next(p for p in SEEDS if p.name.startswith("002_"))


def test_parse_json_gives_22_declarations_with_the_documented_keys(zhibiao):
    result = zhibiao("parse", *map(str, SEEDS), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) == 22
    keys = {"id", "source", "year", "agency", "department", "project_name", "project_type",
            "fund_use", "start_date", "end_date", "budget", "texts", "indicators", "warnings"}
    for decl in data:
        assert keys <= decl.keys()
        assert set(decl["source"]) >= {"file", "layout", "line_start", "line_end"}
        assert set(decl["budget"]) >= {"total", "current_year", "last_year", "last_year_executed", "components"}
        for ind in decl["indicators"]:
            assert set(ind) >= {"level1", "level2", "raw_level1", "raw_level2", "name", "target", "line", "inferred"}
            assert set(ind["target"]) >= {"raw", "operator", "value", "unit", "kind"}
    assert "上海市知识产权局" in result.stdout  # UTF-8, not \\u escapes


def test_parse_text_summary_is_a_readable_table(zhibiao):
    result = zhibiao("parse", str(SEED_002))
    assert result.returncode == 0
    assert "== 002_9a32ee6a7d1f2b19-4  上海智慧微菜场建设" in result.stdout
    assert "社区智慧微菜场市民满意度" in result.stdout and "较满意" in result.stdout


def messages(stderr: str) -> str:
    """stderr without the ingest's progress and timing lines (their numbers vary)."""
    return "".join(line for line in stderr.splitlines(keepends=True)
                   if not line.startswith(("zhibiao: 用时 ", "zhibiao: 进度 ")))


def _one_line_error(result, expected: str):
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr == f"zhibiao: 错误：{expected}\n"


def test_empty_file(zhibiao, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    _one_line_error(zhibiao("parse", str(path)), f"{path}: 是空文件；应为绩效目标申报表的文本")


def test_binary_file(zhibiao, tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _one_line_error(zhibiao("parse", str(path)),
                    f"{path}: 是二进制文件；应为 UTF-8 或 GB18030 编码的绩效目标申报表文本")


def test_file_without_a_form(zhibiao, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了预算执行情况。\n", encoding="utf-8")
    _one_line_error(zhibiao("parse", str(path)),
                    f"{path}: 未找到绩效目标申报表：查找了含 一级指标/二级指标/三级指标/指标值（或 指标名称、"
                    "年度指标值等）的表头，以及以句子写出的指标")


def test_file_over_the_size_limit(zhibiao, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(SEED_002.read_bytes() * 300)  # ~6 MB
    size = path.stat().st_size
    _one_line_error(zhibiao("parse", str(path)),
                    f"{path}: 大小 {size:,} 字节，超过 5,242,880 字节的上限（ZHIBIAO_MAX_FILE_BYTES）")


def test_missing_file(zhibiao):
    _one_line_error(zhibiao("parse", "no-such-form.txt"), "no-such-form.txt: 文件不存在")


def test_gb18030_copy_parses_exactly_like_the_utf8_seed(zhibiao, tmp_path):
    path = tmp_path / SEED_002.name
    path.write_bytes(SEED_002.read_text(encoding="utf-8").encode("gb18030"))
    converted, original = parse_file(path), parse_file(SEED_002)
    assert all(any(w.code == "encoding_converted" for w in d.warnings) for d in converted)
    assert len(converted) == len(original) == 5
    for a, b in zip(converted, original):
        a.warnings = [w for w in a.warnings if w.code != "encoding_converted"]
        assert a.to_dict() == b.to_dict()
    result = zhibiao("parse", str(path), "--json")
    assert result.returncode == 0
    notice = f"zhibiao: 提示：{path.name}: 按 GB18030 解码，已转换为 UTF-8\n"
    assert set(result.stderr.splitlines(keepends=True)) == {notice} and len(json.loads(result.stdout)) == 5
    stored = zhibiao("ingest", str(path))
    assert stored.returncode == 0 and messages(stored.stderr) == notice
    assert "：新增 1，替换 0，未变化 0，失败 0；语料库现有 5 份申报表" in stored.stdout


def test_truncated_form_comes_out_with_warnings(zhibiao, tmp_path):
    lines = SEED_002.read_text(encoding="utf-8").split("\n")
    path = tmp_path / "cut.txt"
    path.write_text("\n".join(lines[:33]), encoding="utf-8")  # stops inside the first table
    data = json.loads(zhibiao("parse", str(path), "--json").stdout)
    assert [len(d["indicators"]) for d in data] == [5]
    path.write_text("\n".join(lines[:20]), encoding="utf-8")  # stops before the table
    result = zhibiao("parse", str(path), "--json")
    data = json.loads(result.stdout)
    assert data[0]["project_name"] == "投资促进平台网络信息平台维护项目"
    assert {w["code"] for w in data[0]["warnings"]} >= {"no_indicator_table", "no_indicators"}


def test_one_bad_file_does_not_stop_the_others(zhibiao, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("")
    result = zhibiao("parse", str(bad), str(SEED_002), "--json")
    assert result.returncode == 2
    assert len(json.loads(result.stdout)) == 5


def test_ingest_twice_then_changed_file(zhibiao, tmp_path):
    first = zhibiao("ingest", str(ROOT / "corpus" / "samples"))
    assert first.returncode == 0, first.stderr
    assert "：新增 5，替换 0，未变化 0，失败 0；语料库现有 22 份申报表" in first.stdout
    second = zhibiao("ingest", str(ROOT / "corpus" / "samples"))
    assert "：新增 0，替换 0，未变化 5，失败 0；语料库现有 22 份申报表" in second.stdout
    copy = tmp_path / "forms" / SEED_002.name
    copy.parent.mkdir()
    copy.write_bytes(SEED_002.read_bytes())
    bad = tmp_path / "forms" / "broken.txt"
    bad.write_bytes(b"\x00\x01binary")
    third = zhibiao("ingest", str(tmp_path / "forms"))
    assert third.returncode == 2
    # the same bytes as a stored sample, in another folder: recognised, recorded as an alias and
    # not stored twice (issue 20: the store is content-addressed)
    assert messages(third.stderr) == (f"zhibiao: 提示：内容与已入库的 {SEED_002.name} 相同，未重复存储，记为其别名\n"
                                      f"zhibiao: 错误：{bad}: 是二进制文件；应为 UTF-8 或 GB18030 编码的"
                                      "绩效目标申报表文本\n")
    assert "：新增 0，替换 0，未变化 1，失败 1；语料库现有 22 份申报表" in third.stdout
    stats = json.loads(zhibiao("corpus", "stats", "--json").stdout)
    assert stats["declarations"] == 22 and stats["indicators"] == 306
    assert stats["by_agency"]["上海市经济信息中心"] == 7
    assert stats["by_agency"]["上海市商务委员会"] == 5


def test_changed_file_replaces_its_declarations(zhibiao, tmp_path):
    path = tmp_path / "form.txt"
    text = SEED_002.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    assert "：新增 1，替换 0，" in zhibiao("ingest", str(path)).stdout
    path.write_text(text.split("上海市财政支出项目绩效目标申报表")[0] + "上海市财政支出项目绩效目标申报表"
                    + text.split("上海市财政支出项目绩效目标申报表")[1], encoding="utf-8")
    result = zhibiao("ingest", str(path))
    assert "：新增 0，替换 1，未变化 0，失败 0；语料库现有 1 份申报表" in result.stdout


def test_stats_use_the_samples_when_the_store_is_empty(zhibiao):
    result = zhibiao("corpus", "stats")
    assert result.returncode == 0
    assert result.stdout.startswith("语料库：内置样例语料（用户语料库为空）；22 份申报表，306 个指标\n")
    assert "上海市商务委员会" in result.stdout
