"""Generated forms through a real PDF engine and back: the text layer our text reader is given.

The generator's own picture of a PDF text layer (traits PDF折行 and 多列折行 in
`evaluation.generate_forms`) is drawn in code; this module draws the form's grid as a ruled PDF with
reportlab and takes the text back out with the engines users run, so that what the engines really do
is measured, not what we think they do:

- the page: A4 (landscape for more than five columns), each column's width drawn at random, cells
  wrapping at that width (CJK wrap: between any two characters), the text of a cell at its middle or
  its top; a level cell merged over its block (rowspan) prints its label at the block's middle; a form
  whose hierarchy is given by indentation prints each label on a row of its own across the table;
- pages: the table cut into 1 to 3 pages at drawn rows (a page that overflows is cut again), the header
  printed on every page or only on the first, for half the forms the row at each break split across it
  (`PDF跨页断行`: each cell's first lines at the page's foot, the rest at the next page's top), a merged level cell cut at the break (its label printed on
  both halves or only on the half holding its middle), and page furniture between the halves: a running
  title, `第 N 页 共 M 页` (or `- N -`) and `打印时间：…` lines at the top and the foot of each page;
- engines: pdfplumber's `extract_text()` (characters within 3 pt of a line share it, single spaces),
  `extract_text(layout=True)` (the characters' positions kept as spaces) and pdfminer's `extract_text`
  (text boxes: one cell's lines together, boxes in reading order); poppler's `pdftotext` (its default
  reading order: blocks of a column together, `-layout`: positions kept as spaces, `-raw`: the content
  stream's order, a cell's words on a line), pypdf's `extract_text()` (the content stream's order, a
  drawn string a line) and `extraction_mode="layout"`, PyMuPDF's `get_text("text")` (the stream's order,
  a line of a cell a line) and `sort=True`. An engine that is not installed is skipped with a note
  (`missing_engine`): poppler-utils is a Debian package (`make poppler`), pypdf and PyMuPDF are on PyPI.

Everything is drawn from a seed made of the form's rows, so the same form gives the same PDF text.
Gold stays the generated form's rows.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import io
import logging
import shutil
import subprocess
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

ENGINES = ("pdfplumber", "pdfplumber_layout", "pdfminer", "pdftotext", "pdftotext_layout", "pdftotext_raw",
           "pypdf", "pypdf_layout", "pymupdf", "pymupdf_sorted")
# what each engine needs beyond the runtime: (a Python module or a program, how to install it)
_NEEDS = {"pdftotext": ("program", "pdftotext", "apt-get install poppler-utils"),
          "pypdf": ("module", "pypdf", "pip install pypdf"),
          "pymupdf": ("module", "pymupdf", "pip install pymupdf")}
_FONT = "STSong-Light"  # a CID font built into reportlab: Chinese without font files


@dataclass
class PdfLayout:
    """What one form's PDF looks like (each value is also a trait of the evaluation)."""
    widths: list[float]        # relative column widths
    font_size: float
    valign: str                # MIDDLE or TOP
    pages: int                 # pages asked for (a page that overflows is cut again)
    repeat_header: bool
    span_labels: str           # 各半重复 (a cut merged label printed on both halves) or 只在中间
    furniture: tuple[str, ...]  # 页眉标题, 页码, 打印时间
    split_rows: bool = False    # a row at a page break split across the pages (its cells' first lines, the rest)

    def traits(self) -> dict[str, str]:
        return {"PDF页数": str(self.pages), "PDF表头": "每页重复" if self.repeat_header else "只在首页",
                "PDF对齐": "居中" if self.valign == "MIDDLE" else "顶端",
                "PDF跨页标签": self.span_labels, "PDF页面文字": "、".join(self.furniture) or "无",
                "PDF跨页断行": "是" if self.split_rows else "否"}


def draw_layout(form, rng: random.Random | None = None) -> PdfLayout:
    """A layout for the form, drawn from its rows unless a generator is given."""
    if rng is None:
        rng = random.Random(zlib.crc32(("pdf-layer" + "|".join(r.name for r in form.rows)).encode("utf-8")))
    widths = []
    for role in form.roles:
        if role in ("l1", "l2", "l2b"):
            widths.append(rng.uniform(0.9, 2.0))
        elif role in ("name", "nameb"):
            widths.append(rng.uniform(1.6, 4.0))
        elif role in ("extra", "goal", "reason"):
            widths.append(rng.uniform(1.4, 3.0))
        elif role in ("score", "weight", "op", "unit"):
            widths.append(rng.uniform(0.6, 1.1))
        else:
            widths.append(rng.uniform(0.8, 1.8))
    pages = min(rng.choice((1, 1, 2, 2, 3)), max(1, len(form.rows) // 2))
    furniture = tuple(f for f in ("页眉标题", "页码", "打印时间") if rng.random() < 0.6)
    # drawn apart, so that every other draw of a form stays as it was before this trait
    split = random.Random(zlib.crc32(("pdf-split" + "|".join(r.name for r in form.rows)).encode("utf-8")))
    return PdfLayout(widths, rng.choice((7.5, 8.0, 9.0, 10.0)), rng.choice(("MIDDLE", "MIDDLE", "TOP")),
                     pages, rng.random() < 0.5, rng.choice(("各半重复", "只在中间")), furniture,
                     split_rows=split.random() < 0.5)


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def _drawable(text: str) -> str:
    """The text as reportlab's CID font can draw it: it has no glyph for '·' (U+00B7) and drops it, while
    '・' (U+30FB) is drawn with the CID whose text layer says '·' again ('元/生·年' reads back as printed)."""
    return text.replace("·", "・")


def _body_rows(form) -> list[tuple[str, list[str], tuple[str, str]]]:
    """('row' | 'label', cells, block) in print order: an indented form's labels as rows of their own."""
    head, body = form.grid[0], form.grid[1:]
    out, last = [], (None, None)
    for cells, block in zip(body, form.labels):
        if "l1" not in form.roles and form.traits.get("层级列") == "indent":
            if block[0] != last[0]:
                out.append(("label", [block[0]] + [""] * (len(head) - 1), block))
            if block != last:
                out.append(("label", ["  " + block[1]] + [""] * (len(head) - 1), block))
            last = block
        out.append(("row", [c.strip() for c in cells] + [""] * (len(head) - len(cells)), block))
    if getattr(form, "total", None):  # a styled 自评表's 总分 row: the label, the weights' and the scores' totals
        cells = [""] * len(head)
        cells[0] = form.total[0]
        sides = [i for i, r in enumerate(form.roles) if r in ("weight", "score")]
        for column, text in zip(sides, form.total[1:3]):
            cells[column] = text
        out.append(("total", cells, (form.total[0], form.total[0])))
    return out


def _page_table(form, layout: PdfLayout, rows, with_header: bool, usable: float, keep_label: dict):
    """One page's part of the table: header (or not), rows, level cells merged over their blocks."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    style = ParagraphStyle("cell", fontName=_FONT, fontSize=layout.font_size,
                           leading=layout.font_size * 1.25, wordWrap="CJK")
    para = lambda text: Paragraph(html.escape(_drawable(text)), style) if text else ""  # noqa: E731
    data, commands = [], [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                          ("VALIGN", (0, 0), (-1, -1), layout.valign)]
    if with_header:
        data.append([para(h) for h in form.grid[0]])
    first = len(data)
    for kind, cells, _ in rows:
        data.append([para(c) for c in cells])
        if kind == "label":
            commands.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        if kind == "total":  # 总分 merged over the columns before the first score column
            side = next(i for i, r in enumerate(form.roles) if r in ("weight", "score"))
            if side > 1:
                commands.append(("SPAN", (0, len(data) - 1), (side - 1, len(data) - 1)))
    if form.traits.get("层级列") in ("first", "middle"):
        for col, role in enumerate(form.roles):
            if role not in ("l1", "l2", "l2b"):
                continue
            keys = [(b[0],) if role == "l1" else b for _, _, b in rows]
            start = 0
            for r in range(1, len(rows) + 1):
                if r < len(rows) and keys[r] == keys[start]:
                    continue
                label = keep_label.get((col, keys[start], id(rows[start])), "")
                for k in range(start, r):
                    data[first + k][col] = ""
                data[first + start][col] = para(label)
                if r - start > 1:
                    commands.append(("SPAN", (col, first + start), (col, first + r - 1)))
                start = r
    total = sum(layout.widths)
    return Table(data, colWidths=[usable * w / total for w in layout.widths], style=TableStyle(commands))


def _above_table(rows: list[list[str]], layout: PdfLayout, usable: float):
    """The blocks above a 自评表's indicators as the template rules them: each block's rows at its own number
    of columns (a row shorter than the widest spans its last cell to the table's right edge)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    style = ParagraphStyle("above", fontName=_FONT, fontSize=layout.font_size,
                           leading=layout.font_size * 1.25, wordWrap="CJK")
    width = max(len(r) for r in rows)
    data, commands = [], [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for number, row in enumerate(rows):
        data.append([Paragraph(html.escape(_drawable(c)), style) if c else "" for c in row] + [""] * (width - len(row)))
        if len(row) < width:
            commands.append(("SPAN", (len(row) - 1, number), (width - 1, number)))
    return Table(data, colWidths=[usable / width] * width, style=TableStyle(commands))


def _labels(form, layout: PdfLayout, chunks) -> dict:
    """The label each cut part of a merged level cell prints: the block's label on every part, or only
    on the part holding the block's middle row."""
    keep = {}
    if form.traits.get("层级列") not in ("first", "middle"):
        return keep
    everything = [row for chunk in chunks for row in chunk]
    for col, role in enumerate(form.roles):
        if role not in ("l1", "l2", "l2b"):
            continue
        key = (lambda b: (b[0],)) if role == "l1" else (lambda b: b)
        label_of = {}
        for _, cells, block in everything:
            if cells[col]:
                label_of[key(block)] = cells[col]
        members: dict[tuple, list[int]] = {}
        for index, (_, _, block) in enumerate(everything):
            members.setdefault(key(block), []).append(index)
        at = 0
        for chunk in chunks:
            start = 0
            while start < len(chunk):
                end = start
                while end + 1 < len(chunk) and key(chunk[end + 1][2]) == key(chunk[start][2]):
                    end += 1
                block_rows = members[key(chunk[start][2])]
                middle = block_rows[len(block_rows) // 2]
                if layout.span_labels == "各半重复" or at + start <= middle <= at + end:
                    keep[(col, key(chunk[start][2]), id(chunk[start]))] = label_of.get(key(chunk[start][2]), "")
                start = end + 1
            at += len(chunk)
    return keep


def _cell_lines(text: str, width: float, font_size: float) -> list[str]:
    """The lines reportlab wraps a cell's text into at the column's width (CJK wrap)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    if not text:
        return []
    style = ParagraphStyle("cell", fontName=_FONT, fontSize=font_size, leading=font_size * 1.25, wordWrap="CJK")
    paragraph = Paragraph(html.escape(_drawable(text)), style)
    paragraph.wrap(width, 10_000)
    if paragraph.blPara.kind == 0:  # plain text: (extra space, words) per line
        return ["".join(words) for _, words in paragraph.blPara.lines]
    # text in fragments ('&lt;' and '&gt;' drawn as such): each line's words are fragments
    return ["".join(getattr(word, "text", "") for word in line.words) for line in paragraph.blPara.lines]


def _split_last_row(page: list, following: list, layout: PdfLayout, usable: float) -> bool:
    """A row at a page break split across the two pages, as a word processor that lets a row break does:
    each cell's first lines (half the tallest cell's) at the foot of the page, the rest at the top of the
    next, a cell of one line whole on the first. Where the page's last row holds one line a cell, the next
    page's first row breaks instead; a break between two such rows splits nothing."""
    total = sum(layout.widths)

    def wrapped(row) -> list[list[str]]:
        return [_cell_lines(c, usable * w / total - 12, layout.font_size) for c, w in zip(row[1], layout.widths)]

    def tallest(lines: list[list[str]]) -> int:
        return max((len(cell) for cell in lines), default=0)

    if page[-1][0] != "row":
        return False
    lines = wrapped(page[-1])
    if tallest(lines) < 2 and len(following) > 1 and following[0][0] == "row" and tallest(wrapped(following[0])) >= 2:
        page.append(following.pop(0))  # the next page's first row breaks instead: its first lines move up
        lines = wrapped(page[-1])
    if tallest(lines) < 2:
        return False
    block = page[-1][2]
    cut = (tallest(lines) + 1) // 2
    page[-1] = ("row", ["".join(cell[:cut]) for cell in lines], block)
    following.insert(0, ("row", ["".join(cell[cut:]) for cell in lines], block))
    return True


def write_pdf(form, path: Path, layout: PdfLayout) -> int:
    """The form as a ruled PDF; returns its number of pages."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    _register_font()
    page = landscape(A4) if len(form.roles) > 5 else A4
    margin = 42
    usable_w, usable_h = page[0] - 2 * margin, page[1] - 2 * margin
    with_header = form.traits.get("表头") != "absent"
    rows = _body_rows(form)  # one object per row: a cut label's part is keyed by its first row's id
    cuts = sorted(random.Random(len(rows) * 7919 + layout.pages).sample(range(1, len(rows)), layout.pages - 1)) \
        if layout.pages > 1 and len(rows) > layout.pages else []
    chunks = [rows[a:b] for a, b in zip([0] + cuts, cuts + [len(rows)])]
    title = ParagraphStyle("title", fontName=_FONT, fontSize=14, leading=18, alignment=1)
    text = ParagraphStyle("text", fontName=_FONT, fontSize=9, leading=12)
    top = [Paragraph(html.escape(form.title), title), Spacer(1, 6),
           Paragraph("项目名称：专项资金项目　　主管部门：县农业农村局", text), Spacer(1, 6)]
    top_height = 18 + 6 + 12 + 6 + 4
    if getattr(form, "above", None):  # a styled 自评表's funds and 总体目标 blocks: a ruled table of their own
        above = _above_table(form.above, layout, usable_w)
        top += [above, Spacer(1, 6)]
        top_height += above.wrap(usable_w, usable_h)[1] + 6
    # a page that overflows is cut again before its last row that fits
    fitted: list[list] = []
    for chunk in chunks:
        while chunk:
            room = usable_h - (top_height if not fitted else 0) - 30
            header_here = with_header and (not fitted or layout.repeat_header)
            take = len(chunk)
            while take > 1:
                keep = _labels(form, layout, [chunk[:take]])
                _, height = _page_table(form, layout, chunk[:take], header_here, usable_w, keep).wrap(usable_w, usable_h)
                if height <= room:
                    break
                take -= 1
            fitted.append(chunk[:take])
            chunk = chunk[take:]
    split = False
    if layout.split_rows:
        for number in range(len(fitted) - 1):
            split |= _split_last_row(fitted[number], fitted[number + 1], layout, usable_w)
    layout.split_rows = split
    keep = _labels(form, layout, fitted)
    total = len(fitted)
    story = list(top)
    for number, chunk in enumerate(fitted):
        if number:
            story.append(PageBreak())
        story.append(_page_table(form, layout, chunk, with_header and (number == 0 or layout.repeat_header),
                                 usable_w, keep))
    story += [Spacer(1, 6), Paragraph("填报说明：本表由项目单位填写。", text)]
    stamp = "打印时间：2026-03-1%d 09:%02d:%02d" % (len(rows) % 10, len(rows) * 3 % 60, len(rows) * 7 % 60)
    page_mark = ("第 {n} 页 共 {m} 页", "第{n}页/共{m}页", "- {n} -")[len(rows) % 3]

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 8)
        if "页眉标题" in layout.furniture:
            canvas.drawString(margin, page[1] - margin / 2, form.title + "（县农业农村局）")
        if "打印时间" in layout.furniture:
            canvas.drawRightString(page[0] - margin, page[1] - margin / 2, stamp)
        if "页码" in layout.furniture:
            canvas.drawCentredString(page[0] / 2, margin / 2,
                                     page_mark.format(n=canvas.getPageNumber(), m=total))
        canvas.restoreState()

    SimpleDocTemplate(str(path), pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
                      bottomMargin=margin, title=form.title, invariant=1).build(
        story, onFirstPage=furniture, onLaterPages=furniture)
    return total


def missing_engine(engine: str) -> str | None:
    """Why `engine` cannot run here (a line in Chinese), or None."""
    if engine not in ENGINES:
        return f"未知的 PDF 文字层引擎 {engine}（可用：{'、'.join(ENGINES)}）"
    family = engine.split("_")[0]
    if family not in _NEEDS:
        return None
    kind, name, how = _NEEDS[family]
    if kind == "program":
        if shutil.which(name) is None:
            return f"未安装 {name}：跳过 PDF 文字层引擎 {engine}（{how}）"
        return None
    try:
        importlib.import_module(name)
    except ImportError:
        return f"未安装 {name}：跳过 PDF 文字层引擎 {engine}（{how}）"
    return None


def available_engines() -> tuple[tuple[str, ...], list[str]]:
    """The engines that run here, and a note for each one that does not."""
    notes = [why for why in map(missing_engine, ENGINES) if why]
    return tuple(e for e in ENGINES if missing_engine(e) is None), notes


@contextlib.contextmanager
def _creation_order_ids():
    """pdfminer's text boxes, grouped the same way on every run. `LTLayoutContainer.group_textboxes`
    keeps its candidate pairs in a heap of (flag, distance, id(a), id(b), a, b): two pairs at the same
    distance (a ruled table's cells are evenly spaced: ties are the rule) are ordered by the objects'
    memory addresses, which differ between runs, so the same PDF gave texts whose boxes came in another
    order (the 300 forms of seed 2026 read 3 rows more or less from one run to the next). For the time of
    the call the module's `id` numbers objects in the order it first sees them, which is the order they
    were made in (boxes in the page's order, then each new group): one fixed choice among the orders
    pdfminer itself may print."""
    import pdfminer.layout as layout

    numbers: dict[int, int] = {}
    kept: list[object] = []  # the objects numbered stay alive for the call, so no address is reused

    def creation_order(obj: object) -> int:
        key = id(obj)
        if key not in numbers:
            numbers[key] = len(numbers)
            kept.append(obj)
        return numbers[key]

    layout.id = creation_order
    try:
        yield
    finally:
        del layout.id


def extract(path: Path, engine: str) -> str:
    """The PDF's text layer as the engine gives it, pages joined as the engine joins them (a line break
    for the Python libraries' per-page calls, a form feed for pdfminer and pdftotext)."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if engine == "pdfminer":
        from pdfminer.high_level import extract_text
        with _creation_order_ids():
            return extract_text(str(path))
    if engine.startswith("pdftotext"):
        mode = {"pdftotext": [], "pdftotext_layout": ["-layout"], "pdftotext_raw": ["-raw"]}[engine]
        done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", *mode, str(path), "-"],
                              capture_output=True, timeout=60, check=True)
        return done.stdout.decode("utf-8")
    if engine.startswith("pypdf"):
        import pypdf
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = pypdf.PdfReader(str(path))
        mode = {"extraction_mode": "layout"} if engine == "pypdf_layout" else {}
        return "\n".join(page.extract_text(**mode) or "" for page in reader.pages)
    if engine.startswith("pymupdf"):
        import pymupdf
        with pymupdf.open(str(path)) as document:
            return "\n".join(page.get_text("text", sort=engine == "pymupdf_sorted") for page in document)
    import pdfplumber
    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(p.extract_text(layout=engine == "pdfplumber_layout") or "" for p in pdf.pages)


def texts(form, directory: Path, engines: tuple[str, ...] | None = None
          ) -> tuple[dict[str, str], dict[str, str]]:
    """Each engine's text of the form's PDF (every engine that runs here unless named), and the
    layout's traits."""
    layout = draw_layout(form)
    path = Path(directory) / f"{form.id}.pdf"
    pages = write_pdf(form, path, layout)
    traits = layout.traits()
    traits["PDF页数"] = str(pages)
    if engines is None:
        engines = available_engines()[0]
    return {engine: extract(path, engine) for engine in engines}, traits
