"""Tables whose cells ran together with no separator (document-site previews, OCR):

    数量 指标5000吨稻谷、500吨成 品粮储备到位率100%100%库存数量真实率100%…

Spaces are dropped (they are cell wraps, not separators), page markers (`2、` at a line start)
removed, then the text is cut at level labels and, inside a class, at runs of values: a run of
as many values as the header has value columns (`100%100%`: target and actual; `2020`: the same
number twice) ends a row; a shorter run inside a name (`5000吨稻谷`) stays part of the name.
The result is bounded rows `[labels…, name, value…]`, read like any other table.
"""

from __future__ import annotations

import re

from corpus import framework
from corpus.read.interpret import labels
from corpus.read.interpret.cells import FOOTERS
from corpus.read.interpret.table import post_name_roles, ungroup_heading
from corpus.read.interpret.textrows import TextCell, TextRow
from corpus.targets import UNITS, parse_target

def _label_pattern() -> re.Pattern:
    """A level label inside fused text, built from the framework's words: [numbering] word ending
    [score / tag], or a bare word marked by a numbering or a score ('(一)数量(20分)'). A bare word
    with no mark is no label: '质量' inside a name stays part of it."""
    words = "|".join(sorted(framework.level_words(), key=len, reverse=True))
    endings = "|".join(e for e in sorted(labels.patterns()["level_endings"], key=len, reverse=True)
                       if e != "值")  # '产出值' is no label inside running text
    numbering = r"(?:[(（][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.、．])"
    mark = r"(?:[(（]\d{1,3}(?:-\d{1,3})?分?[)）]分?|[(（](?:必填|选填)[^()（）]{0,6}[)）])"
    # '生态效益指标1病害…': the 指标 belongs to the numbered name after the label ('指标1病害…'), not to
    # the label; '数量指标5000吨…' keeps it (a number of three digits or more is no name's numbering)
    numbered_name = r"指标\d{1,2}(?![\d.])"
    return re.compile(rf"{numbering}?(?:{words})(?:(?:{endings})(?<!指标)|(?:{endings})(?!\d{{1,2}}(?![\d.])))"
                      rf"{mark}*|"
                      rf"{numbering}?(?:{words})(?={numbered_name})|{numbering}(?:{words}){mark}*|"
                      rf"(?:{words}){mark}+")


_LABEL = _label_pattern()


def _unit_pattern() -> str:
    """The units a fused value may end in: those the target grammar reads, and the vocabulary's other
    units of two characters or more (立方米, 平方公里, 户次: a one-character one such as 口 or 门 would
    eat the first character of the next name)."""
    from corpus.vocab import units
    more = [w for u in units() for w in (u["unit"], *u.get("aliases", ())) if len(w) >= 2 and "/" not in w]
    return "|".join(re.escape(w) for w in sorted({*UNITS, *more}, key=len, reverse=True))


def _per_pattern() -> str:
    """What a value is counted per ('元/人', '万元/项', '元/生·年'): any unit of the vocabulary, a
    one-character one too (after '/' it cannot eat the next name's first character)."""
    from corpus.vocab import units
    words = {w for u in units() for w in (u["unit"], *u.get("aliases", ())) if "/" not in w}
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _short_unit_pattern() -> str:
    """The vocabulary's one-character units (盏, 门, 口 …): a value may end in one where no word follows
    ('≥77.8盏≥77.8盏8': the actual, a score or the line's end after it), as then it cannot be the next
    name's first character."""
    from corpus.vocab import units
    words = {w for u in units() for w in (u["unit"], *u.get("aliases", ())) if len(w) == 1}
    return "[" + "".join(re.escape(w) for w in sorted(words)) + r"](?![\u4e00-\u9fff])"


_UNIT_RE = _unit_pattern()
_SHORT_UNIT = _short_unit_pattern()
_PER = _per_pattern()
_DATE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:[-—~～至到]+(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?)?"
                   r"(?:底|末|前|以前|之前)?|(?:每年)?\d{1,2}月(?:\d{1,2}日)?(?:底前|底|末|前)|\d{4}年(?:底|末)")
# a value: [operator of the vocabulary] number [万/亿] [unit] [(unit)] [/per]
_OPERATOR = labels.operator_pattern()


# (a range's upper end, '90%-95%', and a base of counting, '每万人9名', '≤4661/10万': labels' pieces)
_NUMERIC = re.compile(rf"(?:{_OPERATOR}|{labels.change_pattern()}|是/否|{labels.PER_BASE_BEFORE})?"
                      rf"\d[\d,]*(?:\.\d+)?(?:{labels.RANGE_REST})?(?:万|亿)?(?:{_UNIT_RE}|{_SHORT_UNIT})?"
                      rf"(?:[(（][\u4e00-\u9fff]{{1,2}}[)）])?"
                      rf"(?:/(?:{_PER})(?:·[年月日天次])?(?:[(（][\u4e00-\u9fff]{{1,2}}[)）])?|{labels.PER_BASE_AFTER})?"
                      rf"(?:{labels.words_after_pattern()})?")
NUMERIC_VALUE = _NUMERIC  # (a value ending a sentence's clause, `prose.py`)
DATE_VALUE = _DATE  # (a deadline opening a sentence's clause, `prose.py`)
_WORD_VALUE = re.compile(r"是/否|是|否|高|无|显著|达标|合格|完成")


def _qualitative_pattern() -> re.Pattern:
    """A qualitative target by construction (label_patterns.json qualitative_parts): a degree word and a
    change verb ('明显改善', '逐步提高', '持续发挥效益') or a duration ('中长期'), nothing after it: in cells
    run together an object after the verb cannot be told from the next name."""
    parts = labels.patterns()["qualitative_parts"]
    alt = lambda words: "|".join(sorted(words, key=len, reverse=True))  # noqa: E731
    return re.compile(rf"(?:{alt(parts['degree'])})(?:{alt(parts['change'])})|(?:{alt(parts['durations'])})")


_QUALITATIVE = _qualitative_pattern()
QUALITATIVE_VALUE = _QUALITATIVE  # (the sentence reader's too: a state ending a clause)
# (or where a name ends just before it: '…辍学学生数' + '明显改善')
_NAME_ENDINGS = tuple(labels.patterns()["explanation_cues"]["name_endings"])
_PAGE_MARK = re.compile(r"^\s*\d{1,2}、")
_NAME_NUMBERING = re.compile(r"指标\d{1,2}(?![\d.])")  # '指标1', '指标2:': a name's numbering in its block
_STOP_PUNCT = ",，、;；:：/"


def rows(lines: list[str], header_line: int | None, *, headerless: bool = False) -> list[TextRow]:
    """Rows of a fused table (the header as one row of header words); rows before the header are
    the text's lines. `headerless`: the table starts at its first level label, with no header row
    (an empty row stands in its place)."""
    start = header_line or 0
    pre = [TextRow([TextCell(line.strip(), n)], n)
           for n, line in enumerate(lines[:start], start=1) if line.strip()]
    text, line_of = _squash_lines(lines, start)
    anchor = re.search(r"二级指标|三级指标|指标名称", text)
    if anchor is None and not headerless and not _header_at_start(text):
        return pre
    head_start = _extend_left(text, anchor.start()) if anchor else 0
    if head_start > 0:
        pre.append(TextRow([TextCell(text[:head_start], line_of(0))], line_of(0)))
    header_cells, head_end = labels.header_words_run_together(text, head_start)  # (none where a headerless text starts)
    header_cells = ungroup_heading(header_cells)  # 指标值 spanning 指标性质 / 指标值 / 度量单位 (a page's colspan)
    if head_end - head_start >= 4:
        # the header printed again at each page top, and the page marks, are not part of any row; the
        # header's words no list holds (up to the first label) are printed again with it
        label_at = _LABEL.search(text, head_end)
        tail = text[head_end:label_at.start()] if label_at and not headerless else ""
        repeated = text[head_start:head_end] + (tail if len(tail) <= _HEADER_TAIL else "")
        repeat = re.compile(re.escape(repeated) + r"|第\d{1,4}页(?:共\d{1,4}页)?")
        text = text[:head_end] + repeat.sub("", text[head_end:])
    else:
        repeat = None
    ends = _row_line_ends(lines, start, header_line is not None or headerless, repeat, first_is_row=headerless)
    first_label = _LABEL.search(text, head_end)
    # (headerless: the words before the first label are rows, not a value column's heading)
    unknown = text[head_end:first_label.start()] if first_label and not headerless else ""
    rows_before_label = _holds_rows(unknown)
    if rows_before_label:
        unknown = ""  # rows of no level before the first label, not a value column's heading
    if unknown:
        header_cells.append(unknown)  # per-place value columns we cannot split (笏石街道办埭头镇)
    out = pre + [TextRow([TextCell(c, line_of(head_start)) for c in header_cells], line_of(head_start))]
    _, post = post_name_roles([labels.header_role(c) for c in header_cells])
    roles = [r for _, r in post]
    width = sum(r in ("target", "actual", "other", "period_target") for r in roles)
    header_given = bool(roles)
    unheaded = False  # the header's row rebuilt for rows read as without one
    if not roles:
        # no header: a row ends at any run of values; up to a target, an actual and two scores or
        # weights are its values, not part of its name
        roles, width = ["target", "actual", "score", "score"], 1
        if header_cells and not headerless:
            unknown, unheaded = "", True  # (no value column's heading to widen the rows by)
            # header words that name no value column (考核指标, 全年目标 …: a template's words no list
            # holds): a header is a help, not a requirement; its row heads the rows as a table
            # without one would read them (the level columns it names, a name, the values)
            out[-1] = TextRow([TextCell(c, line_of(head_start)) for c in _unheaded(header_cells)],
                              line_of(head_start))
    if unknown and len(unknown) >= 6:
        width = max(width, 2)
    # with a header the body starts at the first label (what lies between is a value column's
    # heading); with none the fused line is the table, and rows printed above the first label
    # (a merged label printed on its block's middle row) are rows too
    body_start = first_label.start() if first_label and not headerless and not rows_before_label else head_end
    body_end = _footer(text, body_start)
    cursor = body_start
    for label in list(_LABEL.finditer(text, body_start, body_end)) + [None]:
        segment_end = label.start() if label else body_end
        # where each row stands on a line of its own, the line ends are row ends too
        cuts = [cursor] + [e for e in ends if cursor < e < segment_end] + [segment_end]
        for begin, finish in zip(cuts, cuts[1:]):
            out.extend(_segment_rows(text, begin, finish, max(width, 1), roles, line_of, header_given,
                                     explain_cell=not unheaded, one_row=bool(ends)))
        if label is None:
            break
        out.append(TextRow([TextCell(label[0], line_of(label.start()))], line_of(label.start())))
        cursor = label.end()
        after = _AFTER_LABEL.match(text, cursor)
        if after:  # '数量目标(20分)：1.建设…': the label's colon and the list's numbering are no part of the name
            cursor = after.end()
    if header_given and "operator" in roles:
        out = [_operator_apart(row) for row in out]
    return out


# a level label's colon, and a list's numbering after it ('产出指标：1.培训人数≥500人次', written as sentences)
_AFTER_LABEL = re.compile(r"[:：](?:[(（]\d{1,2}[)）]|\d{1,2}[.、．](?!\d)|[①-⑳])?")
_LEADING_OPERATOR = re.compile(rf"({_OPERATOR})(?=\d)")


def _operator_apart(row: TextRow) -> TextRow:
    """Where the header names an operator column (指标性质 | 指标值 | 度量单位: a split value), the operator
    run together with its number ('不低于314人次') is that column's cell, so that the value is joined as a
    split value is ('≥314人次'); a row that has an operator cell of its own is left as it is."""
    from corpus.read.interpret.cells import OPERATOR_CELLS
    texts = [c.text for c in row.cells]
    if len(texts) < 2 or any(labels.squash(t) in OPERATOR_CELLS for t in texts[1:]):
        return row
    for index, cell in enumerate(row.cells[1:], start=1):
        found = _LEADING_OPERATOR.match(cell.text)
        if found:
            cells = row.cells[:index] + [TextCell(found[1], cell.line), TextCell(cell.text[found.end():], cell.line)] + \
                row.cells[index + 1:]
            return TextRow(cells, row.line, row.indent)
    return row


def _holds_rows(words: str) -> bool:
    """Words between a header and the first level label hold rows, not a value column's heading no list
    holds ('笏石街道办埭头镇'), when a value with its operator or a percentage stands among them
    ('贫困地区新增特色产业数量≥1个…': rows printed before any label, their level cells empty)."""
    return any(re.match(_OPERATOR, value) or "%" in value for _, _, value in _tokens(words))


_HEADER_TAIL = 40  # characters of header words no list holds, printed again with the header at a page top
_ROW_LINE_MAX = 160  # characters of a line holding one row run together (a longer line holds several)


def _row_line_ends(lines: list[str], start: int, table: bool, repeat: re.Pattern | None = None,
                   first_is_row: bool = False) -> list[int]:
    """Offsets (in the squashed text from `start`) where a line ends, when the table's rows stand each on
    a line of its own ('购置设备数量按计划完成得满分>=243台（套）>=243台（套）8' / '资产登记入账率…'): the lines
    after the header are short and each holds a value; none otherwise (a whole table on one line).
    `first_is_row`: the line at `start` is the first row (no header line), so its end is a row end too."""
    if not table:
        return []
    offsets: list[int] = []
    size = 0
    body: list[str] = []
    for number, line in enumerate(lines[start:], start=start):
        core = labels.squash(_PAGE_MARK.sub("", line) if number > start else line)
        if repeat is not None and number > start:
            core = repeat.sub("", core)  # (as the text is: the header printed again is taken out of it)
        size += len(core)
        if core and (number > start or first_is_row):
            offsets.append(size)
            body.append(core)
    rows = [core for core in body if not labels.level_label(core)]
    if len(rows) < 3 or any(len(core) > _ROW_LINE_MAX for core in rows) or \
            sum(bool(_tokens(core)) for core in rows) < 0.8 * len(rows):
        return []
    return offsets


def _squash_lines(lines: list[str], start: int):
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    size = 0
    for number, line in enumerate(lines[start:], start=start + 1):
        core = labels.squash(_PAGE_MARK.sub("", line) if number > start + 1 else line)
        offsets.append((size, number))
        parts.append(core)
        size += len(core)

    def line_of(offset: int) -> int:
        found = offsets[0][1] if offsets else 1
        for begin, number in offsets:
            if begin > offset:
                break
            found = number
        return found

    return "".join(parts), line_of


def _extend_left(text: str, position: int) -> int:
    words = sorted({labels.squash(w) for w in ("一级指标", "绩效指标", "级指标")}, key=len, reverse=True)
    moved = True
    while moved:
        moved = False
        for word in words:
            if text[:position].endswith(word):
                position -= len(word)
                moved = True
                break
    return position


def _unheaded(cells: list[str]) -> list[str]:
    """A header row for rows read with the header-less roles: the level headings the header gave, then
    a name and the target (an actual the header does not name is not asked for at the text's end)."""
    levels = [c for c in cells if labels.header_role(c) in ("level1", "level2")]
    return levels + ["指标名称", "指标值"]


def _header_at_start(text: str) -> bool:
    """The text starts with a header of words run together that no anchor word names ('绩效指标评分标准
    年度指标值…': a table with no level columns)."""
    cells, _ = labels.header_words_run_together(text, 0)
    roles = {labels.header_role(c) for c in cells}
    return len(cells) >= 3 and "name" in roles and bool(roles & {"target", "period_target"})


def _footer(text: str, start: int) -> int:
    ends = [text.find(labels.squash(w), start) for w in FOOTERS if len(labels.squash(w)) >= 2]
    ends = [e for e in ends if e >= 0]
    return min(ends) if ends else len(text)


def _tokens(segment: str) -> list[tuple[int, int, str]]:
    """Value tokens: numbers with operator and unit, and short value words."""
    found: list[tuple[int, int, str]] = []
    position = 0
    while position < len(segment):
        range_end = _RANGE.match(segment, position)
        if range_end and (position == 0 or not segment[position - 1].isdigit()):
            position = range_end.end()  # '0-6岁儿童…': a range of numbers is part of a name
            continue
        match = _DATE.match(segment, position) or _NUMERIC.match(segment, position) or \
            _QUALITATIVE.match(segment, position) or _WORD_VALUE.match(segment, position)
        glued = _glued_date(segment, position, match)
        if glued:
            found.append((position, glued, segment[position:glued]))  # '10' + '12月31日前'
            position = glued
            continue
        if match and match.end() > position:
            found.append((match.start(), match.end(), match[0]))
            position = match.end()
        else:
            position += 1
    return found


# a range of numbers that names a group ('0-6岁', '3～5年级'): no value follows it directly
_RANGE = re.compile(r"\d{1,3}[-—~～]\d{1,3}(?=岁|周岁|年级|个月|月龄)")


def _glued_date(segment: str, position: int, match) -> int:
    """A score or weight of one or two digits glued before a date ('10' + '12月31日前'): the end of
    the number when a date starts right after it and reaches further than the number read as one;
    0 otherwise."""
    if match is None or _DATE.fullmatch(match[0]):
        return 0
    for size in (1, 2):
        cut = position + size
        if not segment[position:cut].isdigit() or segment[position] == "0":
            break
        date = _DATE.match(segment, cut)
        if date and date.end() > match.end():
            return cut
    return 0


_OCR_NOISE = "^$`~|"  # symbols an OCR leaves between two values ('80%^80%'): no name or value holds one


def _runs(tokens: list[tuple[int, int, str]], segment: str = "") -> list[list[tuple[int, int, str]]]:
    runs: list[list[tuple[int, int, str]]] = []
    for token in tokens:
        end = runs[-1][-1][1] if runs else -1
        if runs and (end == token[0] or (token[0] == end + 1 and segment[end:end + 1] in tuple(_OCR_NOISE))):
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _split_doubles(run: list[tuple[int, int, str]], scores: bool = False) -> list[str]:
    """'2020' → '20' '20'; '≥11' → '≥1' '1'; '00' → '0' '0' (target and actual fused); with
    score columns after them, '350035001010' → '3500' '3500' '10' '10' and '每亩300' followed
    by '每亩3001010' → '每亩300' '每亩300' '10' '10'."""
    out: list[str] = []
    for _, _, value in run:
        if out and scores and value.startswith(out[-1]) and value != out[-1]:
            rest = _scores(value[len(out[-1]):])
            if rest is not None:
                out += [out[-1]] + rest
                continue
        split = _halves(value)
        # with score columns after the values, a doubled value followed by its two scores is tried before
        # the halves ('10101010': 10 10 and the scores 10 10, not 1010 1010)
        if (split is None or scores and len(out) == 0) and scores and re.search(r"\d\d$", value):
            # the score columns glued after the doubled value: try each length of the tail
            for cut in range(len(value) - 1, 0, -1):
                head, tail = value[:cut], value[cut:]
                rest = _scores(tail)
                halves = _halves(head)
                if rest is not None and halves is not None and len(rest) == 2:
                    split = halves + rest
                    break
                if rest is not None and halves is not None and split is None:
                    split = halves + rest
                    break
        out += split if split is not None else [value]
    return out


def _halves(value: str) -> list[str] | None:
    match = re.fullmatch(rf"({_OPERATOR})?(\d+(?:\.\d+)?\D*)", value)
    body = match[2] if match else ""
    half = len(body) // 2
    if match and len(body) % 2 == 0 and half and body[:half] == body[half:]:
        return [(match[1] or "") + body[:half], body[half:]]
    return None


def _scores(text: str) -> list[str] | None:
    """'1010' → ['10', '10']; '105' → ['10', '5']: one or two scores of at most two digits."""
    for first in (2, 1):
        a, b = text[:first], text[first:]
        if a and re.fullmatch(r"\d{1,2}", a) and (not b or re.fullmatch(r"\d{1,2}", b)) and \
                not a.startswith("0") and not (b or "1").startswith("0"):
            return [a] + ([b] if b else [])
    return None


def _segment_rows(text: str, start: int, end: int, width: int, roles: list[str], line_of,
                  header_given: bool = True, explain_cell: bool = True, one_row: bool = False) -> list[TextRow]:
    """Rows of a segment: [name, explanation?, values…]; `explain_cell` False: an explanation cut off
    the name is left out (a header row rebuilt with no explanation column stands above the rows).
    `one_row`: the segment is one line of a table printed a row a line, so it holds one row: of the
    value runs that could end a row, the row's values are the likeliest (`_likeliest`), and the
    numbers before them belong to the name ('受灾群众12小时内得到初步救助率=100%')."""
    if one_row:
        candidates = _segment_rows_from(text, start, end, width, roles, line_of, header_given, explain_cell,
                                        whole_name=True)
        return [max(candidates, key=_likeliest)] if candidates else []
    return _segment_rows_from(text, start, end, width, roles, line_of, header_given, explain_cell)


def _likeliest(row: TextRow) -> tuple[bool, bool, int, int]:
    """Which of a line's candidate rows is the row: a target written with its operator first (a number
    inside a name has none), then one that is more than a bare number, then one whose values fill more
    columns, then the later one (a row's values stand at its end, what follows them is an explanation
    or a score)."""
    values = [c.text for c in row.cells[1:] if labels.looks_like_value(c.text) or _QUALITATIVE.search(c.text)]
    first = values[0] if values else ""
    # (a bare number is the weakest value: a weight or a score after a qualitative target is no target)
    return (bool(re.match(_OPERATOR, first)), bool(first) and not labels.is_plain_number(first), len(values),
            len(row.cells[0].text))


def _segment_rows_from(text: str, start: int, end: int, width: int, roles: list[str], line_of,
                       header_given: bool = True, explain_cell: bool = True,
                       whole_name: bool = False) -> list[TextRow]:
    """Rows of a segment (see `_segment_rows`); `whole_name`: every candidate row's name runs from the
    segment's start (the candidates of a line holding one row, one of which is chosen)."""
    segment = text[start:end]
    rows: list[TextRow] = []
    name_from = 0
    doubled = _doubled_tail(segment, roles)
    after = roles[roles.index("target") + 1:] if "target" in roles else roles
    trailing_explain = ("explain" in after or not header_given) and not whole_name
    if whole_name and doubled is not None:
        tokens = []  # a row ending in its words twice: the values before them are the name's
    else:
        tokens = _tokens(segment if doubled is None else segment[:doubled[0]])
    for run in _runs(tokens, segment):
        if width < 2:  # short value words ('无', '是') join a run only where an actual follows
            while len(run) > 1 and _WORD_VALUE.fullmatch(run[-1][2]) and run[-1][1] < len(segment):
                run = run[:-1]
        # a value word after the row's values, going on in words ('…>=43米>=43米8' + '完成得满分'): the
        # explanation's first word, not one more value
        while len(run) > 1 and _WORD_VALUE.fullmatch(run[-1][2]) and \
                "\u4e00" <= segment[run[-1][1]:run[-1][1] + 1] <= "\u9fff" and \
                len(_split_doubles(run[:-1])) >= max(width, 2):
            run = run[:-1]
        run = _unit_to_name(run, segment)
        if whole_name:
            run = _object_to_value(run, segment, tokens)
        at_end = run[-1][1] == len(segment)
        numeric_first = bool(re.match(rf"(?:{_OPERATOR}|是/否|不|每[\u4e00-\u9fff]?)?\d", run[0][2]))
        # a qualitative target ends a row inside the text where an actual or a score follows it
        # ('逐步提高逐步提高5'); alone it may be words of a name
        qualitative = _QUALITATIVE.match(run[0][2]) is not None and (
            len(run) >= 2 or segment[name_from:run[0][0]].endswith(_NAME_ENDINGS))
        if not at_end and not numeric_first and not qualitative:
            continue
        follower = segment[run[-1][1]:run[-1][1] + 1]
        bare = len(run) == 1 and re.fullmatch(r"\d+", run[-1][2]) is not None
        if not at_end and (follower in _STOP_PUNCT or (bare and follower in "年月日底末前初内")):
            continue
        pending = segment[name_from:run[0][0]]
        if len(pending) < 2 or pending[-1] in "、，,;；：:（(和及与" or re.fullmatch(r"[\d.%()（）]+", pending):
            continue  # a number inside a name ('5000吨稻谷、500吨…'), not the end of a row
        if pending.endswith("指标") and re.match(r"\d{1,2}(?![\d.])", run[0][2]):
            continue  # '指标1…', '指标2种苗…': the name's numbering, kept with the name
        values = _split_doubles(run, scores="score" in roles[roles.index("target"):]
                                if "target" in roles else False)
        if len(values) < width and not at_end:
            continue
        if len(values) < width and at_end and not numeric_first:
            continue
        extra = max(len(values) - _value_slots(roles, values), 0)
        if not header_given and not extra and _other_measure(values):
            extra = 1  # ('饲料库120平米' + '490元/平米': a target and its actual share their unit)
        pending = segment[name_from:run[0][0]]
        if trailing_explain and rows:
            # the previous row's explanation runs into this name: it ends where its words end
            numbered = _NAME_NUMBERING.search(pending)
            # a numbered name ('指标2:…') starts at its numbering: whatever stands before it ends the
            # previous row, and the numbering (repeated over rows) is no explanation to cut off
            cut = numbered.start() if numbered else _explanation_end(pending) or _repeated_start(pending, text)
            if cut:
                pending = pending[cut:]
        name = pending + "".join(values[:extra])
        values = _unglue_score(values[extra:], roles)
        if not header_given:
            values = _weight_last(values)
        name, explain = _explanation_off(name, text, roles, header_given)
        if not whole_name:
            name_from = run[-1][1]
        if len(name) < 2 or re.fullmatch(r"(指标)?\d*[:、.]?", name):
            continue  # a numbering ('指标1') with no words is no indicator
        cells = [name] + ([explain] if explain and explain_cell else []) + values
        line = line_of(start + run[0][0])
        rows.append(TextRow([TextCell(c, line) for c in cells], line))
    if doubled is not None:
        begin, value, scores = doubled
        name, explain = _explanation_off(segment[name_from:begin], text, roles, header_given)
        # a weight (分值) column before the target: its number glued to the name's end ('新增粮食产能5')
        weight = re.search(r"(?<=[\u4e00-\u9fff)）])\d{1,2}$", name) if _score_first(roles) else None
        if weight:
            name = name[:weight.start()]
        if len(name) >= 2:
            line = line_of(start + begin)
            cells = [name] + ([explain] if explain and explain_cell else []) + \
                ([weight[0]] if weight else []) + [value, value] + scores
            rows.append(TextRow([TextCell(c, line) for c in cells], line))
    return rows


def _score_first(roles: list[str]) -> bool:
    """A score or weight column stands before the target."""
    return "score" in roles and "target" in roles and roles.index("score") < roles.index("target")


def _explanation_off(name: str, text: str, roles: list[str], header_given: bool) -> tuple[str, str | None]:
    """(name, explanation) of a name an explanation column before the value ran into; with no header to
    say where an explanation stands, one glued after the name is cut too. Cut by its cue words, then by
    its repetition in the table (a column's rule or explanation repeats over rows, a name does not) or
    its sentence shape (where what the shape cuts off comes once and a repeated end is found, the
    repeated end: '统计数' + '据按期上报率…' is no explanation, '…上报率' + '指项目覆盖的全部对象' is)."""
    before_target = "explain" in roles[:roles.index("target")] if "target" in roles else False
    if not before_target and header_given:
        return name, None
    cut = _explanation_start(name)
    if not cut:
        shape = _sentence_start(name)
        # the sentence shape's cut, unless what it cuts off comes but once and a repeated end is found
        # (the count, as the repeated end, only in a table of bounded size: linear time in all)
        once = shape and len(text) <= _REPEAT_TEXT and text.count(name[shape:]) < 2
        cut = (_repeated_end(name, text) or shape) if once or not shape else shape
    if not cut and before_target:
        cut = name.find("反映", 2)
    if cut > 0:
        return name[:cut], name[cut:]
    return name, None


_OBJECT_MAX = 8  # characters of the object a qualitative target's verb takes ('农村人居环境')


def _object_to_value(run: list[tuple[int, int, str]], segment: str, tokens) -> list[tuple[int, int, str]]:
    """'有效改善' + '农村人居环境' on a line holding one row: what follows a qualitative target's verb up to
    the next value, score, explanation or the line's end is its object, part of the value (inside a
    whole table run together it could be the next name, and stays there)."""
    last = run[-1]
    if not _QUALITATIVE.fullmatch(last[2]):
        return run
    stop = next((t[0] for t in tokens if t[0] >= last[1]), len(segment))
    cues = labels.patterns()["explanation_cues"]
    heads = tuple(cues["starts"]) + tuple(cues["words"])
    sentence = set(cues["sentence_chars"])
    end = last[1]
    while end < stop and "\u4e00" <= segment[end] <= "\u9fff" and segment[end] not in sentence and \
            not segment.startswith(heads, end):
        end += 1
    if not 2 <= end - last[1] <= _OBJECT_MAX or end < stop and "\u4e00" <= segment[end] <= "\u9fff" and \
            segment[end] not in sentence and not segment.startswith(heads, end):
        return run
    return run[:-1] + [(last[0], end, segment[last[0]:end])]


def _doubled_tail(segment: str, roles: list[str]) -> tuple[int, str, list[str]] | None:
    """A 自评 row ending in the same words twice ('持续改善持续改善', '否否'), scores after."""
    if "actual" not in roles:
        return None
    match = re.search(rf"([\u4e00-\u9fff/]{{1,12}}?)[{re.escape(_OCR_NOISE)}]?\1((?:\d{{1,2}}(?:\.\d)?)*)$", segment)
    if not match or _NUMERIC.fullmatch(match[1]) or _WORD_VALUE.fullmatch(match[1]):
        return None  # numbers and short value words are cut by the value runs
    scores = re.findall(r"\d{1,2}(?:\.\d)?", match[2]) if match[2] else []
    return match.start(), match[1], scores


def _explanation_end(text: str) -> int:
    """Where an explanation at the start of `text` ends ('考核年度内完成情况' + '在岗人员考勤考核合格率'):
    the first end word of `explanation_cues` after which a name of two characters or more is left,
    the words before it starting like an explanation or holding one of its cue words; 0 if none."""
    cues = labels.patterns()["explanation_cues"]
    for end in range(4, min(len(text) - 1, 60)):  # an explanation is a short phrase
        head = text[:end]
        if any(head.endswith(e) for e in cues["endings"]) and text[end] not in _STOP_PUNCT and \
                (head.startswith(tuple(cues["starts"])) or any(w in head for w in cues["words"])):
            return end  # (a name never starts with punctuation: '…得满分' + '，未完成…' is no cut)
    return 0


def _explanation_start(text: str) -> int:
    """Where an explanation column glued after a name begins ('项目按期建成率' + '按计划完成得满分'):
    the first point after which the words start like an explanation (a start or cue word of
    `explanation_cues`) and end like one; 0 if none."""
    cues = labels.patterns()["explanation_cues"]
    if not text.endswith(tuple(cues["endings"])):
        return 0
    heads = tuple(cues["starts"]) + tuple(cues["words"])
    endings = tuple(cues["name_endings"])
    for start in range(2, len(text) - 3):
        head = next((h for h in heads if text.startswith(h, start)), None)
        # ('执法检查' + '计划完成率…': a cue word a name's ending follows is part of the name)
        if head and not text.startswith(endings, start + len(head)):
            return start
    return 0


# characters of a table searched for a repeated explanation: a real fused table holds a few thousand;
# rows × prefixes × this bounds the time (a longer text skips the search)
_REPEAT_TEXT = 50_000


def _repeated_start(text: str, body: str) -> int:
    """Where an explanation that runs into the next name ends, whatever its words: the longest start
    of `text` that is a sentence (holds a function character of `sentence_chars`) and comes again
    elsewhere in the table: a column's rule or explanation repeats over rows, a name does not (and a
    start two names share, '项目预算', is no sentence). 0 if none."""
    if len(body) > _REPEAT_TEXT:
        return 0
    sentence = set(labels.patterns()["explanation_cues"]["sentence_chars"])
    for end in range(min(len(text) - 2, 60), 3, -1):
        piece = text[:end]
        if any(ch in sentence for ch in piece) and text[end] not in _STOP_PUNCT:
            first = body.find(piece)
            if first >= 0 and body.find(piece, first + 1) >= 0:  # it comes again
                return end
    return 0


def _repeated_end(name: str, body: str) -> int:
    """Where an explanation glued after a name starts, whatever its words: the longest end of `name`
    of six characters or more that is a sentence (holds a function character of `sentence_chars`),
    does not end like a name (率, 数, 度 …: '对服务的满意度' is a name's end) and comes again elsewhere
    in the table: a column's rule or explanation repeats over rows, a name does not. 0 if none."""
    if len(body) > _REPEAT_TEXT:
        return 0
    cues = labels.patterns()["explanation_cues"]
    sentence, endings = set(cues["sentence_chars"]), tuple(cues["name_endings"])
    for start in range(2, max(len(name) - 5, 2)):
        piece = name[start:]
        if piece.endswith(endings) or not any(ch in sentence for ch in piece[:4]):
            continue
        first = body.find(piece)
        if first >= 0 and body.find(piece, first + 1) >= 0:
            return start
    return 0


_SENTENCE_NEAR = 6   # characters of an explanation before its first function character


def _sentence_start(text: str) -> int:
    """Where a sentence glued after a name begins, whatever its words ('购置消防装备数量' +
    '数据来源于主管部门统计'): a point after a name ending (`explanation_cues` name_endings) where a
    function character of a sentence (sentence_chars: 的 于 以 为 按 指 …) follows within a few
    characters, the longest ending first, then the first point; 0 if none. An indicator name is a noun phrase: a cut inside one ('补贴面积' +
    '核实准确率') finds no function character so near."""
    cues = labels.patterns()["explanation_cues"]
    endings = cues["name_endings"]
    sentence = set(cues["sentence_chars"])
    best = (0, 0)  # (length of the name ending, -cut): '数量' + '数据来源于…' is cut after 数量, not 数
    for cut in range(3, len(text) - 3):
        size = max((len(e) for e in endings if text[:cut].endswith(e)), default=0)
        if size and any(ch in sentence for ch in text[cut:cut + _SENTENCE_NEAR]) and (size, -cut) > best:
            best = (size, -cut) if best[0] < size or not best[0] else best
    return -best[1]


# (up to four digits: the two scores of a 自评 row run together, '1010' + '年度计划…')
_SCORE_WITH_UNIT = re.compile(r"\d{1,4}([\u4e00-\u9fff])")


def _unit_to_name(run: list[tuple[int, int, str]], segment: str) -> list[tuple[int, int, str]]:
    """'=100%=100%5项目按期投产率': the score after the values is a bare number; a one-character
    unit glued to it that differs from the values' unit and runs on into words is the first
    character of the next name ('项目', '村集体')."""
    if len(run) < 2:
        return run
    last = run[-1]
    match = _SCORE_WITH_UNIT.fullmatch(last[2])
    follower = segment[last[1]:last[1] + 1]
    if match and "\u4e00" <= follower <= "\u9fff" and not run[0][2].endswith(match[1]):
        return run[:-1] + [(last[0], last[1] - 1, last[2][:-1])]
    return run


def _other_measure(values: list[str]) -> bool:
    """With no header, two values run together whose units differ ('120平米' '490元/平米', '1条' '2km'): a
    target and its actual share their unit, so the first is a quantity of the name."""
    if len(values) < 2 or labels.is_plain_number(values[0]) or labels.is_plain_number(values[1]):
        return False
    first, second = parse_target(values[0]), parse_target(values[1])
    return bool(first.unit and second.unit and first.unit != second.unit)


def _weight_last(values: list[str]) -> list[str]:
    """With no header, a bare small number before a value with its operator or unit is the row's
    weight (权重 / 分值 before the target), as `table.weight_first` does for cells."""
    if len(values) >= 2 and re.fullmatch(r"\d{1,3}", values[0]) and int(values[0]) <= 100 and \
            not labels.is_plain_number(values[1]) and labels.looks_like_value(values[1]):
        return values[1:] + values[:1]
    return values


def _value_slots(roles: list[str], values: list[str]) -> int:
    slots = sum(r in ("target", "actual", "other", "period_target", "score", "operator") for r in roles)
    return max(slots, 1) if len(values) > slots else len(values)


def _unglue_score(values: list[str], roles: list[str]) -> list[str]:
    """'8550万粒' + '550万粒' with a 分值 column before the target: the score '8' was glued on."""
    if len(values) >= 2 and "score" in roles and "target" in roles and \
            roles.index("score") < roles.index("target"):
        first, second = values[0], values[1]
        if first.endswith(second) and re.fullmatch(r"\d{1,2}", first[: len(first) - len(second)]):
            return [first[: len(first) - len(second)], second] + values[1:]
    return values
