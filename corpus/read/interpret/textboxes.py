"""A text box's lines joined into the cell they are, where a PDF engine prints its text boxes.

pdfminer's `extract_text` (and pdftotext's default order) print a page as text boxes with a blank line
between two boxes; a box is the lines the engine found close together, in a ruled table one cell's
wrapped lines: a name cut at its column's width ('指标1养护管理长效机制（县乡村三级路长制）落' / '实率'), an
explanation ('完成得满分，未完成按比' / '例扣分'), a label ('1、服 务 对 象 满' / '意 度 指 标'), a heading
('总体目标' / '值', '计量' / '单位'), a value and its unit ('＞=11.8' / '人次', '404人以' / '上'). Read a line a
cell, each piece is a cell of its own: a name too many in its column, a value without its unit, an
explanation's tail read as a name. Here a box's lines are joined on its first line (the lines it took
left empty, so that line numbers keep pointing into the text), unless the lines are cells of their own:
a line that opens with an operator after a whole value (two rows' values one above the other), two whole
headings, or a box longer than a wrapped cell gets.

Only a text printed as boxes is joined (blank lines between most of its lines): a text of one cell per
line with nothing between its lines is one long "box" and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from corpus.read.interpret import labels
from corpus.read.interpret.cells import OPERATOR_CELLS, is_page_mark

_MAX_BOX = 5            # a cell wrapped over at most five lines
_BOX_LINES = 2.0        # boxes of at most two lines on average: a text printed as boxes


def printed_as_boxes(lines: list[str]) -> bool:
    """Whether the text is a PDF engine's text boxes: runs of at most two lines on average between blank
    lines (a text of one cell a line with nothing between its lines is not)."""
    return _as_boxes(_boxes(lines))


def _as_boxes(boxes: list[list[int]]) -> bool:
    return len(boxes) >= 4 and sum(len(b) for b in boxes) <= _BOX_LINES * len(boxes)


def page_breaks(lines: list[str]) -> bool:
    """Whether a PDF engine printed its pages' form feeds into the text."""
    return any("\f" in line for line in lines)


def pages_of_boxes(lines: list[str]) -> bool:
    """Whether the text is a PDF engine's own pages of text boxes: boxes with form feeds between its pages
    (pdfminer, pdftotext's default order), read by columns whatever the runs show."""
    return page_breaks(lines) and printed_as_boxes(lines)


def join_box_lines(lines: list[str], is_name: Callable[[str], bool] = lambda text: False) -> list[str]:
    """The lines with each text box's wrapped lines joined (see above); any other text unchanged.
    `is_name` tells a line that reads as an indicator name: after a whole label or heading it is a cell
    of its own (a level column's box grouped with the name beside it)."""
    boxes = _boxes(lines)
    if not _as_boxes(boxes):
        return lines
    out = list(lines)
    for box in boxes:
        if len(box) < 2 or len(box) > _MAX_BOX:
            continue
        first = box[0]
        for index in box[1:]:
            if not _goes_on(out[first], lines[index]) or \
                    (_whole_heading(out[first].split()[-1]) and is_name(lines[index])):
                first = index
                continue
            out[first] = _joined(out[first], lines[index])
            out[index] = ""
    return out


def _boxes(lines: list[str]) -> list[list[int]]:
    """The indices of each run of non-blank lines (a page's form feed ends a run)."""
    boxes: list[list[int]] = []
    run: list[int] = []
    for index, line in enumerate(lines):
        if line.strip() and "\f" not in line:
            run.append(index)
            continue
        if run:
            boxes.append(run)
        run = [index] if line.strip() else []
    if run:
        boxes.append(run)
    return boxes


def _form_line(core: str) -> bool:
    return labels.is_form_title(core) or (":" in core and labels.field_label(core.split(":", 1)[0]) is not None)


@lru_cache(maxsize=1)
def _operator_first() -> re.Pattern:
    return re.compile(f"(?:{labels.operator_pattern(words=False)})")


def _joined(first: str, rest: str) -> str:
    # a line of several cells ('(四)成本指标 每吨年保管') goes on in its last cell: no space added
    return first.rstrip() + rest.strip()


def _goes_on(above: str, line: str) -> bool:
    """Whether `line` is the rest of the cell `above` ends with, not a cell of its own."""
    top, core = labels.squash(above), labels.squash(line)
    if not top or not core or is_page_mark([line]) or is_page_mark([above]):
        return False
    if any(_form_line(core) for core in (top, labels.squash(above.split()[-1]), core)):
        return False  # the form's title and fields stand apart from the table's cells
    last = above.split()[-1]
    if core in OPERATOR_CELLS or _operator_first().match(core):
        return not labels.looks_like_value(last)  # an operator opens the next row's value
    if labels.is_plain_number(core) and not re.search(r"[\d.]$", last) and not _operator_first().fullmatch(
            labels.squash(last)):
        return False  # a number beside a unit's wrapped lines ('元/人·' / '80997' / '天'): a cell of its own
    if _whole_heading(line) and re.search(r"\d", last):
        return False  # a heading under a value's box ('≥9606万' / '元年度指标值': an earlier join's work)
    if _whole_heading(line) and _whole_heading(last):
        return False  # two headings or labels one above the other ('二级指标' / '1.数量类(20分)')
    return True


def _whole_heading(text: str) -> bool:
    core = labels.squash(text)
    return bool(labels.header_role(core) or labels.level_label(text) or labels.field_label(core) not in (None, "stop"))
