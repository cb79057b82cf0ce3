"""Find an indicator table that has no header we know: by its level labels or its indicator rows.

A header is a help, not a requirement. Text with framework level labels (`产出指标`, `(一)数量`,
`效益类(30分)` …, recognised by construction in `labels.level_label`) or with at least three
indicator-shaped lines (words, then a value: `培训人次  ≥500人次`, `指标1:名称(值)`, the numbering kept
with the name as printed) holds a table;
it is cut into cells whatever the separators (tabs, `|`, runs of spaces, one cell per line) and
read as rows when most of its lines hold several cells, as a stream otherwise (`assemble.decode`).
"""

from __future__ import annotations

import re

from corpus.read.interpret import labels
from corpus.vocab import unit_measures
from corpus.read.interpret.cells import OPERATOR_GLYPHS
from corpus.read.interpret.table import Header, TableRead, is_footer, read_rows
from corpus.read.interpret.textrows import TextCell, TextRow, merge_wrapped, rejoin_broken_cells, spaced_tokens

# roles of the cells after a name when no header names them: an explanation (指标解释) may stand
# before the value, a self-evaluation's actual value, weight and score and an explanation (评分标准) after it;
# a weight before the value is told by `table.weight_first`
ROLES = ["explain", "operator", "target", "unit", "actual", "rate", "score", "score", "explain"]
_WIDE_SPACE = re.compile(r"[ \u3000]{2,}|\u3000")
_NUMBERED = re.compile(r"^(?P<name>指标\s*\d{1,3}\s*[:：]\s*[^:：()（）]{2,40}?)\s*[(（](?P<value>[^()（）]{1,30})[)）]\s*$")
# a value glued between words: '…面积＞＝72.0平方米村内…', '…合格率=100%改厕…' (any operator symbol of
# corpus/vocab/operators.json)
_GLUED_VALUE = re.compile(rf"[\u4e00-\u9fff)）](?:{labels.operator_pattern(words=False)})\d")
# a weight glued between the words and the value's operator ('…农田面积5>=20376亩': 权重 before 指标值)
_WEIGHTED_VALUE = re.compile(rf"[\u4e00-\u9fff)）]\d{{1,3}}(?:{labels.operator_pattern(words=False)})\d")
# '培训人次：≥500人次', '1.培训人次：≥500人次；' (a list's numbering is no part of the name, a name's own
# '指标1:' is; the list's closing punctuation is no part of the value)
_NAME_VALUE = re.compile(r"^(?:(?:[(（]\d{1,2}[)）]|\d{1,2}[.、．](?!\d)|[①-⑳])\s*)?"
                         r"(?P<name>(?:指标\s*\d{1,3}\s*[:：]\s*)?[^:：\s]{2,40}?)[:：]\s*"
                         r"(?P<value>[^:：\s]{1,30}?)[;；。,，]?$")
MAX_LINE = 20000  # characters of one line split into cells (a longer line is cut: no table has such a cell)
TABLE_LINES = 20000  # lines read after a table's start: 1,000 rows of a dozen cells at most


def cells_of(line: str) -> list[str]:
    """A line's cells, whatever separates them."""
    line = line[:MAX_LINE]
    if "\t" in line:
        return [p.strip() for p in line.rstrip().split("\t")]  # a tab-separated cell is one cell
    if "|" in line:
        parts = line.strip().split("|")
        if parts and not parts[0].strip():
            parts = parts[1:]  # the border before the first cell
        if parts and not parts[-1].strip():
            parts = parts[:-1]  # the border after the last cell
        return [p.strip() for p in parts]  # empty cells keep the columns of a wrapped line
    numbered = _NUMBERED.match(line.strip())
    if numbered and labels.is_target_value(numbered["value"]):
        return [numbered["name"].strip(), numbered["value"].strip()]  # '指标1:名称(值)'
    pair = _NAME_VALUE.match(line.strip())
    if pair and labels.is_target_value(pair["value"]) and \
            not labels.field_label(pair["name"]):
        return [pair["name"].strip(), pair["value"].strip()]  # '培训人次：≥500人次'
    parts = _WIDE_SPACE.split(line.strip())
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if " " in part:
            out.extend(merge_wrapped(spaced_tokens(part)))
        else:
            out.append(part)
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return out


def _indicator_line(cells: list[str]) -> bool:
    filled = [c for c in cells if labels.squash(c)]
    if len(filled) < 2:
        return False
    from corpus.read.interpret.assemble import name_score
    return name_score(filled[0]) > 0 and (any(labels.looks_like_value(c) for c in filled[1:4]) or
                                          len(filled) == 2 and labels.is_short_value_word(filled[1]) or
                                          _split_value_ahead(filled[1:6]))  # '名称 | 15 | >= | 次 | 60.4'


def _indicator_lines(split: list[list[str]], index: int) -> bool:
    """One cell per line: a name-like line followed within four lines by a value-shaped one."""
    from corpus.read.interpret.assemble import name_score
    cells = split[index]
    if len(cells) != 1 or name_score(cells[0]) <= 0:
        return False
    following = []
    for line in split[index + 1:index + 8]:
        filled = [c for c in line if labels.squash(c)]
        if len(filled) > 1:
            break  # a line of several cells: no longer a stream of one cell per line
        following += filled
    if _split_value_ahead(following[:6]):
        return True
    for text in following[:4]:
        if labels.looks_like_value(text):
            return True
        if name_score(text) > 0 and len(labels.squash(text)) < 10 and not labels.is_unit(text):
            continue  # an explanation or a wrapped name between
    return False


def _value_part(text: str) -> bool:
    """A cell of a value split over cells: its operator, its number or its unit."""
    core = labels.squash(text)
    return core in OPERATOR_GLYPHS or labels.is_plain_number(core) or labels.is_unit(core)


def _split_value_ahead(texts: list[str]) -> bool:
    """A value split over cells of its own (指标性质 | 指标值 | 度量单位: '≥' / '500' / '人次', in any
    order, a weight or an explanation before it allowed): an operator cell, then within two cells a
    number that with it reads as a value."""
    for at in range(min(4, len(texts))):
        symbol = OPERATOR_GLYPHS.get(labels.squash(texts[at]))
        if symbol is None:
            continue
        if any(labels.is_plain_number(labels.squash(t)) and labels.looks_like_value(symbol + labels.squash(t))
               for t in texts[at + 1:at + 3]):
            return True
    return False


def numbered_rows(lines: list[str]) -> list[TextRow]:
    """'指标1:名称(值)' lines as rows [name, value]."""
    rows = []
    for number, line in enumerate(lines, start=1):
        match = _NUMBERED.match(line.strip())
        if match and labels.is_target_value(match["value"]):
            rows.append(TextRow([TextCell(match["name"], number), TextCell(match["value"], number)], number))
    return rows


def _fused_line(lines: list[str]) -> int | None:
    """A line holding a whole table run together: several level labels inside one long cell; or, in a line
    with no sentence's punctuation, a level label and values glued after words (three of them:
    '数量指标红薯种植面积5.5亩梨树种植面积6亩…'; one where the line is one row: '成本指标(0-20)分经济成本指标
    项目建设成本≤65万元', a table of one row)."""
    from corpus.read.interpret.fused import _LABEL
    for index, line in enumerate(lines):
        core = labels.squash(line[:MAX_LINE])
        if len(core) >= 40 and (len(_LABEL.findall(core)) >= 2 or len(_GLUED_VALUE.findall(core)) >= 3):
            return index
        if len(core) >= 12 and not _SENTENCE_PUNCT.search(core) and _LABEL.match(core):
            glued = len(_GLUED_NUMBER.findall(core))
            if glued >= 3 or (glued >= 1 and _fused_row_line(line)):
                return index
    return None


# a number glued after words ('…种植面积5.5亩'), and the punctuation of a sentence (a goal, a description)
_GLUED_NUMBER = re.compile(rf"[\u4e00-\u9fff)）](?:{labels.operator_pattern(words=False)})?\d")
_SENTENCE_PUNCT = re.compile(r"[，。；;,:：]")


def _shaped(split: list[list[str]], index: int) -> bool:
    return _indicator_line(split[index]) or _indicator_lines(split, index)


def _several_rows(cells: list[str]) -> bool:
    """Two or more name-like cells each followed by a value: rows printed one after another."""
    from corpus.read.interpret.assemble import name_score
    pairs = 0
    for index, text in enumerate(cells[:-1]):
        if name_score(text) > 0 and any(labels.looks_like_value(c) for c in cells[index + 1:index + 4]):
            pairs += 1
    return pairs >= 2


def _table_start(lines: list[str], split: list[list[str]]) -> int | None:
    """The first level label, moved back over the indicator lines just above it (a merged label
    printed on the middle row of its block); with no label, the first of three indicator lines in a
    row (blank lines between them allowed)."""
    label = next((i for i, cells in enumerate(split) if any(labels.level_label(c) for c in cells[:3])
                  or labels.level_label(lines[i])), None)
    if label is not None:
        start = label
        index = label - 1
        while index >= 0:
            if not any(labels.squash(c) for c in split[index]):
                index -= 1
                continue
            if not _shaped(split, index):
                break
            start = index
            index -= 1
        return start
    # a whole table on one line; or the first of three indicator lines, where they come first (a 自评表's
    # row whose qualitative target and actual are both words reads as two rows on one line)
    one_line = next((index for index, cells in enumerate(split) if len(cells) >= 6 and _several_rows(cells)), None)
    run_start, run = None, 0
    for index, cells in enumerate(split[:one_line]):
        if not any(labels.squash(c) for c in cells):
            continue
        if _shaped(split, index):
            run_start = index if run == 0 else run_start
            run += 1
            if run >= 3:
                return run_start
        elif not any(labels.looks_like_value(c) or _value_part(c) or len(labels.squash(c)) <= 2 for c in cells):
            run = 0  # (a value line of a one-cell-per-line stream, or a part of a split one, keeps the run going)
    return one_line


_SENTENCE = re.compile(r"[，。；;,:：\t| \u3000]")
_VALUE_AT = re.compile(r"[≥≤><=＞＜＝≧≦]|\d")


# a name's own numbering ('指标1:'), whose colon is no sentence's
_NAME_NUMBER_COLON = re.compile(r"(指标\s*\d{1,2})\s*[:：]")
# punctuation a scoring rule or an explanation after the row's values holds ('完成得满分，未完成按比例扣分')
_RULE_PUNCT = re.compile(r"[，,]")


def _fused_row_line(line: str) -> bool:
    """A row whose cells ran together on its own line ('产出指标数量指标新建农村公路里程≥12公里'): no
    separator, no sentence, words then a value at its end. A name's numbering ('指标1:') is no sentence,
    nor a comma inside a scoring rule that follows or precedes the value (the line ends in no sentence
    end and holds a value glued after words)."""
    text = _NAME_NUMBER_COLON.sub(r"\1", line.strip())
    core = labels.squash(text[:200])
    if not 6 <= len(core) <= 120 or _SENTENCE.search(_RULE_PUNCT.sub("", text)):
        return False
    if _RULE_PUNCT.search(text) and not _GLUED_VALUE.search(core):
        return False  # a comma in words with no operator glued after them: a sentence
    glued = _GLUED_VALUE.search(core) or _WEIGHTED_VALUE.search(core)
    if glued and glued.start() >= 3:
        return True  # an operator glued after the words ('加装电梯数量=>10194部=>10194部5': a 自评 row)
    for match in _VALUE_AT.finditer(core):
        at = match.start()
        if at >= 4 and re.match(r"[\u4e00-\u9fff)）]", core[at - 1]) and labels.looks_like_value(core[at:]):
            return True
    return False


def _spaced_rows_above(lines: list[str], at: int) -> int:
    """The first of the single-spaced rows above a line of labels (a merged label printed on its block's
    middle row leaves its block's first rows without one; a text layer that wrapped them left their lines
    empty between them): rows of words and a value, level labels alone."""
    if _WIDE_SPACE.search(lines[at].strip()):
        return at
    first, index = at, at - 1
    while index >= 0:
        line = lines[index].strip()
        # (a line of labels alone: one, or a block's first and second level side by side)
        if line and not (labels.level_label(line) or all(labels.level_label(t) for t in line.split(" ")) or
                         _spaced_row(line)):
            break
        if line:
            first = index
        index -= 1
    return first


def _spaced_row(line: str) -> bool:
    """A row's cells apart by single spaces: words first, then a value that is no bare number (a field's
    amount: '资金总额（万元） 197') or a state word ('中长期'), no sentence."""
    cells = line.split(" ")
    return len(cells) >= 2 and not _WIDE_SPACE.search(line) and not re.search(r"[。；;:：]", line) and \
        bool(re.search(r"[\u4e00-\u9fff]", cells[0])) and not labels.field_label(cells[0]) and \
        any((labels.looks_like_value(core := labels.squash(c)) or labels.is_short_value_word(core)) and
            not labels.is_plain_number(core) for c in cells[1:])


def _fused_rows(lines: list[str]) -> int | None:
    """The first of three lines (blank lines between allowed) that are rows run together, each on its
    own line, with no header to say so: the text from there is read as fused text."""
    from corpus.read.interpret.fused import _LABEL
    run: list[int] = []
    labelled = False  # a level label among the run's lines (a list of projects and amounts has none)
    for index, line in enumerate(lines[:TABLE_LINES]):
        if not line.strip():
            continue
        if _fused_row_line(line):
            run.append(index)
            labelled = labelled or bool(_LABEL.search(labels.squash(line)))
            if len(run) >= 3 and (labelled or _varied(lines, run)):
                return run[0]
        elif labels.level_label(line):
            labelled = True
        else:
            run, labelled = [], False
    return None


# a sum: a money unit of the vocabulary, or a number with its multiplier alone (46万)
_MONEY = re.compile("(?:" + "|".join(map(re.escape, sorted({*unit_measures()["money"], "万"}, key=len, reverse=True))) + ")$")


def _varied(lines: list[str], run: list[int]) -> bool:
    """Indicators measure different things: among the run's lines, values of several units, not a list
    of amounts ('防火隔离带建设50万元' / '竹资源提质增效46万元': a budget's items, not indicators)."""
    ends = [re.sub(r"[\d.]+", "", labels.squash(lines[i])[-6:]) for i in run]
    units = {e[-2:] for e in ends}
    return len(units) >= 3 and sum(bool(_MONEY.search(e)) for e in ends) <= len(ends) // 2


def _from_first_label(line: str) -> str:
    """A fused line from where its table starts on (its first level label, or with none its first value
    glued after words): a whole page run together keeps the spaces of the page around the table (a form's
    fields set apart by no-break spaces, '项目名称：…    主管部门：…'), which say nothing of how the table's
    cells are separated. Labels are searched without their spaces ('项 目 完 成 类')."""
    from corpus.read.interpret.fused import _LABEL
    probe = line[:MAX_LINE]
    core = re.sub(r"\s", "", probe)
    found = _LABEL.search(core) or _GLUED_NUMBER.search(core)
    if not found:
        return line
    seen = 0
    for index, ch in enumerate(probe):  # the start's position in the line with its spaces
        if not ch.isspace():
            if seen == found.start():
                return line[index:]
            seen += 1
    return line


def read_headerless(lines: list[str]) -> TableRead | None:
    """The table of a text with no known header, or None when nothing reads as one."""
    fused_at = _fused_line(lines)
    if fused_at is not None:
        # rows a line each above the first line of labels (a merged label printed on its block's middle
        # row) are rows of the table too
        while fused_at > 0 and _fused_row_line(lines[fused_at - 1]):
            fused_at -= 1
        fused_at = _spaced_rows_above(lines, fused_at)
    else:
        fused_at = _fused_rows(lines)
        # the level labels on lines of their own just above the first row head its block
        while fused_at and labels.level_label(lines[fused_at - 1].strip()):
            fused_at -= 1
    if fused_at is not None and "\t" not in lines[fused_at] and "|" not in lines[fused_at] and \
            not _WIDE_SPACE.search(_from_first_label(lines[fused_at]).strip()) and \
            sum(labels.looks_like_value(t) for t in lines[fused_at].split()[:2000]) < 3:
        from corpus.read.interpret import fused
        rows = fused.rows(lines, fused_at, headerless=True)
        body = next((i for i, r in enumerate(rows) if r.line > fused_at), len(rows))
        # fused rows hold [name, explanation?, values…] (`fused.rows` cut the explanation off)
        read = read_rows(rows, Header(roles=["explain", "target", "actual", "score"], end=body + 1, found=False),
                         bounded=True, text_ends=True, restream=False)
        if read.rows:
            return read
    lines = lines[:TABLE_LINES * 5]  # where no label or indicator line shows up by then, none will
    lines = rejoin_broken_cells(lines)  # '| 养护农村公路' + '里程 | ≥120公里 |': one row
    split = [cells_of(line) for line in lines]
    start = _table_start(lines, split)
    if start is None:
        numbered = numbered_rows(lines)
        if len(numbered) >= 2:
            header = Header(roles=["target"], end=0)
            return read_rows(numbered, header, bounded=True, text_ends=True)
        return None
    rows: list[TextRow] = []
    for index in range(start, min(len(split), start + TABLE_LINES)):
        cells = split[index]
        if not cells:
            continue
        if is_footer(cells[0]) and rows:
            break
        indent = len(lines[index]) - len(lines[index].lstrip(" \u3000\t"))
        rows.append(TextRow([TextCell(c, index + 1) for c in cells], index + 1, indent))
    if not rows:
        return None
    several = sum(len([c for c in r.cells if labels.squash(c.text)]) >= 2 for r in rows)
    header = Header(roles=list(ROLES), end=0, found=False)
    bounded = several * 2 >= len(rows)
    read = read_rows(rows, header, bounded=bounded, text_ends=True)
    if not read.rows or not any(labels.squash(r.values.get("target")) for r in read.rows):
        return None
    return read
