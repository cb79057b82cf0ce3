"""2023 forms as text pulled out of a PDF (seed 004): one page per form, lines scrambled.

Each page's header (title, 项目名称, 主管部门, dates) is printed AFTER that page's content. Within a
page, the part after the column header "三级指标 年度(/项目)指标值" keeps the table's order (a
class label, then its rows); the part before it is scrambled: labels and rows come in any
order, so the level of those rows is inferred from the indicator's meaning among the classes
printed on the page, and marked `inferred`. A name and its value can be split across lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus import framework
from corpus.schema import Declaration, Indicator, Source
from corpus.targets import parse_target
from corpus.text import parse_date, parse_money

TITLE = "财政项目支出绩效目标申报表"
_MONEY_LINE = re.compile(r"^[\d,]+\.\d{2}$")
_NOISE = {"绩效", "指标", "项目", "目标", "项目资金", "（元）", "(元)", "实施单位", "计划完成日期",
          "其中：财政资金", "项目性质 项目类别"}
_MARKERS = ("一级指标", "三级指标", "项目总目标", "项目资金总额", "其中：", "上年结转资金", "其他资金",
            "项目性质", "计划开始日期", "主管部门", "项目名称", "（20", "(20")
_VALUE_WORDS = re.compile(r"(规范|完好|正常|健全|有效|合格|提升|及时|完善|合规|稳定|到位|达标|可控|完成)$")
_NAME_ENDINGS = re.compile(r"(率|度|数|量|时间|时限|期限|流程|情况|性|工作|建设)$")


@dataclass
class _Page:
    content: list[int] = field(default_factory=list)  # line indexes
    header: list[int] = field(default_factory=list)


def parse(lines: list[str], *, file: str, layout: str, ident_prefix: str) -> list[Declaration]:
    pages = _split_pages(lines)
    decls = []
    for number, page in enumerate(pages, start=1):
        indexes = sorted(page.content + page.header)
        decl = Declaration(id=f"{ident_prefix}-{number}",
                           source=Source(file, layout, indexes[0] + 1, indexes[-1] + 1))
        _read_header(lines, page, decl)
        _read_content(lines, page.content, decl)
        decls.append(decl)
    return decls


def _split_pages(lines: list[str]) -> list[_Page]:
    """Content runs until a title; the title and its header lines close that page."""
    pages: list[_Page] = []
    page = _Page()
    in_header = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        opens_header = line.startswith(TITLE) or line.endswith("汇总表")
        if opens_header or (in_header and _is_header_line(line)):
            in_header = True
            page.header.append(i)
            continue
        if in_header:  # the header is over: what follows is the next page's content
            pages.append(page)
            page, in_header = _Page(), False
        page.content.append(i)
    if page.header or not pages:
        pages.append(page)
    elif page.content:  # after the last header: the last page's leftover labels
        pages[-1].content.extend(page.content)
    return [p for p in pages if p.header or p.content]


def _is_header_line(line: str) -> bool:
    return (not line or line in _NOISE
            or line.startswith(("（20", "(20", "项目名称", "主管部门", "计划开始日期")))


def _read_header(lines: list[str], page: _Page, decl: Declaration) -> None:
    for i in page.header + page.content:
        tokens = lines[i].split()
        if not tokens:
            continue
        if tokens[0] == "项目名称" and len(tokens) > 1:
            decl.project_name = tokens[1]
            rest = [t for t in tokens[2:] if t != "项目类别"]
            if rest and decl.project_type is None:
                decl.project_type = rest[0]
        elif tokens[0] == "主管部门" and len(tokens) > 1:
            decl.department = tokens[1]
            decl.agency = tokens[2] if len(tokens) > 2 else None
        elif tokens[0] == "项目性质" and len(tokens) > 1 and tokens[1] != "项目类别":
            decl.project_type = tokens[1]
        elif tokens[0] == "计划开始日期" and len(tokens) >= 3:
            year = int(tokens[1][:4]) if tokens[1][:4].isdigit() else None
            decl.start_date = parse_date(tokens[1], year=year)
            decl.end_date = parse_date(tokens[2], year=year, end=True)
        elif re.match(r"^[（(]\d{4}年度", tokens[0]):
            decl.year = int(re.search(r"\d{4}", tokens[0])[0])
    amounts = [parse_money(lines[i].split()[-1]) for i in page.content
               if lines[i].split() and _MONEY_LINE.match(lines[i].split()[-1])]
    if amounts:
        # order on the page: 年度资金申请总额, 当年财政拨款, 上年结转资金, 其他资金
        decl.budget.total = decl.budget.current_year = amounts[0]


def _read_content(lines: list[str], content: list[int], decl: Declaration) -> None:
    ordered = False
    goal_lines: list[str] = []
    in_goal = False
    label1 = label2 = None
    printed: set[str] = set()
    rows: list[tuple[Indicator, bool]] = []  # (indicator, level read from layout)
    lone_names: list[tuple[int, str, int]] = []  # (line, name, position in rows)
    lone_values: list[tuple[int, str]] = []
    for i in content:
        line = lines[i].strip()
        if not line:
            continue
        if line.startswith("项目总目标"):
            in_goal = True
            continue
        if line.startswith("三级指标"):
            in_goal, ordered, label1, label2 = False, True, None, None
            continue
        labels = _labels(line)
        if labels is not None:
            in_goal = False
            for label in labels:
                level2 = framework.canonical_level2(label)
                if framework.is_level1_label(label) and not label.startswith("服务对象"):
                    label1, label2 = label, None
                elif level2:
                    printed.add(level2)
                    label2 = label
            continue
        if in_goal:
            goal_lines.append(line)
            continue
        if line in _NOISE or line.startswith(_MARKERS) or _MONEY_LINE.match(line):
            continue
        name, value = _split_row(line)
        if value is None and _is_value(name):
            lone_values.append((i + 1, name))
            continue
        read = ordered and label2 is not None
        raw1, raw2 = (label1, label2) if read else (None, None)
        indicator = Indicator(level1=None, level2=None, raw_level1=raw1, raw_level2=raw2,
                              name=name, target=parse_target(value or ""), line=i + 1,
                              inferred=not read)
        if value is None:
            lone_names.append((i + 1, name, len(rows)))
        rows.append((indicator, read))
    decl.texts["annual_goal"] = "".join(goal_lines) or None
    _pair_lone_lines(lone_names, lone_values, rows, decl)
    _assign_levels(rows, printed, decl)
    decl.indicators = [indicator for indicator, _ in rows]


def _labels(line: str) -> list[str] | None:
    tokens = line.split()
    if tokens and all(framework.is_label(t) or t in ("一级指标", "二级指标") for t in tokens):
        return [t for t in tokens if t not in ("一级指标", "二级指标")]
    return None


def _split_row(line: str) -> tuple[str, str | None]:
    parts = line.rsplit(maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return line, None


def _is_value(text: str) -> bool:
    target = parse_target(text)
    if target.kind in ("quantitative", "deadline"):
        return True
    return bool(_VALUE_WORDS.search(text)) and not _NAME_ENDINGS.search(text)


def _pair_lone_lines(names, values, rows, decl: Declaration) -> None:
    """A name printed without its value and a value printed alone elsewhere on the page."""
    for (name_line, name, position), (value_line, value) in zip(names, values):
        indicator = rows[position][0]
        indicator.target = parse_target(value)
        decl.warn("value_separated", f"“{name}”（第 {name_line} 行）的指标值“{value}”单独印在第 "
                                     f"{value_line} 行；已配对", name_line)
    for name_line, name, _ in names[len(values):]:
        decl.warn("value_missing", f"指标“{name}”没有指标值", name_line)
    for value_line, value in values[len(names):]:
        decl.warn("lone_value", f"指标值“{value}”没有对应的指标名称；已舍弃", value_line)


def _assign_levels(rows: list[tuple[Indicator, bool]], printed: set[str], decl: Declaration) -> None:
    allowed = printed or None
    for indicator, read in rows:
        if read:
            indicator.level2 = framework.canonical_level2(indicator.raw_level2)
        else:
            indicator.level2 = _meaning(indicator, allowed)
        indicator.level1 = framework.LEVEL2.get(indicator.level2) if indicator.level2 else None
    # every class printed on the page has at least one row: move an inferred row whose meaning
    # fits an empty class from a class that has several rows
    used = [i.level2 for i, _ in rows]
    for level2 in sorted(printed - set(used)):
        for indicator, read in rows:
            if read or used.count(indicator.level2) < 2:
                continue
            if framework.level2_from_meaning(indicator.name, "", {level2}, strict=True):
                used[used.index(indicator.level2)] = level2
                indicator.level2, indicator.level1 = level2, framework.LEVEL2[level2]
                break
    for level2 in sorted(printed - set(used)):
        decl.warn("label_without_row", f"页面上印有二级指标 {level2}，但按含义没有指标行可归入")
    for indicator, read in rows:
        if not read:
            decl.warn("level_inferred", f"“{indicator.name}”：从页面版式读不出指标层级；按含义推断为 "
                                        f"{indicator.level1}/{indicator.level2}", indicator.line)


def _meaning(indicator: Indicator, allowed: set[str] | None) -> str | None:
    return framework.level2_from_meaning(indicator.name, indicator.target.raw, allowed)
