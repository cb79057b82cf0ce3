"""Rows from a stream of cells with no row ends: one scored dynamic programme.

A stream is what a page gives when its table lost its row boundaries: one cell per line, blank
lines between cells, a whole table on one line. Each cell gets a role from its content (a level
label, a value shape, an operator, a plain number, words); a row is

    name [name-continuation] cell{0..k}

where the k cells after the name are aligned to the header's post-name roles (`table.align`; the
header is a prior: without one the roles are target, actual, score). The programme chooses the
segmentation of the stream into rows that maximises the sum of row scores, so an explanation column
between name and value, a wrapped name, a missing value or an actual and a score after the target
are each decided by what the neighbouring cells are, not by a fixed layout.

Why a dynamic programme and not a CRF or a greedy scan: the grammar of a row is small and known
(name, then cells in header order), there is no labelled stream data to train a CRF on, and a greedy
scan decides each cell with one cell of look-ahead, which is exactly what fails on an explanation
column (words that look like the next name). The programme sees the whole stream between two level
labels (at most a few hundred cells) in O(n·k²) time.
"""

from __future__ import annotations

import re

from corpus.read.interpret import labels
from corpus.read.interpret.cells import (OPERATOR_CELLS, ROW_LIMIT, Levels, RawRow, align, compat, split_value_by_content,
                                         is_footer, is_page_mark, split_label_prefix,
                                         weight_first)
from corpus.read.interpret.textrows import TextCell

# a 自评表 prints a weight (分值) and a score (得分) after the actual value: two score cells
DEFAULT_ROLES = ["explain", "operator", "target", "unit", "actual", "score", "score", "explain"]
_NAME = 2.0             # a cell that reads as an indicator name
_WEAK_NAME = 0.3        # words of an explanation column: a name only when nothing else fits
_NOT_NAME = -6.0        # a value, an operator or a number cannot start a row
_JOINED = -0.5          # a name wrapped over two cells
_NO_TARGET = -3.0       # a row without any value
_MISSING = -1.0        # a column the header declares and the row does not fill
_EXPECTED = {"target", "period_target", "actual", "operator"}
_SEGMENT_LIMIT = 4000   # cells decoded in one programme (a longer run is cut; real tables hold far fewer)


_PROSE = re.compile(r"[,，。;；]")


def name_score(text: str) -> float:
    core = labels.squash(text)
    if labels.is_filler(core) or len(core) > 80 or (len(core) > 40 and _PROSE.search(core)):
        return _NOT_NAME  # dots, or a sentence of the form's prose
    if len(core) < 2 or labels.looks_like_value(core) or core in OPERATOR_CELLS or \
            labels.is_plain_number(core) or labels.is_short_value_word(core) or labels.header_role(core) \
            or labels.is_unit(core) or labels.field_label(core) or ":" in core and labels.field_label(core.split(":", 1)[0]) not in (None, "stop"):
        return _NOT_NAME  # ('项目名称:…' is a form's field, not an indicator)
    if labels.reads_as_explanation(core):
        return _WEAK_NAME  # a reason or scoring rule left of the next name: an explain cell first
    return _NAME


def decode(cells: list[TextCell], roles: list[str] | None, levels: Levels | None = None
           ) -> tuple[list[RawRow], bool]:
    """Rows of a stream; True when a footer closed the table."""
    header = bool(roles)
    roles = list(roles) if roles else DEFAULT_ROLES
    levels = levels or Levels()
    out: list[RawRow] = []
    segment: list[TextCell] = []
    segment_levels = (levels.raw1, levels.raw2)
    closed = False
    index = 0
    while index < len(cells) and len(out) <= ROW_LIMIT:
        text = cells[index].text
        window = [c.text for c in cells[index:index + 2]]
        taken = split_label_prefix(window, levels) if labels.level_label(text) or \
            labels.level_label("".join(window)) else 0
        if taken:
            out.extend(_rows(segment, roles, segment_levels, header))
            segment = []
            segment_levels = (levels.raw1, levels.raw2)
            index += taken
            continue
        if is_footer(text):
            closed = True
            break
        if labels.squash(text) and not labels.is_decoration(text) and not is_page_mark([text]) \
                and not labels.header_role(text):
            segment.append(cells[index])
        index += 1
    out.extend(_rows(segment, roles, segment_levels, header))
    return out, closed


def _rows(cells: list[TextCell], roles: list[str], level: tuple[str | None, str | None],
          header: bool) -> list[RawRow]:
    if not cells:
        return []
    cells = cells[:_SEGMENT_LIMIT]
    n, k = len(cells), len(roles)
    texts = [c.text for c in cells]
    names = [name_score(t) for t in texts]
    neg = float("-inf")
    best = [neg] * (n + 1)
    back: list[tuple[int, int, dict] | None] = [None] * (n + 1)
    best[0] = 0.0
    for start in range(n):
        if best[start] == neg:
            continue
        for width in (1, 2):  # the name in one cell or wrapped over two
            if start + width > n:
                break
            score = sum(names[start:start + width]) / width + (_JOINED if width == 2 else 0.0)
            if score < 0 and width == 1:
                # a stray value with no name: drop it (cost) so the stream goes on
                if best[start] - 4.0 > best[start + 1]:
                    best[start + 1], back[start + 1] = best[start] - 4.0, (start, 0, {})
                break
            if width == 2 and names[start + 1] < 0:
                break
            for extra in range(0, k + 2):
                end = start + width + extra
                if end > n:
                    break
                values = align(texts[start + width:end], roles, broken=True) if extra else {}
                if extra and not header:  # a split value in any order, read by what its cells are
                    values = split_value_by_content(texts[start + width:end], values)
                fit = _fit(texts[start + width:end], roles, values, header)
                total = best[start] + score + fit
                if total > best[end]:
                    best[end], back[end] = total, (start, width, values)
    rows: list[RawRow] = []
    end = n
    while end > 0 and back[end] is not None:
        start, width, values = back[end]
        if width:
            name = "".join(t.strip() for t in texts[start:start + width])
            if not header:
                values = weight_first(values)
            rows.append(RawRow(level[0], level[1], name, values, cells[start].line, explicit=False))
        end = start
    rows.reverse()
    return rows


def _fit(cells: list[str], roles: list[str], values: dict[str, str], header: bool) -> float:
    if not cells:
        return _NO_TARGET + (_MISSING * len(set(roles) & _EXPECTED) if header else 0.0)
    score = sum(compat(role, text) for role, text in values.items())
    score -= 1.5 * (len([c for c in cells if labels.squash(c)]) - len(values))  # dropped cells
    target = labels.squash(values.get("target"))
    if not target:
        score += _NO_TARGET
    elif header and not labels.looks_like_value(target) and not labels.is_short_value_word(target) and \
            name_score(target) == _NAME:
        # words that read as a name standing as the target: most often a cell's own line break made two
        # cells of one (a web page's <br>, a text node a line), the next part of the name or of its
        # explanation, not a value; such a row is worth no more than one without a target
        score += _NO_TARGET
    if header:
        # the header's value columns are a prior (explanations, units and scores are often left blank)
        score += _MISSING * len([r for r in set(roles) if r in _EXPECTED and r not in values])
    return score
