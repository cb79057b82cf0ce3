"""The vocabulary, written once as data files and read through this small loader:

- labels.json: Chinese labels for the codes users see (target kinds, check kinds, origins, finding
  codes, severities …), shared by the CLI, the API and the page;
- units.json: units with their canonical form, aliases, what they measure and their scale;
- operators.json: every glyph and word of a comparison operator, and how each is displayed;
- form_labels.json: the reader's cell vocabulary (corpus/read/interpret/labels.py);
- frameworks.json: level labels of every framework family, their order and raw spellings
  (corpus/framework.py);
- vague.json: the words that make a target vague (models/vagueness.py);
- deadlines.json: the parts of a year or month a deadline names (年底, 第三季度, 上旬 …) with the month
  each means, and the verbs that close a deadline sentence (完成, 建成, 拨付到位 …);
- project_words.json: the words of a project's name or description that name its money or paperwork
  (专项资金, 工作经费, 我县 …), not what it buys, builds or serves (recommender/compose.py);
- place_words.json: words that name where a project works (乡镇, 街道, 社区 …), not what it is about
  (recommender/library_rows.py).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

VOCAB_DIR = Path(__file__).parent
LABELS_FILE = VOCAB_DIR / "labels.json"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Every vocabulary: {"target_kinds": {"quantitative": "定量", …}, "origins": {…}, …}."""
    data = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    return {name: table for name, table in data.items() if not name.startswith("_")}


def label(vocabulary: str, code: str | None, default: str | None = None) -> str:
    """The Chinese label of `code` in `vocabulary`; the code itself (or `default`) if unknown."""
    if code is None:
        return default or "—"
    return labels().get(vocabulary, {}).get(code, default if default is not None else code)


def _data(name: str) -> dict:
    return json.loads((Path(__file__).parent / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def units() -> tuple[dict, ...]:
    """Every unit entry of units.json: {"unit", "aliases"?, "measure"?, "family"?, "scale"?, "in_values"}."""
    return tuple(_data("units.json")["units"])


@lru_cache(maxsize=1)
def unit_aliases() -> dict[str, str]:
    """Another way to write a unit → its canonical form (平方米 → m², 公里 → km, 个工作日 → 工作日)."""
    return {alias: u["unit"] for u in units() for alias in u.get("aliases", ())}


_UNIT_PARTS = re.compile(r"[/·（）()]")
_MULTIPLIER = re.compile(r"^(?:\d+)?[十百千万亿]+")


def unknown_unit_parts(unit: str) -> list[str]:
    """The parts of a compound unit the vocabulary does not know: 人·月, 台（套）, 元/亩 and 万吨
    are read as parts (per, alternative, product) and multipliers (万, 亿, 10万)."""
    known = {w for u in units() for w in (u["unit"], *u.get("aliases", ()))}
    out = []
    for part in filter(None, _UNIT_PARTS.split(unit)):
        base = _MULTIPLIER.sub("", part)  # 10万 alone (例/10万) is a base of counting, not a unit
        if part not in known and base and base not in known:
            out.append(part)
    return out


def canonical_unit(unit: str | None) -> str | None:
    return unit_aliases().get(unit, unit) if unit else unit


@lru_cache(maxsize=1)
def value_units() -> tuple[str, ...]:
    """The unit strings the target grammar reads in written values, longest first."""
    skip = set(_data("units.json").get("not_in_values", ()))
    found = [w for u in units() if u["in_values"] for w in (u["unit"], *u.get("aliases", ())) if w not in skip]
    return tuple(sorted(dict.fromkeys(found), key=len, reverse=True))


@lru_cache(maxsize=1)
def unit_measures() -> dict[str, tuple[str, ...]]:
    """measure (rate, money, duration, amount, count) → every unit string that gives it."""
    out: dict[str, list[str]] = {}
    for u in units():
        if u.get("measure"):
            out.setdefault(u["measure"], []).extend((u["unit"], *u.get("aliases", ())))
    return {m: tuple(dict.fromkeys(ws)) for m, ws in out.items()}


@lru_cache(maxsize=1)
def name_units() -> tuple[str, ...]:
    """The unit strings (canonical and aliases, longest first, so 平方米 wins over 米) whose number,
    written in an indicator's name (新建道路5公里), states the quantity the target must match
    (units.json `in_names`)."""
    found = [w for u in units() if u.get("in_names") for w in (u["unit"], *u.get("aliases", ()))]
    return tuple(sorted(dict.fromkeys(found), key=len, reverse=True))


@lru_cache(maxsize=1)
def unit_families() -> dict[str, str]:
    """unit string (canonical or alias) → the quantity it states: length, area, money."""
    return {w: u["family"] for u in units() if u.get("family") for w in (u["unit"], *u.get("aliases", ()))}


@lru_cache(maxsize=1)
def prose_unit_groups() -> dict[str, tuple[str, ...]]:
    """How the description reader reads a unit in a sentence (units.json `in_prose`): group (length,
    area, money, time, people, equipment, count) → the spellings read in prose, longest first."""
    out: dict[str, list[str]] = {}
    for u in units():
        if u.get("in_prose"):
            out.setdefault(u["in_prose"], []).extend(u.get("prose_forms") or (u["unit"], *u.get("aliases", ())))
    return {g: tuple(sorted(dict.fromkeys(ws), key=len, reverse=True)) for g, ws in out.items()}


@lru_cache(maxsize=1)
def per_in_prose() -> tuple[str, ...]:
    """What may follow / or 每 in a rate written in a sentence beside the prose units (units.json `per_in_prose`)."""
    return tuple(_data("units.json")["per_in_prose"])


@lru_cache(maxsize=1)
def counted_endings() -> tuple[str, ...]:
    """name_endings.json `counted`: endings that say what a name counts or measures (数量, 人数, 场次, 面积 …)."""
    return tuple(_data("name_endings.json")["counted"])


@lru_cache(maxsize=1)
def measure_endings() -> tuple[str, ...]:
    """Every ending that names a measure, not the thing measured: `counted` and `also_measure` (规模, 标准, 量 …)."""
    data = _data("name_endings.json")
    return tuple(data["counted"]) + tuple(data["also_measure"])


@lru_cache(maxsize=1)
def counted_as() -> dict[str, str]:
    """unit → the ending of an indicator name that counts in it (人 → 人数, 场 → 场次; units.json `counted_as`)."""
    return {w: u["counted_as"] for u in units() if u.get("counted_as") for w in (u["unit"], *u.get("aliases", ()))}


@lru_cache(maxsize=1)
def unit_scales() -> dict[str, tuple[str, float]]:
    """unit (canonical) → (base unit, factor): 万元 → (元, 10000), km → (m, 1000)."""
    return {u["unit"]: (u["scale"][0], u["scale"][1]) for u in units() if u.get("scale")}


@lru_cache(maxsize=1)
def frameworks() -> dict:
    """frameworks.json: level labels of every framework family, their order and raw spellings."""
    return {key: value for key, value in _data("frameworks.json").items() if not key.startswith("_")}


@lru_cache(maxsize=1)
def vague_words() -> dict:
    """vague.json: quality words, grades, direction (degrees, verbs, phrases), ranking, activity verbs."""
    return {key: value for key, value in _data("vague.json").items() if not key.startswith("_")}


@lru_cache(maxsize=1)
def deadlines() -> dict:
    """deadlines.json: parts (word, month, alone, in_values, in_sentences, year_end, before_form),
    value_endings, completion_verbs, dated_name_words."""
    return {key: value for key, value in _data("deadlines.json").items() if not key.startswith("_")}


def _either(words) -> str:
    return "|".join(re.escape(w) for w in words)


def deadline_parts(where: str = "in_values") -> tuple[dict, ...]:
    """The parts a reader knows, in the data's order: where = in_values (the target grammar) or
    in_sentences (the description reader)."""
    return tuple(part for part in deadlines()["parts"] if part[where])


def deadline_part_months() -> dict[str, int | None]:
    """part → the month it means when none is written: 年底 → 12, 第2季度 → 6, 上旬 → None."""
    return {part["word"]: part["month"] for part in deadlines()["parts"]}


def deadline_part_alone() -> dict[str, str]:
    """part → always (names a deadline by itself), after_year (2023年底) or never (needs a month)."""
    return {part["word"]: part["alone"] for part in deadlines()["parts"]}


def deadline_part_pattern() -> str:
    """Alternation of the parts the target grammar reads after a date (年底|年末|底|…|下半年)."""
    return _either(part["word"] for part in deadline_parts("in_values"))


def deadline_value_ending_pattern() -> str:
    """Alternation of what may close a written deadline (前|之前|…|内完成)."""
    return _either(deadlines()["value_endings"])


def year_end_pattern() -> str:
    """Alternation of the parts that end a written year (2023年底, 2023年年末)."""
    return _either(part["word"] for part in deadlines()["parts"] if part.get("year_end"))


def sentence_deadline_words() -> tuple[str, ...]:
    """The when-words the description reader takes before a completion verb (年底前, 年底, 第一季度 …)."""
    out = []
    for part in deadline_parts("in_sentences"):
        if part.get("before_form"):
            out.append(part["word"] + "前")
        out.append(part["word"])
    return tuple(out)


def sentence_deadline_targets() -> dict[str, str]:
    """when-word → the deadline a suggestion writes, for the words read as a month (年底前 → 12月底前,
    上半年 → 6月底前); the others (第一季度) are written as read."""
    return {word: f"{part['month']}月底前" for part in deadline_parts("in_sentences") if part["in_sentences"] == "month"
            for word in ((part["word"] + "前",) if part.get("before_form") else ()) + (part["word"],)}


def completion_verbs() -> tuple[str, ...]:
    """The verbs that close a deadline sentence: 完成, 建成, 上线, 拨付到位 …"""
    return tuple(deadlines()["completion_verbs"])


def completion_verb_pattern() -> str:
    return _either(completion_verbs())


def dated_name_pattern() -> str:
    """A name that names its own date: a year (2023年) or a deadline word (月底, 年底, 季度)."""
    return r"\d{4}年|" + _either(deadlines()["dated_name_words"])


@lru_cache(maxsize=1)
def operators() -> dict:
    return _data("operators.json")


def operator_symbols() -> tuple[tuple[str, str], ...]:
    """(glyph, operator) of every symbol written before a number, in reading order."""
    return tuple((g, op) for g, op in operators()["symbols"])


def operator_glyphs() -> dict[str, str]:
    """glyph or word → operator (>=, <=, >, <, =), OCR glyphs and words included."""
    data = operators()
    return {g: op for key in ("symbols", "ocr", "words_before", "words_after") for g, op in data[key]}


def operator_display(op: str | None) -> str:
    """How a suggestion writes an operator: >= → ≥."""
    return operators()["display"].get(op or "", op or "")


def layout_label(code: str | None) -> str:
    """A layout code as a person reads it: a known profile by name (sh-2019-tabbed → 上海 2019 年版
    （制表符分隔）), a composed one part by part (grid-xlsx → 表格（.xlsx）, text-pdf-pipe_rows →
    文本（.pdf），竖线分隔的行). JSON keeps the code."""
    if not code:
        return "—"
    known = labels().get("layouts", {})
    if code in known:
        return known[code]
    parts = labels().get("layout_parts", {})
    words = [parts.get(part, part) for part in code.split("-")]
    out = ""
    for word in words:  # a format in parentheses sticks to the word before it
        out += word if word.startswith("（") or not out else "，" + word
    return out


@lru_cache(maxsize=1)
def project_fund_words() -> frozenset[str]:
    """project_words.json: words that name a project's money, administration or paperwork (资金, 专项, 我县 …)."""
    return frozenset(_data("project_words.json")["fund_words"])


@lru_cache(maxsize=1)
def project_service_cues() -> frozenset[str]:
    """project_words.json: words that say the project does something for the people after them (为, 向, 惠及 …)."""
    return frozenset(_data("project_words.json")["service_cues"])


@lru_cache(maxsize=1)
def project_person_endings() -> dict[str, frozenset[str]]:
    """project_words.json: the last characters of words naming people, for two-character words (short: 游客)
    and for longer ones (long: 脱贫户, 老年人)."""
    return {length: frozenset(chars) for length, chars in _data("project_words.json")["person_endings"].items()}


@lru_cache(maxsize=1)
def project_abstract_nouns() -> frozenset[str]:
    """project_words.json: nouns written after a verb of work that name no thing the project makes (问题, 方式, 机制 …)."""
    return frozenset(_data("project_words.json")["abstract_nouns"])


@lru_cache(maxsize=1)
def project_action_verbs() -> tuple[str, ...]:
    """project_words.json: verbs a description writes for what a project builds, buys, pays or does (新建, 培训 …)."""
    return tuple(_data("project_words.json")["action_verbs"])


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """place_words.json: words naming an administrative level or area (乡镇, 街道, 社区 …), not what a row is about."""
    return frozenset(_data("place_words.json")["place_words"])
