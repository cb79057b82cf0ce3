"""A cell's wrapped lines in a text of one cell per line, joined before the stream is decoded.

PDF engines that print the content stream's order (pypdf's `extract_text()`, PyMuPDF's
`get_text()`, pdftotext's blocks) give a ruled table one cell per line, and a cell wrapped at its
column's width as its lines one after another, with nothing between them: a level label
('数量类(5' / '0分)(必' / '填)', '服务对' / '象满意' / '度类(50' / '分)(必填)'), a heading ('二级指' / '标'),
a value whose unit was cut ('>=8.7公' / '斤', '<=70.9元' / '/公斤'), a name or an explanation whose
last character or bracket went to the next line ('细颗粒物（PM2.5）年均浓' / '度'). Read as cells,
each piece is a cell of its own: a name '数量类(5' with the value '0分)(必'. The pieces are told by what
they make together, never by one engine's strings:

- lines that together make a level label or a heading, while the first alone is none;
- a value cut inside its unit: the line holds an operator or a unit's first characters, the next short
  line of no digit completes a unit of the units vocabulary;
- a line of words whose bracket is still open, the next lines closing it;
- a line of words followed by one character that is no value, unit, label or heading.

Pieces are joined only across adjacent lines (where blank lines separate cells, pdftotext's blocks, a
cell's lines stand together between them), or across a page mark where a page break split a row.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus import framework
from corpus.read.interpret import labels
from corpus.read.interpret.cells import is_page_mark_line

_PIECE = 12       # a wrapped piece of a narrow cell is short
_MAX_PIECES = 5   # a label or heading wrapped over at most five lines
_MAX_LEFT = 4    # empty lines an earlier join left inside one label
_CUT_CELLS = 8   # cells of the row a page break split: the lines before it that may be cut
_OPENING, _CLOSING = "(（[【", ")）]】"


def join_wrapped_cells(lines: list[str]) -> list[str]:
    """The lines with each wrapped cell's pieces joined on its first line; the lines it took stay as
    empty lines, so that line numbers keep pointing into the text. A text whose lines mostly hold several
    cells (rows, spaced or not) is left to the row readers' own joins (`wraps.py`)."""
    filled = [line.strip() for line in lines if line.strip()]
    if sum(1 for line in filled if " " in line or "\t" in line) * 3 > len(filled):
        return lines
    text = [line.strip() for line in lines]  # the rules read cells without their spaces (stripped once)
    if not _cut_somewhere(text):
        return lines
    out = list(lines)
    index = 0
    while index < len(out):
        if not _may_go_on(text, index):
            index += 1
            continue
        take = _pieces(text, index)
        if take > 1:
            out[index] = text[index] = "".join(text[index:index + take])
            for k in range(index + 1, index + take):
                out[k] = text[k] = ""
            index += take
        else:
            index += 1
    index = 0
    seen: set[str] = set()  # a heading breaks a page only printed again (a line seen before: cheap test first)
    while index < len(out):
        line = out[index].strip()
        again = line in seen
        seen.add(line)
        if len(line) <= 24 and (again and _break_line(line) or is_page_mark_line(line)):
            index = _join_across_break(out, index)
        else:
            index += 1
    return out


def _may_go_on(text: list[str], index: int) -> bool:
    """A cheap test of whether a cell's lines may go on after `index` (most lines fail it): a bracket left
    open, a next line short and without digits, or the start of a level label."""
    line = text[index]
    if not line or len(line) > 40:
        return False
    after = text[index + 1] if index + 1 < len(text) else ""
    if 0 < len(after) <= 4 and not _DIGIT.search(after) or sum(map(line.count, _OPENING)) > sum(map(line.count, _CLOSING)):
        return True
    if _sentence_goes_on(line, after):
        return True
    if not label_start(line):
        return False
    # a whole label goes on only with its ending or note ('1、产出' '指标(50' '分)'), or over lines left empty
    return not labels.level_label(line) or not after or after[:1] in _LABEL_GOES_ON


def _cut_somewhere(text: list[str]) -> bool:
    """Whether any line shows a cell cut at its width: a bracket left open, a line of one to three
    characters of words or a unit's rest ('/公斤') that is no unit or state word, a value followed by a
    short line without digits, or a page mark (a row may be split at the page's break). A text of whole cells (most texts) is passed over at the cost
    of a scan."""
    for index, line in enumerate(text):
        if not line:
            continue
        if sum(map(line.count, _OPENING)) > sum(map(line.count, _CLOSING)):
            return True
        if len(line) <= 3 and _SHORT_PIECE.fullmatch(line) and not labels.is_value_unit(line) and \
                not labels.is_short_value_word(line) or len(line) <= 24 and is_page_mark_line(line):
            return True
        after = text[index + 1] if index + 1 < len(text) else ""
        if 0 < len(after) <= 4 and not _DIGIT.search(after) and _DIGIT.search(line) and \
                labels.looks_like_value(line):
            return True
    return False


_LABEL_GOES_ON = "指目标类值(（分必"
_SHORT_PIECE = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·/]{0,2}|[/·][\u4e00-\u9fff]{1,2}")
_DIGIT = re.compile(r"\d")


def _break_line(line: str) -> bool:
    """A line of a page break in a one-cell-a-line text: a page mark, or a heading of the header printed
    again at the next page's top."""
    return is_page_mark_line(line) or len(line) <= _PIECE and labels.header_role(line) is not None


def _join_across_break(lines: list[str], at: int) -> int:
    """A row split by a page break (a word processor lets a row break across pages): each cut cell's first
    lines stand at the page's foot, the rest at the next page's top, in the same column order, after the
    page's furniture, the header printed again and the level labels of the next page's top. The rest of a
    value cut inside its unit ('≦65.9元/平方' … '第2页共2页' … '米·年') goes back to its cell; the tails are
    taken in order, each by the first cut value before the break it completes, and the first line that
    completes none ends them. (A word's short ending, '…车辆数' … '量', cannot be told from a short name or a
    label's piece there: it is left.) Returns where the break ends."""
    start = at
    while start > 0 and (not lines[start - 1].strip() or _break_line(lines[start - 1])):
        start -= 1
    end, marks = at, 0
    while end < len(lines) and (not lines[end].strip() or _break_line(lines[end])):
        marks += bool(lines[end].strip())
        end += 1
    before = [k for k in range(max(0, start - _CUT_CELLS), start) if lines[k].strip()]
    if marks < 2 and not any(is_page_mark_line(lines[k]) for k in range(at, end)) or \
            not any(labels.looks_like_value(lines[k]) for k in before):
        return end  # a header's first print, or one heading line: no break after a row
    tail = end
    while tail < min(len(lines), end + _CUT_CELLS) and before:
        piece = _piece(lines, tail)
        if not lines[tail].strip() or piece is not None and labels.level_label(piece):
            tail += 1  # the next page's part of a merged level cell, printed before the row's tails
            continue
        if piece is None:
            break
            tail += 1  # the next page's part of a merged level cell, printed before the row's tails
            continue
        into = next((k for k in before if unit_cut(lines[k].strip(), piece)), None)
        if into is None:
            break
        lines[into] = lines[into].strip() + piece
        lines[tail] = ""
        before = [k for k in before if k > into]
        tail += 1
    return end


def wrapped_pieces(lines: list[str]) -> int:
    """How many of the lines, from the first, make one wrapped cell (1: the first is a cell of its own)."""
    return _pieces([line.strip() for line in lines], 0) if lines else 0


def _piece(lines: list[str], index: int) -> str | None:
    text = lines[index].strip() if index < len(lines) else ""
    return text if 0 < len(text) <= 40 else None


def _pieces(lines: list[str], index: int) -> int:
    """How many lines from `index` make one cell (1 when the line is a cell of its own)."""
    first = _piece(lines, index)
    if first is None or len(first) > 40:
        return 1
    after = lines[index + 1].strip() if index + 1 < len(lines) else ""
    if len(after) > _PIECE or after and (labels.is_plain_number(after) or labels.header_role(after) or
                                         labels.looks_like_value(after) and not _decoration(after)):
        return 1  # a piece that goes on a cell is short, no number, value or heading (most lines end here)
    # a label's first piece starts a framework word ('服务对', '(二)社', '1、产出', '数量类(5'), a heading's
    # tail is short ('二级指' '标'): cheap tests before a label is built from the lines
    if label_start(first) or 0 < len(after) <= 3:
        take = _label_or_heading(lines, index)
        if take:
            return take
    second = _piece(lines, index + 1)
    if second is None:
        return 1
    if unit_cut(first, second):
        return 2
    if _sentence_goes_on(first, second):
        take = 2  # a sentence wrapped in its cell (a 自评表's deviation text): its lines while they go on
        while _sentence_goes_on(lines[index + take - 1].strip(), _piece(lines, index + take) or ""):
            take += 1
        return take + _sentence_end(first, _piece(lines, index + take) or "")
    if _words(first):
        take = _bracket_closed(lines, index)
        if take:
            return take
        if len(labels.squash(second)) == 1 and _tail_char(second) and not _label_or_heading(lines, index + 1):
            return 2
    return 1


def _label_or_heading(lines: list[str], index: int) -> int:
    """Lines that make one level label ('数量类(5' / '0分)(必' / '填)'; '1、产出' / '指标(50' / '分)': a label
    that grows by pieces that are none) or one heading ('二级指' / '标': words only, the first no heading)."""
    first = _piece(lines, index)
    if first is None or len(first) > _PIECE or labels.header_role(first) or labels.looks_like_value(first):
        return 0
    label_alone = labels.level_label(first)
    parts, best = [first], 0
    for k in _following(lines, index):
        piece = _piece(lines, k)
        if piece is None or len(piece) > _PIECE or labels.looks_like_value(piece) and not _decoration(piece) \
                or labels.level_label(piece) and labels.level_label("".join(parts)):
            break  # two labels are two cells; a label's last piece may be a framework word ('满意度')
        parts.append(piece)
        joined = "".join(parts)
        if len(joined) > 60:
            break  # longer than any label
        if _level_word().search(joined.replace(" ", "")) and labels.level_label(joined):
            best = k - index + 1  # the longest label wins: '(二)社' '会效益' '指标(50' '分)'
            continue
        elif not label_alone and not best and k == index + len(parts) - 1 and \
                not re.search(r"[\d()（）]", joined) and labels.header_role(joined) and not labels.header_role(piece):
            return len(parts)
    return best


_NUMBERED = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．])")


@lru_cache(maxsize=65536)
def label_start(first: str) -> bool:
    """A line that may be a level label's first piece: past its numbering, the start of a framework word
    ('服务对', '社'), or a framework word and a short rest ('数量类(5', '产出指'), or a whole label."""
    core = _NUMBERED.sub("", first.replace(" ", ""))
    if not core or core in _word_starts():
        return True
    found = _level_word().match(core)
    return bool(found) and len(core) - found.end() <= 8


@lru_cache(maxsize=1)
def _word_starts() -> frozenset[str]:
    return frozenset(word[:end] for word in framework.level_words() for end in range(1, len(word) + 1))


@lru_cache(maxsize=1)
def _level_word() -> re.Pattern:
    """Any framework word of any family: a label holds one (a cheap test before building the label)."""
    return re.compile("|".join(re.escape(w) for w in sorted(framework.level_words(), key=len, reverse=True)))


def _following(lines: list[str], index: int) -> list[int]:
    """The next lines of pieces after `index`: adjacent, or over the empty lines an earlier join of the
    same label left (`vertical.join_vertical_labels` stops at a piece of words and digits, '指标(50')."""
    out, k = [], index + 1
    while k < len(lines) and len(out) < _MAX_PIECES - 1 and k - index <= _MAX_PIECES + _MAX_LEFT:
        if lines[k].strip():
            out.append(k)
        k += 1
    return out


def _decoration(piece: str) -> bool:
    # a label's cut score ('0分)(必') reads like a value of 0 分
    return bool(re.search(r"[()（）]", piece))


def unit_cut(first: str, second: str) -> bool:
    """'>=8.7公' + '斤', '<=70.9元' + '/公斤', '≥120' + '处': a value cut inside or before its unit."""
    core, tail = labels.squash(first), labels.squash(second)
    if not tail or len(tail) > 4 or re.search(r"\d", tail) or labels.is_plain_number(core):
        return False
    if not re.search(r"\d", core) or labels.level_label(tail) or labels.header_role(tail):
        return False
    joined = core + tail
    if not labels.looks_like_value(joined):
        return False
    # the unit grew: the first line ended inside the unit ('公' → '公斤', '元' → '元/公斤') or before it
    whole, alone = _unit_part(joined), _unit_part(core)
    return whole != alone and labels.is_value_unit(whole) and (alone == "" or not labels.is_value_unit(alone) or
                                                         whole.startswith(alone))


def _unit_part(value: str) -> str:
    """What follows a value's number ('≥8.7公斤' → '公斤')."""
    match = re.search(r"\d[\d,]*(?:\.\d+)?", value)
    return value[match.end():] if match else ""


def _sentence_goes_on(line: str, after: str) -> bool:
    """`after` goes on the sentence `line` holds, both cut at their cell's width ('受疫情影响，部分' / '活动延期，
    实际完' / '成54%，下年度加'): the line holds a clause break and ends before its sentence does, and the next
    (short) line starts with a character no name starts with or holds a clause break of its own, and is no value,
    label or heading; or the next line starts with a clause's punctuation ('资金于4月才下达' / '，项目进度滞后，').
    (A sentence's last line, with no break, is taken by `_sentence_end`.)"""
    if not after or len(after) > _PIECE or line.endswith(("。", ".")):
        return False
    if not (_CLAUSE.search(line) and (after[0] in _continuation() or _CLAUSE.search(after)) or
            after[0] in _PUNCTUATION and _words(line)):
        return False  # (a line that starts with a clause's punctuation goes on the words above it anyway)
    core = labels.squash(after)
    return not labels.looks_like_value(core) and not labels.level_label(core) and not labels.header_role(core)


def _sentence_end(first: str, last: str) -> int:
    """1 where `last` is the last line of the sentence whose first line is `first`: words no wider than the first
    line (cut at the same width) that do not end as an indicator's name does (`explanation_cues` name_endings: the
    next row's name most often does) and are no value, label or heading."""
    core = labels.squash(last)
    if not core or len(core) > len(labels.squash(first)) or not _words(core) or labels.is_unit(core):
        return 0
    return 0 if core.endswith(tuple(labels.patterns()["explanation_cues"]["name_endings"])) else 1


_CLAUSE = re.compile(r"[，,；;]")
_PUNCTUATION = "，,；;。、)）"


@lru_cache(maxsize=1)
def _continuation() -> str:
    return labels.patterns()["explanation_cues"]["continuation_chars"]


def _words(text: str) -> bool:
    core = labels.squash(text)
    return len(core) >= 3 and not labels.looks_like_value(core) and not labels.level_label(core) \
        and not labels.header_role(core) and not labels.is_plain_number(core)


def _bracket_closed(lines: list[str], index: int) -> int:
    """A line whose bracket is still open, and the next (at most three, short) lines that close it."""
    def depth(text: str) -> int:
        return sum(text.count(c) for c in _OPENING) - sum(text.count(c) for c in _CLOSING)

    open_ = depth(lines[index])
    if open_ <= 0:
        return 0
    for k in range(index + 1, index + _MAX_PIECES):
        piece = _piece(lines, k)
        if piece is None or len(piece) > _PIECE or labels.looks_like_value(piece) and not _decoration(piece):
            return 0
        open_ += depth(piece)
        if open_ <= 0:
            return k - index + 1
    return 0


def _tail_char(text: str) -> bool:
    """One character that ends a word cut at its cell's width: no value, unit, label or heading."""
    core = labels.squash(text)
    return bool(re.fullmatch(r"[\u4e00-\u9fff]", core)) and not labels.is_unit(core) \
        and not labels.is_short_value_word(core) and not labels.level_label(core) and not labels.header_role(core)
