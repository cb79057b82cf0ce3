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

Pieces are joined only across adjacent lines: where blank lines separate cells (pdftotext's blocks),
a cell's lines stand together between them.
"""

from __future__ import annotations

import re

from corpus.read.interpret import labels

_PIECE = 12       # a wrapped piece of a narrow cell is short
_MAX_PIECES = 5   # a label or heading wrapped over at most five lines
_MAX_LEFT = 4    # empty lines an earlier join left inside one label
_OPENING, _CLOSING = "(（[【", ")）]】"


def join_wrapped_cells(lines: list[str]) -> list[str]:
    """The lines with each wrapped cell's pieces joined on its first line; the lines it took stay as
    empty lines, so that line numbers keep pointing into the text. A text whose lines mostly hold several
    cells (rows, spaced or not) is left to the row readers' own joins (`wraps.py`)."""
    filled = [line.strip() for line in lines if line.strip()]
    if sum(1 for line in filled if " " in line or "\t" in line) * 3 > len(filled):
        return lines
    out = list(lines)
    index = 0
    while index < len(out):
        take = _pieces(out, index)
        if take > 1:
            out[index] = "".join(out[k].strip() for k in range(index, index + take))
            for k in range(index + 1, index + take):
                out[k] = ""
            index += take
        else:
            index += 1
    return out


def _piece(lines: list[str], index: int) -> str | None:
    if index >= len(lines):
        return None
    text = lines[index].strip()
    return text if 0 < len(text) <= 40 else None


def _pieces(lines: list[str], index: int) -> int:
    """How many lines from `index` make one cell (1 when the line is a cell of its own)."""
    first = _piece(lines, index)
    if first is None:
        return 1
    take = _label_or_heading(lines, index)
    if take:
        return take
    second = _piece(lines, index + 1)
    if second is None:
        return 1
    if _unit_cut(first, second):
        return 2
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
        if labels.level_label(joined):  # the longest label wins: '(二)社' '会效益' '指标(50' '分)'
            best = k - index + 1
        elif not label_alone and not best and k == index + len(parts) - 1 and \
                not re.search(r"[\d()（）]", joined) and labels.header_role(joined) and not labels.header_role(piece):
            return len(parts)
    return best


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


def _unit_cut(first: str, second: str) -> bool:
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
