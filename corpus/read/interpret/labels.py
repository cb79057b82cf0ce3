"""What a cell *is*, read from the vocabulary: a level label, a header word, a field label, a value.

The reader never trusts a column position in flattened text; it recognises cells by meaning.
Words live in `corpus/vocab/form_labels.json` (header words, field labels) and
`corpus/framework.py` (level labels of every template family).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from corpus import framework
from corpus.targets import UNITS, parse_target

VOCAB_FILE = Path(__file__).resolve().parents[2] / "vocab" / "form_labels.json"

PATTERNS_FILE = Path(__file__).resolve().parents[2] / "vocab" / "label_patterns.json"

# A level label is built, not listed: [numbering] framework word [ending] [score / tag]…, spaces
# anywhere ('一、产 出 指 标(50分)', '(二)质量类', '数量目标（必填）'). Each piece is matched at one
# end of the cell with no nested quantifier, so every pattern here runs in linear time.
_NUMBERING = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|"
                        r"\d{1,2}[、．)）]|\d{1,2}\.(?!\d)|第[一二三四五六七八九十]{1,2}[部分类项、])")
# A digit run is entered only at its first digit ((?<![\d.])): tried from every digit of a long
# run, `\d+…$` under search made this quadratic (20,000 digits: 28 s).
_TRAILING_NOTE = re.compile(r"[(（]([^()（）]{0,16})[)）]$|[(（]?(?<![\d.])\d+(?:\.\d+)?(?:[-—~～]\d+)?分?[)）]分?$|"
                            r"(?<![\d.])\d+(?:\.\d+)?分$")
_TRIM = "*★:："
_SPACE = re.compile(r"[\s\u3000]+")


@lru_cache(maxsize=1)
def vocab() -> dict:
    return json.loads(VOCAB_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=65536)  # the same labels come back in every form: a hot spot of text parsing
def squash(text: str | None) -> str:
    """Text without any whitespace, full-width brackets and colons folded."""
    text = _SPACE.sub("", text or "")
    return text.replace("（", "(").replace("）", ")").replace("：", ":")


# where a cell's lines join without a space: Chinese text (a text layer) and, for value cells, a number, its
# unit or its bracket going on ('≥120' + '处', '2025年12月' + '31日前')
_JOIN_AFTER = {False: re.compile(r"[\u4e00-\u9fff]$"), True: re.compile(r"[\u4e00-\u9fff\d（(/·.%]$")}
_JOIN_BEFORE = {False: re.compile(r"[\u4e00-\u9fff（(]"), True: re.compile(r"[\u4e00-\u9fff（()）\d]")}


def join_cell_lines(parts: list[str], *, values: bool = False) -> str:
    """The lines of one cell put back together: Chinese joins without a space ('一级' + '指标'), other text
    with one; with `values` numbers and units go on without one too."""
    text = parts[0]
    for part in parts[1:]:
        glue = "" if _JOIN_AFTER[values].search(text) or _JOIN_BEFORE[values].match(part) else " "
        text += glue + part
    return text


@lru_cache(maxsize=1)
def patterns() -> dict:
    return json.loads(PATTERNS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _tag_words() -> tuple[str, ...]:
    return tuple(patterns()["tag_words"])


@lru_cache(maxsize=65536)
def strip_decoration(text: str) -> str:
    """A label without numbering, scores, template notes and marks: '一、产出指标(50分)(必填)' →
    '产出指标'. A bracket is a note only when it holds a score or a tag word (必填, 选填 …)."""
    core = squash(text).strip(_TRIM)
    core = _NUMBERING.sub("", core, count=1)
    for _ in range(4):
        match = _TRAILING_NOTE.search(core, max(0, len(core) - 20))
        if match is None:
            break
        inside = match[1]
        if inside is not None and inside and not re.search(r"\d", inside) and \
                not any(word in inside for word in _tag_words()):
            break  # '满意度(服务对象)': words of the label, not a note
        core = core[:match.start()].strip(_TRIM)
    return core


@lru_cache(maxsize=65536)
def label_stem(text: str | None) -> str:
    """The framework word of a label: decorations and the ending (指标 / 目标 / 类 / 值) removed."""
    core = strip_decoration(text or "")
    for ending in patterns()["level_endings"]:
        if core.endswith(ending) and len(core) > len(ending):
            return core[: -len(ending)]
    return core


@lru_cache(maxsize=65536)
def level_label(text: str | None) -> str | None:
    """'l1' or 'l2' when the cell is a level label of any template family, else None.

    `产 出 指 标`, `产出指标(50分)`, `数量指标 (必填硬性指标)`, `经济效益 指标` are labels; an
    indicator *named* 满意度 in a long phrase is not (labels are short)."""
    if not text or len(text) > 60:
        return None
    core = strip_decoration(text)
    if not core or len(core) > 14:
        return None
    stem = label_stem(core)
    if framework.is_level1_label(stem):
        return "l1"
    if framework.is_level2_label(stem):
        return "l2"
    return None


def is_decoration(text: str) -> bool:
    """A cell that only carries a label's score or note: '(50)', '30分)', '(必填)'."""
    core = squash(text)
    return bool(core) and len(core) <= 10 and not strip_decoration(core) and \
        bool(re.search(r"[()（）分]|必填|选填", core))


@lru_cache(maxsize=1)
def _header_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for role, items in vocab()["table_header"].items():
        for item in items:
            words.setdefault(squash(item), role)
    return words


@lru_cache(maxsize=65536)
def header_role(text: str | None) -> str | None:
    """Role of a header cell: level1, level2, name, target, period_target, actual, operator,
    unit, score or explain."""
    core = squash(text).strip("*")
    if not core:
        return None
    words = _header_words()
    if core in words:
        return words[core]
    core = re.sub(r"[(（][^)）]{0,12}[)）]$", "", core)  # '年度指标值(A)', '权重(%)'
    return words.get(core) or _header_by_parts(core)


_FIELD_UNITS = ("实施", "申报", "主管", "项目", "预算", "资金", "使用", "业务")


@lru_cache(maxsize=65536)
def _header_by_parts(core: str) -> str | None:
    role = _one_header_word(core)
    if role is None:
        return None
    words = _header_words()
    for cut in range(2, len(core) - 1):  # two header words run together are no header word
        head, tail = core[:cut], core[cut:]
        if role == "actual" and "实际" in head and tail in patterns()["header_parts"]["target"]:
            break  # '实际完成指标值': the actual's value (实际 qualifies the bare 指标值), one heading
        if (words.get(head) or _one_header_word(head)) and (words.get(tail) or _one_header_word(tail)):
            return None
    return role


@lru_cache(maxsize=65536)
def _one_header_word(core: str) -> str | None:
    """A header word not in the list, read from its parts ('全年指标值' target, '半年目标值'
    period_target, '全年实际完成数' actual, '指标解释' explain); short cells only."""
    if len(core) > 12 or len(core) < 2:
        return None
    parts = patterns()["header_parts"]
    for role in ("level1", "level2", "name"):
        # '一级指标名称', '三级指标名称': a level column headed by its name
        if core in parts[role] or (core.endswith("名称") and core[:-2] in parts[role]):
            return role

    def ends(role: str) -> bool:
        return any(core.endswith(p) for p in parts[role])

    if core in parts["side_words"]:
        return "score"

    if ends("explain"):
        return "explain"
    valued = ends("actual") or ends("target")
    if valued and core.startswith(tuple(parts["prior"])):
        return "period_target"  # '上年指标值', '上年实际完成值': another year's column, never the target
    if ends("actual"):
        # '计划完成值', '预期完成数': planned, so the target
        return "target" if core.startswith(tuple(parts["planned"])) else "actual"
    if "实际" in core and (ends("target") or core.endswith(("完成", "指标"))):
        return "actual"  # '实际指标值', '全年实际完成', '实际完成指标'

    if ends("score"):
        return "score"
    if core.endswith("单位"):
        return "unit" if len(core) <= 4 and not core.startswith(_FIELD_UNITS) else None
    if ends("operator") and len(core) <= 6:
        return "operator"
    period = any(p in core for p in parts["period_target"])
    if ends("target") or (period and core.endswith("目标")):  # '实施期目标', '中期目标'
        return "period_target" if period else "target"
    return None


@lru_cache(maxsize=65536)
def header_fragment(text: str | None) -> bool:
    """Part of a header word split over cells ('年度' + '指标值', '偏差原因' + '分析及')."""
    core = squash(text)
    return len(core) >= 2 and any(core in word for word in _header_words())


@lru_cache(maxsize=1)
def _field_words() -> list[tuple[str, str]]:
    pairs = [(squash(w), field) for field, words in vocab()["header_fields"].items() for w in words]
    pairs += [(squash(w), "stop") for w in vocab()["stop_words"]]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


_CLOSED_PIECE = re.compile(r"^[^()]{0,3}\)")     # '分)', '填)', '0分)(必填)': a label's note cut off its head
_OPEN_NOTE = re.compile(r"\([^()]*$")            # '效益指标(50': a note cut at the cell's width


def label_piece(text: str | None) -> bool:
    """A level label cut at its narrow cell's width (a PDF's text layer prints its lines apart): the tail
    of its note ('分)', '填)'), or its numbering with the start of a framework word ('(一)服务对象满',
    '(二)社会效益目') or a whole label whose note was cut ('(三)效益指标(50', '一、项目完成(')."""
    core = squash(text)
    if not core or len(core) > 24:
        return False
    if _CLOSED_PIECE.match(core):
        return True
    numbered = _NUMBERING.match(core)
    if not numbered:
        return False
    rest = core[numbered.end():]
    if "(" in rest and _OPEN_NOTE.search(rest):
        head = _OPEN_NOTE.sub("", rest)
        return framework.stem(head) in framework.level_words()
    if len(rest) < 2 or "(" in rest or ")" in rest or level_label(core):
        return False
    return any(full.startswith(rest) and full != rest for word in framework.level_words()
               for full in (word + "指标", word + "目标"))


@lru_cache(maxsize=65536)
def field_label(text: str | None) -> str | None:
    """Header field of a label cell ('项目名称' → project_name); 'stop' for labels we skip."""
    core = squash(text).rstrip(":*")
    core = _MONEY_UNIT.sub("", core)
    return _field_lookup().get(core)


_MONEY_UNIT = re.compile(r"\(万元\)|\(元\)$")


@lru_cache(maxsize=1)
def _field_lookup() -> dict[str, str]:
    """word → field, the first pair of `_field_words` winning, as its linear scan did."""
    lookup: dict[str, str] = {}
    for word, field in _field_words():
        lookup.setdefault(word, field)
    return lookup


def field_words() -> list[tuple[str, str]]:
    return _field_words()


@lru_cache(maxsize=8)
def operator_pattern(*, ocr: bool = False, words: bool = True) -> str:
    """A regex alternation of every glyph and word the vocabulary writes before a number
    (corpus/vocab/operators.json symbols, and words_before unless `words` is False; with `ocr` the
    OCR glyphs 《 》 too), longest first: one list for every reader of values, never a local copy."""
    from corpus.vocab import operators
    data = operators()
    # (with the words: the verbs that set a bound too, 控制在 / 压缩至)
    keys = ("symbols",) + (("words_before", "verbs_before") if words else ()) + (("ocr",) if ocr else ())
    glyphs = {g for key in keys for g, _ in data[key]}
    return "|".join(re.escape(g) for g in sorted(glyphs, key=len, reverse=True))


@lru_cache(maxsize=1)
def change_pattern() -> str:
    """A verb of change by an amount in 百分点 (operators.json changes_before: '提高5个百分点', '下降2个百分点'). Only
    before 百分点: '…较上年减少' + '2%' is a name that states its direction and a rate that reads by itself."""
    from corpus.vocab import operators
    verbs = sorted({w for w, _ in operators()["changes_before"]}, key=len, reverse=True)
    return rf"(?:{'|'.join(map(re.escape, verbs))})(?=\d[\d.]*个?百分点)"


# a value counted per a base before its number ('每万人9名', '每10万人口…', '每亩300'): 每, a base of counting, a word
PER_BASE_BEFORE = r"每(?:\d{0,3}[十百千万亿])?[\u4e00-\u9fff]{0,2}?"
# what may follow a number as the base it is counted per ('/10万', '/千人', '/万人')
PER_BASE_AFTER = r"/\d{0,3}[十百千万亿]+[\u4e00-\u9fff]?"
# the rest of a range after its lower number ('90%' + '-95', '3' + '至5'): [% ‰] dash, tilde, 至 or 到, a number
RANGE_REST = r"[%‰]?[-—–~～至到]\d[\d,]*(?:\.\d+)?"
_VALUE_START = re.compile(rf"^(?:{operator_pattern(ocr=True)}|{change_pattern()}|{PER_BASE_BEFORE}|约)?"
                          r"\s*[\d０-９.]")
_RANGE_AFTER = re.compile(rf"^{RANGE_REST}")
_DATE_RANGE = re.compile(r"^\d{4}年\d{1,2}月(\d{1,2}日)?[-—~～至到]+(\d{4}年)?\d{1,2}月(\d{1,2}日)?$")
_ORDINAL_NAME = re.compile(r"^\d+[、.．]\D")


@lru_cache(maxsize=65536)
def looks_like_value(text: str | None) -> bool:
    """A short cell that parses as a target (number with operator/unit, deadline, percentage)."""
    core = squash(text)
    if not core or len(core) > 24:
        return False
    if _ORDINAL_NAME.match(core):
        return False
    target = parse_target(core)
    if target.kind == "deadline" or _DATE_RANGE.match(core):
        return True
    if target.kind not in ("quantitative", "relative"):
        return core in ("—", "-", "/")
    if target.kind == "relative" and core[:1] in "≥≤><=＞＜＝":
        return True
    if not _VALUE_START.match(core):
        return False
    # a value is an operator, a number, a unit and at most a short tail ('以上', '/月');
    # a name with a number in it ('5000吨稻谷、500吨成') has words after its number
    match = re.search(r"\d[\d,]*(?:\.\d+)?", core)
    tail = core[match.end():] if match else core
    ranged = _RANGE_AFTER.match(tail)  # '90%-95%', '3-5个': the unit after the upper end
    tail = tail[ranged.end():] if ranged else tail
    tail = re.sub(r"^(万|亿)", "", tail.lstrip("(（"))
    unit = next((u for u in _value_units() if tail.startswith(u)), None)
    if unit:
        tail = tail[len(unit):]
    tail = re.sub(rf"[)）]|以上|以下|以内|之内|及以上|及以下|{PER_BASE_AFTER}|/[\u4e00-\u9fffA-Za-z²]{{1,3}}|每[\u4e00-\u9fff]|左右",
                  "", tail)
    if ranged:  # a range ends in its unit ('0-6' + '岁儿…' is the start of a name: '0-6岁儿童健康管理率')
        return not tail
    return len(tail) <= 2


@lru_cache(maxsize=1)
def _value_units() -> tuple[str, ...]:
    """Every unit a value may end in, longest first: the target grammar's and the units vocabulary's
    (立方米, 平方公里, 户次 …: '>=207万立方米' is a value, not a name with a number in it)."""
    from corpus.vocab import units
    more = {w for u in units() for w in (u["unit"], *u.get("aliases", ())) if "/" not in w}
    return tuple(sorted({*UNITS, *more}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _unit_cell() -> re.Pattern:
    from corpus.targets import UNIT_PATTERN
    return re.compile(rf"(?:万|亿)?(?:{UNIT_PATTERN})(?:/(?:{UNIT_PATTERN}|[\u4e00-\u9fff]{{1,2}}))?(?:·[\u4e00-\u9fff]{{1,2}})?")


@lru_cache(maxsize=65536)
def is_unit(text: str | None) -> bool:
    """A cell that holds only a unit ('平方米', '元/平方米', '%', '人次'): a 度量单位 column."""
    core = squash(text).strip("()")
    return 0 < len(core) <= 8 and _unit_cell().fullmatch(core) is not None


@lru_cache(maxsize=65536)
def glued_label(token: str) -> int:
    """The length of a level label closed by its note that starts the token and runs into the next cell's
    words ('(一)产出指标(50分)(必填)施工工地扬尘防控措施落实率': a text keeping the layout prints a cell
    that fills its column's width against the next one); 0 when the token is no such thing. Only a note's
    closing bracket ends the label, so a name that starts with a framework word ('产出指标完成率') stays."""
    if len(token) > 80 or ")" not in token and "）" not in token:
        return 0
    best = 0
    for at, ch in enumerate(token):
        if ch in ")）" and at + 1 < len(token) and level_label(token[:at + 1]):
            best = at + 1
    if not best:
        return 0
    rest = squash(token[best:])
    if len(rest) < 2 or is_decoration(rest) or label_piece(rest) or level_label(rest):
        return 0
    return best


def is_value_unit(text: str | None) -> bool:
    """A unit cell ('元/平方米', `is_unit`) or any unit a value may end in (the units vocabulary's '公斤')."""
    core = squash(text).strip("()")
    return is_unit(core) or core in _value_units()


def is_plain_number(text: str | None) -> bool:
    return bool(re.fullmatch(r"[\d.]+|—|-|/|／", squash(text)))


@lru_cache(maxsize=1)
def qualitative_values() -> frozenset[str]:
    return frozenset(vocab()["qualitative_values"])


@lru_cache(maxsize=65536)
def reads_as_explanation(text: str | None) -> bool:
    """A cell of an explanation / scoring-rule / deviation-reason column ('受疫情影响进度滞后',
    '按计划完成得满分'): a cue word of `explanation_cues` and no indicator-name ending."""
    core = squash(text)
    cues = patterns()["explanation_cues"]
    if len(core) < 4 or any(core.endswith(e) for e in cues["name_endings"]):
        return False
    # (a framework word is no explanation: '可持续影响' holds the cue 影响 and names a level or an indicator)
    return any(w in core for w in cues["words"]) and level_label(core) is None


def opens_total_row(text: str | None) -> bool:
    """A line or cell that starts a row of totals (`form_labels.json` total_rows: '总分', '合计  100  87.5'): the
    word whole, then nothing or no more words ('总分馆建设' is an indicator)."""
    core = squash(text)
    return any(core.startswith(word) and not re.match(r"[\u4e00-\u9fff]", core[len(word):len(word) + 1])
               for word in vocab()["total_rows"])


def is_short_value_word(text: str | None) -> bool:
    core = squash(text)
    return core in qualitative_values() or is_state_phrase(core)


def is_target_value(text: str | None) -> bool:
    """A target as a form writes it: a value shape (`looks_like_value`) or a state word (`is_short_value_word`)."""
    return looks_like_value(text) or is_short_value_word(text)


def is_words(core: str) -> bool:
    """A squashed cell of words: Chinese characters and no value, value word or unit (what a name, an
    explanation or a piece of either is made of)."""
    return bool(re.search(r"[\u4e00-\u9fff]", core)) and not looks_like_value(core) and \
        not is_short_value_word(core) and not is_unit(core)


@lru_cache(maxsize=1)
def words_after_pattern() -> str:
    """An operator written as a word after the value (95%以上, 3天以内: operators.json words_after), of two
    characters or more (a lone '内' would eat the first character of the next name), longest first."""
    from corpus.vocab import operators
    words = {w for w, _ in operators()["words_after"] if len(w) >= 2}
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=65536)
def is_state_phrase(core: str) -> bool:
    """A qualitative target built from its parts ('有所提升', '群众生活水平明显提高', '有效改善农村人居
    环境', '中长期'): a duration, a phrase ending in a change verb, or a degree word then a change verb."""
    parts = patterns()["qualitative_parts"]
    if not core or len(core) > 16 or re.search(r"\d", core):
        return False
    if core in parts["durations"] or is_passed_state(core):
        return True
    if core.endswith(tuple(parts["change"])) and len(core) <= 12:
        return True
    return any(core.startswith(d + c) for d in parts["degree"] for c in parts["change"])


@lru_cache(maxsize=65536)
def is_passed_state(core: str) -> bool:
    """A verifiable state built from its parts (label_patterns.json qualitative_parts pass_verbs / pass_results):
    a verb of passing and its object ('通过专家评审', '通过等保二级测评') or an object and what it was found
    ('验收合格', '水质检测达标'; not '验收通过': a name cut at its width, '成果通过', reads so too); never a name ('验收合格率', '通过验收项目数': a name ending)."""
    parts = patterns()["qualitative_parts"]
    if not 4 <= len(core) <= 14 or re.search(r"\d", core) or \
            core.endswith(tuple(patterns()["explanation_cues"]["name_endings"])):
        return False
    return core.startswith(tuple(parts["pass_verbs"])) or core.endswith(tuple(parts["pass_results"]))


def is_filler(text: str | None) -> bool:
    """Cells that hold nothing: empty, ellipsis, dashes."""
    core = squash(text)
    return not core or bool(re.fullmatch(r"[.…·\-—_/／|]+", core))


@lru_cache(maxsize=1)
def _listed_header_words() -> tuple[str, ...]:
    return tuple(sorted({squash(w) for items in vocab()["table_header"].values() for w in items}, key=len, reverse=True))


def header_words_run_together(text: str, position: int) -> tuple[list[str], int]:
    """Header words run together ('三级指标年度指标值全年完成值…'): at each point the longest listed
    word, else the shortest piece that reads as a header word built from its parts."""
    listed = _listed_header_words()
    cells: list[str] = []
    while position < len(text) and len(cells) < 20:
        word = next((w for w in listed if text.startswith(w, position)), None) or \
            next((text[position:position + size] for size in range(2, 13)
                  if position + size <= len(text) and header_role(text[position:position + size])),
                 None)
        if word is None:
            break
        cells.extend(split_unknown_heading(word, listed))
        position += len(word)
    return cells, position


def split_unknown_heading(word: str, listed: tuple[str, ...] | None = None) -> list[str]:
    """A value heading built from its parts whose end is a value heading itself, after four characters or
    more of words no list holds ('指标内涵' + '年度指标值', '计分方法' + '计划完成值'): two headings, the first a column no list names (an
    explanation column before the target, `table.post_name_roles`), not one target heading. Only a
    target heading is split so: elsewhere a column no list names would read as one more value column."""
    listed = listed if listed is not None else _listed_header_words()
    if word in listed:
        return [word]
    values = ("target", "period_target", "actual")
    if header_role(word) not in values:
        return [word]  # (an explanation heading run into words no list holds stays one explanation)
    # the unknown words hold no header word's part nor a year's ('全年实际' + '完成数' is one heading)
    parts = tuple(w for items in patterns()["header_parts"].values() for w in items) + ("年",)
    for cut in range(4, len(word) - 2):  # (the longest heading after the unknown words)
        head = word[:cut]
        if header_role(word[cut:]) in values and header_role(head) is None and \
                not any(p in head or p in word[cut - len(p) + 1:cut + len(p) - 1] for p in parts):
            return [head, word[cut:]]  # (nor is a part cut in two: '项目实施' + '期目标值' is no cut)
    return [word]


_FORM_TITLE = re.compile(r"绩效.{0,12}表(?:[(（][^)）]{1,20}[)）])?$")


def is_form_title(text: str | None) -> bool:
    """The form's own title ('专项项目支出绩效目标表', '…绩效目标表（县农业农村局）'): no cell of its table."""
    core = squash(text)
    return len(core) <= 60 and _FORM_TITLE.search(core) is not None


@lru_cache(maxsize=65536)
def reads_as_sentence(text: str | None) -> bool:
    """Words of an explanation written as a sentence ('以年底实际完成数为准', '数据来源于主管部门统计',
    '指项目覆盖的全部对象'): six characters or more, a function character of `sentence_chars` at its
    start or 于 inside it, or a sentence's punctuation, and no indicator-name ending. An indicator name
    is a noun phrase; its own numbering ('指标1…') is no sentence."""
    core = squash(text)
    cues = patterns()["explanation_cues"]
    if len(core) < 6 or re.match(r"指标\d", core) or any(core.endswith(e) for e in cues["name_endings"]):
        return False
    chars = cues["sentence_chars"]
    return core[0] in chars or "于" in core[2:] or any(c in core for c in chars if not c.isalpha())


@lru_cache(maxsize=1)
def _table_period_pattern() -> re.Pattern:
    data = patterns()["table_periods"]

    def alternation(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"^(?:{_NUMBERING.pattern.lstrip('^')})?(?:(?P<period>{alternation(data['period'])})|"
                      rf"(?P<annual>{alternation(data['annual'])}))(?:目标)?(?:{alternation(data['endings'])})表?[:：]?$")


def table_period(text: str | None) -> str | None:
    """'period' for the heading of a long-term table ('长期绩效指标', '总目标绩效指标', '二、中期绩效指标'),
    'annual' for the year's ('年度绩效指标', '本年度绩效指标'), else None (label_patterns.json table_periods)."""
    core = squash(text)
    if not 4 <= len(core) <= 16:
        return None
    match = _table_period_pattern().match(core)
    if not match:
        return None
    return "period" if match["period"] else "annual"
