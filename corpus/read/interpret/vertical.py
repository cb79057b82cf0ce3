"""Labels printed down a narrow merged cell: one or two characters per line.

A PDF's text layer or a web page copied from a table with a narrow level column prints a merged
level label one piece per line (`产` / `出` / `指` / `标`, `数量` / `指标`, `经济效` / `益指标`), and a
narrow header cell the same way (`一级` / `指标`). Such pieces are no cells of their own: lines of
short pieces (blank lines between them allowed) whose joined text is a level label or a header word
(`产出` / `指标`, `社会` / `效益指标`) are joined on the first piece's line, the others left empty so that
every line keeps its number. Whatever the layout after it, the label is then one cell.
"""

from __future__ import annotations

import re

from corpus.read.interpret.labels import header_role, level_label

# a piece: a few characters of words, or of a numbering or a score ('1、', '(50', '分)'), never both
# ('其他资金  10' is two cells of a budget line, not a piece of a label)
_PIECE = re.compile(r"[\u4e00-\u9fff()（）、.]{1,6}|[\d()（）、.分]{1,6}")
_MAX_CHARS = 20   # '2、服务对象满意度目标(50分)' down a column of one character a line: 16 pieces
_MAX_BLANKS = 1   # blank lines between two pieces (a web page's empty paragraph)


def _piece(line: str) -> str | None:
    core = line.strip().rstrip("|").strip()
    if not core or "|" in core or "\t" in line or not _PIECE.fullmatch(core):
        return None
    return core


def _whole(text: str) -> bool:
    return bool(level_label(text)) or header_role(text) is not None


def join_vertical_labels(lines: list[str]) -> list[str]:
    """Lines of a label printed piece by piece → the label on the first line (see the module)."""
    out = list(lines)
    index = 0
    while index < len(out):
        first = _piece(out[index])
        if first is None:
            index += 1
            continue
        pieces, at, blanks, best = [first], [index], 0, None
        cursor = index + 1
        while cursor < len(out):
            if not out[cursor].strip():
                blanks += 1
                if blanks > _MAX_BLANKS:
                    break
                cursor += 1
                continue
            piece = _piece(out[cursor])
            if piece is None:
                break
            blanks = 0
            pieces.append(piece)
            at.append(cursor)
            joined = "".join(pieces)
            if len(joined) > _MAX_CHARS:
                break
            if _whole(joined) and not all(_whole(p) for p in pieces):
                best = len(pieces)  # (two whole cells are two cells: '绩效指标' / '一级指标')
            cursor += 1
        if best is None:
            index += 1
            continue
        out[at[0]] = out[at[0]].replace(out[at[0]].strip().rstrip("|").strip(), "".join(pieces[:best]), 1)
        for gone in at[1:best]:
            out[gone] = ""
        index = at[best - 1] + 1
    return out
