"""Flattened text (a web page or a PDF text layer) back into rows of cells.

Real pages flatten tables in five ways; the family is read from how the indicator header line
is written, then the matching tokeniser runs over the whole text:

- `pipe_rows`:   one table row per line, cells separated by `|` (`产出指标 | 数量指标 | … |`);
- `tab_rows`:    one row per line, cells separated by tabs (a spreadsheet copied as text);
- `pipe_cells`:  one cell per line ending in `|`; lines of pipes alone end a row;
- `spaced_rows`: one row per line, cells separated by spaces (names may hold spaces inside
                 brackets: `开发数量( ≥**个 )`);
- `cell_lines`:  one cell per line, blank lines between, no row ends at all (a stream);
- `fused`:       cells run together with no separator (`数量指标5000吨…到位率100%100%`): a stream
                 cut by `fused.py`.
Row-bounded families give `bounded=True`; streams are assembled by meaning (`table.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.read.interpret.labels import (field_label, glued_label, header_fragment, header_role, is_form_title,
                                          is_target_value, is_words, join_cell_lines, level_label,
                                          looks_like_value, patterns, reads_as_explanation, squash)

_ANCHOR = re.compile(r"二级指标|三级指标|二级目标|三级目标|指标名称")


@dataclass(slots=True)
class TextCell:
    text: str
    line: int  # 1-based line of the source text


@dataclass(slots=True)
class TextRow:
    cells: list[TextCell]
    line: int
    indent: int = 0


@dataclass
class Flattened:
    family: str
    rows: list[TextRow] = field(default_factory=list)
    header_line: int | None = None  # 0-based index of the line holding the indicator header

    @property
    def join_name(self) -> bool:
        """Spaces are cell separators but also wraps inside names: words before the first value
        are one name."""
        return self.family == "spaced_rows"

    @property
    def bounded(self) -> bool:
        return self.family in ("pipe_rows", "pipe_cells", "spaced_rows", "tab_rows")


_CELL_SPLIT = re.compile(r"[\t|]|\s+")


def find_header_line(lines: list[str], start: int = 0) -> int | None:
    """The first line with an indicator header: an anchor word (二级指标, 指标名称 …) or a name
    word and a value word among its cells ('绩效指标  权重  年度指标值')."""
    for index in range(start, len(lines)):
        if _ANCHOR.search(squash(lines[index])):
            return index
        if len(lines[index]) <= 200 and ("值" in lines[index] or "目标" in lines[index]):
            roles = {header_role(c) for c in _CELL_SPLIT.split(lines[index]) if c}
            if "name" in roles and roles & {"target", "period_target"}:
                return index
        elif len(lines[index]) > 200 and _header_inside(lines[index]):
            return index
        if 8 <= len(lines[index]) <= 80 and ("值" in lines[index] or "目标" in lines[index]) and \
                _fused_header(lines[index]):
            return index
        if header_role(lines[index]) == "name" and _header_run(lines, index):
            return index  # one header word per line
    return None


_HEADER_PROBE = 4000  # characters of a long line searched for a header run (a page's title and fields come first)
_HEADER_GAP = 6       # cells between a name heading and a value heading of one header run


def _header_inside(line: str) -> bool:
    """A long line (a whole table, or a whole page, printed on one line) that holds a header: a name
    heading followed within a few cells by a value heading ('绩效指标 指标解释 半年指标值 全年指标值')."""
    probe = line[:_HEADER_PROBE]
    if "值" not in probe and "目标" not in probe:
        return False
    cells = [c for c in _CELL_SPLIT.split(probe) if c]
    roles = [header_role(c) if len(c) <= 12 else None for c in cells]
    for at, role in enumerate(roles):
        if role == "name" and any(r in ("target", "period_target") for r in roles[at + 1:at + 1 + _HEADER_GAP]):
            return True
    return False


def _fused_header(line: str) -> bool:
    """A header line whose words ran together ('绩效指标评分标准年度指标值实际完成值得分'): header words
    from its start to its end, a name word and a value word among them."""
    core = squash(line)
    if not core or re.search(r"[\s|\d]", line.strip()):
        return False
    from corpus.read.interpret.labels import header_words_run_together
    cells, end = header_words_run_together(core, 0)
    roles = {header_role(c) for c in cells}
    return end == len(core) and len(cells) >= 3 and "name" in roles and bool(roles & {"target", "period_target"})


def _header_run(lines: list[str], index: int) -> bool:
    """The lines from `index` on are header words (blank lines between) and one is a value column."""
    roles = set()
    for line in lines[index + 1:index + 20]:
        if not line.strip():
            continue
        role = header_role(line)
        if role is None:
            break
        roles.add(role)
    return bool(roles & {"target", "period_target"})


def detect_family(lines: list[str], header: int | None) -> str:
    if header is None:
        pipes = sum("|" in line for line in lines)
        return "pipe_rows" if pipes > len(lines) / 3 else "cell_lines"
    line = lines[header]
    nearby = lines[max(0, header - 4): header + 5]
    if "|" not in line and sum(bool(re.fullmatch(r"(?<!\s)\s*\|[\s|]*", n)) for n in nearby) >= 2:
        return "pipe_cells"  # cells on lines of their own, each closed by a line holding '|'
    if "|" in line:
        cells = [c for c in line.split("|") if c.strip()]
        following = next((n for n in lines[header + 1:header + 3] if n.strip()), "")
        if len(cells) == 1 and following.strip().startswith("|") and \
                len([c for c in following.split("|") if c.strip()]) >= 2:
            return "pipe_rows"  # '| 三级指标 |' with its value headings on the next row line (a broken header)
        return "pipe_rows" if len(cells) >= 2 else "pipe_cells"
    if "\t" in line and sum(header_role(c) is not None for c in line.split("\t")) >= 2:
        return "tab_rows"
    if _ANCHOR.fullmatch(squash(line)) or header_role(line) is not None:
        return "cell_lines"
    tokens = spaced_tokens(line)
    if sum(header_role(t) is not None for t in tokens) >= 2:
        return "spaced_rows"
    return "fused"


_WIDE_GAP = re.compile(r"\s{2,}")


def _header_cells(line: str) -> tuple[list[str], str]:
    """The cells of a possible header line and the separator that cut them."""
    if "\t" in line:
        return [c.strip() for c in line.strip().split("\t")], "\t"
    if "|" in line:
        return [c.strip() for c in line.strip().strip("|").split("|")], " | "
    return [c.strip() for c in _WIDE_GAP.split(line.strip())], "  "


def join_wrapped_header(lines: list[str]) -> list[str]:
    """Header words wrapped inside their cells print as two lines of halves ('一级 | 二级 | 年度指'
    over '指标 | 指标 | 标值'): column by column the halves make header words. The two lines become
    one header line (and an empty line, so line numbers stay)."""
    out = list(lines)
    for index in range(min(len(out) - 1, 20_000)):
        line = out[index]
        if not line.strip() or len(line) > 400 or re.search(r"\d", line):
            continue
        top, sep = _header_cells(line)
        if len(top) < 3:
            continue
        bottom, _ = _header_cells(out[index + 1])
        if len(bottom) != len(top) or re.search(r"\d", out[index + 1]):
            continue
        merged = [a + b for a, b in zip(top, bottom)]
        known = sum(header_role(c) is not None for c in merged)
        if known >= max(3, (len(merged) * 3 + 4) // 5) and known > sum(header_role(c) is not None for c in top) \
                and {"name", "level2"} & {header_role(c) for c in merged}:
            out[index], out[index + 1] = sep.join(merged), ""
    return out


# where a heading stands among the others when its cell's lines were printed apart from the header line (a
# column's place in the framework's tables: levels, name, values, actual, scores; an explanation last)
_HEADING_ORDER = ("level1", "level2", "name", "operator", "period_target", "target", "unit", "actual", "score",
                  "explain")
_SPACED_TOKEN = re.compile(r"\S+")


def join_header_fragments(lines: list[str]) -> list[str]:
    """A header whose long headings wrapped in their cells, in a PDF's text layer: the heading's lines stand
    apart from the header line, the header's other words printed at the cell's middle between them
    ('实际完成' / '三级指标 权重 年度指标值 得分' / '值') or below it at the cell's top ('三级指标 权重 年度指标值
    实际完成 得分' / '值'). A line of short words just below the header line whose pieces each complete a
    heading of it goes on with it; a line above and a line below whose pieces pair up into headings are
    those headings, put where their column stands: by the characters' position when the text kept it,
    else by the column's place among the table's columns (`_HEADING_ORDER`). The lines taken are emptied."""
    out = list(lines)
    for index in range(1, min(len(out) - 1, 20_000)):
        line = out[index]
        if len(line) > 300 or "\t" in line or "|" in line or re.search(r"\d", line):
            continue
        head = [(m.start(), m.group()) for m in _SPACED_TOKEN.finditer(line)]
        roles = [header_role(t) for _, t in head]
        if len(head) < 3 or "name" not in roles:
            continue
        below = _fragments(out[index + 1])
        if not below:
            continue
        if not set(roles) & {"target", "period_target"}:
            # every value heading wrapped ('实施期指标 年度指' over '值 标值'): the pieces below complete them
            joined = _complete_headings(head, below)
            if joined is not None and {"target", "period_target"} & {header_role(t) for t in joined.split()}:
                out[index], out[index + 1] = joined, ""
            continue
        above = _fragments(out[index - 1])
        if above and len(above) == len(below) and all(header_role(a + b) for (_, a), (_, b) in zip(above, below)):
            words = [(at, a + b) for (at, a), (_, b) in zip(above, below)]
            out[index] = _insert_headings(line, head, words)
            out[index - 1] = out[index + 1] = ""
            continue
        joined = _complete_headings(head, below)
        if joined is not None:
            out[index], out[index + 1] = joined, ""
    return out


def _fragments(line: str) -> list[tuple[int, str]]:
    """The pieces of a line that could be the wrapped parts of headings: a few short words, no digit, no
    heading among them."""
    if not line.strip() or len(line) > 300 or re.search(r"[\d|\t:：。，,]", line):
        return []
    found = [(m.start(), m.group()) for m in _SPACED_TOKEN.finditer(line)]
    if not 1 <= len(found) <= 4 or any(len(t) > 6 for _, t in found):
        return []
    return found


def _complete_headings(head: list[tuple[int, str]], below: list[tuple[int, str]]) -> str | None:
    """The header line with each piece of the line below appended to the heading it completes, in order: a
    cell no heading alone first ('年初目标' + '值'), else a heading the piece leaves of its kind ('实际完成' +
    '值'); None when a piece completes none."""
    words = [t for _, t in head]
    at = 0
    for _, piece in below:
        fits = [k for k in range(at, len(words)) if header_role(words[k] + piece) and
                header_role(words[k]) in (None, header_role(words[k] + piece))]
        if not fits:
            return None
        k = next((k for k in fits if header_role(words[k]) is None), fits[0])
        words[k] += piece
        at = k + 1
    return " ".join(words)


def _rank(word: str) -> int:
    role = header_role(word)
    return _HEADING_ORDER.index(role) if role in _HEADING_ORDER else len(_HEADING_ORDER)


def _insert_headings(line: str, head: list[tuple[int, str]], words: list[tuple[int, str]]) -> str:
    """The header line with whole headings put in: at their characters' position when the line kept the
    columns' positions (wide gaps), else by their column's place (`_HEADING_ORDER`)."""
    kept = bool(_WIDE_GAP.search(line.strip()))
    cells = list(head)
    for at, word in words:
        if kept:
            place = sum(1 for start, _ in cells if start < at)
        else:  # after the last heading whose column comes before its own
            rank = _rank(word)
            place = max((k + 1 for k, (_, t) in enumerate(cells) if _rank(t) <= rank), default=0)
            at = cells[place - 1][0] + len(cells[place - 1][1]) + 1 if place else 0
        cells.insert(place, (at, word))
    if not kept:
        return " ".join(t for _, t in cells)
    text = ""
    for at, word in cells:
        text += " " * max(at - len(text), 2 if text else 0) + word
    return text


def flatten(lines: list[str]) -> Flattened:
    header = find_header_line(lines)
    family = detect_family(lines, header)
    result = Flattened(family=family, header_line=header)
    if family == "pipe_rows":
        result.rows = _pipe_rows(lines)
    elif family == "tab_rows":
        result.rows = _tab_rows(lines)
    elif family == "pipe_cells":
        result.rows = _pipe_cells(lines)
    elif family == "spaced_rows":
        result.rows = _spaced_rows(lines)
    elif family == "cell_lines":
        result.rows = _cell_lines(lines)
    if result.bounded and header is not None:
        result.rows = _split_header_row(result.rows, header + 1)
    return result


def _header_span(roles: list[str | None], cells: list[TextCell]) -> tuple[int, int] | None:
    """The header inside a row's cells: the longest run of header words (empty cells inside it
    allowed) that holds a name or second-level word and a value word."""
    best = None
    index = 0
    while index < len(roles):
        if not roles[index]:
            index += 1
            continue
        end = index
        while end < len(roles) and (roles[end] or not squash(cells[end].text)):
            end += 1
        run = roles[index:end]
        if any(r in ("name", "level2") for r in run) and any(r in ("target", "period_target", "actual") for r in run) \
                and (best is None or end - index > best[1] - best[0]):
            best = (index, end)
        index = end
    return best


def _split_header_row(rows: list[TextRow], line: int) -> list[TextRow]:
    """A header row that holds more than the header (a whole table on one line, a page's lines run
    together): the words before the header (a title, a form's fields, the budget block's heading) as a
    row, the header words, then the rest (the table's body) as a row of its own."""
    for index, row in enumerate(rows):
        if row.line != line:
            continue
        roles = [header_role(c.text) for c in row.cells]
        run = _header_span(roles, row.cells)
        if run is None:
            break
        start, cut = run
        while start > 0 and field_label(row.cells[start - 1].text):
            start -= 1  # a project's columns headed before the levels (项目名称 | 年度目标 | 一级指标 …)
        if cut - start < 2:
            break
        parts = [row.cells[:start]] if start >= 1 else []
        parts.append(row.cells[start:cut])
        if len(row.cells) - cut >= 2:
            parts.append(row.cells[cut:])
        elif cut < len(row.cells):
            parts[-1] = parts[-1] + row.cells[cut:]
        if len(parts) == 1:
            break
        return rows[:index] + [TextRow(p, line, row.indent) for p in parts] + rows[index + 1:]
    return rows


def _pipe_rows(lines: list[str]) -> list[TextRow]:
    return _split_rows(lines, "|")


def _tab_rows(lines: list[str]) -> list[TextRow]:
    return _split_rows(lines, "\t")


# lines of a cell broken by line breaks inside it ('…| 养护农村公路' + '里程 | ≥120公里 |'), joined at most
_BROKEN_LINES = 4


def _closes_cells(lines: list[str]) -> bool:
    """A page that closes every cell with a `|` ('产出指标 | 数量指标 | … |'): there a row line that
    does not end in one was cut by a line break inside its last cell (most lines are closed)."""
    table = [line.rstrip() for line in lines if "|" in line]
    return len(table) >= 4 and sum(line.endswith("|") for line in table) >= 0.6 * len(table)


def rejoin_broken_cells(lines: list[str]) -> list[str]:
    """Where every cell is closed by `|`, a row line left open goes on on the next lines (a line break
    inside a cell: the web page's <br>): the parts are joined on the row's first line and the lines
    they came from left empty, so that every other line keeps its number."""
    if not _closes_cells(lines):
        return lines
    out = list(lines)
    index = 0
    while index < len(out):
        line = out[index]
        if "|" in line and not line.rstrip().endswith("|"):
            parts = [line.rstrip()]
            while len(parts) <= _BROKEN_LINES and index + len(parts) < len(out):
                following = out[index + len(parts)].strip()
                if not following:
                    break
                parts.append(following)
                if following.endswith("|"):
                    break
            if len(parts) > 1 and parts[-1].endswith("|"):
                out[index] = join_cell_lines(parts)
                for gone in range(index + 1, index + len(parts)):
                    out[gone] = ""
                index += len(parts)
                continue
        index += 1
    return out


def _words_cell(text: str) -> bool:
    """A cell of words that a line break may have cut: Chinese words, no value, number, unit, label,
    header word or fragment of one, form field or footer."""
    from corpus.read.interpret.cells import is_footer
    core = squash(text)
    return len(re.findall(r"[\u4e00-\u9fff]", core)) >= 2 and is_words(core) and not level_label(core) and \
        header_role(core) is None and not header_fragment(core) and field_label(core) is None and \
        not is_footer(core)


def _header_width(lines: list[str], header: int) -> int:
    """The table's columns by its tab header: a grouped heading's sub-headings on the next line (指标值 over
    指标性质 | 全年指标值 | 单位) take its place."""
    cells = [c.strip() for c in lines[header].split("\t")]
    if len(cells) < 2:
        return 0
    below = [c.strip() for c in lines[header + 1].split("\t")] if header + 1 < len(lines) else []
    if len(below) >= 2 and all(header_role(c) for c in below if c):
        return len(cells) + len(below) - 1
    return len(cells)


def _previous_filled(lines: list[str], index: int, start: int) -> int | None:
    """The nearest line above `index`, not above `start`, that holds anything."""
    return next((k for k in range(index - 1, start - 1, -1) if lines[k].strip()), None)


def _rest_of_last_cell(lines: list[str], index: int, previous: int | None, width: int) -> bool:
    """The line holds words and then only empty cells, and with the row above (`previous`, which holds its
    value and ends in words) makes exactly the header's columns: the rest of that row's last filled cell."""
    cells = [c.strip(" \xa0") for c in lines[index].split("\t")]
    if len(cells) < 2 or any(cells[1:]) or not _words_cell(cells[0]):
        return False
    if previous is None or not _valued(lines[previous]):
        return False
    above = lines[previous].rstrip(" \xa0\t").split("\t")
    return _words_cell(above[-1].strip()) and len(above) + len(cells) - 1 == width


def _valued(line: str) -> bool:
    return any(is_target_value(c) for c in line.split("\t"))


def _goes_back(last: str, fragment: str, head: str) -> bool:
    """Whether a lone fragment after a row holding its value ends that row's last cell of words (an
    explanation broken by a <br>) rather than starts the next row's name (`head`, the next line's first
    cell, its rest): the cell stopped at a sentence's function character (`explanation_cues.
    sentence_chars`: '数据来源于' / '主管部门统计'), the fragment holds punctuation or a cue word, or the
    cell so joined reads as an explanation or the fragment starts like a sentence ('的全部对象') while the
    name so joined would not end like an indicator name (names are noun phrases: `name_endings`)."""
    cues = patterns()["explanation_cues"]
    sentence = cues["sentence_chars"]
    core, back, name = squash(fragment), squash(last) + squash(fragment), squash(fragment) + squash(head)
    if squash(last)[-1:] in sentence or core[:1] in cues["continuation_chars"] or \
            any(ch in "，,；;。" for ch in core) or any(w in core for w in cues["words"]):
        return True
    named = name.endswith(tuple(cues["name_endings"]))
    return (reads_as_explanation(back) or core[:1] in sentence) and not named


# a name's numbering in its block ('指标2：…', as fused.py reads it): a fragment starting so starts a name
_NUMBERED_NAME = re.compile(r"指标\d{1,2}(?![\d.])")


def rejoin_broken_tab_cells(lines: list[str]) -> list[str]:
    """Tab rows as a browser copies a table (`innerText`: tabs between cells, a newline between rows, and
    a cell's own line breaks, <br>, kept): a row whose name was broken prints its head at the end of one
    line (or on a line alone) and the rest of the name at the start of the next line, with the row's
    values. From the header (or the first tab row) to the line after the last tab row, a line that holds
    no value and ends in words goes on with the next line's first cell; a lone line of words after a row
    that holds its value and ends in words (an explanation) ends that cell where nothing of a name
    follows (a label, a row without words first, the end) or where `_goes_back` says so. The parts are
    joined on one line and the lines they came from left empty, so that every other line keeps its
    number."""
    tabbed = [i for i, line in enumerate(lines) if "\t" in line.strip()]
    if len(tabbed) < 3:
        return lines
    out = list(lines)
    header = find_header_line(lines)
    start = max(tabbed[0], header + 1 if header is not None else 0)
    end = min(tabbed[-1] + 1, len(lines) - 1)
    near = _near_tab_rows(lines)
    width = _header_width(lines, header) if header is not None else 0
    index = start
    while index <= end:
        line = out[index]
        if not near[index] and "\t" not in line or "\t" not in line and is_form_title(line):
            index += 1  # no tab row next to it, or the next form's title: another form's lines in a file of
            continue    # many (linear time there)
        previous = _previous_filled(out, index, start)
        if width and _rest_of_last_cell(out, index, previous, width):
            # the rest of the row above's last filled cell, then the row's empty cells after it (a <br> in an
            # explanation before an empty 备注): the row's columns counted, so no name's tail on a row of its own
            out[previous] = out[previous].rstrip(" \xa0\t") + line.split("\t")[0].strip() + \
                "\t" * (len(line.split("\t")) - 1)
            out[index] = ""
            index += 1
            continue
        # a row that printed its empty cells ('考核合格率\t\t\t', a name's tail on a row of its own) ends
        # there: only a line whose last cell is filled was cut inside that cell
        cells = [c.strip() for c in line.rstrip(" \xa0").split("\t")]
        if not line.strip() or _valued(line) or not _words_cell(cells[-1]) or \
                any(header_role(c) or header_fragment(c) for c in cells):
            index += 1
            continue
        following = index + 1
        while following <= end and not out[following].strip():
            following += 1
        nxt = [c.strip() for c in out[following].split("\t")] if following <= end else []
        name_next = bool(nxt) and _words_cell(nxt[0])
        if "\t" not in line and previous is not None and _valued(out[previous]) and \
                not _NUMBERED_NAME.match(squash(line)):
            before = [c.strip() for c in out[previous].split("\t") if c.strip()]
            # a lone fragment after a row that holds its value: the end of that row's explanation, or the
            # head of the next row's name (where the next line goes on with values)
            if before and _words_cell(before[-1]) and (
                    not name_next or not _valued(out[following]) or _goes_back(before[-1], line, nxt[0])):
                out[previous] = out[previous].rstrip() + line.strip()
                out[index] = ""
                index = following
                continue
        if not name_next or re.search(r"[，,。；;]", cells[-1]):
            index += 1  # (a sentence, a goal above the table, is no name's head)
            continue
        out[following] = "\t".join(cells[:-1] + [cells[-1] + nxt[0]] + nxt[1:])
        out[index] = ""
        index = following
    return out


def _near_tab_rows(lines: list[str]) -> list[bool]:
    """Per line: it holds a tab, or the line of text before or after it does (blank lines between). A cell
    broken by a <br> stands next to the tab rows it belongs to; the lines of another form in the same
    file (one cell per line, spaced rows) are none of them, and are not looked at."""
    tab = ["\t" in line.strip() for line in lines]
    near = list(tab)
    filled = [index for index, line in enumerate(lines) if line.strip()]
    for above, below in zip(filled, filled[1:]):
        near[below] = near[below] or tab[above]
        near[above] = near[above] or tab[below]
    return near


def _split_rows(lines: list[str], separator: str) -> list[TextRow]:
    """One row per line, cells between separators; trailing empty cells are padding."""
    rows = []
    if separator == "|":
        lines = rejoin_broken_cells(lines)
    for number, line in enumerate(lines, start=1):
        cells = [c.strip() for c in line.split(separator)]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(TextRow([TextCell(c, number) for c in cells], number))
    return rows


def _pipe_cells(lines: list[str]) -> list[TextRow]:
    """A `|` ends the pending cell; a `|` with nothing pending ends the row."""
    rows: list[TextRow] = []
    current: list[TextCell] = []
    pending: list[str] = []
    pending_line = 0

    def end_row() -> None:
        nonlocal current
        if current:
            rows.append(TextRow(current, current[0].line))
        current = []

    for number, line in enumerate(lines, start=1):
        parts = line.split("|")
        for index, part in enumerate(parts):
            if part.strip():
                if not pending:
                    pending_line = number
                pending.append(part.strip())
            if index == len(parts) - 1:
                break  # no pipe after the last part: the cell goes on on the next line
            if pending:
                current.append(TextCell(join_cell_lines(pending), pending_line))
                pending = []
            else:
                end_row()
    if pending:
        current.append(TextCell(join_cell_lines(pending), pending_line))
    end_row()
    return rows


_OPEN, _CLOSE = "(（[【", ")）]】"


def spaced_tokens(line: str) -> list[str]:
    """Whitespace-separated cells, re-joining tokens inside an unclosed bracket."""
    tokens: list[str] = []
    depth = 0
    joined = 0
    parts = line.split()
    for index, token in enumerate(parts):
        if depth > 0 and tokens and joined < _BRACKET_TOKENS and (
                _closes(parts[index:index + _BRACKET_TOKENS - joined], depth) or not row_cell(token)):
            tokens[-1] += " " + token
            joined += 1
        else:
            tokens.append(token)
            depth, joined = 0, 0
        depth += sum(token.count(c) for c in _OPEN) - sum(token.count(c) for c in _CLOSE)
        depth = max(depth, 0)
        if depth and _cut_label(token):
            depth = 0  # a label cut at its cell's width inside its note ('1、数量目标(' over '必填)'): no note here
    return tokens


_LABEL_CUT = re.compile(r"[(（]\d{0,3}$")


def _cut_label(token: str) -> bool:
    """A level label whose bracket opened at the cell's edge ('2.质量指标(', '1.产出指标（30')."""
    from corpus.read.interpret.labels import level_label
    found = _LABEL_CUT.search(token)
    return bool(found) and level_label(token[:found.start()]) is not None


def row_cell(token: str) -> bool:
    """A value, a number or an operator: a cell of the row, never a word inside a name's note."""
    from corpus.read.interpret.cells import OPERATOR_GLYPHS
    from corpus.read.interpret.labels import is_plain_number, looks_like_value
    return token in OPERATOR_GLYPHS or is_plain_number(token) or looks_like_value(token)


def _closes(ahead: list[str], depth: int) -> bool:
    """The open bracket closes within the next tokens (a note with spaces inside: '( ≥**个 )'); one that
    does not, followed by a value, is a name cut at its cell's width ('参与资产收益的合作社（ 5 ≥29个' of a
    PDF's line), not a note."""
    for token in ahead:
        depth += sum(token.count(c) for c in _OPEN) - sum(token.count(c) for c in _CLOSE)
        if depth <= 0:
            return True
    return False


# a bracket left open ('头（只' cut by a cell's width) joins at most this many tokens, not the rest of
# the line: a bracketed note with spaces inside ('(≥ 500 人次)') is short
_BRACKET_TOKENS = 4


def _spaced_rows(lines: list[str]) -> list[TextRow]:
    rows = []
    for number, line in enumerate(lines, start=1):
        tokens = [part for token in merge_wrapped(spaced_tokens(line.replace("\u3000", " ")))
                  for part in _unglued(token)]
        if tokens:
            indent = len(line) - len(line.lstrip(" \u3000\t"))
            rows.append(TextRow([TextCell(t, number) for t in tokens], number, indent))
    return rows


def _unglued(token: str) -> list[str]:
    """A level label run into the next cell (`labels.glued_label`) is two cells."""
    cut = glued_label(token)
    return [token[:cut], token[cut:]] if cut else [token]


def merge_wrapped(tokens: list[str]) -> list[str]:
    """A label printed one character at a time ('产 出 指 标', '数量 指标') is one cell."""
    from corpus.read.interpret.labels import level_label, strip_decoration

    out: list[str] = []
    index = 0
    while index < len(tokens):
        best = 1
        for end in range(index + 2, min(index + 8, len(tokens)) + 1):
            piece = tokens[index:end]
            if all(len(strip_decoration(t)) <= 3 for t in piece) and (level_label("".join(piece)) or (
                    header_role("".join(piece)) and not any(header_role(t) for t in piece))):
                best = end - index
        out.append("".join(tokens[index:index + best]) if best > 1 else tokens[index])
        index += best
    return out


def _cell_lines(lines: list[str]) -> list[TextRow]:
    """Each line one cell; a line of spaces is an empty cell, a truly empty line separates."""
    rows = []
    for number, line in enumerate(lines, start=1):
        if line == "":
            continue
        rows.append(TextRow([TextCell(line.strip(), number)], number))
    return rows
