"""Rebuild an indicator table from grid rows, repairing what cell extraction broke.

Shared by every tab-separated layout. Cells are read by meaning, not by column, because real
forms shift rows by one column either way: a cell is a level label when the framework knows it
(`framework.is_label`), and of the other cells the first is the indicator name and the next its
value. A row with labels only updates the context; a row whose only other cell sits right after
a label is a name with its value missing (the value column was shifted away).

Merged cells print their label on the middle row of the block, so rows above a first-level
label can belong to it: rows before any first-level label wait for the next one, and a row
whose second-level label contradicts the block it is printed in moves to the next block when
that block fits (otherwise the framework settles it and a warning says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus import framework
from corpus.schema import Declaration, Indicator
from corpus.targets import parse_target


@dataclass
class GridRow:
    line: int
    cells: list[str]


@dataclass
class _Row:
    line: int
    name: str
    value: str
    raw1: str | None
    raw2: str | None
    block: int  # index of the first-level block the row was printed in (-1: before any)


def read_grid(rows: list[GridRow], decl: Declaration, *, has_level2: bool = True) -> list[Indicator]:
    """Indicators of one table. `rows` exclude the header row; blank rows are allowed."""
    parsed: list[_Row] = []
    block_labels: list[str] = []  # raw first-level label of each block, in order
    raw1: str | None = None
    raw2: str | None = None
    for row in rows:
        cells = [c.strip() for c in row.cells]
        labels1, labels2, rest, follows_label = _classify(cells, raw1, has_level2)
        if labels1:
            if raw1 is None or framework.stem(labels1[0]) != framework.stem(raw1):
                raw1, raw2 = labels1[0], None
                block_labels.append(raw1)
        if labels2:
            raw2 = labels2[-1]
        if not rest:
            continue
        name, value = rest[0], rest[1] if len(rest) > 1 else ""
        if len(rest) == 1 and not follows_label:
            decl.warn("lone_cell", f"该行只有一个单元格“{rest[0]}”，没有指标值；按指标名称读取，"
                                   "指标值缺失", row.line)
        elif len(rest) == 1:
            decl.warn("value_missing", f"指标“{name}”没有指标值（该行错位了一列）", row.line)
        parsed.append(_Row(row.line, name, value, raw1, raw2 if has_level2 else None,
                           len(block_labels) - 1))
    return [_resolve(r, block_labels, decl, has_level2) for r in parsed]


def _classify(cells: list[str], raw1: str | None, has_level2: bool):
    labels1: list[str] = []
    labels2: list[str] = []
    rest: list[str] = []
    follows_label = False
    previous_was_label = False
    for column, cell in enumerate(cells):
        if not cell:
            continue
        kind = None if rest else _label_kind(cell, column, raw1, labels1, has_level2)
        if kind == 1:
            labels1.append(cell)
        elif kind == 2:
            labels2.append(cell)
        else:
            if not rest and previous_was_label:
                follows_label = True
            rest.append(cell)
        previous_was_label = kind is not None
    return labels1, labels2, rest, follows_label


def _label_kind(cell: str, column: int, raw1: str | None, labels1: list[str],
                has_level2: bool) -> int | None:
    """1: first-level label, 2: second-level label, None: not a label."""
    is1, is2 = framework.is_level1_label(cell), framework.is_level2_label(cell)
    if not has_level2:
        return 1 if is1 and not labels1 else None
    if is1 and is2 and framework.stem(cell) == "满意度":
        # a first level only when written as the national 满意度指标
        is1 = cell.endswith("指标") and not labels1
    if not is1:
        return 2 if is2 else None
    # A first-level term in the second-level column: after another first-level label in the
    # same row (投入和管理目标⇥效益指标), or the block's own label repeated right of the first
    # column (⇥影响力目标⇥公众知晓度 inside the 影响力目标 block).
    if labels1 or (column > 0 and raw1 is not None
                   and framework.stem(cell) == framework.stem(raw1)):
        return 2
    return 1


def _resolve(row: _Row, block_labels: list[str], decl: Declaration, has_level2: bool) -> Indicator:
    raw1 = row.raw1
    if raw1 is None and block_labels:
        raw1 = block_labels[0]
        decl.warn("level1_below", f"“{row.name}”在第一个一级指标标签之上；按“{raw1}”的一部分读取"
                                  "（合并单元格的标签印在中间行）", row.line)
    elif row.raw2 and not framework.compatible(raw1, row.raw2):
        following = block_labels[row.block + 1] if row.block + 1 < len(block_labels) else None
        if following and framework.compatible(following, row.raw2):
            decl.warn("level1_below", f"“{row.name}”（{row.raw2}）印在“{raw1}”块中，但属于其下方"
                                      f"标注的“{following}”", row.line)
            raw1 = following
    level1, level2 = framework.canonical(raw1, row.raw2)
    parent = framework.canonical_level1(raw1)
    if level1 and parent and level1 != parent and not framework.compatible(raw1, row.raw2):
        decl.warn("level_conflict", f"“{row.name}”：二级指标“{row.raw2}”与一级指标“{raw1}”矛盾；"
                                    f"按指标体系归入{level1}", row.line)
    inferred = False
    if not has_level2 and framework.stem(raw1) in ("影响力", "影响"):
        # old 影响力 block of a two-level table: 满意度 or sustainability, by the row's meaning
        level1 = "满意度" if framework.level2_from_meaning(
            row.name, row.value, {"服务对象满意度"}, strict=True) else "效益"
        level2, inferred = None, True
        decl.warn("level_inferred", f"“{row.name}”：影响力目标下的行没有二级指标；按含义读作{level1}",
                  row.line)
    if has_level2 and level2 is None:
        allowed = {l2 for l2, l1 in framework.LEVEL2.items() if l1 == level1} if level1 else None
        level2 = framework.level2_from_meaning(row.name, row.value, allowed)
        if level2:
            level1, inferred = framework.LEVEL2[level2], True
            decl.warn("level_inferred", f"“{row.name}”：未印出二级指标；按指标含义推断为 "
                                        f"{level1}/{level2}", row.line)
    target = parse_target(row.value)
    return Indicator(level1=level1, level2=level2, raw_level1=raw1, raw_level2=row.raw2,
                     name=row.name, target=target, line=row.line, inferred=inferred)
