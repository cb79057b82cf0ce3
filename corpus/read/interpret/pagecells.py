"""Table rows a browser copied from cells that hold paragraphs, put back on one line each.

A browser's text of a table (`innerText`, a select-all-and-paste) puts a tab between cells and a newline
between rows; a cell whose text stands in a paragraph (`<td><p>…</p></td>`, as Word's and WPS's HTML
export and most site editors write every cell) adds line breaks around its text, so that the tab
between two cells stands on a line of its own and a row becomes a column of lines:

    产出指标(50分)
    <tab>
    数量指标
    <tab>
    培训人次
    …

A row's last cell and the next row's first cell then stand on adjacent lines (or apart by blank lines,
as the page's source spacing makes the browser print them), exactly as the two lines of a cell broken by
a <br> do. `rejoin(lines)` reads such a text back: lines apart by a line holding only tabs are cells of
one row; two adjacent lines are the end of a row and the start of the next when a blank line stands
between them, when the first is no words (a value, a number, a unit, an empty cell) or the second is a
level label or a header word; two adjacent lines of words are the two parts of one cell while the row
so far has fewer cells than the narrowest row that holds a value (rows under a merged level cell have
fewer cells than the others), and the row's end otherwise. Only rows of several cells are rewritten
(on the row's first line, the lines they came from left empty, so every other line keeps its number);
the page around the table stays as it was.
"""

from __future__ import annotations

from corpus.read.interpret.labels import (header_role, is_target_value, is_unit, is_words, join_cell_lines,
                                          level_label, looks_like_value, squash)

_MIN_TAB_LINES = 3  # lines holding only tabs: fewer is no table of paragraph cells


def rejoin(lines: list[str]) -> list[str]:
    if sum(1 for line in lines if "\t" in line and not line.strip()) < _MIN_TAB_LINES:
        return lines
    pieces = _pieces(lines)
    narrowest = _narrowest(_rows(pieces, None))
    out = list(lines)
    for row in _rows(pieces, narrowest):
        if len(row) < 2:
            continue  # a line of the page around the table, as it was
        first = row[0][0][0]
        last = row[-1][-1][0]
        out[first] = "\t".join(join_cell_lines([t for _, t in cell if t]) if any(t for _, t in cell) else ""
                               for cell in row)
        for index in range(first + 1, last + 1):
            out[index] = ""
    return out


# a piece: (line index, text, what came before it: 'tab' a cell ended, 'adjacent', 'blank' lines between)
def _pieces(lines: list[str]) -> list[tuple[int, str, str]]:
    pieces: list[tuple[int, str, str]] = []
    before = "blank"
    for index, line in enumerate(lines):
        if not line.strip():
            if "\t" in line:
                for _ in range(line.count("\t")):
                    pieces.append((index, "", "tab-mark"))
                before = "tab"
                if line.replace("\t", "") and not line.endswith("\t"):
                    pieces.append((index, "", "tab"))  # an empty cell printed after the tab ('\t ')
                    before = "adjacent"
            elif before != "tab":
                before = "blank"
            continue
        parts = line.split("\t")
        pieces.append((index, parts[0].strip(), before))
        for part in parts[1:]:
            pieces.append((index, "", "tab-mark"))
            pieces.append((index, part.strip(), "tab"))
        before = "adjacent"
    return pieces


def _words(text: str) -> bool:
    core = squash(text)
    return is_words(core) and not level_label(core) and header_role(core) is None


def _ends_row(a: str, b: str, gap: str, cells: int, narrowest: int | None) -> bool:
    """Whether the adjacent lines `a` and `b` are a row's end and the next row's start (else one cell)."""
    if gap == "blank" or not _words(a) or level_label(b) or header_role(b) or header_role(a):
        return True
    if looks_like_value(b) or is_unit(b):
        return False  # a value or a unit starts no row: the cell's own line break
    return narrowest is not None and cells >= narrowest


def _rows(pieces: list[tuple[int, str, str]], narrowest: int | None) -> list[list[list[tuple[int, str]]]]:
    """Rows of cells of (line, text) parts; with `narrowest` None two lines of words are one cell."""
    rows: list[list[list[tuple[int, str]]]] = []
    row: list[list[tuple[int, str]]] = []
    cell: list[tuple[int, str]] | None = None
    for index, text, before in pieces:
        if before == "tab-mark":
            row.append(cell if cell is not None else [(index, "")])  # (two tabs: an empty cell between)
            cell = None
            continue
        if cell is None:
            cell = [(index, text)]
            continue
        previous = cell[-1][1]
        if _ends_row(previous, text, before, len(row) + 1, narrowest):
            row.append(cell)
            rows.append(row)
            row, cell = [], [(index, text)]
        else:
            cell.append((index, text))
    if cell is not None:
        row.append(cell)
    if row:
        rows.append(row)
    return rows


def _narrowest(rows: list[list[list[tuple[int, str]]]]) -> int | None:
    """Cells of the narrowest row that holds a value (the rows read with every doubtful line kept in its
    cell: a row so read is never narrower than it is)."""
    widths = [len(row) for row in rows if len(row) >= 3 and
              any(is_target_value(t) for cell in row for _, t in cell)]
    return min(widths) if widths else None
