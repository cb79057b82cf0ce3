"""Hostile and broken office files: each is refused (or cut with a warning) after bounded work and
in bounded memory, with a message naming the file and what was expected — never a reader's
traceback. The work is counted (rows the sheet parser yields), not timed: a clock on a shared
machine measures the neighbours."""

from __future__ import annotations

import json
import resource
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from corpus.errors import InputError
from corpus.read.document import Limits
from corpus.read.extract import extract, open_zip
from evaluation.renditions import write_rendition

SHARED = Path(__file__).resolve().parents[2] / "shared"
CASES_FILE = SHARED / "fieldforms" / "cases.jsonl"
MEMORY_BYTES = 500 << 20      # peak resident memory growth allowed


@pytest.fixture(scope="module")
def case() -> dict:
    if not CASES_FILE.exists():
        pytest.skip("../shared/fieldforms/cases.jsonl is not available")
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == "A-019":
            return row
    raise AssertionError("A-019 missing from cases.jsonl")


@contextmanager
def bounded():
    """Assert the block grows peak memory (ru_maxrss, KiB on Linux) < 500 MB (no clock: the work
    each test bounds is asserted exactly, by what was read or cut)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    yield
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert grown < MEMORY_BYTES, f"peak memory grew by {grown / 2**20:.0f} MB"


def refused(path: Path, limits: Limits = Limits()) -> str:
    with bounded(), pytest.raises(InputError) as caught:
        extract(path, limits=limits)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message[len(str(path)) + 2:]


# --- files that are not what their name says ------------------------------------------------------

@pytest.mark.parametrize("suffix,expected", [
    (".xlsx", "不是 .xlsx 工作簿（看起来是文本文件）"),
    (".docx", "不是 .docx 文档（看起来是文本文件）"),
    (".xls", "不是 .xls 工作簿（看起来是文本文件）"),
    (".pdf", "不是 PDF（看起来是文本文件）"),
])
def test_renamed_text_file(tmp_path, suffix, expected):
    path = tmp_path / f"申报表{suffix}"
    path.write_text("项目名称\t三级指标\t指标值\n水利工程\t新建堤防长度\t≥2公里\n", encoding="utf-8")
    assert refused(path) == expected


def test_formats_only_office_itself_reads_get_a_hint(tmp_path):
    xml = tmp_path / "导出.xls"
    xml.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
                   'spreadsheet"><Worksheet ss:Name="绩效目标"/></Workbook>', encoding="utf-8")
    assert refused(xml) == "不是 .xls 工作簿（看起来是 Excel 2003 XML 表格）；请另存为 .xlsx"
    rtf = tmp_path / "申报表.docx"
    rtf.write_bytes(b"{\\rtf1\\ansi \\par}")
    assert refused(rtf) == "不是 .docx 文档（看起来是 RTF 文档）；请另存为 .docx"


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "a.xlsx"
    empty.write_bytes(b"")
    assert refused(empty) == "是空文件（0 字节）"
    noise = tmp_path / "b.docx"
    noise.write_bytes(bytes(range(256)) * 4)
    assert refused(noise) == "不是 .docx 文档（看起来是未知类型的二进制数据）"


def test_truncated_files(tmp_path, case):
    messages = {}
    for fmt in ("xlsx", "docx", "xls", "pdf"):
        whole = write_rendition(case, fmt, "plain", tmp_path / f"whole.{fmt}").read_bytes()
        cut = tmp_path / f"cut.{fmt}"
        cut.write_bytes(whole[:len(whole) // 2])
        messages[fmt] = refused(cut)
    assert messages["xlsx"] == "已损坏（.xlsx 工作簿被截断或已损坏：不是 zip 文件）"
    assert messages["docx"] == "已损坏（.docx 文档被截断或已损坏：不是 zip 文件）"
    assert messages["xls"] == "已损坏（OLE 容器被截断或已损坏；应为 .xls 工作簿）"
    assert messages["pdf"] == "不是可读取的 PDF（pdfplumber 读取时出错）"


# --- password-protected files ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_password_protected_office_file(tmp_path, case, fmt):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_rendition(case, fmt, "plain", tmp_path / f"plain.{fmt}")
    locked = tmp_path / f"locked.{fmt}"
    with plain.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)  # what Excel/Word write: an OLE container
    assert locked.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert refused(locked) == "有密码保护；请去掉密码另存后再试"


def test_password_protected_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt="secret")
    pdf.drawString(72, 720, "locked")
    pdf.showPage()
    pdf.save()
    assert refused(path) == "有密码保护；请去掉密码另存后再试"


# --- size bombs -----------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="绩效目标" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def raw_xlsx(path: Path, rows: int, merges: str = "") -> Path:
    """A minimal workbook written as XML straight into the zip: one number per row."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            # no <dimension>: openpyxl's load_workbook(read_only=True) would parse the whole sheet
            # at open time looking for it (the reader must not)
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for start in range(1, rows + 1, 20_000):
                sheet.write("".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>'
                                    for i in range(start, min(start + 20_000, rows + 1))).encode())
            sheet.write(f"</sheetData>{merges}</worksheet>".encode())
    return path


@pytest.fixture(scope="module")
def million_rows(tmp_path_factory) -> Path:
    path = raw_xlsx(tmp_path_factory.mktemp("big") / "million.xlsx", 1_000_000,
                    '<mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells>')
    assert path.stat().st_size < 10 << 20
    return path


def test_million_row_sheet_is_refused_by_size(million_rows):
    size = million_rows.stat().st_size
    assert refused(million_rows) == f"大小 {size:,} 字节，超过 5,242,880 字节的上限（ZHIBIAO_MAX_FILE_BYTES）"


def test_million_row_sheet_is_cut_at_max_rows(million_rows, monkeypatch):
    """The reader stops parsing at max_rows: openpyxl's streaming parser yields the 20,000 rows
    kept and the one that shows the sheet goes on, never the other 979,999."""
    from openpyxl.worksheet._reader import WorkSheetParser
    parse, yielded = WorkSheetParser.parse, []

    def counted(self):
        for row in parse(self):
            yielded.append(row[0])
            yield row
    monkeypatch.setattr(WorkSheetParser, "parse", counted)
    with bounded():
        doc = extract(million_rows, limits=Limits(max_bytes=20 << 20))
    assert len(yielded) == 20_001 and yielded[-1] == 20_001
    table = doc.tables[0]
    assert len(table.rows) == 20_000 and table.row_numbers[-1] == 20_000
    assert (table.rows[0][0].text, table.rows[0][0].rowspan) == ("1", 3)  # merge read from the XML
    assert table.rows[1] == [None] and table.texts(3) == ["4"]
    assert [w.code for w in doc.warnings] == ["rows_cut"]
    assert doc.warnings[0].message == "工作表 绩效目标：超过 20,000 行，第 20,000 行之后未读取"


def test_merge_over_the_whole_sheet_is_clipped(tmp_path):
    path = raw_xlsx(tmp_path / "wide.xlsx", 2,
                    '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    with bounded():
        doc = extract(path)
    table = doc.tables[0]
    assert len(table.rows) == 2 and table.rows[0][0].text == "1"
    assert (table.rows[0][0].rowspan, table.rows[0][0].colspan) == (2, 256)


def _zeros_member(archive: zipfile.ZipFile, name: str, megabytes: int) -> None:
    with archive.open(name, "w", force_zip64=True) as member:
        block = bytes(1 << 20)
        for _ in range(megabytes):
            member.write(block)


def test_zip_bomb_archive_is_refused(tmp_path):
    bomb = tmp_path / "forms.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("表1.txt", "项目名称")
        _zeros_member(archive, "表2.xlsx", 40)
    with bounded(), pytest.raises(InputError) as caught:
        with open_zip(bomb):
            pass
    assert "成员 '表2.xlsx' 的压缩比为 " in str(caught.value)
    assert "（41,943,040 字节），超过 200:1 的上限（疑似压缩炸弹）" in str(caught.value)
    total = (40 << 20) + len("项目名称".encode("utf-8"))
    with pytest.raises(InputError, match=rf"解压后有 {total:,} 字节，超过 10,485,760 字节的上限"
                                         r"（疑似压缩炸弹）"):
        with open_zip(bomb, limits=Limits(max_unzipped_bytes=10 << 20)):
            pass


def test_zip_with_too_many_members_is_refused(tmp_path):
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(501):
            archive.writestr(f"{n}.txt", "x")
    with pytest.raises(InputError, match="有 501 个 zip 成员，超过 500 个的上限；应为 zip 压缩包"):
        with open_zip(many):
            pass


def test_xlsx_bomb_is_refused_before_openpyxl_opens_it(tmp_path, case):
    real = write_rendition(case, "xlsx", "plain", tmp_path / "real.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(real) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED,
                                                          compresslevel=9) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        _zeros_member(target, "xl/media/image1.png", 40)
    message = refused(bomb)
    assert message.startswith("成员 'xl/media/image1.png' 的压缩比为 ")
    assert message.endswith("（41,943,040 字节），超过 200:1 的上限（疑似压缩炸弹）")


def test_docx_with_a_huge_body_is_refused_before_python_docx_parses_it(tmp_path, case):
    real = write_rendition(case, "docx", "plain", tmp_path / "real.docx")
    big = tmp_path / "big.docx"
    with zipfile.ZipFile(real) as source, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":  # 900,000 numbered paragraphs: 37 MB of XML
                head, tail = data.decode("utf-8").split("<w:body>")
                paragraphs = "".join(f"<w:p><w:r><w:t>第{i}段</w:t></w:r></w:p>" for i in range(900_000))
                data = (head + "<w:body>" + paragraphs + tail).encode("utf-8")
            target.writestr(item, data)
    size = zipfile.ZipFile(big).getinfo("word/document.xml").file_size
    assert refused(big) == (f"正文（word/document.xml）有 {size:,} 字节，超过 33,554,432 字节的上限；"
                            "应为一份申报表")


def test_hostile_html_spans_are_bounded(tmp_path):
    page = tmp_path / "spans.html"
    page.write_text('<table><tr><td rowspan="65534" colspan="100000">项目名称</td><td>x</td></tr>'
                    '<tr><td rowspan="0">y</td></tr></table>', encoding="utf-8")
    with bounded():
        doc = extract(page)
    first = doc.tables[0].rows[0][0]
    assert (first.text, first.rowspan, first.colspan) == ("项目名称", 2, 256)
    assert doc.tables[0].texts(1)[256] == "y"


@pytest.mark.slow
def test_500_page_pdf_is_cut_at_max_pages(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "pages.pdf"
    pdf = canvas.Canvas(str(path))
    for number in range(1, 501):
        pdf.setFont("STSong-Light", 10)
        pdf.drawString(72, 800, f"第{number}页 项目支出绩效目标表")
        pdf.grid([72, 200, 330], [700, 680, 660])
        pdf.drawString(76, 666, f"指标{number}")
        pdf.drawString(204, 666, "≥95%")
        pdf.showPage()
    pdf.save()
    with bounded():
        doc = extract(path)
    assert [w.code for w in doc.warnings] == ["pages_cut"]
    assert doc.warnings[0].message == "共 500 页，超过 200 页，第 200 页之后未读取"
    assert len(doc.tables) == 200 and doc.tables[-1].where == "第 200 页表 1"
    assert doc.tables[-1].texts(0) == ["指标200", "≥95%"]
    assert doc.text_lines[-1] == "第200页 项目支出绩效目标表"
