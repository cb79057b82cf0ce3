"""The cases' rows written as flattened text in each family a web page or PDF produces.

Real forms of one province come in one family; a user's will come in another. Writing the same
hand-checked rows in every family (`|` rows, one cell per line with `|`, spaces, tabs, one cell
per line with blank lines, cells fused without separators) measures the reader on the families
the 26 field forms do not all show. Level labels are printed only on the first row of their block,
as merged cells flatten; a self-evaluation variant adds the actual-value and score columns.
"""

from __future__ import annotations

FAMILIES = ("pipe_rows", "pipe_cells", "spaced_rows", "tab_rows", "cell_lines", "fused")


def _grid(case: dict, selfeval: bool) -> list[list[str]]:
    head = ["一级指标", "二级指标", "三级指标", "年度指标值" if selfeval else "指标值"]
    if selfeval:
        head += ["全年实际值", "分值", "得分"]
    rows = [head]
    last1 = last2 = None
    for row in case["indicators"]:
        level1 = row.get("level1") or ""
        level2 = row.get("level2") or ""
        cells = [level1 if level1 != last1 else "", level2 if (level2, level1) != (last2, last1) else ""]
        last1, last2 = level1, level2
        cells += [row["name"], row["value"]]
        if selfeval:
            cells += [row["value"], "10", "10"]
        rows.append(cells)
    return rows


def write_text(case: dict, family: str, *, selfeval: bool = False) -> str:
    """The case as a text form of one family: a title, the header fields, the table."""
    kind = "自评表" if selfeval else "申报表"
    lines = [f"{case.get('project_name') or '项目'}绩效目标{kind}", f"({case.get('year') or 2023}年度)"]
    fields = [["项目名称", case.get("project_name") or ""], ["主管部门", case.get("agency") or ""],
              ["实施单位", case.get("implementing_unit") or case.get("agency") or ""],
              ["年度目标", (case.get("description") or "").replace("\n", " ")]]
    grid = _grid(case, selfeval)
    if family == "pipe_rows":
        lines += [" | ".join(r) + " |" for r in fields + grid]
    elif family == "tab_rows":
        lines += ["\t".join(r) for r in fields + grid]
    elif family == "spaced_rows":
        lines += [" ".join(c for c in r if c) for r in fields + grid]
    elif family == "pipe_cells":
        for row in fields + grid:
            lines += [f"{c} |" for c in row if c] + ["||||"]
    elif family == "cell_lines":
        for row in fields + grid:
            for cell in row:
                lines += [cell if cell else " ", ""]
    elif family == "fused":
        lines += ["".join(r) for r in fields]
        lines.append("".join(grid[0]) + "".join("".join(r) for r in grid[1:]))
        lines.append("说明：本表由填报单位填写。")
    else:
        raise ValueError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    return "\n".join(lines) + "\n"
