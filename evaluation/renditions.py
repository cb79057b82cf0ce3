"""A field-form case written as an office file, the way budget systems export forms.

`write_rendition(case, fmt, template, path)` writes one case of `../shared/fieldforms/cases.jsonl`
as .xlsx, .xls, .docx, .html or .pdf in one of three templates:

- `plain`: header block (项目名称, 主管部门, 实施单位, 年度, 资金(万元), 项目概况) above
  一级指标 | 二级指标 | 三级指标 | 指标值, level cells merged over their rows;
- `split`: 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重, a quantitative value
  split into its operator (≥ ≤ = > <), its number as written and its unit as written (the kind
  and operator come from `corpus.targets.parse_target`); any other value goes whole into 指标值
  with 指标性质 定性;
- `selfeval`: a 自评表, 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
  偏差原因 (the actual value is the target, 分值 and 得分 10).

Every format draws the same grid (`form_grid`), so a reader can be checked against one
expectation for all formats: spreadsheets hold numbers as numbers (资金 with format "0.00",
split numbers and scores as General), the other formats print them as Excel would show them.
Spreadsheets put the title in a merged first row; the other formats print it above the table.
The .html of the selfeval template is encoded in GB18030 and declares gb2312, as many county
sites do. A label that is null in the case stays blank, and is never merged with its neighbours.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.targets import parse_target
from corpus.vocab import operator_display

FORMATS = ("xlsx", "xls", "docx", "html", "pdf")
TEMPLATES = ("plain", "split", "selfeval")

_COLUMNS = {
    "plain": ("一级指标", "二级指标", "三级指标", "指标值"),
    "split": ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"),
    "selfeval": ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"),
}
_TITLES = {"plain": "项目支出绩效目标申报表", "split": "项目支出绩效目标表", "selfeval": "项目支出绩效自评表"}
_GOAL_LABEL = {"plain": "项目概况", "split": "年度目标", "selfeval": "年度总体目标"}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_OPERATOR_PREFIX = re.compile(r"^(?:>=|<=|≥|≤|＞＝|＜＝|=|＝|>|<|＞|＜|大于等于|小于等于|不低于|不少于|"
                              r"不小于|不超过|不高于|不大于|不多于|至少|大于|小于|高于|低于|达到)?\s*$")
_TRAILING_WORDS = re.compile(r"\s*(?:及以上|以上|及以下|以下|以内|之内)$")
_SCORE = 10
MONEY_FORMAT = "0.00"


@dataclass
class FormCell:
    """One anchor of the grid: text, or a number (shown as Excel shows it with `number_format`)."""
    value: str | float | int
    rowspan: int = 1
    colspan: int = 1
    number_format: str = "General"

    @property
    def text(self) -> str:
        return shown(self.value, self.number_format)


@dataclass
class FormGrid:
    title: str
    sheet_name: str
    widths: list[float]                                   # relative column widths
    rows: list[list[FormCell | None]] = field(default_factory=list)  # None: covered by a merge

    @property
    def ncols(self) -> int:
        return len(self.widths)


def shown(value: str | float | int, number_format: str = "General") -> str:
    """A cell value as Excel displays it (only the formats these renditions use)."""
    if isinstance(value, str):
        return value
    if number_format == MONEY_FORMAT:
        return f"{value:.2f}"
    number = float(value)
    return str(int(number)) if number == int(number) else f"{number:.15g}"


def write_rendition(case: dict, fmt: str, template: str, path: Path) -> Path:
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    grid = form_grid(case, template)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    {"xlsx": _write_xlsx, "xls": _write_xls, "docx": _write_docx, "html": _write_html,
     "pdf": _write_pdf}[fmt](grid, path, template)
    return path


# --- the grid -------------------------------------------------------------------------------------

def write_grid(title: str, rows: list[list[str]], fmt: str, path: Path) -> Path:
    """Rows of text (a generated form's header and body, `evaluation.generate_forms`) as an office
    file: a 项目名称 line above the table, blank cells left blank (a merged cell's lost label)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    ncols = max(len(r) for r in rows)
    grid = FormGrid(title=title, sheet_name="绩效目标表", widths=[1.5] * ncols)
    grid.rows.append([FormCell("项目名称"), FormCell("专项资金项目", 1, ncols - 1)] + [None] * (ncols - 2))
    for row in rows:
        grid.rows.append([FormCell(c) for c in row] + [FormCell("")] * (ncols - len(row)))
    path = Path(path)
    {"xlsx": _write_xlsx, "xls": _write_xls, "docx": _write_docx, "html": _write_html,
     "pdf": _write_pdf}[fmt](grid, path, "plain")
    return path


def form_grid(case: dict, template: str) -> FormGrid:
    """The form as a grid: header block, indicator header row, indicator rows."""
    if template not in TEMPLATES:
        raise ValueError(f"template {template!r} is not one of {', '.join(TEMPLATES)}")
    columns = _COLUMNS[template]
    ncols = len(columns)
    year = case.get("year")
    title = f"{year}年度{_TITLES[template]}" if year else _TITLES[template]
    widths = [1.3, 1.5, 3.2] + [1.2] * (ncols - 3)
    if template == "plain":
        widths[3] = 1.8
    grid = FormGrid(title=title, sheet_name=_TITLES[template], widths=widths)
    budget = _budget_number(case.get("budget_text"))
    header: list[tuple[str, str | float | int, str]] = [
        ("项目名称", case.get("project_name") or "", "General"),
        ("主管部门", case.get("agency") or "", "General"),
        ("实施单位", case.get("implementing_unit") or "", "General"),
        ("年度", int(year) if year else "", "General"),
        ("资金(万元)", budget if budget is not None else "", MONEY_FORMAT),
        (_GOAL_LABEL[template], case.get("description") or "", "General"),
    ]
    for label, value, number_format in header:
        grid.rows.append([FormCell(label), FormCell(value, 1, ncols - 1, number_format)]
                         + [None] * (ncols - 2))
    grid.rows.append([FormCell(c) for c in columns])
    indicators = case.get("indicators") or []
    first = len(grid.rows)
    for item in indicators:
        grid.rows.append([FormCell(""), FormCell("")] + _tail(item, template))
    _merge_levels(grid, first, indicators)
    return grid


def _tail(item: dict, template: str) -> list[FormCell]:
    name, value = item.get("name") or "", item.get("value") or ""
    if template == "plain":
        return [FormCell(name), FormCell(value)]
    if template == "selfeval":
        return [FormCell(name), FormCell(value), FormCell(value), FormCell(_SCORE),
                FormCell(_SCORE), FormCell("")]
    nature, number, unit = split_value(value)
    return [FormCell(name), FormCell(nature), FormCell(number), FormCell(unit), FormCell("")]


def split_value(value: str) -> tuple[str, str | float | int, str]:
    """(指标性质, 指标值, 度量单位): ("≥", 200, "平方米") or ("定性", "2023年12月", "")."""
    target = parse_target(value)
    if target.kind in ("placeholder", "missing"):
        return "", value, ""
    number = _NUMBER.search(value)
    if target.kind != "quantitative" or number is None or not _OPERATOR_PREFIX.match(value[:number.start()]):
        return "定性", value, ""
    written = number.group().replace(",", "")
    amount: float | int = int(written) if written.isdigit() else float(written)
    unit = _TRAILING_WORDS.sub("", value[number.end():].strip()).strip()
    if re.fullmatch(r"[(（][^()（）]*[)）]", unit):
        unit = unit[1:-1].strip()  # '(人次)': the unit in brackets; '台（套）' keeps its second unit
    return operator_display(target.operator or "="), amount, unit


def _merge_levels(grid: FormGrid, first: int, indicators: list[dict]) -> None:
    """Level labels: consecutive equal labels merge over their rows; a null label stays blank."""
    def runs(keys: list[tuple | None]) -> list[tuple[int, int]]:
        found, start = [], 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start] or keys[start] is None:
                found.append((start, i))
                start = i
        return found

    level1 = [(item.get("level1"),) if item.get("level1") else None for item in indicators]
    level2 = [(item.get("level1"), item.get("level2")) if item.get("level2") else None
              for item in indicators]
    for col, keys, pick in ((0, level1, "level1"), (1, level2, "level2")):
        for start, end in runs(keys):
            label = indicators[start].get(pick) or ""
            grid.rows[first + start][col] = FormCell(label, end - start, 1)
            for r in range(start + 1, end):
                grid.rows[first + r][col] = None


def _budget_number(text: str | None) -> float | None:
    match = _NUMBER.search(text or "")
    return float(match.group().replace(",", "")) if match else None


def _anchors(grid: FormGrid):
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell is not None:
                yield r, c, cell


# --- writers --------------------------------------------------------------------------------------

def _write_xlsx(grid: FormGrid, path: Path, template: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = grid.sheet_name
    sheet.cell(row=1, column=1, value=grid.title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.ncols)
    for r, c, cell in _anchors(grid):
        target = sheet.cell(row=r + 2, column=c + 1, value=cell.value)
        if isinstance(cell.value, str) and cell.value.startswith("="):
            target.data_type = "s"  # "=10个" is a value, not a formula
        target.number_format = cell.number_format
        target.alignment = Alignment(wrap_text=True, vertical="center")
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(start_row=r + 2, start_column=c + 1,
                              end_row=r + 1 + cell.rowspan, end_column=c + cell.colspan)
    for c, width in enumerate(grid.widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width * 9
    book.save(path)


def _write_xls(grid: FormGrid, path: Path, template: str) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(grid.sheet_name)
    styles: dict[str, xlwt.XFStyle] = {}

    def style(number_format: str) -> xlwt.XFStyle:
        if number_format not in styles:
            styles[number_format] = xlwt.easyxf("align: wrap on, vert centre",
                                                num_format_str=number_format)
        return styles[number_format]

    sheet.write_merge(0, 0, 0, grid.ncols - 1, grid.title, style("General"))
    for r, c, cell in _anchors(grid):
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.write_merge(r + 1, r + cell.rowspan, c, c + cell.colspan - 1, cell.value,
                              style(cell.number_format))
        else:
            sheet.write(r + 1, c, cell.value, style(cell.number_format))
    for c, width in enumerate(grid.widths):
        sheet.col(c).width = int(width * 9 * 256)
    book.save(str(path))


def _write_docx(grid: FormGrid, path: Path, template: str) -> None:
    import docx

    document = docx.Document()
    document.add_heading(grid.title, level=1)
    table = document.add_table(rows=len(grid.rows), cols=grid.ncols)
    table.style = "Table Grid"
    for r, c, cell in _anchors(grid):
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text
    document.add_paragraph("填报说明：本表由预算管理系统导出。")
    document.save(str(path))


def _write_html(grid: FormGrid, path: Path, template: str) -> None:
    gb = template == "selfeval"  # county sites still serve gb2312 pages
    charset = "gb2312" if gb else "utf-8"
    out = ["<!DOCTYPE html>", "<html><head>",
           f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
           f"<title>{html_lib.escape(grid.title)}</title>",
           "<style>td{border:1px solid #000}</style><script>var x = '<td>not a cell</td>';</script>",
           "</head><body>", f"<h2>{html_lib.escape(grid.title)}</h2>",
           '<table border="1" cellspacing="0">']
    for row in grid.rows:
        out.append("<tr>")
        for cell in row:
            if cell is None:
                continue
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + \
                    (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            text = html_lib.escape(cell.text).replace("\n", "<br>")
            out.append(f"<td{spans}>{text}</td>")
        out.append("</tr>")
    out += ["</table>", "<p>填报说明：本表由预算管理系统导出。</p>", "</body></html>"]
    path.write_bytes("\n".join(out).encode("gb18030" if gb else "utf-8"))


def _write_pdf(grid: FormGrid, path: Path, template: str) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"  # a CID font built into reportlab: Chinese without font files
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    page = landscape(A4) if grid.ncols > 4 else A4
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    title_style = ParagraphStyle("title", fontName=font, fontSize=14, leading=18)
    data = [["" for _ in range(grid.ncols)] for _ in grid.rows]
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), font)]
    for r, c, cell in _anchors(grid):
        data[r][c] = Paragraph(html_lib.escape(cell.text), cell_style)
        if cell.rowspan > 1 or cell.colspan > 1:
            commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    usable = page[0] - 72
    total = sum(grid.widths)
    table = Table(data, colWidths=[usable * w / total for w in grid.widths], style=TableStyle(commands))
    story = [Paragraph(html_lib.escape(grid.title), title_style), Spacer(1, 8), table]
    SimpleDocTemplate(str(path), pagesize=page, leftMargin=36, rightMargin=36, topMargin=36,
                      bottomMargin=36, title=grid.title).build(story)
