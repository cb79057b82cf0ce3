"""A declaration written as the national 项目支出绩效目标申报表 (.xlsx with openpyxl, .docx with
python-docx), the file an officer fills in and submits.

Layout (both formats draw the same grid, `form_grid`): a title row; header fields one per row
(项目名称, 主管部门, 申报单位, 项目类型, 资金用途, 项目期限, 资金总额, 本年预算), each label beside a
value cell merged over the other columns; 年度绩效目标; then the indicator table 一级指标 | 二级指标 |
三级指标 | 指标值 with the level cells merged over their rows, as budget systems export it. Our own
reader (corpus.read) reads the file back into the same rows: a test holds both formats to it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from corpus.schema import Declaration

FORM_FORMATS = ("xlsx", "docx")
TITLE = "项目支出绩效目标申报表"
COLUMNS = ("一级指标", "二级指标", "三级指标", "指标值")
_WIDTHS = (14, 16, 36, 22)  # characters, for the spreadsheet


# characters an .xlsx or .docx (XML 1.0) cannot hold: control characters, lone surrogates, U+FFFE/F
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str | None) -> str:
    """`text` without what an office file cannot store (it would refuse to save, or fail to open)."""
    return _NOT_XML.sub("", text or "")


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _level(value: str | None, suffix: str) -> str:
    """产出 → 产出指标, as the national form prints the classes."""
    if not value:
        return ""
    return value if value.endswith(("指标", "目标")) else value + suffix


def form_grid(decl: Declaration) -> tuple[str, list[list[Cell | None]]]:
    """The title and the grid of rows (None: a position covered by a merged cell)."""
    ncols = len(COLUMNS)
    title = f"{decl.year}年度{TITLE}" if decl.year else TITLE
    period = " 至 ".join(x for x in (decl.start_date, decl.end_date) if x)
    goal = decl.texts.get("annual_goal") or decl.texts.get("overall_goal") or decl.texts.get("overview") or ""
    header = [("项目名称", decl.project_name or ""), ("主管部门", decl.department or ""),
              ("申报单位", decl.agency or ""), ("项目类型", decl.project_type or ""),
              ("资金用途", decl.fund_use or ""), ("项目期限", period),
              ("资金总额（元）", _money(decl.budget.total)), ("本年预算（元）", _money(decl.budget.current_year)),
              ("年度绩效目标", goal)]
    rows: list[list[Cell | None]] = []
    for label, value in header:
        rows.append([Cell(label, bold=True), Cell(value, colspan=ncols - 1)] + [None] * (ncols - 2))
    rows.append([Cell(c, bold=True) for c in COLUMNS])
    first = len(rows)
    for ind in decl.indicators:
        rows.append([Cell(_level(ind.level1, "指标")), Cell(_level(ind.level2, "指标")),
                     Cell(ind.name), Cell(ind.target.raw or "")])
    _merge(rows, first, 0, lambda r: rows[r][0].text)
    _merge(rows, first, 1, lambda r: (decl.indicators[r - first].level1 or "", rows[r][1].text))
    return title, rows


def _merge(rows: list[list[Cell | None]], first: int, col: int, key) -> None:
    """Merge runs of equal, non-empty labels in column `col` into one cell spanning the run."""
    r = first
    while r < len(rows):
        end = r + 1
        while end < len(rows) and rows[r][col] and rows[r][col].text and key(end) == key(r):
            end += 1
        if end - r > 1:
            rows[r][col].rowspan = end - r
            for k in range(r + 1, end):
                rows[k][col] = None
        r = end


def write_form(decl: Declaration, fmt: str) -> bytes:
    """The declaration as a .xlsx or .docx file (bytes). Raises ValueError for another format."""
    if fmt not in FORM_FORMATS:
        raise ValueError(f"格式“{fmt}”不支持，应为 {'、'.join(FORM_FORMATS)} 之一")
    title, rows = form_grid(decl)
    return (_xlsx if fmt == "xlsx" else _docx)(title, rows)


def anchors(rows: list[list[Cell | None]]):
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not None:
                yield r, c, cell


def _xlsx(title: str, rows: list[list[Cell | None]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = TITLE
    ncols = len(COLUMNS)
    sheet.cell(1, 1, printable(title)).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for r, row in enumerate(rows, start=2):
        for c in range(1, ncols + 1):
            sheet.cell(r, c).border = border
    for r, c, cell in anchors(rows):
        target = sheet.cell(r + 2, c + 1, printable(cell.text))
        target.data_type = "s"  # text, always: "=100%" is a target value, never a formula
        target.alignment = Alignment(wrap_text=True, vertical="center")
        if cell.bold:
            target.font = Font(bold=True)
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(start_row=r + 2, start_column=c + 1,
                              end_row=r + 1 + cell.rowspan, end_column=c + cell.colspan)
    for c, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width * 1.6
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx(title: str, rows: list[list[Cell | None]]) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    heading = document.add_heading(printable(title), level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=len(rows), cols=len(COLUMNS))
    table.style = "Table Grid"
    for r, c, cell in anchors(rows):
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = printable(cell.text)
        if cell.bold:
            for run in target.paragraphs[0].runs:
                run.bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
