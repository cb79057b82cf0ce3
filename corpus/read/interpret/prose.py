"""Indicators written as sentences and labelled lines (a 绩效目标 text field, a 公示 page):

    产出指标：数量指标：培训人数≥500人次；培训班期数不少于10期。质量指标：培训合格率达到95%以上。
    1.产出指标
    （1）时效指标：培训完成时间2024年11月底前。
    指标1：培训人数（≥500人次）；指标2：…

A level label followed by a colon (any label `labels.level_label` builds: numbering, ending, score, spaces)
opens its block wherever it stands on the line, whatever comes before it (a heading) or after it (the
block's clauses); a line that is a label alone opens its block too. Nothing is read before the first label.
Clauses are cut at ；，。 (and at 、 after a valued clause: a name may hold one, '举办讲座、展览、培训次数').
A clause is a row only when it holds a value of a shape the reader knows, and its name is the words
around it:
- name, then a value at the clause's end: an operator in any glyph or word of operators.json (≥, 不少于,
  达到…以上), a number and a unit, a deadline, words after the value (以上 / 以内);
- name, then a value in brackets ('培训人数（≥500人次）') or after a colon ('群众满意度：明显提升');
- a deadline, then what is to be done by then ('2024年11月底前完成培训': the name is the words after it);
- name, then a qualitative state built from its parts (degree word + change verb: '有所提升', a duration).
A clause with no value shape is no row: nothing is invented. A name's own numbering (`指标1：`) is kept
(the name as printed), a list's numbering ('1.', '（2）', '①') is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.read.interpret import labels
from corpus.read.interpret.cells import OPERATOR_GLYPHS, Levels, RawRow, is_footer
from corpus.read.interpret.fused import DATE_VALUE, NUMERIC_VALUE, QUALITATIVE_VALUE
from corpus.targets import parse_target
from corpus.vocab import completion_verbs

# where a value may start: an operator of the vocabulary (every glyph and word, OCR glyphs too) or a digit
# (no spaces: a clause's are taken out first, and '\s*' after an optional part is quadratic on a run of spaces)
_VALUE_START = re.compile(rf"(?:{labels.operator_pattern(ocr=True)}|{labels.change_pattern()}|{labels.PER_BASE_BEFORE})?\d")
# a list's numbering before an item ('1.', '2、', '（3）', '④'): no part of the name
_LIST_NUMBERING = re.compile(r"^(?:[(（]\d{1,2}[)）]|\d{1,2}[.、．](?!\d)|[①-⑳])")
# a name's own numbering inside its block ('指标1：', '指标2:'): part of the name as printed, its colon no
# separator between a name and a value
_NAME_NUMBERING = re.compile(r"^指标\d{1,3}[:：]?")
_CLAUSE_ENDS = "；;。，"
_WIDE_SPACE = re.compile(r"[ \u3000\xa0]{2,}|\u3000")
_OPEN, _CLOSE = "(（", ")）"
MAX_NAME = 40
_ISO_DATE = re.compile(r"\d{4}[-/.]\d{1,2}")  # ('2024-12-31前': the target grammar reads it too)
MAX_ROWS = 1000  # rows read (interpret keeps MAX_INDICATORS = 1,000 and warns of more)
TABLE_LINES = 20000  # lines read after the first label, as a table without a header (locate.TABLE_LINES)
MAX_LINE = 20000  # characters of one line read (locate.MAX_LINE)
MAX_CLAUSE = 100  # characters of one indicator clause at most (numbering, a name of 40, a value of 24, brackets)
# function characters of a sentence (的 于 以 为 在 …): never the last of a name before its value
_SENTENCE_CHARS = "".join(ch for ch in labels.patterns()["explanation_cues"]["sentence_chars"] if "\u4e00" <= ch <= "\u9fff")


def indicators(lines: list[str]) -> list[RawRow]:
    """The rows written as sentences under level labels; [] when no label opens a block."""
    rows: list[RawRow] = []
    levels = Levels()
    opened = False
    item = 0  # the list's numbering within the block so far ('1.', '2.' …)
    opened_at = None
    for number, line in enumerate(lines, start=1):
        if len(rows) > MAX_ROWS or opened_at is not None and number - opened_at > TABLE_LINES:
            break  # (the declaration keeps 1,000 rows and says so; a longer text is prose, not targets)
        text = line.strip()[:MAX_LINE]
        if not text or "\t" in text or "|" in text:
            continue  # a table's row, not a sentence
        if opened and is_footer(text):
            break
        opened_at = number if opened and opened_at is None else opened_at
        whole = labels.level_label(text)
        if whole:  # a label on a line of its own ('1.产出指标', '（一）数量指标')
            levels.take(text, whole)
            opened = True
            continue
        if is_section(text):  # '四、绩效目标': the targets follow as sentences, no level named yet
            opened = True
            continue
        for clause in _clauses(text):
            clause, found = _take_labels(clause, levels)
            opened = opened or found
            if not opened or not clause:
                continue
            item = 0 if found else item
            clause, item = _numbered_item(clause, item)
            pair = name_and_value(clause)
            if pair is not None:
                rows.append(RawRow(levels.raw1, levels.raw2, pair[0], {"target": pair[1]}, number,
                                   explicit=False))
    return _not_restated(rows)


def _numbered_item(clause: str, item: int) -> tuple[str, int]:
    """The clause less its list numbering when it is the next of its block, or the first of a new count
    ('1.2型糖尿病患者规范管理率≥60%': item 1, the name '2型…'; a decimal's point is no numbering elsewhere)."""
    for number in dict.fromkeys((item + 1, 1)):
        for mark in (f"{number}.", f"{number}．", f"{number}、", f"({number})", f"（{number}）"):
            if clause.startswith(mark) and len(clause) > len(mark) + 1:
                return clause[len(mark):], number
    return clause, item


def _not_restated(rows: list[RawRow]) -> list[RawRow]:
    """The rows less the year's goals above the labels that say a labelled row again ('目标1：培训人数达到
    ≥500人次' under 年度绩效目标, then '产出指标：培训人数不少于500人次'): the same target (operator, number,
    unit) under a name that holds the row's name (less its own numbering)."""
    first = next((i for i, r in enumerate(rows) if r.raw1 or r.raw2), None)
    if not first:
        return rows  # no labelled row, or none before the first
    labelled = [(_NAME_NUMBERING.sub("", labels.squash(r.name)), _meaning(r)) for r in rows[first:]]

    def restated(row: RawRow) -> bool:
        name, meaning = labels.squash(row.name), _meaning(row)
        return any(n and n in name and m == meaning for n, m in labelled)
    return [r for r in rows[:first] if not restated(r)] + rows[first:]


def _meaning(row: RawRow) -> tuple:
    target = parse_target(row.values.get("target"))
    return target.kind, target.operator, target.value, target.unit, str(target.deadline)


def _clauses(text: str) -> list[str]:
    """A line's clauses: cut at ；，。 outside brackets (a ',' between digits is a thousands separator),
    at runs of spaces (cells, never inside a clause), and at 、 where the words before it hold a value."""
    pieces: list[str] = []
    depth, start = 0, 0
    for index, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and (ch in _CLAUSE_ENDS or ch == "," and not _between_digits(text, index)):
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    out: list[str] = []
    for piece in pieces:
        for part in _WIDE_SPACE.split(piece):
            if not _cells_apart(part):
                out.extend(_cut_at_enumeration_comma(re.sub(r"\s+", "", part)))
    return [c for c in out if c]


def _cells_apart(part: str) -> bool:
    """A table's row printed with single spaces between its cells (a PDF's text layer: '(一)数量目标
    指标1：培训人数 人次 ≥ 500'), not a clause: two of its pieces or more are cells of their own (a level
    label, a value, a unit, an operator, a number). A label spelled with spaces ('产 出 指 标') is one."""
    tokens = part.split()
    if len(tokens) < 2:
        return False
    if any(labels.is_target_value(t) for t in tokens[:-1]):
        return True  # a value with words after it in cells of their own (an explanation): a clause ends in its value
    return sum(_cell_of_its_own(t) for t in tokens) >= 2


def _cell_of_its_own(token: str) -> bool:
    if len(token) == 1 and "\u4e00" <= token <= "\u9fff":
        return False  # a character of a label spelled with spaces ('成 本 指 标': 本 is no unit cell there)
    return bool(labels.level_label(token) or labels.is_target_value(token) or labels.is_unit(token) or
                token in OPERATOR_GLYPHS or labels.is_plain_number(token))


def _between_digits(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit()


def _cut_at_enumeration_comma(clause: str) -> list[str]:
    """'培训人数≥500人次、培训班期数≥10期' is two clauses; '举办讲座、展览、培训次数≥5次' and '一、产出指标' are
    one: a 、 ends a clause only where the words before it are a name and a value."""
    out: list[str] = []
    pending = ""
    depth = 0
    for ch in clause:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch == "、" and depth == 0 and _valued_item(pending):
            out.append(pending)
            pending = ""
            continue
        pending += ch
    return out + [pending]


def _valued_item(pending: str) -> bool:
    """Words before a 、 that end in a name and a value (the labels before them, '产出指标：', aside)."""
    last = pending[pending.rfind("：") + 1:] if "：" in pending else pending[pending.rfind(":") + 1:]
    return name_and_value(pending) is not None or name_and_value(last) is not None


def _take_labels(clause: str, levels: Levels) -> tuple[str, bool]:
    """The clause after its level labels ('产出指标：数量指标：培训人数≥500人次' → '培训人数≥500人次'),
    each label taken into `levels`; words before a label (a heading, '年度绩效指标：') are dropped. After
    the labels, a colon is a name's ('群众满意度：明显提升') or its numbering's ('指标1：')."""
    found = False
    start = cut = 0
    for match in re.finditer(r"[:：]", clause):
        segment = clause[start:match.start()]
        kind = labels.level_label(segment)
        if kind:
            levels.take(segment, kind)
            found = True
            cut = match.end()
        elif not found and is_section(segment):  # '绩效目标：…'
            found = True
            cut = match.end()
        elif found or _NAME_NUMBERING.match(clause[start:match.end()]):
            break
        start = match.end()
    rest = clause[cut:]
    whole = labels.level_label(rest)
    if whole:  # '一、产出指标' as a clause of its own, or after a heading ('年度绩效指标：一、实施效果指标')
        levels.take(rest, whole)
        return "", True
    return rest, found


def is_section(text: str) -> bool:
    """A heading under which the targets are written as sentences (form_labels.json text_sections)."""
    return labels.strip_decoration(text).rstrip(":") in _sections()


@lru_cache(maxsize=1)
def _sections() -> frozenset[str]:
    return frozenset(labels.squash(w) for w in labels.vocab()["text_sections"])


def name_and_value(clause: str) -> tuple[str, str] | None:
    """(name, value as printed) of one clause, or None when it holds no value of a known shape."""
    if len(clause) > MAX_CLAUSE:
        return None  # longer than any numbering, name and value together: prose, not an indicator
    clause = _LIST_NUMBERING.sub("", clause)
    numbering = _NAME_NUMBERING.match(clause)
    head = numbering[0] if numbering else ""
    body = clause[len(head):]
    pair = _bracketed(body) or _after_colon(body) or _value_at_end(body) or _deadline_first(body) or \
        _state_at_end(body)
    if pair is None:
        return None
    # a function character between the name and its value is the sentence's, not the name's ('培训人数为500人次',
    # '项目于2024年12月底前完成': explanation_cues.sentence_chars)
    name, value = pair[0].strip().rstrip(_SENTENCE_CHARS), pair[1].strip()
    core = labels.squash(name)
    if not 2 <= len(core) <= MAX_NAME or not re.search(r"[\u4e00-\u9fff]", core) or \
            labels.field_label(core) or labels.looks_like_value(core):
        return None
    return head + name, value


def _bracketed(body: str) -> tuple[str, str] | None:
    """'培训人数（≥500人次）': a value in the brackets closing the clause."""
    if not body or body[-1] not in _CLOSE:
        return None
    depth = 0
    for index in range(len(body) - 1, -1, -1):
        if body[index] in _CLOSE:
            depth += 1
        elif body[index] in _OPEN:
            depth -= 1
            if depth == 0:
                inside = body[index + 1:-1]
                return (body[:index], inside) if inside and labels.is_target_value(inside) else None
    return None


def _after_colon(body: str) -> tuple[str, str] | None:
    """'群众满意度：明显提升', '培训人数:≥500人次'."""
    parts = re.split(r"[:：]", body)
    if len(parts) == 2 and labels.is_target_value(parts[1]):
        return parts[0], parts[1]
    return None


def _value_at_end(body: str) -> tuple[str, str] | None:
    """Words, then a value that ends the clause: the first place from which the rest reads as a value
    (an operator's first character, or a number's first digit)."""
    for match in _VALUE_START.finditer(body, 1):
        at = match.start()
        if body[at - 1].isdigit() or body[at - 1] == ".":
            continue
        rest = body[at:]
        if _value_shape(rest):
            return body[:at], rest
    return None


def _value_shape(text: str) -> bool:
    """A whole value of the shapes the reader knows: [operator] number [万/亿] unit [per …] [以上], an
    operator with a bare number, or a deadline. Words after the number that are no unit ('8万余株',
    '8万多株': a count given roughly) make no value."""
    if NUMERIC_VALUE.fullmatch(text):
        return bool(re.search(r"[^\d.,]", text))  # an operator or a unit: a bare number is a name's
    return bool(DATE_VALUE.match(text) or _ISO_DATE.match(text)) and parse_target(text).kind == "deadline" and \
        labels.looks_like_value(text)


def _deadline_first(body: str) -> tuple[str, str] | None:
    """'2024年11月底前完成培训': a deadline first, what is done by then after it (the name starts with its
    completion verb: '完成培训'; else the words after the longest deadline)."""
    body = body.lstrip(_SENTENCE_CHARS)  # '于2024年11月底前完成培训'
    date = DATE_VALUE.match(body)
    if not date:
        return None
    verbs = completion_verbs()
    # the date's shape, and a value ending of deadlines.json after it ('前完成'): a few ends, longest first
    ends = [end for end in range(min(len(body) - 2, date.end() + 3), date.end() - 1, -1)
            if parse_target(body[:end]).kind == "deadline"]
    for end in ends:
        verb = next((v for v in verbs if body.startswith(v, end)), None)
        if verb and len(body) - end > len(verb):
            return body[end:], body[:end]
    # no completion verb after any of them: the words after the longest (a verb alone, '2024年底前完成', names
    # nothing)
    if ends and not body[ends[0]:].startswith(verbs):
        return body[ends[0]:], body[:ends[0]]
    return None


def _state_at_end(body: str) -> tuple[str, str] | None:
    """Words, then a qualitative state built from its parts at the clause's end (degree word + change
    verb [+ object]: '有所提升', '有效改善农村人居环境'; a duration: '长期')."""
    for match in QUALITATIVE_VALUE.finditer(body, 2):
        rest = body[match.start():]
        if labels.is_state_phrase(rest):
            return body[:match.start()], rest
    return None
