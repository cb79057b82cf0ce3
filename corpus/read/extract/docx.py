"""Word 2007+ documents (.docx) → Tables (merges resolved) and paragraphs as text lines.

A row's cells sit on the table grid: `w:gridBefore` skips grid columns, `w:gridSpan` is a
horizontal merge, `w:vMerge="restart"` opens a vertical merge that following rows continue with
a bare `w:vMerge`. A table nested in a cell (forms pasted into a layout table) becomes a Table of
its own, listed right after the table that holds it; the outer cell keeps only its own paragraphs.
"""

from __future__ import annotations

from pathlib import Path

from corpus.errors import InputError
from corpus.read.document import Document, Limits
from corpus.read.extract.base import CellBudget, check_size, check_zip
from corpus.read.extract.grid import Placed, clean_text, dense_table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_SPAN = 256
# python-docx parses the whole body into lxml (~5× its size in memory); a form is a few hundred KB
MAX_BODY_XML_BYTES = 32 << 20


class DocxExtractor:
    formats = (".docx",)

    def extract(self, path: Path, *, limits: Limits) -> Document:
        check_size(path, limits)
        for member in check_zip(path, limits, ".docx 文档"):
            if member.filename == "word/document.xml" and member.file_size > MAX_BODY_XML_BYTES:
                raise InputError(path, f"正文（word/document.xml）有 {member.file_size:,} 字节，超过 "
                                       f"{MAX_BODY_XML_BYTES:,} 字节的上限；应为一份申报表")
        body, core_title = _open_directly(path)
        if body is None:  # an unusual package: python-docx resolves it (or says what is wrong)
            import docx

            document = docx.Document(str(path))
            body, core_title = document.element.body, lambda: _core_title(document)
        doc = Document(path=path, format="docx")
        reader = _BodyReader(doc, limits)
        reader.read_blocks(body)
        doc.title = reader.heading or core_title()
        reader.budget.report(doc, limits)
        return doc


_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def _open_directly(path: Path):
    """(body element, title function) read from the main part and core properties alone, with
    python-docx's own XML parser, so the tree is the one python-docx builds. `docx.Document`
    parses every part of the package (styles, numbering, theme, settings…), which is two thirds
    of a form's reading time and none of its content. (None, None) for a package that is not
    the plain case (no main part or core properties where the relationships say, another
    content type): python-docx reads those."""
    import zipfile

    from docx.oxml.parser import parse_xml

    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            rels = parse_xml(package.read("_rels/.rels"))
            targets = {rel.get("Type"): rel.get("Target") for rel in rels.iter(_RELS + "Relationship")
                       if rel.get("TargetMode") != "External"}
            main, core = (_part_name(targets.get(t)) for t in (_OFFICE_DOCUMENT, _CORE))
            if main not in names or core not in names:
                return None, None
            types = parse_xml(package.read("[Content_Types].xml"))
            kind = next((o.get("ContentType") for o in types.iter(_TYPES + "Override")
                         if o.get("PartName", "").lstrip("/") == main), None)
            if kind != _MAIN_TYPE:
                return None, None
            body = parse_xml(package.read(main)).find(W + "body")
            core_xml = package.read(core)
    except (KeyError, zipfile.BadZipFile):
        return None, None
    if body is None:
        return None, None

    def title() -> str | None:
        try:
            found = parse_xml(core_xml).find(_DC_TITLE)
            return clean_text((found.text if found is not None else "") or "") or None
        except Exception:  # noqa: BLE001 - a damaged docProps/core.xml must not lose the body
            return None
    return body, title


def _part_name(target: str | None) -> str | None:
    return None if not target else target.lstrip("/")


def _core_title(document) -> str | None:
    try:
        return clean_text(document.core_properties.title or "") or None
    except Exception:  # noqa: BLE001 - a damaged docProps/core.xml must not lose the body
        return None


class _BodyReader:
    def __init__(self, doc: Document, limits: Limits):
        self.doc = doc
        self.limits = limits
        self.budget = CellBudget(limits)
        self.heading: str | None = None
        self.table_count = 0

    def read_blocks(self, parent) -> None:
        """Paragraphs and tables of the body (or of a content control), in document order."""
        for child in parent.iterchildren():
            if self.budget.chars_cut or self.budget.cells_cut:
                break  # the rest would be cut anyway: stop paying for it
            if child.tag == W + "p":
                text = self.budget.text(paragraph_text(child))
                if text:
                    self.doc.text_lines.extend(text.split("\n"))
                    if self.heading is None and _is_heading(child):
                        self.heading = text.replace("\n", " ")
            elif child.tag == W + "tbl":
                self.read_table(child, where=None)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.read_blocks(content)

    def read_table(self, tbl, where: str | None) -> None:
        if where is None:  # top-level tables are numbered; nested ones are named by their place
            self.table_count += 1
            where = f"表 {self.table_count}"
        placed: list[Placed] = []
        nested: list[tuple[object, str]] = []
        open_merges: dict[int, Placed] = {}  # grid column → the vMerge anchor reaching this far
        rows = _rows(tbl)
        if len(rows) > self.limits.max_rows:
            self.doc.warn("rows_cut", f"{where}：共 {len(rows):,} 行，超过 {self.limits.max_rows:,} 行，"
                                      "其余未读取")
            rows = rows[:self.limits.max_rows]
        for r, tr in enumerate(rows):
            col = _grid_before(tr)
            for tc in _cells(tr):
                span = min(max(_int_val(tc, "tcPr/gridSpan", 1), 1), MAX_SPAN)
                merge = _vmerge(tc)
                for i, inner in enumerate(tc.iterchildren(W + "tbl"), start=1):
                    nested.append((inner, f"{where} 第 {r + 1} 行第 {col + 1} 格内的表 {i}"))
                anchor = open_merges.get(col)
                if merge == "continue" and anchor and anchor.row + anchor.rowspan == r:
                    anchor.rowspan += 1
                else:
                    if not self.budget.take_cells(span):
                        break
                    text = self.budget.text(cell_text(tc))
                    cell = Placed(r, col, text, 1, span)
                    placed.append(cell)
                    if merge == "restart":
                        open_merges[col] = cell
                    else:
                        open_merges.pop(col, None)
                col += span
            if self.budget.cells_cut:
                break
        table = dense_table(placed, where=where, max_positions=self.limits.max_cells, doc=self.doc)
        if table is not None:
            self.doc.tables.append(table)
        for inner, inner_where in nested:
            if not self.budget.cells_cut:
                self.read_table(inner, inner_where)


def _rows(tbl) -> list:
    rows = []
    for child in tbl.iterchildren():
        if child.tag == W + "tr":
            rows.append(child)
        elif child.tag == W + "sdt":  # rows wrapped in a content control
            content = child.find(W + "sdtContent")
            if content is not None:
                rows.extend(c for c in content.iterchildren() if c.tag == W + "tr")
    return rows


def _cells(tr) -> list:
    cells = []
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            cells.append(child)
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                cells.extend(c for c in content.iterchildren() if c.tag == W + "tc")
    return cells


def _grid_before(tr) -> int:
    return min(max(_int_val(tr, "trPr/gridBefore", 0), 0), MAX_SPAN)


def _int_val(element, path: str, default: int) -> int:
    found = element.find("/".join(W + part for part in path.split("/")))
    if found is None:
        return default
    try:
        return int(found.get(W + "val"))
    except (TypeError, ValueError):
        return default


def _vmerge(tc) -> str | None:
    found = tc.find(f"{W}tcPr/{W}vMerge")
    if found is None:
        return None
    return "restart" if found.get(W + "val") == "restart" else "continue"


def cell_text(tc) -> str:
    """A cell's own paragraphs, one per line (nested tables are read as tables of their own)."""
    lines = []
    for child in tc.iterchildren():
        if child.tag == W + "p":
            lines.append(paragraph_text(child))
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                lines.extend(paragraph_text(p) for p in content.iterchildren(W + "p"))
    return clean_text("\n".join(lines))


def paragraph_text(p) -> str:
    """Visible text of a paragraph: runs, hyperlinks, tabs and breaks; deleted text left out."""
    parts = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "delText", W + "noBreakHyphen"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab" and node.getparent().tag == W + "r":  # not a tab stop
            parts.append("\t")
        elif node.tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif node.tag == W + "noBreakHyphen":
            parts.append("-")
    return clean_text("".join(parts))


def _is_heading(p) -> bool:
    style = p.find(f"{W}pPr/{W}pStyle")
    name = (style.get(W + "val") or "") if style is not None else ""
    return name.lower().startswith(("title", "heading")) or name.startswith("标题")


EXTRACTOR = DocxExtractor()
