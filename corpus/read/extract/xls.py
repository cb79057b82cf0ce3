"""Excel 97–2003 workbooks (.xls) → one Table per sheet.

xlrd needs `formatting_info=True` to report merged cells and number formats. An .xls file is at
most 65,536 rows × 256 columns and is already bounded by `Limits.max_bytes`, so reading a sheet
whole is safe; rows beyond `max_rows` are cut with a warning.
"""

from __future__ import annotations

from pathlib import Path

from corpus.read.document import Document, Limits
from corpus.read.extract.base import CellBudget, check_size
from corpus.read.extract.grid import Placed, apply_merges, clean_text, dense_table
from corpus.read.extract.numbers import render_date, render_number


class XlsExtractor:
    formats = (".xls",)

    def extract(self, path: Path, *, limits: Limits) -> Document:
        check_size(path, limits)
        import xlrd

        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
        doc = Document(path=path, format="xls")
        budget = CellBudget(limits)
        try:
            for index in range(book.nsheets):
                if budget.cells_cut:
                    break
                sheet = book.sheet_by_index(index)
                table = _read_sheet(book, sheet, doc, limits, budget)
                if table is not None:
                    doc.tables.append(table)
                    doc.title = doc.title or sheet.name
                book.unload_sheet(index)
        finally:
            book.release_resources()
        budget.report(doc, limits)
        return doc


def _read_sheet(book, sheet, doc: Document, limits: Limits, budget: CellBudget):
    nrows = sheet.nrows
    if nrows > limits.max_rows:
        doc.warn("rows_cut", f"工作表 {sheet.name}：共 {nrows:,} 行，超过 {limits.max_rows:,} 行，"
                             f"第 {limits.max_rows:,} 行之后未读取", limits.max_rows)
        nrows = limits.max_rows
    placed: dict[tuple[int, int], Placed] = {}
    for r in range(nrows):
        for c in range(sheet.row_len(r)):
            text = _cell_text(book, sheet, r, c)
            if not text:
                continue
            if not budget.take_cells(1):
                break
            placed[(r, c)] = Placed(r, c, budget.text(text))
        if budget.cells_cut:
            break
    # xlrd's ranges are (row1, row2, col1, col2) with exclusive ends
    apply_merges(placed, [(r1, c1, min(r2, nrows) - 1, c2 - 1)
                          for r1, r2, c1, c2 in sheet.merged_cells if r1 < nrows and c2 > c1])
    return dense_table(list(placed.values()), where=f"工作表 {sheet.name}",
                       max_positions=limits.max_cells, doc=doc)


def _cell_text(book, sheet, r: int, c: int) -> str:
    import xlrd

    kind = sheet.cell_type(r, c)
    value = sheet.cell_value(r, c)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_TEXT:
        return clean_text(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    number_format = _number_format(book, sheet, r, c)
    if kind == xlrd.XL_CELL_DATE:
        try:
            return render_date(xlrd.xldate_as_datetime(value, book.datemode), number_format)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return render_number(value)
    return render_number(float(value), number_format)


def _number_format(book, sheet, r: int, c: int) -> str:
    try:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        return book.format_map[xf.format_key].format_str or "General"
    except (IndexError, KeyError, AttributeError):
        return "General"


EXTRACTOR = XlsExtractor()
