"""Issue 24, item 4: no Latin word in what a person reads — the CLI's help and the output of every
command, the start-up lines, the page's three tabs (served HTML and the strings its script shows)
and the HTML report. Stricter than test_hardening_chinese: a lower-case code is not excused by
brackets or hyphens (`（vague_quality）`, `sh-2019-tabbed`, `grid-xlsx` were shown to users).

Allowed: units, upper-case codes and placeholders (NOT_QUANTIFIED, FILE_OR_DIR, ZHIBIAO_HOME, JSON,
CSV, UTF-8), encoder names, file names and suffixes, paths and URLs, options a user types, the
program's own name and commands, argparse choice sets ({agency,year}), the user's own quoted words."""

from __future__ import annotations

import io
import logging
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from corpus.store import SAMPLES_DIR
from tests.test_hardening_chinese import COMMANDS, page_texts

SEEDS = sorted(SAMPLES_DIR.glob("*.txt"))
ENCODERS = ("static-e5", "e5-small-q4", "tfidf", "st:")
ALLOWED = {
    "km", "m", "m²", "kg", "t", "mb", "gb", "kb",                       # units
    "zhibiao", "parse", "ingest", "report", "review", "check", "recommend", "serve", "corpus", "stats",
    "evaluate", "vagueness", "stated", "bench",                                   # the program and its commands
    "bearer", "authorization",                                            # an HTTP header a user writes
    "name", "value", "level1", "level2", "project_name", "description", "agency",  # JSON keys a user writes
    "auto", "national", "shanghai", "agency", "year",                    # option values a user types
    "ray", "local",                                                       # --engine local|ray (Ray: a product name)
    "index",                                                              # `zhibiao corpus index`, a command
    "html", "csv", "json", "jsonl", "xlsx", "xls", "docx", "pdf", "txt", "zip",  # formats named as values
    "pdftext",                                                            # --generated-formats pdftext
    "webtext", "webhtml",                                                 # evaluate parse --generated-formats values
}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9²]*")


def latin_words(text: str) -> list[str]:
    for encoder in ENCODERS:
        text = text.replace(encoder, " ")
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", text)                 # the user's own words, quoted
    text = re.sub(r"\S*[/\\]\S*", " ", text)                        # paths
    text = re.sub(r"[\w\-]*\.[A-Za-z0-9]{2,5}\b", " ", text)         # file names and suffixes (.xlsx)
    text = re.sub(r"(?<![\w])--?[a-z][a-z0-9\-]*", " ", text)        # options a user types
    text = re.sub(r"\{[^}]*\}", " ", text)                          # argparse choices {agency,year}
    text = re.sub(r"\[[a-z0-9_]+\]", " ", text)                      # a parse warning's code after its message
    out = []
    for word in WORD.findall(text):
        if word.isupper() or word.lower() in ALLOWED or any(c.isdigit() for c in word):  # ids: 000_8fa2…-1
            continue
        out.append(word)
    return out


def test_the_scanner():
    assert latin_words("不可测量（vague_quality）") == ["vague", "quality"]
    assert latin_words("版式 sh-2019-tabbed") == ["sh", "tabbed"]
    assert latin_words("编码器 static-e5；文件 a.xlsx；--out 输出（ZHIBIAO_HOME）；“Sheet”") == []
    assert latin_words("index read into the page cache in 0.0 s") == ["read", "into", "the", "page",
                                                                       "cache", "in", "s"]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("latin-home")


def run(capsys, monkeypatch, home, *argv, stdin=None, ok=(0, 2)) -> str:
    monkeypatch.setenv("ZHIBIAO_HOME", str(home))
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status in ok, (argv, err)
    return out + err


def found(text: str) -> dict[str, list[str]]:
    text = re.sub(r"-\n\s+", "-", text)  # argparse wraps e5-small-q4 after a hyphen
    return {line: words for line in text.splitlines() if (words := latin_words(line))}


HELP = COMMANDS + [("ingest", "--remove")]


@pytest.mark.parametrize("command", HELP, ids=lambda c: " ".join(c) or "zhibiao")
def test_cli_help(capsys, monkeypatch, tmp_path, command):
    assert found(run(capsys, monkeypatch, tmp_path, *command, "-h")) == {}


@pytest.mark.slow
def test_every_command_output(capsys, monkeypatch, home, tmp_path):
    form = tmp_path / "表.xlsx"
    text = run(capsys, monkeypatch, home, "recommend", "--name", "乡镇卫生院医疗设备购置",
               "--description", "为12个乡镇卫生院购置医疗设备36台（套）。", "--out", str(form))
    text += run(capsys, monkeypatch, home, "parse", str(form), *map(str, SEEDS))
    text += run(capsys, monkeypatch, home, "review", str(form), str(SEEDS[1]))
    text += run(capsys, monkeypatch, home, "review", "--summary", "--csv", str(tmp_path / "s.csv"), str(form), str(SEEDS[1]))
    text += run(capsys, monkeypatch, home, "review", "--out", str(tmp_path / "memo.docx"), str(form))
    text += run(capsys, monkeypatch, home, "check", stdin='{"name": "培训质量", "value": "较好"}\n'
                '{"name": "服务对象满意度", "value": "较满意"}\n{"name": "设备完好率", "value": "完善"}\n'
                '{"name": "群众满意度", "value": "进一步提升"}\n{"name": "采购数量", "value": "≥36台"}\n')
    text += run(capsys, monkeypatch, home, "corpus", "stats")
    text += run(capsys, monkeypatch, home, "report", "--out", str(tmp_path / "report"))
    store_home = tmp_path / "store"
    text += run(capsys, monkeypatch, store_home, "ingest", str(form), str(SEEDS[0]))
    text += run(capsys, monkeypatch, store_home, "corpus", "stats")
    text += run(capsys, monkeypatch, store_home, "ingest", "--remove", str(form))
    text += run(capsys, monkeypatch, home, "evaluate", "vagueness")
    assert found(text) == {}
    assert found(report_text(tmp_path / "report" / "report.html")) == {}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def report_text(path: Path) -> str:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.texts)


def test_the_page_three_tabs():
    assert {t: w for t in page_texts() if (w := latin_words(t))} == {}


def test_start_up_lines(tmp_path, caplog):
    from api.services import Services
    from api.settings import Settings
    with caplog.at_level(logging.INFO, logger="zhibiao"):
        Services.load(Settings(home=tmp_path, encoder="tfidf"))
    lines = [r.getMessage() for r in caplog.records if r.name == "zhibiao"]
    assert any(line.startswith("zhibiao: 语料库：内置样例语料") for line in lines)
    assert found("\n".join(lines)) == {}


def test_openapi_tags_summaries_and_titles(tmp_path):
    from api.app import create_app
    from api.settings import Settings
    with TestClient(create_app(Settings(home=tmp_path, encoder="tfidf"))) as client:
        schema = client.get("/openapi.json").json()
    shown = [t["name"] for t in schema.get("tags", [])]
    for path, methods in schema["paths"].items():
        for op in methods.values():
            shown += op.get("tags", []) + [op.get("summary", "")]
    shown += [s.get("title", "") for s in schema["components"]["schemas"].values()]
    assert {t: w for t in shown if (w := latin_words(t))} == {}
