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

from corpus.read.interpret.labels import header_role, label_stem, level_label, strip_decoration

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
        all_whole = _whole(first)  # every piece so far a whole label or header word of its own
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
            all_whole = all_whole and _whole(piece)
            if not all_whole and _whole(joined):
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


# ---- rows of a PDF's text layer ----------------------------------------------------------------

_ROW_PIECE = re.compile(r"[\u4e00-\u9fff]{1,3}|[\d()（）、.分]{1,3}")


def _candidate(cells: list) -> int | None:
    """Index of the cell of a row that may be a piece of a label printed down its column: the first
    filled cell after whole labels, when it is one to three characters."""
    for index, cell in enumerate(cells):
        core = cell.text.strip()
        if not core:
            continue
        if len(core) >= 4 and level_label(core):
            continue  # a whole label of another column ('质量指标' beside the pieces of '产出指标')
        return index if _ROW_PIECE.fullmatch(core) else None
    return None


def join_row_label_pieces(rows: list) -> list:
    """Rows of a PDF's text layer whose first cells are pieces of a label printed down a narrow merged
    cell ('产  数量  新建农村公路里程  ≥12公里' / '出  指标  受益农户数  ≥350户' / '指 …' / '标 …'): the
    pieces of consecutive lines that together make a level label become that label on the first line
    and empty cells on the others (two passes: the first level, then the second)."""
    for _ in range(2):
        index = 0
        while index < len(rows):
            run = []
            cursor = index
            while cursor < len(rows) and len(run) < 20:
                at = _candidate(rows[cursor].cells)
                if at is None and run and len([c for c in rows[cursor].cells if c.text.strip()]) == 1:
                    cursor += 1  # a line of its own between two pieces (a wrapped name's tail)
                    continue
                if at is None or (run and rows[cursor].line - rows[run[-1][0]].line > 2):
                    break
                run.append((cursor, at))
                cursor += 1
            best = None
            texts = [rows[r].cells[c].text.strip() for r, c in run]
            for size in range(2, len(run) + 1):
                joined = "".join(texts[:size])
                if len(joined) > _MAX_CHARS:
                    break
                if level_label(joined) and not all(level_label(t) for t in texts[:size]):
                    best = size
            if best is None:
                index += 1
                continue
            first_row, first_cell = run[0]
            rows[first_row].cells[first_cell].text = "".join(texts[:best])
            for r, c in run[1:best]:
                rows[r].cells[c].text = ""
            index = run[best - 1][0] + 1
    return rows


# ---- a label's last line below the row it stands beside -----------------------------------------------

_LABEL_LOOKBACK = 3   # a merged label's lines stand within a row's lines (a name wrapped over three at most)
_SPACED = re.compile(r"\S+")
_WORD_PIECE = re.compile(r"[\u4e00-\u9fff]{1,6}")  # a label's words cut at its cell's width ('标', '益目标')
_NOTE_TAIL = re.compile(r"\d{0,3}分[)）]|必?填[)）]")  # its note's end ('分）', '填)')
_WHOLE_NOTE = re.compile(r"[(（](?:\d{1,3}分|必填|选填)[)）]$")


def join_label_ends(lines: list[str]) -> list[str]:
    """A level label wrapped in its narrow column whose last line stands on a line of its own, or first on a
    line of a value's tail, below the row beside it ('3、时效目' / '指标1:建设任务按期完成率 =100% …' / '标';
    '(四)经济效益指' / … / '标 上'): a short piece that ends a label's head printed first on one of the three
    lines above joins that head (a wrapped name's tail would take it otherwise: '…按期完成率标'). Positions in
    a text that keeps them move by no more than the gap after the head; the piece's place turns to spaces."""
    from corpus.read.interpret.labels import looks_like_value
    from corpus.read.interpret.namepieces import inside_label

    out = list(lines)
    for index in range(1, min(len(out), 200_000)):
        line = out[index]
        if len(line) > 400 or not line.strip() or line.count(" ") > 8 and "  " not in line:
            continue  # (a piece's line holds a few words: a long line of single spaces is a row)
        found = list(_SPACED.finditer(line))
        if not 1 <= len(found) <= 4:
            continue
        # the piece: the line's first word, or its first words where the label was spaced out ('量 类')
        for count in range(min(len(found), 3), 0, -1):
            piece = "".join(m.group() for m in found[:count])
            if (_WORD_PIECE.fullmatch(piece) and inside_label(piece) or _NOTE_TAIL.fullmatch(piece)) and \
                    not level_label(piece) and \
                    not looks_like_value(piece) and (count == 1 or len(found) > count or len(piece) <= 3) and \
                    _join_above(out, index, piece, found[count - 1].end()):
                break
    return out


def _join_above(out: list[str], index: int, piece: str, end: int) -> bool:
    """The piece (the line's text up to `end`) joined to a label's head on one of the lines above; whether it was."""
    line = out[index]
    for above in range(index - 1, max(index - 1 - _LABEL_LOOKBACK, -1), -1):
        head = _label_head(out[above], piece)
        if head is None:
            continue
        out[above] = _widened(out[above], head, piece)
        start = len(line) - len(line.lstrip())
        kept = "  " in line.strip()
        rest = line[:start] + (" " * (end - start) if kept else "") + line[end:]
        out[index] = (rest if kept else " ".join(rest.split())) if rest.strip() else ""
        return True
    return False
    return out


def _label_head(line: str, piece: str):
    """The token among a line's first three that is a label's head the piece completes (not a label already)."""
    found = list(_SPACED.finditer(line))
    for at, match in enumerate(found[:3]):
        head = match.group()
        if level_label(head) or not level_label(head + piece) or len(head) < 2:
            continue
        if strip_decoration(head + piece) == label_stem(head + piece) and strip_decoration(head) == head:
            continue  # a bare framework word of two pieces ('数' / '量') is a wrapped name's, not a label's
        if _WORD_PIECE.fullmatch(piece) and not re.search(r"[\u4e00-\u9fff]$", head):
            continue  # words go on words
        if _NOTE_TAIL.fullmatch(piece) and not _WHOLE_NOTE.search(head + piece):
            continue  # a note's end closes a note the head opened ('时效类（30' + '分）', never '(5' + '填)')
        if any(level_label(head + "".join(m.group() for m in found[at + 1:at + 1 + k])) for k in range(1, 7)
               if at + k < len(found)):
            continue  # the head's own rest stands beside it on its line ('2、满 意 度 指 标')
        return match
    return None


def _widened(line: str, head, piece: str) -> str:
    """The line with the piece after its head, taking as many spaces of the gap after it as there are to spare."""
    after = line[head.end():]
    gap = len(after) - len(after.lstrip(" "))
    take = len(piece) if gap > len(piece) + 1 else 0
    return line[:head.end()] + piece + after[take:]
