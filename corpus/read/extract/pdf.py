"""PDF files (text layer) → ruled tables per page and the text around them as lines.

pdfplumber finds tables from their ruling lines. A merged cell comes back as one cell whose box
covers several row bands / column positions, and None at the positions it covers; the spans are
read back from those boxes so a PDF gives the same grid as the spreadsheet it was printed from.
Text wrapped inside a cell is joined again (no space between two Chinese characters). Pages past
`Limits.max_pages` are cut with a warning; an encrypted PDF that needs a password is refused.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from corpus.errors import InputError
from corpus.read.document import Document, Limits
from corpus.read.extract.base import CellBudget, check_size
from corpus.read.extract.grid import Placed, dense_table

_EDGE_TOLERANCE = 2.0  # points: a box reaching less than this into a band does not span it
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef（）《》“”‘’，。、：；！？【】]")


class PdfExtractor:
    formats = (".pdf",)

    def extract(self, path: Path, *, limits: Limits) -> Document:
        check_size(path, limits)
        import pdfplumber

        # pdfminer logs every odd object at WARNING; a reader's user cannot act on those
        if logging.getLogger("pdfminer").level == logging.NOTSET:
            logging.getLogger("pdfminer").setLevel(logging.ERROR)
        try:
            pdf = pdfplumber.open(str(path))
        except Exception as exc:  # noqa: BLE001 - pdfminer wraps password errors several ways
            if _is_password_error(exc):
                raise InputError(path, "有密码保护；请去掉密码另存后再试") from None
            raise
        doc = Document(path=path, format="pdf")
        budget = CellBudget(limits)
        try:
            for number, page in enumerate(_pages(pdf), start=1):
                if number > limits.max_pages:
                    total = _page_count(pdf)
                    said = f"共 {total:,} 页" if total else "页数"
                    doc.warn("pages_cut", f"{said}，超过 {limits.max_pages:,} 页，第 "
                                          f"{limits.max_pages:,} 页之后未读取")
                    break
                _read_page(page, number, doc, limits, budget)
                page.close()  # drop the page's parsed objects: memory stays flat over many pages
                if budget.cells_cut or budget.chars_cut:
                    break
            doc.title = _title(pdf, doc)
            if not doc.tables and not doc.text_lines:
                doc.warn("no_text_layer", "PDF 没有文字层（扫描件？），需要先做文字识别（OCR）")
        finally:
            pdf.stream.close()  # not pdf.close(): it would build every page object to close it
        budget.report(doc, limits)
        return doc


def _pages(pdf):
    """Pages one at a time: `pdf.pages` would parse every page object of a 500-page file first."""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    doctop = 0
    for number, raw in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        page = Page(pdf, raw, page_number=number, initial_doctop=doctop)
        doctop += page.height
        yield page


def _page_count(pdf) -> int | None:
    try:
        from pdfminer.pdftypes import resolve1

        return int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # noqa: BLE001 - the count is only for the message
        return None


def _read_page(page, number: int, doc: Document, limits: Limits, budget: CellBudget) -> None:
    found = page.find_tables()
    boxes = []
    for index, table in enumerate(found, start=1):
        boxes.append(table.bbox)
        placed = _placed(table, budget)
        if len(placed) and max(p.row for p in placed) >= limits.max_rows:
            doc.warn("rows_cut", f"第 {number} 页表 {index}：超过 {limits.max_rows:,} 行，其余未读取")
            placed = [Placed(p.row, p.col, p.text, min(p.rowspan, limits.max_rows - p.row), p.colspan)
                      for p in placed if p.row < limits.max_rows]
        grid = dense_table(placed, where=f"第 {number} 页表 {index}",
                           max_positions=limits.max_cells, doc=doc)
        if grid is not None:
            doc.tables.append(grid)
    rest = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes)) if boxes else page
    text = rest.extract_text() or ""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            doc.text_lines.append(budget.text(line))


def _placed(table, budget: CellBudget) -> list[Placed]:
    rows = table.rows
    texts = table.extract()
    tops = sorted({cell[1] for cell in table.cells})
    lefts = sorted({cell[0] for cell in table.cells})
    placed = []
    for r, (row, row_texts) in enumerate(zip(rows, texts)):
        for c, (box, text) in enumerate(zip(row.cells, row_texts)):
            if box is None:
                continue  # covered by a merged cell above or to the left
            if not budget.take_cells(1):
                return placed
            x0, top, x1, bottom = box
            rowspan = sum(1 for t in tops if top <= t < bottom - _EDGE_TOLERANCE)
            colspan = sum(1 for x in lefts if x0 <= x < x1 - _EDGE_TOLERANCE)
            placed.append(Placed(r, c, budget.text(join_wrapped(text or "")),
                                 max(rowspan, 1), max(colspan, 1)))
    return placed


def join_wrapped(text: str) -> str:
    """Lines of one cell, wrapped by the PDF's layout, as one text: CJK joined without a space."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        glue = "" if _WIDE.match(out[-1]) or _WIDE.match(line[0]) else " "
        out += glue + line
    return out


def _inside(obj: dict, box: tuple) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    mid_x = (obj["x0"] + obj["x1"]) / 2
    mid_y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= mid_x <= box[2] and box[1] <= mid_y <= box[3]


def _title(pdf, doc: Document) -> str | None:
    title = (pdf.metadata or {}).get("Title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return doc.text_lines[0] if doc.text_lines else None


def _is_password_error(exc: BaseException) -> bool:
    seen = 0
    while exc is not None and seen < 5:
        if "password" in type(exc).__name__.lower() or "password" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__ or (exc.args[0] if exc.args and
                                                   isinstance(exc.args[0], BaseException) else None)
        seen += 1
    return False


EXTRACTOR = PdfExtractor()
