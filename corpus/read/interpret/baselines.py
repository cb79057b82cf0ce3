"""Cells that share a baseline run together on one line of a stream-ordered text layer, cut apart again.

Poppler's `pdftotext -raw` prints a PDF's strings in the content stream's order, which for a ruled table is
row by row and cell by cell, each line of a wrapped cell on a line of its own (as pypdf and PyMuPDF print
them); but strings that follow each other on the same baseline are printed on one line, apart by single
spaces. So a row's one-line cells stand together ('＞=307个 100% 5 4.5'), a wrapped cell's lines stand
alone between them ('建设科技示范基地数量' / '按计划完成得' / '满分' / '＞=306' / '个' / '＞=307个 100% 5 4.5'),
and a top-aligned row prints its first lines together with the cells before a wrapped one
('… 指标2造林成活率 完成得满分，未完成按比例' / '扣分' / '≧ 85 % 25'). Read as spaced rows, such a line is
taken for a whole row and the lone lines for wrapped names of the next; read as the stream of cells it
is (one cell a line, `cellpieces` joining a cell's lines, `assemble` cutting rows), it reads as pypdf's.

The text is such a stream where its lone lines are a wrapped cell's pieces one after another: at least
`_EVIDENCE` lone lines that the next lone lines complete into one cell (a value and its unit's rest, a
label's pieces, a sentence's lines: `cellpieces` decides), in lines not set apart by blank lines (boxes and
blocks between blank lines are pdfminer's and pdftotext's default order, read by `textboxes`). A layout-ordered text (pdfplumber, `pdftotext
-layout`) prints the pieces of a row's cells on shared lines, so its lone lines rarely go on each other.
A line is cut at its single spaces (`textrows.spaced_tokens`: a bracket's inside kept), except a word
printed with a space between its characters (`产 出 指 标`), which stays one cell.
"""

from __future__ import annotations

import re

from corpus.read.interpret import cellpieces, labels
from corpus.read.interpret.textrows import merge_wrapped, row_cell, spaced_tokens

_EVIDENCE = 2        # lone lines that a wrapped cell's next lines complete
_PIECES = 5         # lines of one wrapped cell looked at (`cellpieces` joins at most five)
_SCAN_LINES = 4000   # lines of one form looked at for that evidence (a form's table is far shorter)
_LAYOUT_WEIGHT = 2  # a layout's sign counts twice: a stream never prints a cell's lines on shared lines
_BLANKS = 5         # a stream of lines: fewer blank lines than one in five
_CJK = re.compile(r"[\u4e00-\u9fff]")


def split_runs(lines: list[str]) -> tuple[list[str], list[int] | None]:
    """The lines with each run of cells cut into one cell a line where the text is a stream of cells
    printed by baseline, and for each new line the index of the line it came from (None: left as it was)."""
    if not _stream_of_cells(lines):
        return lines, None
    out: list[str] = []
    origin: list[int] = []
    for index, line in enumerate(lines):
        cells = cells_of_run(line) if " " in line.strip() else [line]
        out += cells
        origin += [index] * len(cells)
    return out, origin


def cells_of_run(line: str) -> list[str]:
    """A run of cells apart by single spaces; a word spelled out character by character ('产 出 指 标') stays
    whole: lone characters of words (no unit or state word), two or more in a row or one inside a level
    label ('(一)产出 指 标(20'), join the words on either side of them."""
    tokens = merge_wrapped(spaced_tokens(line.replace("\u3000", " ")))
    out: list[str] = []
    index = 0
    while index < len(tokens):
        end = index
        while end < len(tokens) and _lone_character(tokens[end]):
            end += 1
        if end == index:
            out.append(tokens[index])
            index += 1
            continue
        before = out[-1] if out and _CJK.match(out[-1][-1]) else ""
        after = tokens[end] if end < len(tokens) and _CJK.match(tokens[end][0]) else ""
        word = "".join(tokens[index:end])
        if end - index < 2 and not cellpieces.label_start(before + word + after):
            out.append(tokens[index])
            index += 1
            continue
        if before:
            out[-1] += word + after
        else:
            out.append(word + after)
        index = end + bool(after)
    return out or [line.strip()]


def _lone_character(token: str) -> bool:
    return len(token) == 1 and bool(_CJK.match(token)) and not labels.is_unit(token) and \
        not labels.is_short_value_word(token)


def _wrapped_cells_in_run(run: list[str], previous: str) -> int:
    """Cells wrapped over lines inside a run of lone lines, where the run does not go on a cell of the line of
    several cells before it (a layout-ordered text's lone lines are the rest of cells begun on that line)."""
    if " " in previous and any(cellpieces.wrapped_pieces([token] + run[:_PIECES - 1]) > 1
                               for token in previous.split()):
        return 0
    found = index = 0
    while index < len(run) - 1:
        take = cellpieces.wrapped_pieces(run[index:index + _PIECES])
        found += take > 1
        index += max(take, 1)
    return found


def _row_goes_on(before: str, run: list[str], after: str) -> bool:
    """A top-aligned row printed by baseline: its cells up to a wrapped one on a line ('… 完成得满分，未完成按比例'),
    the wrapped cell's other lines alone ('扣分'), then the row's next cells ('≧ 85 % 25', a value first; after a
    heading, the next headings). (A layout-ordered text prints the rest of a row's last cell there, and the next
    row after it, a name first; the rest of a header's last heading, then the first row.)"""
    last = before.split()[-1]
    take = cellpieces.wrapped_pieces([last] + run[:_PIECES - 1])
    rest = "".join(run[:take - 1])
    if take < 2:
        return False
    first = after.split()[0]
    if labels.header_role(last + rest) and not labels.header_role(last):
        return labels.header_role(first) is not None  # the header's next headings ('指标方' / '向' / '年度指标值 …')
    return (len(rest) > 1 or labels.is_value_unit(rest)) and row_cell(first)


def _stream_of_cells(lines: list[str]) -> bool:
    """More signs of a stream printed by baseline than of lines laid out by height, and at least `_EVIDENCE`.
    A stream's sign: a cell wrapped over lone lines that do not go on a cell of the line before them
    (`_wrapped_cells_in_run`), or a row's line that goes on after its wrapped cell's lone lines (`_row_goes_on`). A layout's sign: two lines of several cells whose first cells make one
    cell (a cell's lines on shared lines, the same column's piece first on each)."""
    text = [line.strip() for line in lines[:_SCAN_LINES]]
    filled = sum(1 for line in text if line)
    if not any(" " in line for line in text) or (len(text) - filled) * _BLANKS > filled:
        return False  # cells apart by blank lines are boxes or blocks (pdfminer, pdftotext's default order)
    runs = [line for line in text if " " in line]
    if sum(1 for line in runs if "  " in line) * _BLANKS > len(runs):
        return False  # cells apart by wide gaps are laid out by position (pdftotext -layout, positions kept)
    stream = layout = 0
    previous, run = "", []
    for line in text + [""]:
        if line and " " not in line and "\t" not in line:
            run.append(line)
            continue
        if len(run) > 1:
            stream += _wrapped_cells_in_run(run, previous)
        if run and " " in previous and " " in line and _row_goes_on(previous, run, line):
            stream += 1
        if run:
            previous = run[-1]
        run = []
        if not line or "\t" in line:
            continue
        if " " in previous and cellpieces.wrapped_pieces([previous.split()[0], line.split()[0]]) > 1:
            layout += 1
        previous = line
    return stream >= _EVIDENCE and stream > _LAYOUT_WEIGHT * layout
