"""Names wrapped at their cell's width, in row-bounded text that dropped the wrap's empty cells.

A PDF's text layer (and a page's text) prints a name too long for its cell over several lines: the
first part fills the cell's width, the tail stands on the next line with none of the row's other
cells ('新建农村公路里程 ≥12公里' / '（含桥梁涵洞）'); with the value printed at the middle of the cell it
stands on the tail's line instead ('新建农村公路里程' / '（含桥梁涵洞） ≥12公里'). A column wraps every
name at the same width, so the width is the longest name of the table's valued rows: a row with no
value whose neighbour's name fills that width is a part of the neighbour's name, not a row.
"""

from __future__ import annotations

import re

from corpus.read.interpret import labels
from corpus.read.interpret.cells import RawRow

_MIN_WIDTH = 6   # a cell narrower than this holds no wrapped name worth the guess
_MAX_TAIL = 16   # a tail is short: a longer line is a row of its own


def _valued(row: RawRow) -> bool:
    return any(labels.squash(v) for v in row.values.values())


# a name's own numbering ('指标1:', '1.', '(2)') starts a name, never goes on with one
_NUMBERED = re.compile(r"^(?:指标\s*\d|\d{1,2}[.、．)）]|[(（]\d{1,2}[)）]|[①-⑳])")


def _tail(row: RawRow) -> bool:
    core = labels.squash(row.name)
    return not _valued(row) and 1 <= len(core) <= _MAX_TAIL and not labels.looks_like_value(core) and \
        not labels.level_label(core) and not labels.field_label(core) and not _NUMBERED.match(core)


def join_wrapped_names(rows: list[RawRow]) -> list[RawRow]:
    """Rows with the parts of wrapped names joined to the name they belong to (see the module)."""
    widths = [len(labels.squash(r.name)) for r in rows if _valued(r)]
    if len(widths) < 3:
        return rows
    # every name longer than the cell is cut at its width: the longest length that comes twice (one name
    # glued to a label or a note may be longer), or the longest
    twice = [w for w in set(widths) if widths.count(w) >= 2 and w >= _MIN_WIDTH]
    width = max(twice) if twice else max(widths)
    if width < _MIN_WIDTH:
        return rows
    out: list[RawRow] = []
    last_part = 0  # length of the last line's part of the last row's name
    index = 0
    while index < len(rows):
        row = rows[index]
        before = out[-1] if out else None
        following = rows[index + 1] if index + 1 < len(rows) else None
        part = len(labels.squash(row.name))
        if _tail(row) and part <= width and before is not None and _valued(before) and \
                last_part == width and _next_line(before, row) and _same_block(before, row):
            before.name += row.name.strip()  # the tail under a name that fills its cell
            last_part = part
            _shift(before, row)
            index += 1
            continue
        if _tail(row) and len(labels.squash(row.name)) == width and following is not None and \
                _valued(following) and _next_line(row, following) and \
                len(labels.squash(following.name)) < width:
            following.name = row.name.strip() + following.name  # the head above its value's line
            index += 1
            continue
        out.append(row)
        last_part = part
        index += 1
    return out


def _same_block(row: RawRow, tail: RawRow) -> bool:
    """A tail stays in its row's block: a level the row had that the tail's line changes starts another
    block (a new row cut short at a page's end, not a tail)."""
    return all(mine is None or mine == theirs for mine, theirs in ((row.raw1, tail.raw1), (row.raw2, tail.raw2)))


def _shift(row: RawRow, tail: RawRow) -> None:
    """The row's last line is now its tail's (so that a tail after it is compared with that line)."""
    row.notes.append(f"wrapped:{tail.line}")



def _next_line(first: RawRow, second: RawRow) -> bool:
    last = first.line
    for note in first.notes:
        if note.startswith("wrapped:") and note[8:].isdigit():
            last = int(note[8:])
    return last is not None and second.line is not None and 0 < second.line - last <= 2
