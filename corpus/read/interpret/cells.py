"""Row primitives shared by the table reader (table.py) and the stream decoder (assemble.py):
a raw row, the level context, aligning cells to columns, footers and page marks. Kept apart so
that neither of the two imports the other's module for them (no import cycle)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from corpus import framework
from corpus.read.interpret import labels
from corpus.vocab import operator_display, operators


# A cell that holds only an operator (a split 指标性质 / 符号 column): every glyph and word the
# vocabulary writes before a number (corpus/vocab/operators.json), and the column's other words
# (form_labels.json nature_words).
NATURE_WORDS = tuple(labels.vocab()["nature_words"])
OPERATOR_GLYPHS = {glyph: operator_display(op) for glyph, op in (*operators()["symbols"], *operators()["words_before"])}
OPERATOR_CELLS = {*OPERATOR_GLYPHS, *NATURE_WORDS}


FOOTERS = tuple(labels.vocab()["footer_words"])  # what ends a table (form_labels.json footer_words)


@dataclass
class RawRow:
    raw1: str | None
    raw2: str | None
    name: str
    values: dict[str, str]
    line: int | None
    explicit: bool = True       # the row's cells were bounded (not guessed from a stream)
    notes: list[str] = field(default_factory=list)


@dataclass
class Levels:
    raw1: str | None = None
    raw2: str | None = None

    def take(self, label: str, kind: str) -> None:
        stem = framework.stem(labels.strip_decoration(label))
        container = framework.stem(labels.strip_decoration(self.raw1 or "")) in framework.CONTAINERS
        current = framework.canonical_level1(labels.strip_decoration(self.raw1 or ""))
        in_output = current == "产出" or (self.raw1 is None and framework.LEVEL2.get(
            framework.canonical_level2(self.raw2) or "") == "产出")
        if kind == "l1" and stem == "成本" and in_output:
            self.raw2 = label  # 产出 > 成本指标 (national framework's output cost)
        elif kind == "l1" and container and stem not in framework.CONTAINERS and \
                framework.canonical_level1(label) in framework.CONTAINED:
            self.raw2 = label  # 实施效果指标 > 产出指标: a first-level word used as second level
        elif kind == "l1":
            self.raw1, self.raw2 = label, None
        else:
            self.raw2 = label


def split_label_prefix(cells: list[str], levels: Levels) -> int:
    """Consume leading label / decoration / empty cells into `levels`; index of the first other."""
    index = 0
    while index < len(cells):
        text = cells[index]
        if labels.is_filler(text) or labels.is_decoration(text):
            index += 1
            continue
        if index + 1 < len(cells) and not labels.level_label(cells[index + 1]):
            joined = text + cells[index + 1]  # a label wrapped over two cells: '数量' '指标'
            if labels.level_label(joined) and labels.squash(cells[index + 1]) and \
                    len(labels.squash(joined)) > len(labels.squash(text)) + 1:
                levels.take(joined, labels.level_label(joined))
                index += 2
                continue
        kind = labels.level_label(text)
        if kind is None or _named_by_label(cells, index) or (index and names_its_label(cells[index - 1], text)):
            break
        levels.take(text, kind)
        index += 1
    return index


def names_its_label(label: str, text: str) -> bool:
    """A framework word written bare ('社会效益', '服务对象满意度') right after a label of the same word written
    otherwise ('社会效益指标', '(二)社会效益'): an indicator named like its block, not the label again (a label is
    printed once where it stands; printed twice alike, '满意度指标' | '满意度指标', both are labels)."""
    core, before = labels.squash(text), labels.squash(label)
    return bool(core) and core != before and labels.strip_decoration(core) == core and \
        labels.label_stem(core) == core and labels.level_label(before) is not None and \
        labels.label_stem(before) == core


def _named_by_label(cells: list[str], index: int) -> bool:
    """An indicator named like a label ('服务对象满意度' | '≥90%'): the next cell is its value, and
    a row has a name before its values (so also where only words that name nothing, an explanation, a
    sentence or a weight, stand between it and its value: '社会效益' | '数据来源于主管部门统计' | '≥90%')."""
    rest = [c for c in cells[index + 1:] if not labels.is_filler(c)]
    if not rest:
        return False
    nxt = labels.squash(rest[0])
    if labels.looks_like_value(nxt) or nxt in OPERATOR_CELLS:
        return True
    core = labels.squash(cells[index])
    if labels.label_stem(core) != core:
        return False  # (a label written with its ending, numbering or score is a label)
    for cell in rest:  # a bare framework word: a name where no cell that may be one comes before the value
        core = labels.squash(cell)
        if labels.looks_like_value(core) or core in OPERATOR_CELLS:
            return True
        if labels.level_label(core) or not (labels.reads_as_explanation(core) or labels.reads_as_sentence(core)
                                            or labels.is_plain_number(core)):
            return False
    return False


_FOOTER_WORDS = tuple(labels.squash(word) for word in FOOTERS)


ROW_LIMIT = 1000  # indicator rows read from one table; the interpreter warns when it is reached


def is_footer(text: str) -> bool:
    return labels.squash(text).lstrip("-—·•*#>").startswith(_FOOTER_WORDS)


_RATE = re.compile(r"\d{1,3}(?:\.\d{1,2})?%")


@lru_cache(maxsize=65536)  # the same cells are scored again for every segmentation tried
def compat(role: str, text: str) -> float:
    core = labels.squash(text)
    if not core:
        return 0.1
    value = labels.looks_like_value(core)
    if role == "target":
        return 3.0 if value else 2.0 if labels.is_short_value_word(core) else 1.0
    if role == "actual":
        return 2.0 if value else 1.5 if labels.is_short_value_word(core) else 0.3
    if role == "period_target":
        return 1.5 if value else 0.5
    if role == "rate":
        # a 自评表's 完成率 (the actual over the target): a bare percentage, no operator, no unit of its own
        return 1.5 if _RATE.fullmatch(core) else -3.0
    if role == "score":
        return 2.0 if labels.is_plain_number(core) and is_small_number(core) else -3.0
    if role == "operator":
        return 3.0 if core in OPERATOR_CELLS else -3.0
    if role == "unit":
        if labels.is_unit(core):
            return 2.0
        # a unit the list lacks; a state word ('显著提升') is the target's, not a unit
        return 0.8 if len(core) <= 4 and not re.search(r"\d", core) and not labels.is_short_value_word(core) else -3.0
    if role == "explain":
        # (a qualitative target, '中长期', '有效改善农村人居环境', is a value, not an explanation's words)
        # and a value written with its operator, unit or % is the row's value: never an explanation's words, so
        # that the first value of a row with no explanation is not put there to spare the leading gap's cost)
        if value and not labels.is_plain_number(core):
            return -2.0
        return 0.0 if value or labels.is_short_value_word(core) else 1.5 if labels.reads_as_explanation(core) else 0.5
    return 1.0 if value else 0.3


def is_small_number(core: str) -> bool:
    try:
        return float(core) <= 100
    except ValueError:
        return True


_LEADING_SKIP = 0.6


_SPLIT_EXPLAIN = -0.5  # an explanation broken over two cells of a stream (a web page's <br>, a text node a line)


def align(cells: list[str], roles: list[str], *, broken: bool = False, twice: bool = False) -> dict[str, str]:
    """Monotonic alignment of cells to roles maximising fit; a cell may be dropped (cost). With `broken`
    (a stream, where a cell's own line break makes two cells) an explanation may take two cells of words.
    With `twice` (roles a found header names, not the default guess whose two explanation places are
    alternatives) a role named twice keeps both cells (`SECOND`)."""
    n, m = len(cells), len(roles)
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, bool] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = -_LEADING_SKIP * j  # cells fill the columns from the left: a leading gap costs
    for i in range(1, n + 1):
        drop = 0.0 if not labels.squash(cells[i - 1]) else -1.5
        for j in range(0, m + 1):
            # drop cell i
            if best[i - 1][j] + drop > best[i][j]:
                best[i][j], back[i][j] = best[i - 1][j] + drop, (i - 1, j, False)
            if j == 0:
                continue
            # skip role j
            if best[i][j - 1] > best[i][j]:
                best[i][j], back[i][j] = best[i][j - 1], (i, j - 1, False)
            score = best[i - 1][j - 1] + compat(roles[j - 1], cells[i - 1])
            if score > best[i][j]:
                best[i][j], back[i][j] = score, (i - 1, j - 1, True)
            if broken and i >= 2 and roles[j - 1] == "explain" and _words(cells[i - 2]) and _words(cells[i - 1]):
                score = best[i - 2][j - 1] + compat("explain", cells[i - 2].strip() + cells[i - 1].strip()) + \
                    _SPLIT_EXPLAIN
                if score > best[i][j]:
                    best[i][j], back[i][j] = score, (i - 2, j - 1, True)
    out: dict[str, str] = {}
    i, j = n, m
    while i > 0 and back[i][j] is not None:
        pi, pj, used = back[i][j]
        if used:
            text = "".join(c.strip() for c in cells[pi:i])
            # a role the header names twice (a 自评表's 分值 and 得分, an explanation before the target and the
            # deviation text after the values): the earlier cell keeps the role, the later one is kept apart as
            # the role's second column, so that no cell the row holds counts as dropped
            if roles[pj] not in out:
                out[roles[pj]] = text
            elif twice:
                out[roles[pj] + SECOND], out[roles[pj]] = out[roles[pj]], text
        i, j = pi, pj
    return out


SECOND = "#2"  # the key of a role's second column in a row's values (`align`)


def _words(text: str) -> bool:
    return labels.is_words(labels.squash(text))


# '第2页' '第2页共5页' '第2页/共5页' '第2页，共5页' '共5页第2页' '- 3 -' '2/5'
_PAGE_MARK = re.compile(r"第\d{1,4}页(?:[/,，、]?共\d{1,4}页)?|共\d{1,4}页(?:[/,，、]?第\d{1,4}页)?|[-—]\d{1,4}[-—]|"
                        r"\d{1,4}/\d{1,4}")


def is_page_mark(cells: list[str]) -> bool:
    """A line a page break leaves in the text: '第 2 页', '第2页/共5页', '- 3 -', '2/5'."""
    filled = [labels.squash(c) for c in cells if labels.squash(c)]
    # one cell, or a short line cut at its spaces ('第' '2' '页')
    return 0 < len(filled) <= 4 and _PAGE_MARK.fullmatch("".join(filled)) is not None


def is_page_mark_line(line: str) -> bool:
    """A whole line that is a page mark, however its characters are spaced ('第 1 页 共 2 页', a text
    layer's positions kept)."""
    core = labels.squash(line)
    return 0 < len(core) <= 16 and _PAGE_MARK.fullmatch(core) is not None


def weight_first(values: dict[str, str]) -> dict[str, str]:
    """With no header: a bare small number before a value written with its operator or unit is the
    row's weight (权重 / 分值), the value its target ('培训人次 | 10 | ≥500人次')."""
    target, actual = labels.squash(values.get("target")), labels.squash(values.get("actual"))
    if target and actual and labels.is_plain_number(target) and is_small_number(target) and \
            not labels.is_plain_number(actual) and labels.looks_like_value(actual):
        # (also where a score follows: a 自评表 whose 分值 stands before the values, 得分 after them)
        values = dict(values)
        weight = values.pop("target")
        values["target"] = values.pop("actual")
        values["score" + SECOND if "score" in values else "score"] = weight
    return values


def _unit_like(core: str) -> bool:
    """A unit cell: of the units vocabulary, or short words with no digit that are no state
    ('台（套）', '万头（只）': a unit the list lacks)."""
    return labels.is_unit(core) or (0 < len(core) <= 6 and not re.search(r"\d", core) and
                                    not labels.is_short_value_word(core) and core not in OPERATOR_CELLS)


def _value_part(core: str) -> bool:
    return core in OPERATOR_GLYPHS or labels.is_plain_number(core) or _unit_like(core)


def split_value_by_content(cells: list[str], values: dict[str, str]) -> dict[str, str]:
    """With no header: a value split over cells of its own in any order (指标性质 | 指标值 | 度量单位,
    计量单位 | 指标性质 | 指标值, 指标性质 | 计量单位 | 指标值 …) is read by what its cells are, not where
    they stand: around its one operator cell, the run of operator, number and unit cells gives the
    number after the operator (before it when none follows) as the target and the unit nearest to it;
    another number of the run is the row's weight."""
    cores = [labels.squash(c) for c in cells]
    ops = [i for i, c in enumerate(cores) if c in OPERATOR_GLYPHS]
    if len(ops) != 1:
        return values
    at = ops[0]
    low, high = at, at
    while low > 0 and cores[low - 1] and _value_part(cores[low - 1]):
        low -= 1
    while high + 1 < len(cores) and cores[high + 1] and _value_part(cores[high + 1]):
        high += 1
    numbers = [i for i in range(low, high + 1) if i != at and labels.is_plain_number(cores[i])]
    after = [i for i in numbers if i > at]
    number = after[0] if after else (numbers[-1] if numbers else None)
    if number is None:
        return values
    units = [i for i in range(low, high + 1) if i not in (at, number) and not labels.is_plain_number(cores[i])
             and cores[i] not in OPERATOR_GLYPHS and _unit_like(cores[i])]
    out = {k: v for k, v in values.items() if k not in ("operator", "target", "unit")}
    out["operator"], out["target"] = cells[at].strip(), cells[number].strip()
    if units:
        out["unit"] = cells[min(units, key=lambda i: abs(i - number))].strip()
    elif values.get("unit"):
        out["unit"] = values["unit"]
    rest = [i for i in numbers if i != number and is_small_number(cores[i])]
    if rest and "score" not in out:
        out["score"] = cells[rest[0]].strip()
    return out


def frame_heading(roles: list[str | None]) -> int | None:
    """Where a header holds a name heading right before its level headings and the name column after them:
    财政部's 项目支出绩效自评表 (the attachment of 财预〔2020〕10号, copied by the provinces) merges a cell 绩效指标
    down the indicator table's left, printed on its header row. That heading heads no column of the rows."""
    first = next((i for i, r in enumerate(roles) if r in ("level1", "level2", "name")), None)
    if first is not None and first < len(roles) - 2 and roles[first] == "name" and \
            roles[first + 1] in ("level1", "level2") and "name" in roles[first + 2:]:
        return first
    return None
