"""Table rows a browser copied from cells that hold paragraphs, put back on one line each.

A browser's text of a table (`innerText`, a select-all-and-paste) puts a tab between cells and a newline
between rows; a cell whose text stands in a paragraph (`<td><p>…</p></td>`, as Word's and WPS's HTML
export and most site editors write every cell) adds a blank line before and after its text, so that
the tab between two cells stands on a line of its own and a row becomes a column of lines:

    产出指标(50分)
    <blank>
    <tab>
    <blank>
    数量指标
    …

Rows are then apart by blank lines only, and a line break inside a cell (<br>) leaves two lines of the
cell next to each other. `rejoin(lines)` reads such a text back: lines around a line holding only tabs
are cells of one row, lines next to each other are one cell, a blank line with no tab after it ends
the row. Only rows of several cells are rewritten (on the row's first line, the lines they came from
left empty, so every other line keeps its number); the page around the table stays as it was.
"""

from __future__ import annotations

from corpus.read.interpret.labels import join_cell_lines

_MIN_TAB_LINES = 3  # lines holding only tabs: fewer is no table of paragraph cells


def rejoin(lines: list[str]) -> list[str]:
    if sum(1 for line in lines if "\t" in line and not line.strip()) < _MIN_TAB_LINES:
        return lines
    out = list(lines)
    row: list[str] = []          # the row's finished cells
    cell: list[str] = []         # the lines of the cell being read
    first = None                 # the row's first line
    state = "start"              # after: 'tab' (a cell ended), 'blank', 'text'

    def finish_row(end: int) -> None:
        if first is not None and len(row) + bool(cell) >= 2:
            cells = row + ([join_cell_lines(cell)] if cell else [])
            out[first] = "\t".join(cells)
            for index in range(first + 1, end):
                out[index] = ""

    for index, line in enumerate(lines):
        if not line.strip():
            tabs = line.count("\t")
            if tabs:
                if first is None:
                    first = index
                row.append(join_cell_lines(cell) if cell else "")
                row.extend([""] * (tabs - 1))  # empty cells between
                cell, state = [], "tab"
            elif state != "tab":
                state = "blank"
            continue
        if state == "blank" or state == "start":
            finish_row(index)
            row, cell, first = [], [], index
        elif first is None:
            first = index
        pieces = line.split("\t")
        cell.append(pieces[0].strip())
        for piece in pieces[1:]:
            row.append(join_cell_lines([c for c in cell if c]) if any(cell) else "")
            cell = [piece.strip()] if piece.strip() else []
        state = "tab" if line.rstrip(" \xa0").endswith("\t") else "text"
    finish_row(len(lines))
    return out
