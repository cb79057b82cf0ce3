"""Issue 13, item 6: no English word in what a user reads — the page, the CLI's tables and
messages, the API's error messages. Allowed: JSON keys and codes (identifiers with _ or in
capitals, or in brackets), units, model and layout ids, file names and paths, formats (JSON,
CSV, UTF-8 …), the program's own name and its options, HTTP header names."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from corpus.store import SAMPLES_DIR
from tests.hardening_support import HARDENING_HOME, TOKEN, make_app

STATIC = Path(__file__).resolve().parents[1] / "api" / "static"
SEEDS = sorted(SAMPLES_DIR.glob("*.txt"))
ALLOWED = {
    # formats and encodings
    "json", "jsonl", "csv", "xlsx", "xls", "docx", "doc", "pdf", "txt", "html", "zip", "utf", "gb18030",
    "pdftext",  # `--generated-formats pdftext`: a format a user types
    "webtext", "webhtml",  # evaluate parse --generated-formats values (a web page's text, the page as a file)
    # units the forms use
    "km", "m", "m²", "gb", "tb", "kb", "mb",
    # model ids and index kinds shown as ids
    "e5", "small", "q4", "tfidf", "st", "hnsw",
    # the program, its commands and options (a user types these)
    "zhibiao", "parse", "ingest", "report", "review", "check", "recommend", "serve", "corpus", "stats",
    "evaluate", "vagueness", "stated", "bench", "name", "description", "input", "agency", "by", "format", "out", "year", "top", "k", "h",
    # HTTP
    "authorization", "bearer", "multipart", "form", "data", "files", "text", "indicators",
    # JSON keys named in help texts
    "value",
    # engines a user names (`zhibiao ingest --engine local|ray --address auto`): Ray is a product name
    "ray", "local", "auto",
    "index",  # `zhibiao corpus index`, a command a user types
}
CJK = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9²]*")


def english_words(text: str) -> list[str]:
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"“[^”]*”", " ", text)                             # the user's own words, quoted
    text = re.sub(r"[\w\[\]\.]+：", " ", text)                       # a JSON field path: items[0].name：
    text = re.sub(r"\[[a-z0-9_]+\]", " ", text)                   # [level1_below]: a code
    text = re.sub(r"\([a-z0-9_]+\)|（[a-z0-9_]+）", " ", text)       # (vague_grade): a code
    text = re.sub(r"\S*[/\\]\S*", " ", text)                         # paths
    text = re.sub(r"[\w\-]+\.[A-Za-z]{2,5}\b", " ", text)            # file names
    text = re.sub(r"\b[\w]+(?:-[\w]+)+\b", " ", text)                # ids: sh-2019-tabbed, e5-small-q4
    text = re.sub(r"--?[a-z][a-z\-]*", " ", text)                    # options
    text = re.sub(r"\$?\{[^}]*\}", " ", text)                        # template slots
    out = []
    for word in WORD.findall(text):
        if "_" in word or word.isupper() or word.lower() in ALLOWED or any(c.isdigit() for c in word):
            continue
        out.append(word)
    return out


# --- the page -------------------------------------------------------------------------------

class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [v for k, v in attrs if k in ("placeholder", "title", "aria-label", "alt") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def page_texts() -> list[str]:
    parser = _Visible()
    parser.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    script = re.sub(r"^\s*//.*$", "", script, flags=re.M)  # comments are for developers
    literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`((?:[^`\\]|\\.)*)`', script)
    shown = []
    for parts in literals:
        literal = next(p for p in parts if p is not None)
        text = re.sub(r"<[^>]+>", " ", literal)          # markup is not read
        if CJK.search(text) or "HTTP" in text or "请求失败" in text:
            shown.append(text)
    return parser.texts + shown


def test_the_page_shows_no_english():
    found = {w for text in page_texts() for w in english_words(text)}
    assert found == set()


def test_the_scanner_finds_english():
    assert english_words("语料库 flat 索引") == ["flat"]
    assert english_words("不可测量（vague_grade），行 3 [level1_below] 版式 sh-2019-tabbed") == []
    assert english_words("zhibiao: error: bad.json: expected the output") == ["error", "expected", "the", "output"]


# --- the API's error messages -----------------------------------------------------------------

def test_api_error_messages_are_chinese(tmp_path):
    bad = [("post", "/v1/reviews", {"json": {"text": 123}}), ("post", "/v1/reviews", {"json": {"indicators": ["x"]}}),
           ("post", "/v1/reviews", {"content": "{", "headers": {"content-type": "application/json"}}),
           ("post", "/v1/reviews", {"content": "[" * 100, "headers": {"content-type": "application/json"}}),
           ("post", "/v1/recommendations", {"json": {"project_name": ""}}),
           ("post", "/v1/recommendations", {"json": {"project_name": "x", "description": "很" * 5001}}),
           ("post", "/v1/targets/assess", {"json": {"items": [{"value": "x"}]}}),
           ("get", "/v1/declarations/nope-1", {}), ("get", "/v1/nope", {}), ("delete", "/v1/stats", {}),
           ("get", "/v1/indicators", {"params": {"limit": 0}}),
           ("post", "/v1/declarations", {"json": {"indicators": []}}),
           ("post", "/v1/declarations", {"json": {"indicators": [{"name": 1}]}, "headers": {"Authorization": f"Bearer {TOKEN}"}}),
           ("post", "/v1/declarations", {"files": {"files": ("a.exe", b"x")}, "headers": {"Authorization": "Bearer x"}}),
           ("get", "/v1/jobs/x", {"headers": {"Authorization": f"Bearer {TOKEN}"}})]
    with TestClient(make_app(tmp_path)) as client:
        messages = []
        for method, path, options in bad:
            response = getattr(client, method)(path, **options)
            assert response.status_code >= 400, (path, response.text)
            messages.append(response.json()["error"]["message"])
    assert {m: english_words(m) for m in messages if english_words(m)} == {}


def test_api_error_message_for_text_that_is_no_form(tmp_path):
    with TestClient(make_app(tmp_path)) as client:
        response = client.post("/v1/reviews", json={"text": "随便写的一段话，不是申报表"})
    assert response.status_code == 422
    assert english_words(response.json()["error"]["message"]) == []


# --- the CLI ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def home():
    return HARDENING_HOME  # bundled corpus, index reused


def run_cli(capsys, monkeypatch, home, *argv: str, stdin: str | None = None) -> str:
    monkeypatch.setenv("ZHIBIAO_HOME", str(home))
    monkeypatch.setenv("ZHIBIAO_ENCODER", "tfidf")
    if stdin is not None:
        import io
        import sys
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status in (0, 2), (argv, err)
    return out + err


def words_of(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in text.splitlines():
        for word in english_words(line):
            found[word] = found.get(word, 0) + 1
    return found


def test_cli_corpus_stats_ingest_and_report(capsys, monkeypatch, home, tmp_path):
    text = run_cli(capsys, monkeypatch, home, "corpus", "stats")
    text += run_cli(capsys, monkeypatch, tmp_path, "ingest", str(SEEDS[0]))
    text += run_cli(capsys, monkeypatch, tmp_path, "parse", str(tmp_path / "missing.txt"))
    text += run_cli(capsys, monkeypatch, tmp_path, "report", "--format", "csv", "--out", str(tmp_path / "r"))
    assert words_of(text) == {}


@pytest.mark.slow
def test_cli_parse_every_sample(capsys, monkeypatch, home):
    assert words_of(run_cli(capsys, monkeypatch, home, "parse", *map(str, SEEDS))) == {}


@pytest.mark.slow
def test_cli_check_and_review(capsys, monkeypatch, home):
    text = run_cli(capsys, monkeypatch, home, "check", stdin='{"name": "服务对象满意度", "value": "较满意"}\n')
    text += run_cli(capsys, monkeypatch, home, "review", str(SEEDS[0]))
    assert words_of(text) == {}


@pytest.mark.slow
def test_cli_recommend(capsys, monkeypatch, tmp_path):
    text = run_cli(capsys, monkeypatch, tmp_path, "recommend", "--name", "区图书馆全民阅读推广",
                   "--description", "全年举办读书讲座不少于48场，服务读者20万人次，年底前完成平台上线。")
    assert words_of(text) == {}


COMMANDS = [(), ("parse",), ("ingest",), ("corpus",), ("corpus", "stats"), ("serve",), ("recommend",), ("report",),
            ("review",), ("check",), ("evaluate",), ("evaluate", "parse"), ("evaluate", "recommend"),
            ("evaluate", "vagueness"), ("bench",)]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "zhibiao")
def test_cli_help_is_chinese(capsys, monkeypatch, tmp_path, command):
    # metavars (FILE_OR_DIR, CASES) are upper case and pass; argparse's own headings must not
    assert words_of(run_cli(capsys, monkeypatch, tmp_path, *command, "-h")) == {}


@pytest.mark.slow
def test_cli_evaluate_vagueness(capsys, monkeypatch, home):
    assert words_of(run_cli(capsys, monkeypatch, home, "evaluate", "vagueness")) == {}


FIELD_CASES = Path(__file__).resolve().parents[1].parent / "shared" / "fieldforms" / "cases.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not FIELD_CASES.exists(), reason="../shared/fieldforms not present")
def test_cli_evaluate_recommend_cases(capsys, monkeypatch, home):
    text = run_cli(capsys, monkeypatch, home, "evaluate", "recommend", "--cases", str(FIELD_CASES),
                   "--encoder", "tfidf")
    assert words_of(text) == {}
