"""Web pages (.html, .htm) → Tables (rowspan/colspan laid out as a browser does) and text lines.

Chinese government sites still serve GB2312/GBK pages: the declared charset (BOM, then
`<meta charset>`) is honoured, GB2312 and GBK are decoded as their superset GB18030, and without a
declaration UTF-8 is tried before GB18030. Every decoding other than UTF-8 is an
`encoding_converted` warning. Text in <script>/<style> is ignored; <title> becomes the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from corpus.read.document import Document, Limits
from corpus.read.extract.base import CellBudget, check_size
from corpus.read.extract.grid import Placed, clean_text, dense_table

MAX_SPAN = 256
_CHARSET = re.compile(rb"""<meta[^<>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "csgb2312",
              "x-euc-cn", "hz-gb-2312", "windows-936", "ms936"}
_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "section",
           "article", "header", "footer", "blockquote", "pre", "hr", "dt", "dd", "caption", "form",
           "center", "address"}
_IGNORED = {"script", "style", "noscript", "template"}


class HtmlExtractor:
    formats = (".html", ".htm")

    def extract(self, path: Path, *, limits: Limits) -> Document:
        check_size(path, limits)
        doc = Document(path=path, format="html")
        return self.read_markup(doc, decode_html(path.read_bytes(), doc), limits)

    def read_markup(self, doc: Document, text: str, limits: Limits) -> Document:
        """Tables and text lines of page markup already decoded (a .html file, or a page's source
        saved as text)."""
        parser = _TableParser(doc, limits)
        parser.feed(text)
        parser.close()
        parser.finish()
        return doc


def decode_html(data: bytes, doc: Document) -> str:
    """Bytes → str by BOM, declared charset or detection; warns unless it was UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        doc.warn("encoding_converted", "按 UTF-16 解码（有字节顺序标记）")
        return data.decode("utf-16", errors="replace")
    match = _CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii", "replace").lower() if match else None
    candidates = []
    if declared in _GB_FAMILY:
        candidates.append("gb18030")
    elif declared and declared not in ("utf-8", "utf8"):
        candidates.append(declared)
    candidates += [e for e in ("utf-8", "gb18030") if e not in candidates]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding != "utf-8":
            said = f"（声明的编码为 {declared}）" if declared else "（未声明编码）"
            doc.warn("encoding_converted", f"按 {encoding.upper()} 解码{said}")
        elif declared and declared not in ("utf-8", "utf8"):
            doc.warn("encoding_converted", f"声明的编码为 {declared}，实际是 UTF-8；已按 UTF-8 读取")
        return text
    doc.warn("encoding_errors", f"{'、'.join(c.upper() for c in candidates)} 都不能解码全部字节；"
                                "无法解码的字节已替换")
    return data.decode("utf-8", errors="replace")


@dataclass
class _HtmlCell:
    parts: list[str] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _HtmlTable:
    index: int
    text_line_at: int = 0   # text lines before the table (its place among the text outside tables)
    rows: list[list[_HtmlCell]] = field(default_factory=list)
    cell: _HtmlCell | None = None


class _TableParser(HTMLParser):
    def __init__(self, doc: Document, limits: Limits):
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.limits = limits
        self.budget = CellBudget(limits)
        self.stack: list[_HtmlTable] = []  # open tables, innermost last
        self.done: list[_HtmlTable] = []
        self.count = 0
        self.line: list[str] = []  # text outside tables, current line
        self.ignore_depth = 0
        self.in_title = False
        self.in_caption = False  # a table's caption is a text line (often the form's title)
        self.title_parts: list[str] = []
        self.rows_cut = False

    # --- tags ---------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _IGNORED:
            self.ignore_depth += 1
            return
        if tag == "title":
            self.in_title = True
            return
        table = self.stack[-1] if self.stack else None
        if tag == "caption":
            self._break_line()
            self.in_caption = True
        elif tag == "table":
            self._break_line()
            self.count += 1
            self.stack.append(_HtmlTable(self.count, len(self.doc.text_lines)))
        elif table is not None and tag == "tr":
            self._close_cell(table)
            table.rows.append([])
        elif table is not None and tag in ("td", "th"):
            self._close_cell(table)
            if not table.rows:
                table.rows.append([])
            values = {k: v for k, v in attrs}
            table.cell = _HtmlCell(rowspan=_span(values.get("rowspan")),
                                   colspan=_span(values.get("colspan")))
        elif tag in _BLOCKS:
            self._newline()

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in ("td", "th", "tr", "table"):  # XHTML's empty <td/> is still a cell
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        elif tag in _BLOCKS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _IGNORED:
            self.ignore_depth = max(0, self.ignore_depth - 1)
            return
        if tag == "title":
            self.in_title = False
            return
        table = self.stack[-1] if self.stack else None
        if tag == "caption":
            self.in_caption = False
            self._break_line()
        elif tag == "table" and table is not None:
            self._close_cell(table)
            self.done.append(self.stack.pop())
        elif table is not None and tag in ("td", "th"):
            self._close_cell(table)
        elif tag in _BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.ignore_depth:
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        table = self.stack[-1] if self.stack else None
        if table is not None and not self.in_caption:
            if table.cell is not None:
                table.cell.parts.append(_collapse(data))
            return  # text between cells (whitespace, stray words) is layout noise
        self.line.append(_collapse(data))

    # --- helpers ------------------------------------------------------------------------------
    def _newline(self) -> None:
        table = self.stack[-1] if self.stack else None
        if table is not None and not self.in_caption:
            if table.cell is not None:
                table.cell.parts.append("\n")
            return
        self._break_line()

    def _break_line(self) -> None:
        text = clean_text("".join(self.line))
        self.line = []
        for line in text.split("\n"):
            if line:
                self.doc.text_lines.append(self.budget.text(line))

    def _close_cell(self, table: _HtmlTable) -> None:
        if table.cell is None:
            return
        if len(table.rows) > self.limits.max_rows:
            self.rows_cut = True
        elif self.budget.take_cells(max(table.cell.rowspan, 1) * table.cell.colspan):
            table.rows[-1].append(table.cell)
        table.cell = None

    def finish(self) -> None:
        self._break_line()
        while self.stack:  # unclosed tables at the end of a truncated page
            table = self.stack.pop()
            self._close_cell(table)
            self.done.append(table)
        for table in sorted(self.done, key=lambda t: t.index):
            del table.rows[self.limits.max_rows:]
            laid = _layout(table, self.budget)
            grid = dense_table(laid, where=f"表 {table.index}",
                               max_positions=self.limits.max_cells, doc=self.doc)
            if grid is not None:
                grid.text_line_at = table.text_line_at
                self.doc.tables.append(grid)
        title = clean_text(_collapse("".join(self.title_parts)))
        self.doc.title = title or None
        if self.rows_cut:
            self.doc.warn("rows_cut", f"有表格超过 {self.limits.max_rows:,} 行，其余未读取")
        self.budget.report(self.doc, self.limits)


def _layout(table: _HtmlTable, budget: CellBudget) -> list[Placed]:
    """The HTML table algorithm: each cell takes the first column its row has free."""
    placed = []
    taken: set[tuple[int, int]] = set()
    nrows = len(table.rows)
    for r, row in enumerate(table.rows):
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            rowspan = min(MAX_SPAN, nrows - r) if cell.rowspan == 0 else min(cell.rowspan, nrows - r)
            colspan = max(cell.colspan, 1)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, col + dc))
            text = budget.text(clean_text("".join(cell.parts)))
            placed.append(Placed(r, col, text, max(rowspan, 1), colspan))
            col += colspan
    return placed


def _span(value: str | None) -> int:
    """rowspan/colspan attribute; 0 (rowspan: to the end of the table) is kept as 0."""
    try:
        number = int(re.match(r"(?<!\s)\s*(\d+)", value or "").group(1))
    except (AttributeError, ValueError):
        return 1
    return min(number, MAX_SPAN)


def _collapse(text: str) -> str:
    """Whitespace as a browser renders it: runs of spaces and newlines become one space."""
    return re.sub(r"[ \t\r\n\f]+", " ", text)


EXTRACTOR = HtmlExtractor()
