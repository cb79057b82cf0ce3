"""One interpreter for every template: a Document (tables and/or text) → Declarations.

Steps: find the indicator header (by vocabulary, wherever it is), read the rows after it by
meaning (`table.py`), read the header fields before it (`fields.py`), then turn raw rows into
typed indicators: canonical levels beside the raw labels, the target parsed, the template's hint
and ★ read from the name, the actual value of a 自评表 kept apart. Text whose indicators are
written as sentences (公示 pages) is read by `prose.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

from corpus import framework
from corpus.read.document import Document, Table
from corpus.read.interpret import fields as field_reader
from corpus.read.interpret import assemble, baselines, cellpieces, fused, labels, locate, namepieces, pagecells, pages, prose, records, surface, textboxes, vertical, wraps
from corpus.vocab.name_hints import name_hint
from corpus.read.interpret.table import (Header, Levels, RawRow, TableRead, find_header,
                                         find_stream_header, is_footer, join_value, read_rows,
                                         split_label_prefix)
from corpus.read.interpret.textrows import (TextCell, TextRow, flatten, join_header_fragments,
                                            join_wrapped_header, rejoin_broken_tab_cells)
from corpus.read.interpret.vertical import join_row_label_pieces
from corpus.schema import Budget, Declaration, Indicator, Source
from corpus.targets import parse_target
from corpus.text import find_year

MAX_DECLARATIONS = 500   # forms in one file (a province's notice lists dozens, not thousands)
MAX_INDICATORS = 1000    # rows of one indicator table


def interpret(doc: Document, *, ident_prefix: str | None = None) -> list[Declaration]:
    """Declarations of a document; an empty list when it holds no indicator table."""
    prefix = ident_prefix or doc.path.stem
    surface.fold_tables(doc)
    decls: list[Declaration] = []
    for table in doc.tables:
        decls.extend(_from_table(doc, table, prefix, len(decls)))
    if not decls and (doc.text_lines or doc.tables and doc.format in _TABLES_APART):
        layout = "text" if doc.format == "txt" else f"text-{doc.format}"
        decls = interpret_text(_text_with_tables(doc), file=doc.path.name, layout=layout, ident_prefix=prefix)
    for decl in decls:
        decl.warnings.extend(doc.warnings)
    return decls


# formats whose text lines hold the text outside the tables only (a PDF's text layer holds its tables too)
_TABLES_APART = ("html", "htm", "docx")


def _text_with_tables(doc: Document) -> list[str]:
    """The document's text lines; where its tables stand apart from them (a web page, a Word file) and
    none had a header we know, each table's rows as the tab rows a browser copies, where the table
    stands among the text (a table of labels and rows only is then found by its labels)."""
    lines = list(doc.text_lines)
    if doc.format not in _TABLES_APART:
        return lines
    for table in sorted(doc.tables, key=lambda t: -1 if t.text_line_at is None else t.text_line_at,
                        reverse=True):
        at = len(lines) if table.text_line_at is None else min(table.text_line_at, len(lines))
        lines[at:at] = _tab_lines(table)
    return lines


def _tab_lines(table: Table) -> list[str]:
    """A table's rows as a browser copies them: cells apart by tabs, a merged cell once (where it starts),
    a cell's own line breaks joined."""
    return ["\t".join(_cell_text(c) for c in table.texts(r) if c is not None) for r in range(len(table.rows))]


def _cell_text(text: str) -> str:
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    return labels.join_cell_lines(parts) if parts else ""


# ---- flattened text ----------------------------------------------------------------------------

def interpret_text(lines: list[str], *, file: str, layout: str = "text",
                   ident_prefix: str) -> list[Declaration]:
    """Declarations of a text; several forms printed one after another (each with its title and
    项目名称) are read one by one, whatever the layout of each."""
    wraps.reset_layout_budget()
    # page marks, print stamps and running titles between a table's pages out first (a PDF's text layer)
    lines = pages.strip_furniture([surface.fold(line) for line in lines])
    # a browser's copy of cells holding paragraphs: each tab on a line of its own, rows apart by blank lines
    # and tab rows whose cells a line break (<br>) cut, put back on one line each
    lines = vertical.join_label_ends(vertical.join_vertical_labels(records.rewrite(rejoin_broken_tab_cells(
        pagecells.rejoin(lines)))))
    starts = _form_starts(lines)
    if len(starts) >= 2:
        decls: list[Declaration] = []
        for begin, end in zip(starts, starts[1:] + [len(lines)]):
            for decl in _interpret_one(lines[begin:end], file=file, layout=layout, ident_prefix=ident_prefix):
                if decl.indicators and len(decls) < MAX_DECLARATIONS:
                    decls.append(_shifted(decl, begin, f"{ident_prefix}-{len(decls) + 1}"))
        if len(decls) >= 2:
            return decls
    return _interpret_one(lines, file=file, layout=layout, ident_prefix=ident_prefix)


def _form_starts(lines: list[str]) -> list[int]:
    """Where each form of a file begins: its 项目名称 line under a title that names a 绩效 table."""
    words = tuple(w for w, f in labels.field_words() if f == "project_name")
    starts: list[int] = []
    for index, line in enumerate(lines[:200_000]):
        if len(line) > 300 or not line.lstrip(" |\t").startswith(("项", "专", "转", "资")):
            continue  # cheap test first: every 项目名称 word starts with one of these
        if not labels.squash(line).lstrip("|").startswith(words):
            continue
        begin = index
        while begin > (starts[-1] + 1 if starts else 0) and index - begin < 3 and \
                "表" in lines[begin - 1] and len(lines[begin - 1].strip()) <= 60:
            begin -= 1  # the form's title ('2023年度项目支出绩效目标表')
        if not any("绩效" in lines[i] for i in range(begin, index)):
            continue  # a 项目名称 column of another table (an allocation list), not a form's field
        starts.append(begin)
        if len(starts) > MAX_DECLARATIONS:
            break
    return starts


def _shifted(decl: Declaration, offset: int, ident: str) -> Declaration:
    """A declaration read from lines[offset:], its line numbers those of the whole file."""
    decl.id = ident
    decl.source.line_start += offset
    decl.source.line_end += offset
    for indicator in decl.indicators:
        if indicator.line is not None:
            indicator.line += offset
    for warning in decl.warnings:
        if warning.line is not None:
            warning.line += offset
    return decl


def _interpret_one(lines: list[str], *, file: str, layout: str, ident_prefix: str) -> list[Declaration]:
    # a stream-ordered text layer's cells that share a baseline (pdftotext -raw) cut into one cell a line;
    # line numbers are given back in the text's own lines
    cut, origin = baselines.split_runs(lines)
    decls = _interpret_lines(cut, file=file, layout=layout, ident_prefix=ident_prefix)
    if origin is not None:
        for decl in decls:
            _renumbered(decl, origin)
    return decls


def _renumbered(decl: Declaration, origin: list[int]) -> None:
    """Line numbers of the cut lines (1-based) as numbers of the lines they were cut from."""
    def back(number: int | None) -> int | None:
        return origin[min(number, len(origin)) - 1] + 1 if number else number

    decl.source.line_start = back(decl.source.line_start)
    decl.source.line_end = back(decl.source.line_end)
    for indicator in decl.indicators:
        indicator.line = back(indicator.line)
    for warning in decl.warnings:
        warning.line = back(warning.line)


def _interpret_lines(lines: list[str], *, file: str, layout: str, ident_prefix: str) -> list[Declaration]:
    # cells of several columns wrapped on shared lines (a PDF's text layer) put back into their rows
    lines = wraps.join_interleaved(join_wrapped_header(join_header_fragments(_year_table_only(lines))))
    flat = flatten(lines)
    if flat.family == "cell_lines":  # a cell wrapped over several lines of a one-cell-a-line text
        joined = cellpieces.join_wrapped_cells(lines)
        if joined != lines:
            lines, flat = joined, flatten(joined)
    title = _title(lines, flat.header_line)
    if flat.family == "fused":
        flat_rows = fused.rows(lines, flat.header_line)
        bounded = True
    else:
        flat_rows, bounded = flat.rows, flat.bounded
        if bounded:  # labels printed down a narrow merged cell at the start of PDF lines, once for the text
            flat_rows = join_row_label_pieces(flat_rows)
    decls: list[Declaration] = []
    start = 0
    texts = [[c.text for c in r.cells] for r in flat_rows]
    while len(decls) < MAX_DECLARATIONS:
        header = (find_header(texts, start) if bounded else find_stream_header(flat_rows, start)) \
            if flat.header_line is not None else None
        if header is None:
            break
        read = read_rows(flat_rows, header, bounded=bounded, text_ends=True, join_name=flat.join_name,
                         restream=flat.family != "fused")
        before = texts[start:_header_row_index(flat_rows, header)]
        decl = _declaration(file=file, layout=f"{layout}-{flat.family}", ident=f"{ident_prefix}-{len(decls) + 1}",
                            rows=read.rows, header=header, line_start=flat_rows[start].line if flat_rows else 1,
                            line_end=_last_line(read, flat_rows))
        _fill_fields(decl, before, lines, flat.family, title)
        for code, message, line in read.warnings:
            decl.warn(code, message, line)
        decls.append(decl)
        if read.end <= header.end or read.end >= len(flat_rows):
            break
        start = read.end
    else:
        decls[-1].warn("declarations_cut", f"一个文件中超过 {MAX_DECLARATIONS} 份表，其余未读入")
    if decls and not _any_value(decls):
        # a header whose rows hold no value at all (its words matched, its columns did not): the header
        # was no help, so the text is read as a table without one
        fallback = locate.read_headerless(lines)
        if fallback is not None and _valued(fallback.rows):
            decls = []
    if not decls:
        read = locate.read_headerless(lines)
        if read is not None and len(read.rows) < 50 and \
                _with_target(read.rows) < _with_target(_not_restated(prose.indicators(lines), read.rows)):
            read = None  # sentences hold more indicators than the cells around the labels
        if read is not None:
            first = read.rows[0].line or 1
            decl = _declaration(file=file, layout=f"{layout}-headerless", ident=f"{ident_prefix}-1",
                                rows=read.rows, header=read.header, line_start=first,
                                line_end=read.rows[-1].line or first)
            _fill_fields(decl, [[c] for c in lines[:first - 1]], lines, "cell_lines", title)
            for code, message, line in read.warnings:
                decl.warn(code, message, line)
            decl.warn("table_without_header", "指标表没有可识别的表头，按层级标签与指标行的形状读出")
            decls.append(decl)
    decls = _by_columns(decls, lines, file=file, layout=layout, ident_prefix=ident_prefix)
    if not decls:
        rows = prose.indicators(lines)
        if rows:
            decl = _declaration(file=file, layout=f"{layout}-prose", ident=f"{ident_prefix}-1",
                                rows=rows, header=Header(roles=["target"]), line_start=1,
                                line_end=len(lines))
            _fill_fields(decl, [[line] for line in lines[:rows[0].line or 1]], lines, "cell_lines", title)
            decl.warn("indicators_from_prose", "表中没有指标表格，指标从句子中读出（名称后接数值）")
            decls.append(decl)
    return decls


def _by_columns(decls: list[Declaration], lines: list[str], *, file: str, layout: str,
                ident_prefix: str) -> list[Declaration]:
    """The text read as a table printed column by column (a PDF engine's text boxes,
    `assemble.decode_columns`) where that yields more valued rows than the reading by rows: the same
    lines decoded two ways, the better kept."""
    if len(decls) > 1 or len(lines) > 20_000:
        return decls
    if sum(1 for line in lines if "|" in line or "\t" in line) * 4 > len([l for l in lines if l.strip()]):
        return decls  # cells closed by | or tabs: a page or a sheet printed row by row, not a PDF's boxes
    shaped = sum(1 for line in lines if len(line) <= 40 and labels.looks_like_value(line))
    valued = sum(_valued_indicators(d) for d in decls)
    if shaped < 2 or valued >= shaped:
        return decls  # every value-shaped line is in a row already
    rows = assemble.decode_columns(lines)
    # a PDF engine's own pages of text boxes (form feeds between them: pdfminer, pdftotext's default order)
    paged = textboxes.pages_of_boxes(lines)
    if not rows or _valued(rows) <= valued and not paged:
        return decls
    first = rows[0].line or 1
    roles = list(dict.fromkeys(role for r in rows for role in r.values))
    decl = _declaration(file=file, layout=f"{layout}-columns", ident=f"{ident_prefix}-1", rows=rows,
                        header=Header(roles=roles or ["target"]), line_start=first,
                        line_end=max(r.line or first for r in rows))
    _fill_fields(decl, [[line] for line in lines[:first - 1]], lines, "cell_lines", _title(lines, None))
    if paged:
        # the row readers' rows there pair a name with whatever value stands next to it, so they are no
        # better reading for being as many
        if _valued_indicators(decl) < valued:
            return decls
    elif _valued_indicators(decl) <= 1.5 * valued + 1:
        return decls  # a text read by rows is read by rows: columns only where rows fail plainly
    decl.warn("table_by_columns", "指标表按列打印（PDF 文本层逐列输出），按各列的顺序与行数配对读出")
    return [decl]


def _year_table_only(lines: list[str]) -> list[str]:
    """The text without a long-term table printed above the year's (长期绩效指标 | its header and rows, then
    年度绩效指标 | the same header and the year's rows: county and provincial 申报表 templates,
    label_patterns.json table_periods): the year's table is the declaration's. The headings stand on lines
    of their own; the lines from a long-term heading to the next year's heading are left empty (so that every
    other line keeps its number)."""
    kinds = [labels.table_period(line.strip(" |\t\u3000")) if len(line) <= 40 else None for line in lines[:200_000]]
    if "period" not in kinds or "annual" not in kinds:
        return lines
    out = list(lines)
    skipping = False
    last_annual = max(index for index, kind in enumerate(kinds) if kind == "annual")
    for index, kind in enumerate(kinds):
        if kind == "period" and index < last_annual:
            skipping = True
        elif kind == "annual":
            skipping = False
        if skipping:
            out[index] = ""
    return out


def _valued_indicators(decl: Declaration) -> int:
    return sum(1 for i in decl.indicators
               if labels.is_target_value(i.target.raw))


def _not_restated(sentences: list[RawRow], rows: list[RawRow]) -> list[RawRow]:
    """The indicators read from sentences less those that restate a row of the table from above it
    (the year's goals: '目标1：灾害隐患点监测数量达到>=386处，…' above the row '灾害隐患点监测数量 | >=386处'):
    a goal said again is no indicator more than the table holds."""
    first = min((r.line for r in rows if r.line), default=0)
    # (a name's own numbering, '指标1:', is not said again in a goal)
    table = {(labels.squash(r.values.get("target")), re.sub(r"^指标\d{1,2}[:：]?", "", labels.squash(r.name)))
             for r in rows}

    def restated(row: RawRow) -> bool:
        value, name = labels.squash(row.values.get("target")), labels.squash(row.name)
        return bool(row.line and row.line < first and value and
                    any(value == v and n and n in name for v, n in table))
    return [r for r in sentences if not restated(r)]


def _any_value(decls: list[Declaration]) -> bool:
    return any(labels.is_target_value(i.target.raw)
               for d in decls for i in d.indicators)


def _valued(rows: list[RawRow]) -> int:
    # a split value (指标性质 | 指标值 | 度量单位) is valued once joined ('≥' + '500' + '人次')
    return sum(labels.looks_like_value(r.values.get("target")) or labels.looks_like_value(join_value(r.values))
               for r in rows)


def _with_target(rows: list[RawRow]) -> int:
    """Rows whose target is a value or a state ('明显改善'): how the sentences and the cells around the
    labels are weighed against each other (a qualitative target is as much a row in either)."""
    return sum(labels.is_target_value(join_value(r.values))
               for r in rows)


def _header_row_index(rows: list[TextRow], header: Header) -> int:
    # rows before the header row itself: header.end minus the header's own rows (≤ 3)
    index = header.end - 1
    while index > 0 and any(labels.header_role(c.text) for c in rows[index - 1].cells) and \
            any(labels.header_role(c.text) for c in rows[index].cells):
        index -= 1
    return max(index, 0)


def _last_line(read: TableRead, rows: list[TextRow]) -> int:
    if read.rows and read.rows[-1].line:
        return read.rows[-1].line
    return rows[-1].line if rows else 1


def _title(lines: list[str], header_line: int | None) -> str:
    head = lines[: (header_line if header_line is not None else 40)]
    for line in head:
        core = labels.squash(line)
        if re.search(r"绩效(目标|自评|评价)|审批表|申报表|自评表|目标表", core) and len(core) <= 120:
            return core
    return ""


# ---- positional tables -------------------------------------------------------------------------

def _from_table(doc: Document, table: Table, prefix: str, offset: int) -> list[Declaration]:
    texts = _grouped_grid_header(table, [[c or "" for c in table.texts(r)] for r in range(len(table.rows))])
    header = find_header(texts)
    if header is None:
        return []
    levels = Levels()
    rows: list[RawRow] = []
    name_col = header.name_column or 0
    for r in range(header.end, len(table.rows)):
        cells = table.texts(r)
        line = table.row_numbers[r] if r < len(table.row_numbers) else r + 1
        split_label_prefix([c or "" for c in cells[header.lead:name_col]], levels)
        name = _cell_text(cells[name_col] or "") if name_col < len(cells) else ""  # (a <br> inside)
        if not labels.squash(name):
            continue
        if is_footer(name):
            break
        level = labels.level_label(name)
        # a label that spans into the name column (with a value it is an indicator named like a label:
        # 社会效益 | ≥90%); the row's cells are looked at only where its name reads as a label
        if level and not any(labels.is_target_value(cells[c]) for c in header.positions
                             if c < len(cells) and cells[c]):
            levels.take(name, level)
            continue
        values = {}
        for column, role in zip(header.positions, header.roles):
            if column < len(cells) and cells[column] is not None and role not in values:
                values[role] = cells[column].strip()
        rows.append(RawRow(levels.raw1, levels.raw2, name.strip(), values, line))
    before = texts[:max(header.end - 1, 0)]
    decl = _declaration(file=doc.path.name, layout=f"grid-{doc.format}",
                        ident=f"{prefix}-{offset + 1}", rows=rows, header=header,
                        line_start=1, line_end=rows[-1].line if rows else 1)
    decl.source.line_start = table.row_numbers[0] if table.row_numbers else 1
    lines = [line for row in texts for line in [" ".join(c for c in row if c)] if line]
    _fill_fields(decl, before + [[t] for t in doc.text_lines], lines + doc.text_lines,
                 "pipe_rows", doc.title or _title(doc.text_lines + lines, None))
    return [decl]


_HEADER_ROWS_SEARCHED = 40  # rows of a grid searched for a grouped header (the form's fields come first)


def _grouped_grid_header(table: Table, texts: list[list[str]]) -> list[list[str]]:
    """A header of two grid rows whose value heading spans sub-columns (`colspan`: 指标值 over 指标性质 |
    指标值 | 度量单位) while the other headings span both rows (`rowspan`): the sub-headings stand under
    the spanning heading's columns, the lower row covered everywhere else. The two rows become one, column
    by column (the lower row's heading where it has one), and the lower row an empty one."""
    for r in range(min(len(table.rows) - 1, _HEADER_ROWS_SEARCHED)):
        top, low = table.texts(r), table.texts(r + 1)
        if len(low) != len(top):
            continue
        under = [c for c, text in enumerate(low) if text is not None and labels.squash(text)]
        if len(under) < 2 or not all(labels.header_role(low[c]) for c in under) or \
                any(low[c] is not None and c not in under for c in range(len(low))) or \
                any(top[c] is None for c in range(len(top)) if c not in under) or \
                not any(labels.header_role(top[c]) in ("name", "level2") for c in range(len(top)) if top[c]) or \
                not all(top[c] is None or labels.header_role(top[c]) in ("target", "period_target")
                        for c in under):
            continue
        out = [list(row) for row in texts]
        out[r] = [low[c] if c in under else (top[c] or "") for c in range(len(top))]
        out[r + 1] = [""] * len(top)
        return out
    return texts


# ---- building the declaration ------------------------------------------------------------------

def _declaration(*, file: str, layout: str, ident: str, rows: list[RawRow], header: Header,
                 line_start: int, line_end: int) -> Declaration:
    decl = Declaration(id=ident, source=Source(file=file, layout=layout, line_start=line_start,
                                               line_end=line_end))
    if len(rows) > MAX_INDICATORS:
        decl.warn("indicators_cut", f"指标表有 {len(rows)} 行，只读入前 {MAX_INDICATORS} 行"
                  "（真实的表不到一百行）")
        rows = rows[:MAX_INDICATORS]
    kept: list[RawRow] = []
    for row in rows:
        row.name = namepieces.without_label_pieces(row.name)  # a level column's wrapped pieces are no name's
        if _reason_row(row) or _form_row(row):
            continue
        if _piece_row(row):
            if kept:
                _value_tail(kept[-1], row)
            continue
        kept.append(row)
    for row in kept:
        decl.indicators.append(_indicator(row, decl))
    if not decl.indicators:
        decl.warn("no_indicators", "找到了指标表头，但表头下没有可读的行（文本可能被截断）")
    return decl


_TITLE = re.compile(r"(?:绩效目标|绩效自评|自评|申报|审批|目标)表$")
_FIELD_VALUE = re.compile(r"^([\u4e00-\u9fff]{2,8})[:：]")


def _form_row(row: RawRow) -> bool:
    """A row made of the form around the table (a page printed on one line): its title as a name, a
    form field as a name ('年初预算数') or as the value ('主管部门：县农业农村局'), the site's page around it."""
    name = labels.squash(row.name)
    target = labels.squash(row.values.get("target"))
    field = _FIELD_VALUE.match(target)
    return bool(_TITLE.search(name)) or labels.field_label(name) is not None or \
        bool(field and labels.field_label(field[1])) or _page_chrome(name) or _page_chrome(target) or \
        name in labels.vocab()["total_rows"]  # a row of totals (a 自评表's 总分 | 100 | 得分)


def _page_chrome(text: str) -> bool:
    """Words of the site's page around the form (form_labels.json page_chrome: 发布时间, 当前位置 …)."""
    return any(word in text for word in labels.vocab()["page_chrome"])


def _piece_row(row: RawRow) -> bool:
    """A row made of a wrapped cell's piece (a label's '标（30分）', a lone '指' of a PDF's text layer): one
    character of words once its decorations are off names no indicator; nor does a level label's cut
    piece with no value ('(一)服务对象满', '分)(必填)', `labels.label_piece`)."""
    empty = not labels.squash(join_value(row.values))
    # (nor a piece that starts with what no name starts with, a clause break or a particle: '，部分活动', the line of
    # a deviation text wrapped in its cell, with no value)
    return len(labels.strip_decoration(row.name)) <= 1 or \
        (empty and labels.label_piece(row.name)) or \
        (empty and labels.squash(row.name)[:1] in labels.patterns()["explanation_cues"]["continuation_chars"]) or \
        namepieces.is_label_remnant(row.name)


def _value_tail(above: RawRow, piece: RawRow) -> None:
    """A row of pieces under a row whose value its cell wrapped (a PDF's text layer: '填)' of a label beside
    '年' of '≥22万元/村·' / '年'): the one piece that completes the value goes to it (its unit's cell when the
    value is split), the rest is dropped with the row."""
    parts = [t for t in [*piece.values.values(), piece.name] if labels.squash(t) and
             not namepieces.is_label_piece(t)]
    key = "unit" if labels.squash(above.values.get("unit")) else "target"
    if len(parts) == 1 and labels.squash(above.values.get(key)) and \
            wraps.completes_value(join_value(above.values), parts[0]):
        above.values[key] = above.values[key].rstrip() + labels.squash(parts[0])


def _reason_row(row: RawRow) -> bool:
    """A row cut from a 偏差原因 / 评分标准 cell ('资金未及时到位' with a score, words or nothing after):
    words of an explanation and no value are no indicator."""
    target = labels.squash(row.values.get("target"))
    # a reason's score, not a target: a bare small number with no operator or unit cell of a split value beside
    # it ('截至2026年12月底,项目开展率(%)' | '=' | '100' | '%' is a row)
    score = re.fullmatch(r"\d{1,3}(?:\.\d)?", target) is not None and \
        not (labels.squash(row.values.get("operator")) or labels.squash(row.values.get("unit")))
    # (a deviation text wrapped in its cell, a line of it: a sentence broken by its clauses and cut before its end,
    # '资金于3月才下达，项目' / '进度滞后'; a whole sentence, '提高森林覆盖率,促进生物多样性保护。', may be a 效益 row)
    prose = labels.reads_as_explanation(row.name) or labels.reads_as_sentence(row.name) and \
        _CLAUSE.search(row.name) and not row.name.strip().endswith(("。", "."))
    return bool(prose) and (score or not labels.looks_like_value(target)) and not labels.is_short_value_word(target)


_CLAUSE = re.compile(r"[，,；;。]")


def _indicator(row: RawRow, decl: Declaration) -> Indicator:
    raw_value = join_value(row.values)
    target = parse_target(raw_value)
    actual = (row.values.get("actual") or "").strip() or None
    target.actual = actual
    level1, level2 = framework.canonical(_label(row.raw1), _label(row.raw2))
    if row.raw1 and row.raw2 and not framework.compatible(_label(row.raw1), _label(row.raw2)):
        decl.warn("level_conflict", f"「{row.name}」：二级指标「{row.raw2}」印在「{row.raw1}」之下，"
                  f"以二级指标为准（{level1}-{level2}）", row.line)
    name = row.name.strip()
    hint = name_hint(name)
    if not raw_value:
        decl.warn("value_missing", f"「{name}」没有指标值", row.line)
    if target.repaired:
        decl.warn("operator_repaired", f"「{name}」：指标值「{target.raw}」的比较符为识别错误，"
                  f"已修正（{target.repaired}）", row.line)
    return Indicator(level1=level1, level2=level2, raw_level1=row.raw1, raw_level2=row.raw2,
                     name=name, target=target, line=row.line, name_hint=hint,
                     core="★" in name)


def _label(raw: str | None) -> str | None:
    return labels.strip_decoration(raw) if raw else None


def _fill_fields(decl: Declaration, before: list[list[str]], lines: list[str], family: str,
                 title: str) -> None:
    found = field_reader.read_fields(before, spaced=family == "spaced_rows")
    if family == "fused":
        for key, value in field_reader.read_fused_fields("\n".join(" ".join(r) for r in before)).items():
            found.setdefault(key, value)
    decl.project_name = _clean_name(found.get("project_name")) or _name_from_title(title)
    decl.department = _clean_unit(found.get("department"))
    decl.agency = _clean_unit(found.get("agency")) or decl.department
    head_text = "\n".join(" ".join(r) for r in before)
    decl.year = _year(title, head_text, decl.project_name)
    wan = "万元" in head_text or "万元" in title
    decl.budget = Budget(total=field_reader.money_yuan(found.get("budget_total"), wan=wan))
    decl.budget.current_year = decl.budget.total
    for key in ("overview", "basis", "overall_goal", "annual_goal"):
        if found.get(key):
            decl.texts[key] = field_reader.prose(found[key])
    decl.form_kind = _form_kind(title, head_text, decl)
    if found.get("period"):
        decl.start_date, decl.end_date = _period(found["period"])


def _clean_name(value: str | None) -> str | None:
    if not value:
        return None
    value = re.sub(r"^[0-9A-Z]{15,}[-—]", "", labels.squash(value))  # project code prefix
    if value in ("金额", "备注", "序号", "资金", "单位"):
        return None  # a column title of some other table (资金安排表 | 项目名称 | 金额)
    return value[:120] or None


def _clean_unit(value: str | None) -> str | None:
    """A unit's name: no code prefix, no sentence (a label word found inside prose is no label)."""
    if not value:
        return None
    value = re.sub(r"^\[\d+\]", "", labels.squash(value))
    if not value or value[0] in ",，。;；、" or re.search(r"[,，。;；]", value) or len(value) > 40:
        return None
    return value


def _name_from_title(title: str) -> str | None:
    # a spreadsheet's default sheet name (Sheet, Sheet1, 工作表1) says nothing about the project
    if not title or re.fullmatch(r"(sheet|工作表|表)\s*\d*", title.strip(), re.IGNORECASE):
        return None
    name = re.sub(r"(项目支出)?绩效(目标)?(申报|自评|审批|批复)?表.*$|[(（]\d{4}年度[)）]", "", title)
    return name or None


def _year(title: str, head: str, project_name: str | None) -> int | None:
    for text in (title, head, project_name or ""):
        year = find_year(text)
        if year:
            return year
        match = re.search(r"(20\d{2})\s*年", text)
        if match:
            return int(match[1])
    return None


def _form_kind(title: str, head: str, decl: Declaration) -> str:
    if any(i.target.actual for i in decl.indicators) or "自评" in title:
        return "自评"
    if re.search(r"审批表|批复", title):
        return "批复"
    return "申报"


def _period(text: str) -> tuple[str | None, str | None]:
    dates = re.findall(r"(20\d{2})\s*[年.\-/]\s*(\d{1,2})", text)
    if len(dates) >= 2:
        (y1, m1), (y2, m2) = dates[0], dates[-1]
        import calendar
        if 1 <= int(m1) <= 12 and 1 <= int(m2) <= 12:
            last = calendar.monthrange(int(y2), int(m2))[1]
            return f"{int(y1):04d}-{int(m1):02d}-01", f"{int(y2):04d}-{int(m2):02d}-{last:02d}"
    return None, None
