"""The indicator table of any template, read by meaning: header roles, level context, row cells.

Input is rows of cells, from any reader: positional grids (office files, HTML and PDF tables:
each column has the role its header gives it) or flattened text (columns lost: cells after the
indicator name are aligned to the header's roles by what they look like). A stream of cells
without row ends (one cell per line, fused text) is assembled the same way: after a name, the
next cell is its target, then cells that look like the following roles (an actual value, a
score) are consumed while they fit.

Level labels are recognised wherever they stand (`labels.level_label`), forward-filled over the
rows they span, and decorated labels (`产出指标(50分)`, `数量指标 (必填)`) are kept raw. Nothing is
invented: a row is emitted only with a name from the form; a value that cannot be placed stays
empty with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.read.interpret import labels
from corpus.read.interpret.cells import (OPERATOR_CELLS, OPERATOR_GLYPHS, ROW_LIMIT, Levels, RawRow, is_small_number, align, is_footer,
                                         frame_heading,
                                         split_value_by_content,
                                         is_page_mark, split_label_prefix, weight_first)
from corpus.read.interpret.textrows import TextCell, TextRow
from corpus.read.interpret.vertical import join_row_label_pieces
from corpus.read.interpret.wraps import join_wrapped_names

_OPERATOR_SYMBOL = OPERATOR_GLYPHS  # glyph or word → how the value writes it (≥ ≤ = > <)
VALUE_ROLES = ("target", "period_target", "actual", "operator", "unit", "score", "explain", "other")


@dataclass
class Header:
    roles: list[str]            # post-name roles, in order
    positions: list[int] = field(default_factory=list)  # column of each post-name role (grids)
    name_column: int | None = None
    end: int = 0                # index of the first row after the header
    found: bool = True          # False: no header in the form, the roles are a default guess
    copies: int = 1             # 2: a mid-term and an annual block side by side; the annual (last) is read
    lead: int = 0               # columns before the levels that belong to the project (项目名称 | 年度目标 …)


@dataclass
class TableRead:
    rows: list[RawRow]
    header: Header
    end: int                    # index after the last row used
    closed: bool                # a footer or the end of the grid closed the table
    warnings: list[tuple[str, str, int | None]] = field(default_factory=list)


# ---- header ----------------------------------------------------------------------------------

def header_roles(cells: list[str]) -> tuple[list[str | None], bool]:
    """Role of each cell of a header row, and whether it is an indicator header at all."""
    roles = [labels.header_role(c) for c in cells]
    core = {r for r in roles if r in ("level1", "level2", "name", "target")}
    return roles, len(core) >= 2 and ("name" in roles or "level2" in roles)


def post_name_roles(roles: list[str | None]) -> tuple[int | None, list[tuple[int, str]]]:
    """(name column, [(column, role)…]) — the name is the last name-role column before the
    first value column; a repeated level2/name column starts a second copy (mid-term and annual
    blocks side by side) and ends the roles."""
    first_value = next((i for i, r in enumerate(roles) if r in ("target", "period_target", "actual")),
                       len(roles))
    name_cols = [i for i, r in enumerate(roles[:first_value]) if r == "name"]
    if not name_cols:
        level2 = [i for i, r in enumerate(roles[:first_value]) if r == "level2"]
        if not level2:
            return None, []
        name_col = level2[-1] + 1  # '三级指标' missing or unrecognised: the column after 二级
    else:
        name_col = name_cols[-1]
    post: list[tuple[int, str]] = []
    seen_target = False
    named_target = "target" in roles[name_col + 1:]
    for column in range(name_col + 1, len(roles)):
        role = roles[column]
        if role in ("level1", "level2", "name"):
            break
        if role is None and named_target and not seen_target:
            role = "explain"  # a column headed by a word no list holds, before the named target (考核方式)
        if role is None:
            role = "other" if seen_target else "target"  # an unnamed value column (per-village)
        if role == "target":
            if seen_target:
                role = "other"
            seen_target = True
        post.append((column, role))
    if post and not seen_target:
        # no target word at all: the first unnamed or value-ish column is the target
        for index, (column, role) in enumerate(post):
            if role in ("other", "period_target"):
                post[index] = (column, "target")
                break
    return name_col, post


def find_header(rows: list[list[str]], start: int = 0) -> Header | None:
    """The first indicator header at or after `start`, with continuation rows merged."""
    for index in range(start, len(rows)):
        roles, ok = header_roles(rows[index])
        lead = _lead_columns(rows[index], roles)
        if not ok and "name" in roles and index + 1 < len(rows) and \
                _header_rest(rows[index + 1], [None] * lead + roles[lead:]):
            ok = True  # '| 指标名称 |' with its value headings on the next line
        if not ok:
            continue
        cells = list(rows[index])
        end = index + 1
        # a header wrapped over several text rows: following rows made of header words only
        while end < len(rows) and rows[end] and (all(
                labels.header_role(c) or labels.header_fragment(c) or not labels.squash(c)
                for c in rows[end]) or _header_rest(rows[end], [None] * lead + roles[lead:])) and \
                any(labels.squash(c) for c in rows[end]):
            cells = _merge_fragments(cells + list(rows[end]))
            end += 1
        if end > index + 1:
            cells = ungroup_heading(cells)
        roles = [labels.header_role(c) for c in cells]
        lead = _lead_columns(cells, roles)
        # a value word among the project's columns (年度目标) heads no indicator's value
        name_col, post = post_name_roles([None] * lead + roles[lead:])
        if name_col is None:
            continue
        copies = 1
        after = post[-1][0] + 1 if post else name_col + 1
        if any(r in ("level2", "name") for r in roles[after:]):
            # the block again after its values: 中期目标 and 年度目标 side by side (二级指标 | 三级指标 | 指标值
            # twice, 财政部's 项目支出绩效目标申报表 and the provinces' copies of it, 中期 first): the
            # annual block, the last, is the year's target
            second, post2 = post_name_roles([None] * after + roles[after:])
            if second is not None and any(r == "target" for _, r in post2):
                name_col, post, copies = second, post2, 2
        return Header(roles=[r for _, r in post], positions=[c for c, _ in post],
                      name_column=name_col, end=end, copies=copies, lead=lead)
    return None


def _lead_columns(cells: list[str], roles: list[str | None]) -> int:
    """Columns before the level and name columns that hold the project, not its indicators: a table of
    a department's projects prints each project's name, unit, budget or goal (项目名称 | 年度目标 | 一级指标
    …, merged over the project's rows) before its indicators."""
    frame = frame_heading(roles)
    if frame is not None:
        return frame + 1  # a 自评表's 绩效指标 merged down the table's left: no column of the rows
    first = next((i for i, r in enumerate(roles) if r in ("level1", "level2", "name")), 0)
    lead = [labels.squash(c) for c in cells[:first]]
    if not 0 < first <= _LEAD_MAX or not all(
            len(c) <= 8 and (labels.field_label(c) or labels.header_role(c) in ("target", "period_target"))
            for c in lead):
        return 0
    return first if any(labels.field_label(c) for c in lead) else 0


_LEAD_MAX = 4  # 单位名称 | 项目名称 | 项目金额 | 年度目标 at most before the levels


def drop_lead(texts: list[str], header: Header) -> list[str]:
    """A row's cells without the project's columns (`Header.lead`): where the row holds every column,
    or a level label stands right after them (a flattened row that dropped its empty cells)."""
    lead = header.lead
    first = next((i for i, t in enumerate(texts) if labels.squash(t)), None)  # after a `|` border's empty cell
    if not lead or first is None or labels.level_label(texts[first]):
        return texts
    body = texts[first:]
    width = (header.name_column or 0) + 1 + len(header.roles)
    if len(body) > lead and (len(body) >= width or labels.level_label(body[lead])):
        return texts[:first] + [""] * lead + body[lead:]
    return texts


def _header_rest(cells: list[str], roles: list[str | None]) -> bool:
    """The rest of a header broken after its name column: the next line holds the value headings (a
    word no list holds among them, 考核方式), while the line above has a name word and no value word."""
    if "target" in roles or "period_target" in roles or not ({"name", "level2"} & set(roles)):
        return False
    filled = [c for c in cells if labels.squash(c)]
    return any(labels.header_role(c) in ("target", "period_target") for c in filled) and all(
        len(labels.squash(c)) <= 10 and not labels.looks_like_value(c) and not labels.level_label(c)
        and not labels.is_short_value_word(c) for c in filled)


# headings of the columns a grouped heading spans (指标值 over 指标性质 | 指标值 | 度量单位, over 半年 | 全年)
_SUB_HEADINGS = ("target", "period_target", "actual", "operator", "unit")


def ungroup_heading(cells: list[str]) -> list[str]:
    """A header of two rows whose value heading spans sub-columns (a web page's `colspan`: `指标值` over
    `指标性质 | 指标值 | 度量单位`, over `半年指标值 | 全年指标值`, over `年初目标值 | 实际完成值`), its rows
    printed one after the other: the top row's cells, the spanning heading among them, then the
    sub-headings. The sub-headings take the spanning heading's place; the top row's cells after it
    (spanning both rows: 评分标准, 分值) follow them. Recognised where the header's cells end with a run of
    at least two value headings holding a target heading, and the first target heading stands before that
    run with no value heading between: a header of one row never names two targets (a period column,
    半年 / 实施期, is no target heading, so `半年指标值 | 全年指标值 | 实际完成值` stays as it is)."""
    roles = [labels.header_role(c) for c in cells]
    # (a project's goal column before the levels, 年度目标, heads no value: `_lead_columns`)
    first = next((i for i, r in enumerate(roles) if r in ("level1", "level2", "name")), len(roles))
    group = next((i for i, r in enumerate(roles) if r == "target" and i > first), None)
    if group is None:
        return cells
    tail = len(cells)
    while tail > group + 1 and roles[tail - 1] in _SUB_HEADINGS:
        tail -= 1
    if len(cells) - tail < 2 or "target" not in roles[tail:] or \
            any(r in _SUB_HEADINGS for r in roles[group + 1:tail]):
        return cells
    return cells[:group] + cells[tail:] + cells[group + 1:tail]


def _merge_fragments(cells: list[str]) -> list[str]:
    """'年度' '指标值' → '年度指标值' when the pieces are parts of one header word."""
    out: list[str] = []
    for cell in cells:
        if out and labels.header_role(out[-1]) is None and labels.header_fragment(out[-1] + cell):
            out[-1] = out[-1] + cell
        else:
            out.append(cell)
    return out


# ---- level context -----------------------------------------------------------------------------


STREAM_LINES = 20000  # lines of a stream decoded after its header: 1,000 rows of a dozen cells


# ---- aligning cells to roles -------------------------------------------------------------------


def join_value(values: dict[str, str]) -> str:
    """A target split over 指标性质 / 指标值 / 度量单位 cells, written as one: '≥21933人'."""
    target = (values.get("target") or "").strip()
    operator = labels.squash(values.get("operator"))
    unit = (values.get("unit") or "").strip()
    if not target or operator in ("定性", "是/否", "定量", "正向", "反向", ""):
        symbol = ""
    else:
        symbol = _OPERATOR_SYMBOL.get(operator, "")
    if symbol and target[:1] in "≥≤=<>＞＜＝":
        symbol = ""
    if unit and target and not target.endswith(unit) and labels.looks_like_value(target) \
            and not re.search(r"[\u4e00-\u9fff%‰]$", target):
        target = target + unit
    return symbol + target


# ---- reading rows ------------------------------------------------------------------------------

def read_rows(rows: list[TextRow], header: Header, *, bounded: bool, text_ends: bool,
              join_name: bool = False, restream: bool = True) -> TableRead:
    """Indicator rows after a header found in flattened text (bounded rows or a stream).
    `restream`: a row holding several rows is decoded as a stream (not for fused text, whose rows
    were already cut by their value runs)."""
    if bounded:
        return _read_bounded(rows, header, text_ends=text_ends, join_name=join_name, restream=restream)
    return _read_stream(rows, header, text_ends=text_ends)


def _read_bounded(rows: list[TextRow], header: Header, *, text_ends: bool,
                  join_name: bool = False, restream: bool = True) -> TableRead:
    levels = Levels()
    out: list[RawRow] = []
    warnings: list[tuple[str, str, int | None]] = []
    closed = False
    trailing = False  # something (a label row) came after the last indicator row
    fields_since = False  # a form's field label (项目名称 …) came after the last indicator row
    index = header.end
    if not header.found:  # (a text's headerless table is read once; a header's rows were joined before)
        rows = rows[:header.end] + join_row_label_pieces([_copy(r) for r in rows[header.end:header.end + TABLE_ROWS]]) \
            + rows[header.end + TABLE_ROWS:]
    for index in range(header.end, len(rows)):
        if len(out) > ROW_LIMIT:
            break
        row = rows[index]
        texts = drop_lead([c.text for c in row.cells], header)
        start = split_label_prefix(texts, levels)
        rest = texts[start:]
        if not rest:
            trailing = bool(out)
            continue
        trailing = False
        if restream and _holds_several_rows(rest, header):
            # a whole table (or a block of it) printed on one line: decode its cells as a stream
            from corpus.read.interpret.assemble import decode
            decoded, closed = decode([c for c in row.cells[start:] if labels.squash(c.text)],
                                     header.roles if header.found else None, levels)
            if header.copies == len(decoded) == 2:
                decoded = decoded[-1:]  # the mid-term block's row, then the annual block's: the year's is read
            out.extend(decoded)
            if closed:
                break
            continue
        if join_name and header.roles[:1] == ["target"]:
            rest = _joined_name(rest)
        name = rest[0]
        if is_footer(name):
            closed = True
            break
        if header_roles(texts)[1]:
            if fields_since or not out:  # a second indicator header after a form's fields: another table
                closed = True
                break
            continue  # the header printed again at the top of the next page
        if is_page_mark(texts):
            continue
        if labels.field_label(name):
            fields_since = True
            if not header.found:
                continue  # a headerless table's start guessed over the budget block: 资金总额 is no indicator
        values = _align_split(rest[1:], header.roles)
        if not header.found:
            values = split_value_by_content(rest[1:], weight_first(values))
        if _is_group_heading(rows, index, values):
            continue
        filled = [c for c in rest if labels.squash(c)]
        if len(filled) == 1 and not any(labels.squash(v) for v in values.values()) and out and \
                out[-1].values.get("target") and out[-1].line is not None and \
                rows[index - 1].line == out[-1].line and _wrapped_part(name) and \
                not labels.opens_total_row(name) and _same_column(rows[index - 1], row, name, out[-1].name):
            out[-1].name += name.strip()  # the rest of a name wrapped onto a line of its own
            if len(row.cells) == 1:  # (a `|` or tab row keeps its empty cells: the part is in the name's column)
                out[-1].notes.append(_TAIL + name.strip())
            continue
        out.append(RawRow(levels.raw1, levels.raw2, name, values, row.line))
        fields_since = False
    else:
        index = len(rows)
    _tails_to_explanations(out)
    if text_ends:
        out = join_wrapped_names(out)
    if not closed and not trailing and text_ends and out and _cut_short(out[-1], header):
        last = out.pop()
        warnings.append(("row_truncated", f"末行「{last.name}」在文本结束处被截断，未读入", last.line))
    return TableRead(out, header, index, closed, warnings)


TABLE_ROWS = 20000  # rows of a headerless table whose label pieces are joined (as locate.TABLE_LINES)


_SPLIT_ROLES = ("operator", "target", "unit")


def _align_split(cells: list[str], roles: list[str]) -> dict[str, str]:
    """The row's cells aligned to the header's roles; where that leaves a filled cell out and the header splits the
    value (指标性质 | 指标值 | 度量单位), the split columns in another order too (a heading wrapped apart from the header
    line is put back by its column's usual place, '计算符' / '号', which need not be the form's): the order that keeps
    the most cells, the header's own on a tie."""
    values = align(cells, roles)
    at = [k for k, role in enumerate(roles) if role in _SPLIT_ROLES]
    filled = sum(1 for c in cells if labels.squash(c))
    if len(at) < 2 or at != list(range(at[0], at[0] + len(at))) or len(values) >= filled:
        return values
    from itertools import permutations
    def split_filled(found: dict[str, str]) -> int:
        return sum(1 for role in _SPLIT_ROLES if labels.squash(found.get(role)))

    best, kept = values, (split_filled(values), len(values))
    if kept[0] >= len(at):
        return values  # every split column filled: the cell left out is another column's
    for order in permutations([roles[k] for k in at]):
        trial = roles[:at[0]] + list(order) + roles[at[-1] + 1:]
        found = align(cells, trial)
        if (split_filled(found), len(found)) > kept and len(found) >= len(values):
            best, kept = found, (split_filled(found), len(found))
    return best


_TAIL = "tail:"  # a row's note: a line of one cell joined to its name


def _filled_width(lengths: list[int]) -> int | None:
    """A column's width as its cells show it: the longest length that comes twice (cells cut at the width)."""
    twice = [n for n in set(lengths) if lengths.count(n) >= 2 and n >= 4]
    return max(twice) if twice else None


def _tails_to_explanations(rows: list[RawRow]) -> None:
    """A line of one cell under a row goes on with the cell that filled its column: where the row's explanation
    is as long as the table's cut explanations ('指项目覆盖的全部' / '对象') and its name is not as long as the cut
    names, the piece is the explanation's rest, not the name's (a PDF's text layer prints both cells' rests alike)."""
    tailed = [r for r in rows if any(n.startswith(_TAIL) for n in r.notes)]
    if not tailed:
        return
    texts = {labels.squash(r.values.get("explain")) for r in rows} - {""}
    lengths = [len(t) for t in texts]
    explain = _filled_width(lengths)
    if explain is None or max(lengths) > explain or lengths.count(explain) < 3:
        return  # explanations longer than the others, or one phrase said again: whole, not cut at a width
    names = _filled_width([len(labels.squash(r.name)) for r in rows if r not in tailed])
    for row in tailed:
        tails = "".join(n[len(_TAIL):] for n in row.notes if n.startswith(_TAIL))
        base = row.name[:len(row.name) - len(tails)] if row.name.endswith(tails) else None
        if base is None or len(labels.squash(row.values.get("explain"))) != explain or \
                len(labels.squash(base)) == names:
            continue
        row.name = base
        row.values["explain"] = row.values["explain"].rstrip() + tails


def _copy(row: TextRow) -> TextRow:
    return TextRow([TextCell(c.text, c.line) for c in row.cells], row.line, row.indent)


def _wrapped_part(text: str) -> bool:
    """The tail of a wrapped name: short words, no value, no label, no field."""
    core = labels.squash(text)
    return 1 <= len(core) <= 16 and not labels.looks_like_value(core) and not labels.level_label(core) \
        and not labels.field_label(core) and not is_footer(core) and not labels.is_short_value_word(core)


def _holds_several_rows(cells: list[str], header: Header) -> bool:
    """More cells than one row has, with a name-like cell after a value: several rows on one line."""
    filled = [c for c in cells if labels.squash(c)]
    if len(filled) <= len(header.roles) + 2:
        return False
    from corpus.read.interpret.assemble import name_score
    seen_value = False
    for text in filled[1:]:
        if labels.looks_like_value(text):
            seen_value = True
        elif seen_value and name_score(text) > 0 and not labels.header_role(text):
            return True
    return False


def _same_column(previous: TextRow, row: TextRow, part: str, previous_name: str) -> bool:
    """A wrapped cell keeps its column: the part stands where the previous row's name stood (tab
    and `|` rows keep the empty cells before it)."""
    column = next(i for i, c in enumerate(row.cells) if labels.squash(c.text))
    return column < len(previous.cells) and previous.cells[column].text.strip() == previous_name.strip() \
        and row.cells[column].text == part


def _joined_name(cells: list[str]) -> list[str]:
    """Words before the first value-like cell are one name ('…500吨成' '品粮储备到位率' '100%')."""
    first_value = next((i for i, c in enumerate(cells) if i > 0 and labels.is_target_value(c)), None)
    if first_value is None or first_value == 1:
        return cells
    return [" ".join(cells[:first_value])] + cells[first_value:]


def _is_group_heading(rows: list[TextRow], index: int, values: dict[str, str]) -> bool:
    """A ★ parent row that only carries scores, its sub-rows indented below it."""
    if index + 1 >= len(rows) or rows[index + 1].indent <= rows[index].indent:
        return False
    return not labels.looks_like_value(values.get("target")) or "score" in values and \
        all(labels.is_plain_number(v) for v in values.values())


def _cut_short(row: RawRow, header: Header) -> bool:
    if not labels.squash(row.values.get("target")):
        return True
    # an actual column the header declares (a guessed one says nothing about where the text ends)
    return header.found and "actual" in header.roles and not labels.squash(row.values.get("actual"))


def _read_stream(rows: list[TextRow], header: Header, *, text_ends: bool) -> TableRead:
    """A stream of cells (no row ends) decoded by one scored programme (`assemble.decode`)."""
    from corpus.read.interpret.assemble import decode

    cells = [c for r in rows[header.end:header.end + STREAM_LINES] for c in r.cells if labels.squash(c.text)]
    out, closed = decode(cells, header.roles if header.found else None)
    return TableRead(out[:ROW_LIMIT + 1], header, len(rows), closed, [])


def _fits_stream(role: str, text: str, target: str) -> bool:
    core = labels.squash(text)
    if not core:
        return True  # an empty cell fills any role
    if role in ("actual", "period_target", "other"):
        return labels.looks_like_value(core) or core == labels.squash(target) or \
            labels.is_short_value_word(core)
    if role == "score":
        return labels.is_plain_number(core) and is_small_number(core)
    if role == "operator":
        return core in OPERATOR_CELLS
    if role == "unit":
        return len(core) <= 4 and not re.search(r"\d", core)
    return False  # explain / reasons: free text we cannot tell from the next name


def _unknown_heading(texts: list[str], index: int) -> bool:
    """A heading no list holds inside a header stream ('指标名称' / '评价要点' / '全年指标值'): a short cell
    of words, no level label, no value, that the next filled cell's value heading (target, period target,
    actual) follows, or a heading of a column that stands between a name and its value (单位, 指标性质: 评价要点 | 单位 |
    指标性质 | 年度目标值); `post_name_roles` reads it as an explanation column before the target."""
    core = labels.squash(texts[index])
    if not 2 <= len(core) <= 8 or not re.fullmatch(r"[\u4e00-\u9fff]+", core) or labels.level_label(core):
        return False
    following = next((t for t in texts[index + 1:index + 3] if labels.squash(t)), "")
    return labels.header_role(following) in ("target", "period_target", "actual", "unit", "operator")


def find_stream_header(rows: list[TextRow], start: int = 0) -> Header | None:
    """The header in a stream of one-cell rows: a run of header words and their fragments."""
    texts = [r.cells[0].text if r.cells else "" for r in rows]
    for index in range(start, len(texts)):
        if not re.search(r"二级指标|三级指标|二级目标|三级目标|指标名称", labels.squash(texts[index])) and \
                labels.header_role(texts[index]) != "name":
            continue
        first = index
        while first > 0 and (labels.header_role(texts[first - 1]) or
                             labels.header_fragment(texts[first - 1])):
            first -= 1
        last = index + 1
        while last < len(texts) and (labels.header_role(texts[last]) or labels.header_fragment(texts[last])
                                     or not labels.squash(texts[last]) or _unknown_heading(texts, last)):
            if labels.level_label(texts[last]):
                break
            last += 1
        cells = _merge_fragments([t for t in texts[first:last] if labels.squash(t)])
        # a heading no list holds joined to the target's ('评价要点全年指标值'): two columns
        cells = ungroup_heading([part for c in cells for part in labels.split_unknown_heading(labels.squash(c))])
        name_col, post = post_name_roles([labels.header_role(c) for c in cells])
        if name_col is None:
            continue
        return Header(roles=[r for _, r in post], positions=[c for c, _ in post],
                      name_column=name_col, end=last)
    return None
