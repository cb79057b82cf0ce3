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
from dataclasses import dataclass

from corpus.read.interpret import labels, textboxes
from corpus.read.interpret.cells import (OPERATOR_CELLS, ROW_LIMIT, SECOND, Levels, RawRow, align, compat,
                                         split_value_by_content, is_footer, is_page_mark, names_its_label,
                                         split_label_prefix,
                                         weight_first)
from corpus.read.interpret.textrows import TextCell

# a 自评表 prints a weight (分值) and a score (得分) after the actual value: two score cells; some print the rate of
# completion (完成率: the actual over the target, a bare percentage) between the actual and the scores
DEFAULT_ROLES = ["explain", "operator", "target", "unit", "actual", "rate", "score", "score", "explain"]
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
    if labels.reads_as_explanation(core) or labels.reads_as_sentence(core) and _PROSE.search(core):
        # a reason or scoring rule left of the next name (a 自评表's deviation text: a sentence of clauses, often
        # with numbers): an explain cell first
        return _WEAK_NAME
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
        taken = split_label_prefix(window + [c.text for c in cells[index + 2:index + 4]], levels) \
            if labels.level_label(text) or labels.level_label("".join(window)) else 0
        if taken and index and names_its_label(cells[index - 1].text, text):
            taken = 0  # ('社会效益指标' then '社会效益': the block's first indicator, named like it)
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
                and not _in_header_run(cells, index) and not _heading_among_headings(cells, index):
            segment.append(cells[index])
        index += 1
    out.extend(_rows(segment, roles, segment_levels, header))
    return out, closed


def _in_header_run(cells: list[TextCell], index: int) -> bool:
    """A header word beside another (the header printed again at a page's top); a lone cell that reads as a
    heading among the rows is the row's ('考核年度内完成情况', an explanation that holds 完成情况)."""
    if not labels.header_role(cells[index].text):
        return False
    return any(0 <= at < len(cells) and (labels.header_role(cells[at].text) or _heading_among_headings(cells, at))
               for at in (index - 1, index + 1))


def _heading_among_headings(cells: list[TextCell], index: int) -> bool:
    """A heading no list holds inside a header printed again (a page's top): words between a header word and
    a value column's heading ('绩效指标' | '评价要点' | '单位'), no indicator name."""
    core = labels.squash(cells[index].text)
    if not 2 <= len(core) <= 8 or not re.fullmatch(r"[\u4e00-\u9fff]+", core) or not 0 < index < len(cells) - 1:
        return False
    return labels.header_role(cells[index - 1].text) is not None and \
        labels.header_role(cells[index + 1].text) in ("target", "period_target", "actual", "unit", "operator")


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
            if width == 2 and (names[start + 1] < 0 or _PROSE.search(texts[start])):
                break  # (a name's first line holds no clause break: a deviation text's does)
            for extra in range(0, k + 2):
                end = start + width + extra
                if end > n:
                    break
                # both places of a role kept, in a guessed row too: an explanation before the value and a 自评表's
                # deviation text after it are both the row's, so that neither counts as a dropped cell (which made
                # the explanation go into the name: '治理河道长度' + '反映项目实施的实际情况')
                values = align(texts[start + width:end], roles, broken=True, twice=True) if extra else {}
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


def _second(text: str) -> float:
    """A cell in a role's second column (a 自评表's 得分 after 分值, its deviation text after an explanation
    column): worth what the first is, but words that read as a name there are most often the next row's name
    cut by a line break (an empty 备注 after the explanation), not a second explanation."""
    return -1.0 if name_score(text) == _NAME and not labels.reads_as_sentence(text) else 1.0


def _fit(cells: list[str], roles: list[str], values: dict[str, str], header: bool) -> float:
    if not cells:
        return _NO_TARGET + (_MISSING * len(set(roles) & _EXPECTED) if header else 0.0)
    score = sum(_second(text) if role.endswith(SECOND) else compat(role, text) for role, text in values.items())
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


# ---- a table printed column by column (a PDF engine's text boxes) ------------------------------
#
# pdfminer's `extract_text` (and `pdftotext` without -layout) print a ruled table as text boxes in
# reading order of boxes, not of rows: each column's cells come one after another (a header cell, then
# the cells under it), a wrapped cell's lines adjacent, narrow neighbouring columns sometimes merged
# row by row ('名称 5'), and a page's columns start again after a page break. Such a text is a stream of
# *runs*: cells of one role. `decode_columns` pairs the runs back into rows by count and order: every
# column continues where it stopped (a pointer per role), so a run of n values fills the next n rows'
# targets, a header cell says which column the run under it is, a run of k·n values under k adjacent
# value headings is printed row by row, and a run of names longer than the values under them by m holds
# m wrapped names (the pieces cut at the column's width are joined back).

_VALUE_ROLES = ("target", "period_target", "actual")
_DATA_KINDS = ("value", "number", "operator", "unit")
_DEFAULT_VALUE_ROLES = ("target", "actual")


@dataclass
class _Cell:
    text: str
    kind: str           # header, label, name, explain, value, number, operator, unit
    line: int
    role: str | None = None  # a header cell's role, a label's level


def _kind(text: str) -> tuple[str | None, str | None]:
    core = labels.squash(text)
    if not core or labels.is_decoration(text) or is_page_mark([text]) or labels.is_filler(core):
        return None, None
    if is_footer(text):
        return None, None
    role = labels.header_role(core)
    if role:
        return "header", role
    if labels.field_label(core) not in (None, "stop"):
        return None, None  # a form field's label as a lead column's heading ('项目名称', '单位名称')
    level = labels.level_label(text)
    if level:
        return "label", level
    if labels.label_piece(text):
        return "piece", None  # a label cut at its box's width: joined to the rest of it or dropped
    if core in OPERATOR_CELLS:
        return "operator", None
    if labels.is_plain_number(core):
        return "number", None  # a weight or score, or a split value's number under its heading
    if labels.is_target_value(core):
        return "value", None
    if _unit_cell(core):
        return "unit", None
    if ":" in core and labels.field_label(core.split(":", 1)[0]) is not None:
        return None, None  # a form's field ('项目名称：…')
    if labels.is_form_title(core):
        return None, None
    if labels.reads_as_explanation(core) or labels.reads_as_sentence(core):
        return "explain", None
    if name_score(text) == _NAME:
        return "name", None
    return "piece", None  # one character, a label's cut piece: joined to its neighbour or dropped


def _unit_cell(core: str) -> bool:
    """A unit, also one the vocabulary keeps out of values, with its multiplier ('万立方米', '平方公里'), or
    a unit with another in brackets ('件(套)', '台(套)')."""
    if labels.is_unit(core) or labels.is_value_unit(core.lstrip("万亿")):
        return True
    pair = re.fullmatch(r"([^()]{1,4})\(([^()]{1,4})\)", core)
    return bool(pair) and all(labels.is_unit(part) for part in pair.groups())


def column_cells(lines: list[str]) -> list[_Cell]:
    """The text's cells, each with its kind: a line is a cell, or several where its parts are of
    different kinds ('环境监测次数 5': two boxes on one line)."""
    out: list[_Cell] = []
    for number, line in enumerate(lines, start=1):
        kind, role = _kind(line)
        parts = line.split()
        if len(parts) >= 2 and kind == "value" and all(_kind(p)[0] == "value" for p in parts):
            # two boxes of values on one line ('持续发挥效益 持续发挥效益': a row's target and actual)
            out.extend(_Cell(p, "value", number) for p in parts)
            continue
        if len(parts) >= 3 and kind not in ("header", "label", "value"):
            # a label spaced out character by character and the next box's words on its line
            # ('1.数 量 目 标(50分) 指标1：重度残疾人护理补贴人数'): the longest start that is a label
            cut = next((k for k in range(len(parts) - 1, 1, -1) if labels.level_label("".join(parts[:k]))), 0)
            if cut:
                label = "".join(parts[:cut])
                out.append(_Cell(label, "label", number, labels.level_label(label)))
                line = " ".join(parts[cut:])
                kind, role = _kind(line)
                parts = parts[cut:]
        if len(parts) >= 2 and kind not in ("header", "label", "value"):
            kinds = [_kind(p) for p in parts]
            if any(k != "name" for k, _ in kinds) and any(k for k, _ in kinds):
                merged: list[_Cell] = []
                for part, (k, r) in zip(parts, kinds):
                    if merged and k == merged[-1].kind == "name":
                        merged[-1].text += part  # a name's own space
                    elif k:
                        merged.append(_Cell(part, k, number, r))
                out.extend(merged)
                continue
        if kind:
            out.append(_Cell(line.strip(), kind, number, role))
    return _joined_pieces(_cut_units(out))


def _cut_units(cells: list[_Cell]) -> list[_Cell]:
    """A unit cut inside its cell ('元/人·' … '天'), its rest on a line below, a number between them (a row's
    wrapped cells printed line by line): the two pieces are one unit cell where the number was."""
    out = list(cells)
    index = 0
    while index < len(out) - 2:
        cell = out[index]
        if cell.kind != "unit" and cell.text.rstrip().endswith(("·", "/")):
            after = labels.squash(out[index + 1].text)
            number = after[:len(after) - len(after.lstrip("0123456789."))]
            rest = after[len(number):]
            if number and 1 <= len(rest) <= 3 and not any(ch.isdigit() for ch in rest) and \
                    labels.is_unit(labels.squash(cell.text) + rest):
                # the number and the unit's rest on one line ('80997' / '天' joined as one box)
                out[index] = _Cell(cell.text.strip() + rest, "unit", cell.line)
                out[index + 1] = _Cell(number, "number", out[index + 1].line)
                index += 1
                continue
            for ahead in (1, 2):
                if index + ahead < len(out) and out[index + ahead].kind == "unit" and \
                        labels.is_unit(labels.squash(cell.text + out[index + ahead].text)):
                    out[index] = _Cell(cell.text.strip() + out[index + ahead].text.strip(), "unit", cell.line)
                    del out[index + ahead]
                    break
        index += 1
    return out


def _joined_pieces(cells: list[_Cell]) -> list[_Cell]:
    """A label wrapped in its box ('(一)项目完' / '成（30分）'), a name's one-character tail, a value's
    unit on the next line ('≥120' / '处'), joined; other pieces dropped."""
    out: list[_Cell] = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        nxt = cells[index + 1] if index + 1 < len(cells) else None
        if nxt is not None and cell.kind not in ("label", "header", "value"):
            taken = _label_pieces(cells, index)
            if taken:
                joined = "".join(c.text.strip() for c in cells[index:index + taken])
                out.append(_Cell(joined, "label", cell.line, labels.level_label(joined)))
                index += taken
                continue
        if cell.kind == "piece":
            if out and out[-1].kind == "name" and cell.line == out[-1].line + 1 and \
                    len(labels.squash(cell.text)) <= 2:
                out[-1].text += cell.text.strip()
            index += 1
            continue
        if cell.kind == "unit" and out and out[-1].kind in ("value", "number") and cell.line == out[-1].line + 1 \
                and not any(c.kind == "header" and c.role == "unit" for c in out[-8:]):
            out[-1].text += cell.text.strip()
            out[-1].kind = "value"
            index += 1
            continue
        out.append(cell)
        index += 1
    return out


def _label_pieces(cells: list[_Cell], index: int) -> int:
    """How many cells from `index` (2 or 3, on consecutive lines) make one level label wrapped in its
    narrow box ('1、数' / '量指' / '标(20分)'); 0 when they do not."""
    for width in (2, 3):
        part = cells[index:index + width]
        if len(part) < width or any(b.line != a.line + 1 for a, b in zip(part, part[1:])) or \
                any(c.kind in ("header", "value", "label") for c in part[1:]) or \
                any(len(labels.squash(c.text)) > 10 for c in part[1:]):
            return 0
        if labels.level_label("".join(c.text.strip() for c in part)):
            return width
    return 0


def decode_columns(lines: list[str]) -> list[RawRow]:
    """Rows of a table printed column by column (see above); rows with no value at all are left out
    (an explanation column read as names, a title)."""
    boxes = textboxes.printed_as_boxes(lines)
    paged = boxes and textboxes.page_breaks(lines)
    cells = _without_field_values(column_cells(textboxes.join_box_lines(lines, lambda text: _kind(text)[0] == "name")),
                                  lines)
    # the table starts at its first heading or level label: the form's title and fields stand above it
    # (with no heading at all, names printed above the first label are rows: a merged level cell prints
    # its label at its block's middle)
    # (in a PDF engine's boxes only: a web page's text holds the site's words above its table)
    opening = ("header", "label") if any(c.kind == "header" for c in cells) or not boxes else ("label", "name")
    start = next((i for i, c in enumerate(cells) if c.kind in opening), 0)
    cells = _unknown_headings(cells[start:])
    level_column = _longest_run(cells, "label", ("piece",)) >= 3  # a level column printed as one run of boxes
    if _longest_run(cells, "name", ("label", "number", "piece", "explain")) < 2 and not level_column and \
            not paged:
        return []  # no column of names or labels: a text printed row by row, read by the row decoders
    rows: list[RawRow] = []
    filled: dict[str, int] = {}        # role → index of the next row that column fills
    headings: list[str] = []           # the value roles the headers named, in order
    current: str | None = None         # the role of the last header cell (the column printed under it)
    group: list[str] = []              # header cells just before the run being read
    line_roles: set[str] = set()       # the roles of the header line, once one was printed
    line_order: list[str] = []         # the header line's roles in the order it printed them
    split = False                      # the values are split (指标性质 | 指标值 | 度量单位): a bare number is a target
    levels = Levels()
    name_run: list[int] = []           # indices of the rows of the last run of names
    column = streak = 0                # targets given in streaks of three or more rows with no name between
    runs = 0                           # values given in runs of three or more of one column
    index = 0
    while index < len(cells) and len(rows) <= ROW_LIMIT:
        cell = cells[index]
        if cell.kind in ("header", "label", "name"):
            if _targets(filled) - streak >= 3:
                column += _targets(filled) - streak
            streak = _targets(filled)
        if cell.kind == "header" and (cell.role not in line_roles if line_roles else bool(rows)) and \
                (index + 1 >= len(cells) or cells[index + 1].kind != "header") and \
                (cell.role not in ("target", "period_target") or index + 1 >= len(cells) or
                 cells[index + 1].kind not in _DATA_KINDS) and \
                cells[index - 1].kind != "header":
            # a lone heading the header line did not have, or with no header line one among the rows
            # ('考核年度内完成情况' after a row's values or its name): the
            # words of an explanation's cell; a target's heading with values under it ('半年指标值' / '≥1平方米')
            # is the heading of the column printed under it
            cell = cells[index] = _Cell(cell.text, "explain", cell.line)
        if cell.kind == "header":
            if index == 0 or cells[index - 1].kind != "header":
                group = []
            group.append(cell.role or "")
            # a heading printed alone is the column under it; several in a row (a header line) say
            # which columns there are, not which one the next run is
            current = cell.role if len(group) == 1 else None
            split = split or cell.role in ("operator", "unit")  # a value split over columns of its own
            if cell.role in _VALUE_ROLES and cell.role not in headings:
                headings.append(cell.role)
            if len(group) >= 3 and not line_roles:
                line_roles = set(group)  # the header line: three headings or more printed in a row
                line_order = group
            elif line_roles and len(group) >= 3:
                line_roles |= set(group)
            index += 1
            continue
        if cell.kind == "label":
            end = index
            while end < len(cells) and cells[end].kind == "label":
                end += 1
            _take_labels(cells[index:end], levels)
            index = end
            continue
        if cell.kind in ("name", "explain"):
            # words under an explanation heading, or words after a row's values where the header has an
            # explanation column, are the next rows' explanations (as many as rows lack one), not names
            after = cells[index - 1].kind if index else ""
            lacking = (filled.get("target", 0) if after in _DATA_KINDS else len(rows)) - filled.get("explain", 0)
            explaining = lacking > 0 and after not in ("name", "label") and (
                current == "explain" or cell.kind == "explain")
            if explaining:
                end = index
                words = ("name", "explain") if current == "explain" else ("explain",)
                while end < len(cells) and cells[end].kind in words and end - index < lacking:
                    end += 1
                for c in cells[index:end]:
                    _fill(rows, filled, "explain", c.text)
                index = max(end, index + 1)  # always forward
                continue
            if cell.kind == "explain":
                index += 1
                continue
            if index == 0 or cells[index - 1].kind != "name":
                name_run = []
            name_run.append(len(rows))
            rows.append(RawRow(levels.raw1, levels.raw2, cell.text.strip(), {}, cell.line, explicit=False))
            _take_waiting(rows, filled)
            index += 1
            continue
        # a run of data cells
        end = index
        while end < len(cells) and cells[end].kind in _DATA_KINDS:
            end += 1
        run = cells[index:end]
        split = split or any(c.kind == "operator" for c in run)
        before = {role: _progress(filled, role) for role in _VALUE_ROLES}
        if index and cells[index - 1].kind == "name" and _fill_as_header(rows, filled, run, line_order):
            group = []  # one row's cells printed in the header line's order after its name (printed by rows)
            index = end
            continue
        if not current and split:
            # a split value's numbers: the first value column the headings named that is not full yet
            # (实施期指标值 printed before 年度指标值 takes the first run of numbers)
            current = next((r for r in headings if r in ("period_target", "target") and
                            _progress(filled, r) < len(rows)), "target")
        _fill_run(rows, filled, run, current, group, headings, name_run)
        # a run that gave three rows or more of one value column their cells is a column printed as one
        # (a text printed by rows gives each row's target, actual, score: one cell a column)
        gains = [_progress(filled, role) - before[role] for role in _VALUE_ROLES]
        # (or four values and more of two columns: two rows' values at least, with no name between them)
        runs += sum(d for d in gains if d >= 3) or (sum(gains) if sum(d >= 2 for d in gains) >= 2 else 0)
        current = None if current in (*_VALUE_ROLES, "operator", "unit") else current
        group = []
        index = end
    if _targets(filled) - streak >= 3:
        column += _targets(filled) - streak
    valued = [r for r in rows if any(labels.squash(v) for v in r.values.values() if v)]
    # evidence of columns: most targets come in streaks of three or more rows with no name, label or heading
    # between their values (a column of names, then a column of values, explanations' boxes between them);
    # a text whose values follow their own names is printed by rows (a run of values there fills one row's
    # target, actual, score)
    # (pdfminer groups boxes by proximity, so that one page mixes column runs and row runs: in a text printed
    # as boxes one run of three values of a column or more is evidence enough)
    # (and a PDF engine's own pages of boxes, form feeds between them, are read by columns whatever the runs:
    # its boxes pair up by a pointer per column whether a page prints them by column or by row)
    evident = paged or (max(column, runs) >= 3 if boxes else max(column, runs) * 2 >= len(valued))
    if not evident and not level_column:
        return []
    # and the columns pair up: few names left without a value, few values left without a name (a text
    # that is no table printed by columns leaves many of either)
    unplaced = sum(len(v) for v in filled.get("waiting", {}).values())
    if 4 * (len(rows) - len(valued) + unplaced) > len(valued) and not paged:
        return []
    return valued


def _without_field_values(cells: list[_Cell], lines: list[str]) -> list[_Cell]:
    """The cells less the form's field values printed again in the table's lead columns ('项目名称：专项资金项目'
    above the table, then '专项资金项目' in its 项目名称 column): a field's value is no indicator name."""
    values = set()
    for line in lines[:200]:
        tokens = line[:400].replace("：", ":").replace(":", ": ").split()
        for at, token in enumerate(tokens[:-1]):
            if token.endswith(":") and labels.field_label(token[:-1]) not in (None, "stop"):
                values.add(labels.squash(tokens[at + 1]))
    return [c for c in cells if c.kind != "name" or labels.squash(c.text) not in values] if values else cells


def _unknown_headings(cells: list[_Cell]) -> list[_Cell]:
    """Words printed between two headings of the header line ('三级指标' / '考核方式' / '指标方向'), or after
    a header line and before the first label, are a heading no list holds, not a name: the column of a template's own words, read as an explanation (as
    the row readers read such a column before the target)."""
    out = list(cells)
    for index in range(1, len(cells) - 1):
        cell = cells[index]
        after_line = cells[index - 1].kind == "header" and (
            cells[index + 1].kind == "header" or
            index >= 2 and cells[index - 2].kind == "header" and cells[index + 1].kind == "label")
        if cell.kind == "name" and after_line and len(labels.squash(cell.text)) <= 8:
            out[index] = _Cell(cell.text, "header", cell.line, "explain")
    return out


def _longest_run(cells: list[_Cell], kind: str, between: tuple[str, ...]) -> int:
    """The most cells of a kind printed one after another (cells of the kinds `between` not counted): a
    column of names (labels, weights, explanations and pieces between them) or of level labels. A table
    printed row by row has a value after each name, and a name after each label."""
    longest = run = 0
    for c in cells:
        if c.kind == kind:
            run += 1
            longest = max(longest, run)
        elif c.kind not in between:
            run = 0
    return longest


def _take_labels(run: list[_Cell], levels: Levels) -> None:
    """Labels printed one after another (a level column's boxes) apply to the names after them only
    where that can be told: one label of a level applies to all; with several of one level, how many
    rows each block holds is not in the text, so that level is left empty."""
    kinds: dict[str, list[str]] = {}
    for c in run:
        kinds.setdefault(c.role or "l2", []).append(c.text)
    for c in run:
        if len(kinds[c.role or "l2"]) == 1:
            levels.take(c.text, c.role or "l2")
    for kind, texts in kinds.items():
        if len(texts) > 1:
            if kind == "l1":
                levels.raw1, levels.raw2 = None, None
            else:
                levels.raw2 = None


def _targets(filled: dict) -> int:
    return _progress(filled, "target")


def _progress(filled: dict, role: str) -> int:
    # a column's cells read so far: given to their rows, or waiting for names printed after them
    return filled.get(role, 0) + len(filled.get("waiting", {}).get(role, []))


_FITS = {"number": ("score", *_VALUE_ROLES), "value": _VALUE_ROLES, "operator": ("operator",), "unit": ("unit",)}


def _fill_as_header(rows: list[RawRow], filled: dict, run: list[_Cell], line_order: list[str]) -> bool:
    """A run of one row's data cells right after its name, as many as the header line has data columns and
    each of the kind its column holds (a number under 分值 or a value column, an operator under 指标性质, a
    unit under 单位): the row's cells in the header line's order (a text printed by rows, a split value's
    '10' '>=' '6.3' '3.3' '辆' under 分值 | 指标性质 | 半年指标值 | 全年指标值 | 单位)."""
    columns = [r for r in line_order if r in ("score", "operator", "unit", *_VALUE_ROLES)]
    if len(columns) < 3 or len(run) != len(columns) or not rows or \
            any(r not in _FITS.get(c.kind, ()) for r, c in zip(columns, run)):
        return False
    row = len(rows) - 1
    if any(filled.get(r, 0) > row for r in columns if r != "score"):
        return False
    for role, c in zip(columns, run):
        if role not in rows[row].values:
            rows[row].values[role] = c.text.strip()
        filled[role] = row + 1
    return True


def _waiting(filled: dict, role: str) -> list[str]:
    return filled.setdefault("waiting", {}).setdefault(role, [])


def _take_waiting(rows: list[RawRow], filled: dict) -> None:
    """A new row takes the values that waited for it, each column in its order."""
    for role, texts in filled.get("waiting", {}).items():
        if texts and filled.get(role, 0) == len(rows) - 1:
            _fill(rows, filled, role, texts.pop(0))


def _fill(rows: list[RawRow], filled: dict[str, int], role: str, text: str) -> bool:
    at = filled.get(role, 0)
    if at >= len(rows):
        return False
    rows[at].values[role] = text.strip()
    filled[role] = at + 1
    return True


def _fill_run(rows: list[RawRow], filled: dict[str, int], run: list[_Cell], current: str | None,
              group: list[str], headings: list[str], name_run: list[int]) -> None:
    _fill_cells(rows, filled, run, current, group, headings, name_run)


def _fill_cells(rows: list[RawRow], filled: dict[str, int], run: list[_Cell], current: str | None,
                group: list[str], headings: list[str], name_run: list[int]) -> None:
    order = [r for r in (*headings, *_DEFAULT_VALUE_ROLES) if r in _VALUE_ROLES]
    order = list(dict.fromkeys(order))
    values = [c for c in run if c.kind == "value" or (c.kind == "number" and current in _VALUE_ROLES)]
    interleaved = [r for r in group if r in _VALUE_ROLES]
    pending = len(rows) - filled.get(interleaved[0] if interleaved else "target", 0)
    if len(interleaved) >= 2 and pending and len(values) == len(interleaved) * pending and \
            run[:len(values)] == values:
        for i, c in enumerate(values):  # adjacent value columns printed row by row
            _fill(rows, filled, interleaved[i % len(interleaved)], c.text)
        for c in run[len(values):]:  # the next column's numbers (a score) after them
            _fill(rows, filled, "operator" if c.kind == "operator" else "unit" if c.kind == "unit" else "score",
                  c.text)
        return
    role = current if current in _VALUE_ROLES else next(
        (r for r in order if filled.get(r, 0) < len(rows)), "target")
    # (two value columns the headings named: a run of one column's values may agree with its neighbours too)
    # (or, where a run holds exactly two values for every row left, the default target and actual)
    free = len(rows) - filled.get(role, 0)
    pair = [r for r in (headings if len(values) != 2 * free else order)
            if filled.get(r, 0) == filled.get(role, 0) and r in _VALUE_ROLES][:2]
    block = bool(values) and run[run.index(values[0]):run.index(values[0]) + len(values)] == values
    if current not in _VALUE_ROLES and len(pair) == 2 and block and len(values) % 2 == 0 and \
            len(rows) - filled.get(role, 0) >= len(values) // 2 and \
            (_paired_by_rows(values) or filled.get("by_rows") and len(values) == 2):
        # two value columns' boxes grouped row by row (see _paired_by_rows); once a run was, a run of one
        # row's two values after the next name is too; a weight or score column's numbers around them
        # fill their own column
        for i, c in enumerate(values):
            _fill(rows, filled, pair[i % 2], c.text)
        for c in run:
            if c.kind in ("number", "operator", "unit"):
                _fill(rows, filled, "score" if c.kind == "number" else c.kind, c.text)
        filled["by_rows"] = 1
        return
    if role == "target":
        _join_wrapped_names(rows, filled, len(values), name_run)
    for c in run:
        if c.kind == "value" or (c.kind == "number" and current in _VALUE_ROLES):
            while not _fill(rows, filled, role, c.text):
                # the next value column not full yet (in the headings' order: pdfminer may print a header
                # line's boxes in another order than the columns', so an earlier heading's column too)
                later = [r for r in order if r != role and filled.get(r, 0) < len(rows)] if role in order else []
                if not later and c.kind == "number":
                    # bare numbers once every value column is full: the weight or score column's
                    _fill(rows, filled, "score", c.text)
                    break
                if not later:
                    # a value no row is there for yet: the names of its rows come later (a names box
                    # printed below the values' run); it waits for the next row made
                    _waiting(filled, role).append(c.text)
                    break
                role = later[0]
        elif c.kind == "number":
            _fill(rows, filled, "score", c.text)
        elif c.kind == "operator":
            _fill(rows, filled, "operator", c.text)
        elif c.kind == "unit":
            _fill(rows, filled, "unit", c.text)


def _paired_by_rows(values: list[_Cell]) -> bool:
    """Whether a run of 2n values with no heading over it holds two columns row by row (a row's half-year and
    annual values, its target and actual, grouped into one box pair after another: '≥652个' '452个以上' '=400%'
    '=100%') rather than one column then the other: the units agree more often between neighbours than
    between the i-th value of each half. A tie (every value of one unit) keeps the columns one after another."""
    if len(values) < 4 or len(values) % 2:
        return False
    units = [_unit_of(c.text) for c in values]
    half = len(units) // 2
    neighbours = sum(units[2 * i] == units[2 * i + 1] for i in range(half))
    halves = sum(units[i] == units[i + half] for i in range(half))
    return neighbours > halves


def _unit_of(text: str) -> str:
    # what a value measures in: the value without its operator (a glyph or a word, before or after) and number
    core = re.sub(f"^(?:{labels.operator_pattern(ocr=True)})", "", labels.squash(text))
    core = re.sub(f"(?:{labels.words_after_pattern()})$", "", core)
    return re.sub(r"[\d.,，]", "", core)


def _join_wrapped_names(rows: list[RawRow], filled: dict[str, int], count: int, name_run: list[int]) -> None:
    """A run of names longer than the run of targets under them by m holds m names wrapped in their
    boxes: the m pieces that follow a line cut at the column's width (the run's longest) join it."""
    start = filled.get("target", 0)
    pending = list(range(start, len(rows)))
    excess = len(pending) - count
    if excess <= 0 or not name_run or pending != name_run[-len(pending):] or excess > len(pending) // 2 \
            or any(rows[i].values for i in pending):
        return
    for _ in range(excess):
        widths = [_width(rows[i].name) for i in pending]
        cut = max(widths)
        pairs = [(widths[j + 1], j) for j in range(len(pending) - 1)
                 if widths[j] >= cut - 1 and widths[j + 1] < widths[j] and rows[pending[j + 1]].line == rows[pending[j]].line + 1]
        if not pairs:
            return
        _, j = min(pairs)
        rows[pending[j]].name += rows[pending[j + 1]].name
        del rows[pending[j + 1]]
        name_run[:] = [i for i in name_run if i != pending[j + 1]]
        name_run[:] = [i - 1 if i > pending[j + 1] else i for i in name_run]
        pending = pending[:-1]


def _width(text: str) -> float:
    # a digit or a Latin letter is half a character wide in a PDF cell
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text.strip())
