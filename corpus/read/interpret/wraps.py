"""Names wrapped at their cell's width, in row-bounded text that dropped the wrap's empty cells.

A PDF's text layer (and a page's text) prints a name too long for its cell over several lines: the
first part fills the cell's width, the tail stands on the next line with none of the row's other
cells ('新建农村公路里程 ≥12公里' / '（含桥梁涵洞）'); with the value printed at the middle of the cell it
stands on the tail's line instead ('新建农村公路里程' / '（含桥梁涵洞） ≥12公里'). A column wraps every
name at the same width, so the width is the longest name of the table's valued rows: a row with no
value whose neighbour's name fills that width is a part of the neighbour's name, not a row.
"""

from __future__ import annotations

import contextvars
import copy
import re
from functools import lru_cache

from corpus.read.interpret import labels
from corpus.read.interpret.cells import OPERATOR_CELLS, RawRow, frame_heading
from corpus.read.interpret.textrows import detect_family, find_header_line, merge_wrapped, spaced_tokens

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


# ---- cells of several columns wrapped on shared lines (a PDF text layer of a ruled table) --------------
#
# A PDF's text layer prints a table row whose cells are wider than their columns over several lines: each
# line holds the next fragment of every cell still going (the name's, the explanation's, a value's), a short
# cell stands on the middle line of its row (or its first line), a merged level cell on the middle line of
# its block. `join_interleaved` puts the fragments back into their cells before any row is decoded:
#
# - each fragment gets its column: by its position under the header's words when the text kept the
#   columns' positions (pdftotext -layout), else by its content in line order against the header's roles
#   (a level label, a value, a unit alone, a score, words);
# - a line goes on with the row above while every fragment it holds continues a cell of that row (the cell
#   filled its column's width, or a value cut before its unit or after 月) or falls in a column that row
#   left empty; a fragment in a column the row has closed starts the next row (so a row's first lines,
#   printed above its value, start it);
# - the rows are rebuilt as one line each, the cells in column order: the reader then reads them as it
#   reads rows that never wrapped.

# an operator written after the value (corpus/vocab/operators.json words_after: 以上, 以内 …)
_TAIL_WORD = re.compile(rf"(?:{labels.words_after_pattern()})$")
_LAYOUT_GAP = re.compile(r"\S+(?:\s\S+)*")   # runs of text separated by two spaces or more
_LAYOUT_TOLERANCE = 2   # characters a fragment may stand left of its column's start in a kept layout


def _shown(text: str) -> float:
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def _tokens(line: str, kept: bool) -> list[tuple[int, str]]:
    """A line's cells with where each starts: runs split at two spaces or more when the layout is kept
    (single spaces inside a cell stay), at every space otherwise."""
    if kept:
        found = [(m.start(), m.group()) for m in _LAYOUT_GAP.finditer(line.replace("\u3000", " "))
                 if m.group().strip()] if "  " in line.strip() or line.startswith(" ") else \
            [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]
        out = []
        for at, token in found:  # a level label run into the next cell where its text filled its column
            cut = labels.glued_label(token)
            out += [(at, token[:cut]), (at + cut, token[cut:])] if cut else [(at, token)]
        return out
    tokens = []
    for token in merge_wrapped(spaced_tokens(line.replace("\u3000", " "))):
        first, _, rest = token.partition(" ")
        # a label's score cut at its cell's width ('2.质量指标（30') is no note holding the next cell
        tokens += [first, rest] if rest and _SCORE_CUT.search(first) else [token]
    out, at = [], 0
    for token in tokens:
        first = token.split()[0] if token.split() else token
        found = line.find(first, at)
        out.append((max(found, at), token))
        at = max(found, at) + len(first)
    return out


@lru_cache(maxsize=65536)  # the same cells come again on every form of a file
def _kind(text: str, levels: bool = True) -> str:
    """What a fragment is. In a table with no level column a bare framework word ('数量', the tail of
    '…设备' / '数量') is words: a label there stands on a line of its own with its ending or numbering."""
    core = labels.squash(text)
    if labels.level_label(core) and (levels or _decorated(core) or
                                     core.endswith(tuple(labels.patterns()["level_endings"]))):
        return "label"
    if labels.is_plain_number(core):
        return "number"
    if labels.is_target_value(core) or core in OPERATOR_CELLS:
        return "value"
    if labels.is_unit(core):
        return "unit"
    return "text"


def _value_goes_on(last: str, core: str, full: bool) -> bool:
    """A value's next line: what follows an operator ('≥' / '120处'), a unit after a number ('≥120' / '处',
    '=481元/' / '生·年'), a day after its month ('2025年12月' / '31日前'), words after words that filled the
    column; never a new value (an operator first), nor a whole value after a whole value (two rows')."""
    if not core or core.startswith(_OPERATORS_LONGEST_FIRST):
        return False
    if last.endswith(_OPERATORS_LONGEST_FIRST):
        return core[:1].isdigit()
    if last[-1:].isdigit():
        return labels.is_unit(core) or core[:1] in "/%(（" or labels.is_unit(re.split(r"[/(（]", core)[0])
    if last.endswith("月"):
        return bool(re.match(r"\d{1,2}日", core))
    if last.endswith("/"):
        return bool(re.match(r"[\u4e00-\u9fff]", core))
    if labels.is_target_value(last) and labels.is_target_value(core):
        return False  # two whole values are two rows'
    if labels.is_target_value(last) and labels.is_unit(core) and core[:1] != "/":
        # the rest of a unit ('≥12134人' / '次'), not a second unit ('≥81096人次' / '人次': a name's tail)
        ending = re.search(r"[^\d.%]+$", last)
        if ending and labels.is_unit(ending.group()) and re.fullmatch(r"[（(][^（()）]+[)）]", core):
            return True  # a unit's alternative in brackets after it ('≥102件' / '（套）')
        return bool(ending) and labels.is_unit(ending.group() + core)
    if core.startswith("/"):
        return True  # a per-unit after its value ('≥422元' / '/人')
    return full and bool(re.match(r"[\u4e00-\u9fff（(]", core)) and not _complete_value(last)


def completes_value(last: str, piece: str) -> bool:
    """Whether `piece`, a short line's cell, is the rest of the value `last` that its cell wrapped ('≥22万元/村·'
    / '年', '＞＝210台（' / '套）', '36928万元以' / '内', '≥18.7万人' / '次'): the value misses something and
    takes the piece as its next line, or is whole only with it."""
    last, piece = labels.squash(last), labels.squash(piece)
    if not last or not piece or len(piece) > 6 or _complete_value(last) and not labels.is_unit(piece):
        return False
    joined = last + piece
    return _value_goes_on(last, piece, False) and labels.looks_like_value(joined) or \
        (not _complete_value(last) and _complete_value(joined))


_NUMBER_FIRST = re.compile(r"^\D{0,4}?\d[\d.,]*(.*)$")


def _complete_value(core: str) -> bool:
    """A value nothing is missing from: a number with no unit, '%', a unit of the vocabulary or an
    operator word after it ('≥393%', '=481元/生·年', '4264万元以内'); a state word ('有所提升')."""
    if labels.is_short_value_word(core):
        return True
    match = _NUMBER_FIRST.match(core)
    if not match or not labels.looks_like_value(core):
        return False
    rest = _TAIL_WORD.sub("", match.group(1))
    return rest in ("", "%") or labels.is_unit(rest)


# operator cells (≥, 不低于 …), longest first: built once, not on every fragment a line holds
_OPERATORS_LONGEST_FIRST = tuple(sorted(OPERATOR_CELLS, key=len, reverse=True))


_VALUE_ROLES = ("target", "period_target", "actual", "other")


def _fits(kind: str, role: str | None) -> float:
    """How well a fragment of this kind sits in a column of this header role."""
    if kind == "label":
        return 3.0 if role in ("level1", "level2") else -4.0
    if role in ("level1", "level2"):
        return -4.0
    if kind == "value":
        return 2.0 if role in _VALUE_ROLES or role == "operator" else (-0.5 if role == "unit" else -3.0)
    if kind == "number":
        return 2.0 if role == "score" else (1.0 if role in _VALUE_ROLES else -2.0)
    if kind == "unit":
        return 2.0 if role == "unit" else (0.5 if role in _VALUE_ROLES else -2.0)
    return 1.0 if role in ("name", "explain") else (-0.5 if role in _VALUE_ROLES else -2.0)


class _Row:
    def __init__(self, line: int) -> None:
        self.line = line
        self.lines = [line]
        self.first: set[int] = set()   # the columns of the row's first line
        self.valued: list[bool] = []    # whether each of its lines holds a value
        self.cells: dict[int, list[str]] = {}
        self.at: dict[int, list[int]] = {}   # the line (counted in the row) of each fragment of a column

    def add(self, col: int, text: str) -> None:
        self.cells.setdefault(col, []).append(text)
        self.at.setdefault(col, []).append(len(self.valued) - 1)

    def balanced(self, roles: list[str | None]) -> bool:
        """Every cell of the row stands centred on one line (a row printed at the middle of its cells is
        complete): its value among them."""
        centres = {sum(at) / len(at) for c, at in self.at.items() if c == int(c) and roles[c] not in ("level1", "level2")}
        return len(centres) == 1 and any(c == int(c) and roles[c] in _VALUE_ROLES for c in self.at)

    def centred_and_closed(self) -> bool:
        """A row whose cells stand at its middle (lines of words above its value) has as many lines
        below its value as above: a line past those starts the next row, even when the name's last line
        happened to fill the column."""
        if True not in self.valued:
            return False
        above = self.valued.index(True)
        below = len(self.valued) - 1 - (len(self.valued) - 1 - self.valued[::-1].index(True))
        return above >= 1 and below >= above

    def owes_lines_below(self) -> int:
        """A row printed at the middle of its cells whose value line has k lines of words above it has k
        below it too: how many of those are still to come (0 for a row with no line above its value)."""
        if self.valued.count(True) != 1:
            return 0  # (values over several lines: the columns' widths tell where the row ends)
        above = self.valued.index(True)
        below = self.valued[::-1].index(True)
        return max(above - below, 0)

    def open(self, col: int, widths: dict[int, float], roles: list[str | None]) -> bool:
        """The column's cell goes on on the next line: its last fragment filled the column's width (a
        value: or stopped before its unit, or after 月)."""
        parts = self.cells.get(col)
        if not parts or roles[col] in ("score", "operator"):  # a score or an operator never wraps
            return False
        last = parts[-1]
        if roles[col] in _VALUE_ROLES:  # a value cut before its unit, after 月 or 元/; words cut at the width
            core = labels.squash(last)
            if re.search(r"\d$|月$|/$", core) or core.endswith(_OPERATORS_LONGEST_FIRST) or \
                    (labels.looks_like_value(core) and not _complete_value(core)):
                return True  # cut after its number, its month, its operator, inside its unit ('≤233万')
        return _full(last, col, widths)  # (a Latin character is half a Chinese one)

    def takes(self, col: int, text: str, widths, roles) -> bool:
        if col not in self.cells:
            # a cell of a line of its own comes later than the row's cells only while each of those goes
            # on (a row's short cells stand on one line, at its top or its middle)
            return all(self.open(c, widths, roles) for c in self.cells
                       if c == int(c) and roles[c] not in ("level1", "level2"))
        if roles[col] in _VALUE_ROLES:  # a value goes on by its shape (or when it filled its column)
            return _value_goes_on(labels.squash(self.cells[col][-1]), labels.squash(text),
                                  _full(self.cells[col][-1], col, widths))
        if not self.open(col, widths, roles):
            return False
        return roles[col] not in ("level1", "level2", "score", "operator") and _kind(text, _has_levels(roles)) != "label" and \
            not _NUMBERED.match(labels.squash(text))


def _assign(tokens: list[tuple[int, str]], starts: list[int] | None, roles: list[str | None],
            row: _Row | None, widths, words_go_on: bool = True) -> list[tuple[int, str]]:
    """Each fragment's column: under the header word it stands below (a kept layout), else the monotone
    placement in line order that fits the fragments' kinds best, a fragment that continues a cell of the
    row above placed in that cell's column."""
    if starts is not None:
        out = []
        for at, text in tokens:
            col = max((c for c, s in enumerate(starts) if s <= at + _LAYOUT_TOLERANCE), default=0)
            out.append((col, text))
        return out
    n, m = len(roles), len(tokens)
    if m > n:
        return []  # more cells than columns: no line of this table
    kinds = [_kind(t, _has_levels(roles)) for _, t in tokens]
    neg = float("-inf")
    # best[i][j]: tokens[:i] placed in columns[:j]
    best = [[neg] * (n + 1) for _ in range(m + 1)]
    back: dict[tuple[int, int], tuple[int, int, bool]] = {}
    for j in range(n + 1):
        best[0][j] = 0.0
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            skip = best[i][j - 1]
            score = _fits(kinds[i - 1], roles[j - 1])
            if widths and kinds[i - 1] == "text" and roles[j - 1] in ("name", "explain"):
                # words never stand wider than their column; a line of words that fills a column is
                # that column's (a wrapped cell's lines fill it)
                text = tokens[i - 1][1]
                score += -3.0 if _shown(text) > widths.get(j - 1, 99) + 0.5 else (0.5 if _full(text, j - 1, widths) else 0.0)
            if row is not None and roles[j - 1] == "name" and kinds[i - 1] == "text" and \
                    not any(roles[int(c)] == "name" for c in row.cells):
                score += 2.0  # a row has a name: words where it has none yet are likely it
            if row is not None and row.cells.get(j - 1) and not words_go_on and kinds[i - 1] == "text":
                score -= 1.0  # the other reading: words in a column of their own
            elif row is not None and row.cells.get(j - 1):
                # goes on with the row above's cell, or cannot
                score += 1.5 if row.takes(j - 1, tokens[i - 1][1], widths, roles) else -1.0
                if _TAIL_WORD.search(row.cells[j - 1][-1] + tokens[i - 1][1]) and \
                        not _TAIL_WORD.search(row.cells[j - 1][-1]):
                    score += 0.5  # '29.7人次以' / '上': the tail word cut, not a second one after a whole value
            take = best[i - 1][j - 1] + score if best[i - 1][j - 1] > neg else neg
            if take > skip:  # a tie goes to the earlier column (a lone words fragment: the name)
                best[i][j], back[(i, j)] = take, (i - 1, j - 1, True)
            else:
                best[i][j], back[(i, j)] = skip, (i, j - 1, False)
    if best[m][n] == neg:
        return []
    out, i, j = [], m, n
    while i > 0:
        pi, pj, took = back[(i, j)]
        if took:
            out.append((j - 1, tokens[i - 1][1]))
        i, j = pi, pj
    return out[::-1]


def join_interleaved(lines: list[str]) -> list[str]:
    """The text with each row printed over several lines (its cells' fragments interleaved, see above)
    written as one line of cells; the lines it took left empty, so that every other line keeps its
    number. The text unchanged when no row of its table was printed over lines that way."""
    from corpus.read.interpret.cells import is_footer

    header = find_header_line(lines)
    if header is not None:
        if detect_family(lines, header) != "spaced_rows":
            return lines
        kept = _kept_layout(lines, header)
        head = _tokens(lines[header], kept)
        roles = [labels.header_role(t) for _, t in head]
        frame = frame_heading(roles)
        if frame is not None:
            roles[frame] = None  # a 自评表's 绩效指标 merged down the table's left heads no column
        if len(head) < 3 or "name" not in roles or not set(roles) & {"target", "period_target"}:
            return lines
        starts = [at for at, _ in head] if kept else None
        begin = header + 1
    else:  # no header: the columns are what the table's fullest row holds, read from its cells' content
        kept, starts = False, None
        found = _headerless_columns(lines)
        if found is None:
            return lines
        begin, roles = found
    end = begin
    while end < len(lines) and end - begin < 2000 and not is_footer(lines[end].strip() or "x"):
        end += 1
    tokens, moved = _join_label_pieces({index: found for index in range(begin, end)
                                        if (found := _tokens(lines[index], kept))})
    placed = {index: _assign(found, starts, roles, None, {}) for index, found in tokens.items()}
    if any(not pieces for pieces in placed.values()):
        return lines  # a line with more cells than the table has columns: no table of these columns
    if all(_whole_row(pieces, roles) for pieces in placed.values()):
        return lines  # every line a row with its name and its value (or labels alone): nothing wrapped
    widths = _column_widths(placed, roles if starts is None else None)
    heading = lines[header] if header is not None else None
    # cells printed at their rows' top, or at their middle (then a row whose cells all centre on one line
    # is whole): the reading that leaves fewer rows without a name or a value
    top = _build(lines, begin, end, heading, tokens, starts, roles, widths, centred=False)
    middle = _build(lines, begin, end, heading, tokens, starts, roles, widths, centred=True)
    built, joined = middle if (_broken(middle[0], roles), not _heads(middle[0], roles)) <= \
        (_broken(top[0], roles), not _heads(top[0], roles)) else top
    # the third reading: rows whose lines are laid out as a row's cells print (linelayout), where it leaves
    # fewer rows without a name or a value, or fewer rows no top- or middle-aligned row prints
    flaws = (_broken(built, roles), _misaligned(built, roles))
    laid = None
    if any(flaws) and _LAYOUT_LINES.get() >= len(tokens):
        _LAYOUT_LINES.set(_LAYOUT_LINES.get() - len(tokens))
        laid = _build_by_layout(lines, begin, end, heading, tokens, starts, roles, widths)
    if laid is not None and (_broken(laid[0], roles), _misaligned(laid[0], roles)) < flaws:
        built, joined = laid
    if not joined or not _interleaved(built, roles):
        return lines
    out = list(lines)
    joined_to = set(moved.values())
    # the cells of a rebuilt row apart as the table's other rows print theirs: a table without a header is
    # found by the shape of its lines, and a line of wide gaps among single-spaced ones reads as another table
    # (a line of one cell shows no gap)
    body = [line for index in range(begin, end) if len((line := lines[index].strip()).split()) >= 2]
    spaced = sum("  " in line.replace("\u3000", "  ") for line in body)
    gap = " " if header is None and 2 * spaced < len(body) else "  "
    for row in built:
        if row.cells and (len(row.lines) > 1 or joined_to & {n - 1 for n in row.lines}):
            for number in row.lines:
                out[number - 1] = ""
            out[row.line - 1] = gap.join(cell for c in sorted(row.cells) if (cell := labels.join_cell_lines(row.cells[c], values=True)))
    for line, into in moved.items():
        if line not in tokens and out[into] != lines[into]:
            out[line] = ""  # a label's piece gone to the label's line
        elif line in tokens and out[into] != lines[into] and out[line] == lines[line]:
            out[line] = gap.join(text for _, text in tokens[line])  # the rest of a line a piece left
    return out


# lines of one text that the layout reading may cut (about ten wrapped forms): its cost is a few hundred times
# a line's, so a text of thousands of wrapped tables keeps the greedy readings past it and reads in bounded time
LAYOUT_LINES = 400
_LAYOUT_LINES: contextvars.ContextVar[int] = contextvars.ContextVar("layout_lines", default=LAYOUT_LINES)


def reset_layout_budget() -> None:
    """A new text: the layout reading's lines counted from zero (`interpret_text` calls it)."""
    _LAYOUT_LINES.set(LAYOUT_LINES)


def _build_by_layout(lines: list[str], begin: int, end: int, heading: str | None,
                     tokens: dict[int, list[tuple[int, str]]], starts: list[int] | None,
                     roles: list[str | None], widths: dict) -> tuple[list[_Row], bool] | None:
    """The table's lines grouped into rows by `linelayout.rows_by_layout`; None where some line has no
    placement in these columns."""
    from corpus.read.interpret import linelayout

    levels = _has_levels(roles)
    order = [index for index in range(begin, end) if index in tokens]
    breaks = {index for index in order if (heading is not None and labels.squash(lines[index]) ==
                                           labels.squash(heading)) or
              re.fullmatch(r"第\s*\d+\s*页.*|-\s*\d+\s*-", lines[index].strip())}
    options = {}
    for index in order:
        if index in breaks:
            options[index] = [(0.0, [])]
            continue
        found = linelayout.line_options(
            tokens[index], roles, widths, kept=starts is not None,
            assign=lambda found, roles, row, widths: _assign(found, starts, roles, row, widths),
            kind=_kind, fits=_fits, full=_full)
        if not found:
            return None
        options[index] = found

    def is_label(col: int, text: str) -> bool:
        # (under the name column a bare framework word is the name's: '扶持企业（项目）' / '数量')
        return roles[col] in ("level1", "level2") or (starts is not None and _kind(text, levels) == "label" and
                                                      (roles[col] not in ("name", "explain") or
                                                       linelayout.decorated(text)))

    def goes_on(col: int, above: str, below: str) -> float:
        return linelayout.continuation(roles[col], above, below, full=_full(above, col, widths),
                                       value_goes_on=_value_goes_on)

    cut = linelayout.rows_by_layout(order, options, breaks, roles, is_label, goes_on)
    if cut is None:
        return None
    built: list[_Row] = []
    joined = False
    for row_lines, placement in cut:
        content = [i for i in row_lines if any(not is_label(c, t) for c, t in placement[i])]
        if not content:
            built.extend(_Row(i + 1) for i in row_lines)  # labels alone, a page mark: left as printed
            continue
        row = _Row(content[0] + 1)
        row.first = {c for c, _ in placement[content[0]]}
        built.append(row)
        for index in row_lines:
            if index not in content:
                built.append(_Row(index + 1))
                continue
            if index != content[0]:
                row.lines.append(index + 1)
                joined = True
            pieces = placement[index]
            row.valued.append(any(roles[c] in _VALUE_ROLES for c, _ in pieces))
            for col, text in pieces:
                if is_label(col, text):
                    while col in row.cells:
                        col += 0.01  # a second label in its column: a cell of its own, kept in its place
                row.add(col, text.strip())
    return built, joined


def _misaligned(built: list[_Row], roles: list[str | None]) -> int:
    """Rows whose lines are laid out as no row prints its cells (`linelayout.laid_out`)."""
    from corpus.read.interpret import linelayout

    count = 0
    for row in built:
        sets: dict[int, set] = {}
        for col, ats in row.at.items():
            if col == int(col) and roles[int(col)] not in ("level1", "level2"):
                for at in ats:
                    sets.setdefault(at, set()).add(int(col))
        if len(sets) >= 2 and not linelayout.laid_out([frozenset(sets[k]) for k in sorted(sets)]):
            count += 1
    return count


_MAX_COLUMNS = 30   # a form's row has a dozen cells at most; a longer line is a table or a page run together
_SCORE_CUT = re.compile(r"[(（]\d{1,3}$")
def _has_levels(roles: list[str | None]) -> bool:
    return "level1" in roles or "level2" in roles


def _decorated(text: str) -> bool:
    """A label with a numbering, a score or a tag (labels.strip_decoration takes them off)."""
    return labels.strip_decoration(text) != labels.squash(text)


def _join_label_pieces(tokens: dict[int, list[tuple[int, str]]]) -> tuple[dict[int, list[tuple[int, str]]], dict[int, int]]:
    """A level label wrapped in its narrow merged cell ('2.质量目标（30' over '分）', its lines apart from
    each other by the row's other lines): the piece on the line below joins the piece above when together
    they make a numbered or scored label and neither is one alone."""
    out = {index: list(found) for index, found in tokens.items()}
    moved: dict[int, int] = {}   # line a piece left → line it joined
    order = sorted(out)
    for k, index in enumerate(order):
        for at, (start, text) in enumerate(out[index][:2]):
            if len(labels.squash(text)) < 2:
                continue
            if _kind(text) == "label":
                # a label alone whose ending wrapped ('1、经济效益' over '目标(必填)'): the piece is an ending
                below = out[order[k + 1]][:2] if k + 1 < len(order) and order[k + 1] - index <= 2 else []
                ending = next(((n, piece) for n, (_, piece) in enumerate(below)
                               if _label_ending(piece) and labels.level_label(text + piece)), None)
                if ending is not None:
                    out[index][at] = (start, text + ending[1])
                    del out[order[k + 1]][ending[0]]
                    moved[order[k + 1]] = index
                continue
            for later in order[k + 1:k + 3]:
                hit = next(((n, piece) for n, (_, piece) in enumerate(out[later][:2])
                            if len(labels.squash(piece)) <= 8 and _kind(piece) != "label" and
                            labels.level_label(text + piece) and _decorated(text + piece)), None)
                if hit is not None:
                    out[index][at] = (start, text + hit[1])
                    del out[later][hit[0]]
                    moved[later] = index
                    break
    return {index: found for index, found in out.items() if found}, moved


def _label_ending(piece: str) -> bool:
    """A label's ending and its decorations alone ('目标(必填)', '指标（30分）', '类')."""
    core = labels.strip_decoration(piece)
    return labels.squash(piece) != "" and (core == "" or core in labels.patterns()["level_endings"])


def _whole_row(pieces: list[tuple[int, str]], roles: list[str | None]) -> bool:
    held = {roles[c] for c, t in pieces if _kind(t, _has_levels(roles)) != "label"}
    return not held or ("name" in held and bool(held & set(_VALUE_ROLES)))


def _headerless_columns(lines: list[str]) -> tuple[int, list[str | None]] | None:
    """Where a table without a header starts and its columns: the roles of the cells of its fullest
    line holding words and a value (level labels, a name, explanations, values, scores, units)."""
    from corpus.read.interpret.cells import is_footer

    rows = []
    two_words = False  # a line of two fragments of words and nothing else (a name's and an explanation's)
    for index, line in enumerate(lines[:20_000]):
        if is_footer(line.strip() or "x") and rows:
            break
        tokens = _tokens(line, False)
        kinds = [_kind(t) for _, t in tokens]
        if "|" in line or "\t" in line:
            return None  # cells closed by '|' or tabs: their rows are bounded already
        if len(line.split()) < 2:
            continue  # one cell on the line: no row of cells
        if rows and [k for k in kinds if k != "label"] == ["text", "text"] and not re.search(r"[:：。]", line):
            two_words = True
        if "value" in kinds and len(tokens) >= 2 and not re.search(r"[:：。]", line) and \
                ("text" in kinds or _between_fragments(lines, index)):
            rows.append((index, kinds))
    worded = [k for _, k in rows if "text" in k]
    if len(rows) < 3 or not worded:
        return None
    begin = rows[0][0]
    while begin > 0 and rows[0][0] - begin < 2 and _fragment_line(lines[begin - 1]):
        begin -= 1  # a first row's words printed above its value
    kinds = max(worded, key=len)
    most = max(k.count("label") for _, k in rows)
    if kinds.count("label") < most:
        # a row of two labels (a block's first and second level) holds no words where the fullest row of words
        # holds one: the table has as many level columns as the row of most labels
        kinds = ["label"] * (most - kinds.count("label")) + kinds
    if "text" not in kinds[_last_value(kinds):] and (any("text" in k[_last_value(k):] for _, k in rows) or
                                                      two_words and kinds.count("text") == 1):
        # the fullest row printed its explanation on other lines (a cell at its row's middle, the
        # explanation wrapped above and below it) while other rows show one after their value; or no row shows
        # it on its value line, but a line holds two fragments of words (a name's and an explanation's)
        kinds = kinds + ["text"]
    if len(kinds) > _MAX_COLUMNS:
        return None  # a whole table or page on one line, not a row of cells
    roles: list[str | None] = []
    values = iter(("target", "actual", "other", "other", "other"))
    for kind in kinds:
        if kind == "label":
            roles.append("level1" if "level1" not in roles else "level2")
        elif kind == "text":
            roles.append("name" if "name" not in roles else "explain")
        elif kind == "value":
            roles.append(next(values, "other"))
        else:
            roles.append({"number": "score", "unit": "unit"}[kind])
    if "name" not in roles or "target" not in roles:
        return None
    return begin, roles


def _between_fragments(lines: list[str], index: int) -> bool:
    """A line of values whose row's words stand on the lines above and below it (a name of two lines
    printed at its row's middle: its value line holds no words)."""
    above = next((lines[k] for k in range(index - 1, max(index - 3, -1), -1) if lines[k].strip()), "")
    below = next((lines[k] for k in range(index + 1, min(index + 3, len(lines))) if lines[k].strip()), "")
    return bool(above and below and _fragment_line(above) and _fragment_line(below))


def _last_value(kinds: list[str]) -> int:
    return max((at for at, kind in enumerate(kinds) if kind == "value"), default=len(kinds))


def _fragment_line(line: str) -> bool:
    tokens = _tokens(line, False)
    return 1 <= len(tokens) <= 3 and all(_kind(t) in ("text", "label") for _, t in tokens) and \
        not re.search(r"[:：。，,]", line) and not labels.field_label(line)


def _build(lines: list[str], begin: int, end: int, heading: str | None, tokens: dict[int, list[tuple[int, str]]],
           starts: list[int] | None, roles: list[str | None], widths: dict[int, float], *,
           centred: bool) -> tuple[list[_Row], bool]:
    """The table's lines grouped into rows (see the module's second part)."""
    built: list[_Row] = []
    current: _Row | None = None
    joined = False
    for index in range(begin, end):
        if index not in tokens:
            continue
        if (heading is not None and labels.squash(lines[index]) == labels.squash(heading)) or re.fullmatch(
                r"第\s*\d+\s*页.*|-\s*\d+\s*-", lines[index].strip()):
            current = None  # a page's mark or the header printed again: the row above ends, the line stays
            built.append(_Row(index + 1))
            continue
        pieces = _assign(tokens[index], starts, roles, current, widths)
        if not pieces:
            pieces = _assign(tokens[index], starts, roles, None, widths)
        if all(roles[c] in ("level1", "level2") or _kind(t, _has_levels(roles)) == "label" for c, t in pieces):
            # a level label on a line of its own heads the rows below or stands between two rows of its
            # block: left as printed, for the level reader to place
            built.append(_Row(index + 1))
            continue
        goes_on = _goes_on(current, pieces, roles, widths, centred)
        if goes_on and current is not None and any(_kind(t) == "text" and c in current.cells for c, t in pieces):
            # words that could go on with the row's name or stand in a column of their own: the reading
            # under which the next line still goes on with the row (a name's next line below them)
            following = next((tokens[k] for k in range(index + 1, min(index + 3, end)) if k in tokens), None)
            other = _assign(tokens[index], starts, roles, current, widths, words_go_on=False)
            if other != pieces and following is not None and _goes_on(current, other, roles, widths, centred) and \
                    not _then_goes_on(current, pieces, following, starts, roles, widths, centred) and \
                    _then_goes_on(current, other, following, starts, roles, widths, centred):
                pieces = other
        if not goes_on:  # the line starts a row: its fragments placed as a row's first line
            pieces = _assign(tokens[index], starts, roles, None, widths) or pieces
        valued = any(roles[c] in _VALUE_ROLES for c, _ in pieces)
        cells = [(c, t) for c, t in pieces if roles[c] not in ("level1", "level2") and _kind(t, _has_levels(roles)) != "label"]
        if not goes_on:
            current = _Row(index + 1)
            current.first = {c for c, _ in pieces}
            built.append(current)
        else:
            joined = True
            current.lines.append(index + 1)
        current.valued.append(valued)
        for col, text in pieces:
            if (col, text) not in cells:  # a level label (merged over its block, printed on any of its lines)
                while col in current.cells:
                    col += 0.01  # a second label in its column: a cell of its own, kept in its place
            current.add(col, text.strip())
    return built, joined


def _goes_on(current: _Row | None, pieces, roles, widths, centred: bool) -> bool:
    """A line's fragments go on with the row above (see the module's second part)."""
    if current is None:
        return False
    valued = any(roles[c] in _VALUE_ROLES for c, _ in pieces)
    cells = [(c, t) for c, t in pieces if roles[c] not in ("level1", "level2") and _kind(t, _has_levels(roles)) != "label"]
    if centred and cells and _centred_part(current, cells, valued, roles):
        return True
    return all(current.takes(c, t, widths, roles) for c, t in cells) and \
        (valued or not current.centred_and_closed()) and \
        (valued or not centred or not current.balanced(roles) or not any(c in current.cells for c, _ in cells))


def _centred_part(current: _Row, cells, valued: bool, roles) -> bool:
    """Cells printed at their row's middle, whatever the columns' widths (a form whose only wrapped cell
    gives no width to measure): a line of values alone, in columns the row has not filled, goes on with a
    row that has a name and no value yet (the name's first line stood above them); and as many lines of
    words as stood above the value line stand below it, each in a column that wrapped above it."""
    held = {roles[int(c)] for c in current.cells}
    if valued:
        return current.valued == [False] and "name" in held and \
            all(roles[c] in (*_VALUE_ROLES, "unit", "score", "operator") and c not in current.cells and
                _kind(t) in ("value", "number", "unit") for c, t in cells)
    if not current.owes_lines_below():
        return False
    above = current.valued.index(True)
    return all(c in current.cells and any(at < above for at in current.at[c]) and
               not _NUMBERED.match(labels.squash(t)) for c, t in cells)


def _then_goes_on(current: _Row, pieces, following, starts, roles, widths, centred: bool) -> bool:
    """With this line's fragments in the row, the next line goes on with it too."""
    trial = copy.deepcopy(current)
    trial.valued.append(any(roles[c] in _VALUE_ROLES for c, _ in pieces))
    for col, text in pieces:
        if roles[col] not in ("level1", "level2"):
            trial.add(col, text.strip())
    nxt = _assign(following, starts, roles, trial, widths)
    return bool(nxt) and _goes_on(trial, nxt, roles, widths, centred)


def _heads(built: list[_Row], roles: list[str | None]) -> bool:
    """Some row printed over several lines starts with a line that holds none of its values (its words
    printed above them: the table prints its cells at their middle)."""
    return any(len(row.lines) >= 2 and not any(roles[int(c)] in _VALUE_ROLES for c, at in row.at.items() if 0 in at)
               for row in built)


def _broken(built: list[_Row], roles: list[str | None]) -> int:
    """Rows of a grouping that lack a name or a value (fragments left apart)."""
    count = 0
    for row in built:
        held = {roles[int(c)] for c in row.cells}
        if row.cells and not ("name" in held and held & set(_VALUE_ROLES)):
            count += 1
    return count


def _column_widths(placed: dict[int, list[tuple[int, str]]], roles: list[str | None] | None) -> dict[int, float]:
    """Each column's width where the column wraps: the widest fragment, when two fragments or more reach
    it (a wrapped cell's lines fill the column; one long cell of a column that never wraps does not).
    With a name and an explanation column, a line whose only cell is words is placed in the name though
    an explanation's line is as likely: where the lines that show their columns give the name a width,
    such a fragment wider than it is the explanation's (counted in the name, it would make every name that
    fills its column look short). `roles` None: the fragments were placed by position."""
    lone: dict[int, list[str]] = {}
    sure: dict[int, list[str]] = {}
    for pieces in placed.values():
        cells = [(c, t) for c, t in pieces if roles is not None and roles[c] not in ("level1", "level2")]
        ambiguous = roles is not None and "name" in roles and "explain" in roles and len(cells) == 1 and \
            _kind(cells[0][1], _has_levels(roles)) == "text"
        for col, text in pieces:
            (lone if ambiguous and (col, text) in cells else sure).setdefault(col, []).append(text)
    known = _widths(sure)
    for col, texts in lone.items():
        limit = known.get(col, float("inf"))
        sure.setdefault(col, []).extend(t for t in texts if _shown(t) <= limit + 0.5)
    return _widths(sure)


def _widths(texts: dict[int, list[str]]) -> dict:
    widths: dict = {}
    for col, found in texts.items():
        if not found:
            continue
        values = [_shown(t) for t in found]
        widest = max(values)
        widths[col] = widest if sum(v >= widest - 0.5 for v in values) >= 2 else float("inf")
        # a layer that cuts by characters, a digit as wide as a Chinese character, fills the same count
        counted = [len(t.strip()) for t in found]
        longest = max(counted)
        widths[("chars", col)] = longest if counted.count(longest) >= 2 else 10 ** 6
    return widths


def _full(text: str, col: int, widths: dict) -> bool:
    return _shown(text) >= widths.get(col, 99) - 0.5 or len(text.strip()) >= widths.get(("chars", col), 10 ** 6)


def _interleaved(built: list[_Row], roles: list[str | None]) -> bool:
    """Some row was printed over lines that hold more than a name's tail: fragments of two cells, or a
    value's, or a name's head above its row's value (the lone tails are `join_wrapped_names`' business)."""
    for row in built:
        wrapped = [c for c, parts in row.cells.items() if len(parts) >= 2 and c >= 0]
        if len(wrapped) >= 2 or any(roles[int(c)] != "name" for c in wrapped):
            return True
        if wrapped and len(row.lines) >= 2 and not any(roles[c] in _VALUE_ROLES for c in row.first):
            return True  # the name's head printed above its row's value
    return False



def _kept_layout(lines: list[str], header: int) -> bool:
    """The text kept the columns' positions (pdftotext -layout): the header's words stand apart by runs of
    spaces, and most lines below hold a fragment starting where a header word starts."""
    head = lines[header]
    runs = [(m.start(), m.group()) for m in _LAYOUT_GAP.finditer(head)]
    if len(runs) < 3 or "  " not in head.strip():
        return False
    starts = {at for at, _ in runs}
    tokens = [m.start() for line in lines[header + 1:header + 40] for m in _LAYOUT_GAP.finditer(line)
              if line.strip()]
    inside = [at for at in tokens if at > 0]
    return len(inside) >= 6 and sum(any(abs(at - s) <= 1 for s in starts) for at in inside) >= 0.8 * len(inside)
