"""Indicators written as records, one `column：value` line per cell (批复 and 公示 pages, PDF forms):

    一级指标：产出指标
    二级指标：数量指标
    三级指标：培训人次
    指标值：≥500人次

The keys are the table's header words (read by `labels.header_role`), so the records are the rows
of a table whose header they repeat: they are rewritten as tab-separated rows under one header line
and read like any other table. A record ends where a level or name column follows its name (or comes again); a column a record
leaves out (a level printed only on the first record of its block) stays empty. Line numbers are
kept: the header takes the first record line's place, each row its record's last line, the other
record lines become empty.
"""

from __future__ import annotations

from corpus.read.interpret import labels

_COLUMNS = ("level1", "level2", "name", "target", "unit", "operator", "explain", "actual", "score",
            "weight", "other", "period_target")
MIN_RECORDS = 2


def _cell(line: str) -> tuple[str, str, str] | None:
    """(role, key, value) of a `column：value` line whose key is a header word of the table.
    (String methods, not a pattern: a line of 20,000 spaces costs one pass.)"""
    head = line[:40]
    cuts = [at for at in (head.find("："), head.find(":")) if at >= 0]
    if not cuts:
        return None
    key = line[:min(cuts)].strip()
    if not 2 <= len(key) <= 12 or "\t" in key or "|" in key:
        return None
    role = labels.header_role(key)
    return (role, key, line[min(cuts) + 1:].strip()) if role in _COLUMNS else None


def rewrite(lines: list[str]) -> list[str]:
    """`lines` with every run of indicator records written as a tab-separated table; unchanged
    when there is none."""
    cells = [_cell(line) if ("：" in line or ":" in line) else None for line in lines]
    if sum(c is not None for c in cells) < 2 * MIN_RECORDS:
        return lines
    out = list(lines)
    index = 0
    while index < len(lines):
        if cells[index] is None:
            index += 1
            continue
        end = index
        while end < len(lines) and (cells[end] is not None or not lines[end].strip()):
            end += 1
        _table(out, cells, lines, index, end)
        index = end
    return out


def _table(out: list[str], cells, lines: list[str], start: int, end: int) -> None:
    records: list[list[int]] = []   # line indexes of each record
    seen: set[str] = set()
    named = False
    for at in range(start, end):
        if cells[at] is None:
            continue
        role, key, _ = cells[at]
        # the next record starts at a level or name column once this one has its name, or where a
        # column comes again before it (a score column headed like the weight one stays in its record)
        opens = role in ("level1", "level2", "name") and (named or key in seen)
        if not records or opens:
            records.append([])
            seen, named = set(), False
        records[-1].append(at)
        seen.add(key)
        named = named or role == "name"
    full = [r for r in records if {cells[i][0] for i in r} >= {"name", "target"}]
    if len(full) < MIN_RECORDS or len(full) * 2 < len(records):
        return
    keys: list[str] = []
    for record in records:
        keys += [cells[at][1] for at in record if cells[at][1] not in keys]
    order = {key: n for n, key in enumerate(keys)}
    for at in range(start, end):
        out[at] = ""
    out[records[0][0]] = "\t".join(keys)
    for record in records:
        row = [""] * len(keys)
        for at in record:
            row[order[cells[at][1]]] = cells[at][2]
        out[record[-1]] = "\t".join(row)
