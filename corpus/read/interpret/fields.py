"""Header fields of any template (项目名称, 主管部门, 实施单位, 年度, 资金, prose), read by label.

A label cell's value is the next cell that is not itself a label; in spaced text the value runs
to the next label of the same row; a `label:value` cell holds both. Where cells are fused, the
value is the text between the label and the next known label.
"""

from __future__ import annotations

import re

from corpus.read.interpret import labels
from corpus.text import clean_prose

TEXT_FIELDS = {"overview", "basis", "overall_goal", "annual_goal"}


def read_fields(rows: list[list[str]], *, spaced: bool = False) -> dict[str, str]:
    """Field → raw value from the rows before the indicator table (first occurrence wins)."""
    found: dict[str, str] = {}
    for row_index, row in enumerate(rows):
        cells = [c for c in row if labels.squash(c)]
        index = 0
        while index < len(cells):
            cell = cells[index]
            field, inline = _label_of(cell)
            if field is None:
                index += 1
                continue
            if inline:
                value, index = inline, index + 1
            else:
                label_index = index
                value, index = _value_after(cells, index + 1, spaced)
                rest_are_labels = all(_label_of(c)[0] for c in cells[label_index + 1:])
                if not value and rest_are_labels and row_index + 1 < len(rows):
                    # label alone (or among labels) on its row: the value is on the next row
                    following = [c for c in rows[row_index + 1] if labels.squash(c)]
                    if following and _label_of(following[0])[0] is None:
                        value = following[0] if field not in TEXT_FIELDS else " ".join(following)
            if field == "budget_total" and not re.search(r"\d", value or ""):
                continue  # '项目资金' over a table of sums: the sum is under a later label
            if field != "stop" and value and (field not in found or field == "project_name"):
                found[field] = value  # the project name nearest the table wins (notices list others)
    return found


def _label_of(cell: str) -> tuple[str | None, str | None]:
    field = labels.field_label(cell)
    if field:
        return field, None
    match = re.match(r"^\s*([^:：]{2,16})[:：]\s*(.+)$", cell)
    if match:
        field = labels.field_label(match[1])
        if field:
            return field, match[2].strip()
    return None, None


def _value_after(cells: list[str], index: int, spaced: bool) -> tuple[str, int]:
    parts: list[str] = []
    while index < len(cells):
        cell = cells[index]
        if _label_of(cell)[0] is not None or labels.header_role(cell):
            break
        parts.append(cell)
        index += 1
        if not spaced:
            break
    return " ".join(parts).strip(), index


def read_fused_fields(text: str) -> dict[str, str]:
    """Fields of text whose cells ran together: value = text up to the next known label."""
    squashed = labels.squash(text)
    words = labels.field_words()
    hits: list[tuple[int, int, str]] = []
    for word, field in words:
        for match in re.finditer(re.escape(word), squashed):
            if not any(s <= match.start() < e for s, e, _ in hits):
                hits.append((match.start(), match.end(), field))
    hits.sort()
    found: dict[str, str] = {}
    for index, (start, end, field) in enumerate(hits):
        stop = hits[index + 1][0] if index + 1 < len(hits) else min(len(squashed), end + 200)
        value = squashed[end:stop].strip(":：")
        if field == "budget_total" and not re.search(r"\d", value):
            continue
        if field != "stop" and value and field not in found:
            found[field] = value
    return found


def money_yuan(raw: str | None, *, wan: bool) -> float | None:
    """'10' in a (万元) form → 100000.0; '449.8万' → 4498000.0; '5,000.00元' → 5000.0."""
    if not raw:
        return None
    match = re.search(r"\d[\d,]*(?:\.\d+)?", raw)
    if not match:
        return None
    if len(match[0].replace(",", "").split(".")[0]) > 12:
        return None  # cells fused into one number ('40004000100%'): not a sum of money
    value = float(match[0].replace(",", ""))
    tail = raw[match.end():match.end() + 2]
    if tail.startswith("亿"):
        return value * 1e8
    if tail.startswith("万") or (wan and not tail.startswith("元")):
        # more than 1,000亿 in one project is cells fused into one number, not a sum
        return round(value * 10_000, 2) if value < 1e7 else None
    return value


def prose(raw: str | None) -> str | None:
    return clean_prose(raw)
