"""Placed cells (top-left corner + spans) → a dense `Table`, shared by every grid format.

Every reader ends with a list of anchors: a sheet gives absolute coordinates and merged ranges, a
.docx gives grid columns and vertical merges, an HTML table gives rowspan/colspan laid out by the
HTML table algorithm. `dense_table` turns them into `Table.rows` (None where a merge covers) and
drops rows and columns that hold nothing at all (spacer columns, blank rows); a row or column that
a merge crosses is never dropped, so spans stay true.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.read.document import Cell, Document, Table


@dataclass
class Placed:
    row: int  # 0-based position in the source grid
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def dense_table(placed: list[Placed], *, where: str, row_numbers: list[int] | None = None,
                positional: bool = True, max_positions: int = 400_000,
                doc: Document | None = None) -> Table | None:
    """`row_numbers[r]` is the source row number of grid row r (default r + 1). None if empty.

    A grid larger than `max_positions` (a merge over a whole sheet, a huge colspan) is cut at
    the last row that fits, with a `grid_cut` warning on `doc`.
    """
    if not placed:
        return None
    nrows = max(p.row + p.rowspan for p in placed)
    ncols = max(p.col + p.colspan for p in placed)
    if nrows * ncols > max_positions:
        nrows = max(1, max_positions // ncols)
        placed = [Placed(p.row, p.col, p.text, min(p.rowspan, nrows - p.row), p.colspan)
                  for p in placed if p.row < nrows]
        ncols = max(p.col + p.colspan for p in placed)
        if doc is not None:
            doc.warn("grid_cut", f"{where}：表格超过 {max_positions:,} 个位置，第 {nrows:,} 行之后未读取")
    grid: list[list[Cell | None]] = [[Cell("") for _ in range(ncols)] for _ in range(nrows)]
    covered = [[False] * ncols for _ in range(nrows)]
    for p in sorted(placed, key=lambda p: (p.row, p.col)):
        if covered[p.row][p.col]:
            continue  # a malformed file merges over another anchor: the first one wins
        rowspan = _free_extent(covered, p.row, p.col, p.rowspan, vertical=True)
        colspan = _free_extent(covered, p.row, p.col, p.colspan, vertical=False)
        for r in range(p.row, p.row + rowspan):
            for c in range(p.col, p.col + colspan):
                covered[r][c] = True
                grid[r][c] = None
        grid[p.row][p.col] = Cell(p.text, rowspan, colspan)
    numbers = list(row_numbers) if row_numbers else list(range(1, nrows + 1))
    numbers += list(range(len(numbers) + 1, nrows + 1))
    keep_rows = [r for r in range(nrows) if not all(_blank(c) for c in grid[r])]
    keep_cols = [c for c in range(ncols) if not all(_blank(grid[r][c]) for r in keep_rows)]
    if not keep_rows or not keep_cols:
        return None
    rows = [[grid[r][c] for c in keep_cols] for r in keep_rows]
    return Table(rows=rows, where=where, row_numbers=[numbers[r] for r in keep_rows],
                 positional=positional)


def apply_merges(placed: dict[tuple[int, int], Placed],
                 ranges: list[tuple[int, int, int, int]]) -> None:
    """Merged ranges (0-based inclusive row1, col1, row2, col2) of a sheet onto its cells.

    A spreadsheet keeps only the top-left value of a merged range; values under it are dropped.
    """
    for r1, c1, r2, c2 in ranges:
        anchor = placed.get((r1, c1))
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(placed):
            covered = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
        else:
            covered = [k for k in placed if r1 <= k[0] <= r2 and c1 <= k[1] <= c2]
        for key in covered:
            placed.pop(key, None)
        placed[(r1, c1)] = Placed(r1, c1, anchor.text if anchor else "", r2 - r1 + 1, c2 - c1 + 1)


def _blank(cell: Cell | None) -> bool:
    return cell is not None and cell.text == "" and cell.rowspan == 1 and cell.colspan == 1


def _free_extent(covered: list[list[bool]], row: int, col: int, span: int, *, vertical: bool) -> int:
    """How far a span can reach before it meets the grid's end or an already covered position."""
    extent = 1
    while extent < span:
        r, c = (row + extent, col) if vertical else (row, col + extent)
        if r >= len(covered) or c >= len(covered[0]) or covered[r][c]:
            break
        extent += 1
    return extent


def clean_text(text: str) -> str:
    """A cell's text as a person reads it: outer whitespace and NBSPs gone, line ends unified."""
    if text.isprintable() and text == text.strip():
        return text  # the common case, quickly: nothing to clean
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()
