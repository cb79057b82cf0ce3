"""Indicators composed for the project itself: its own objects joined to the measures forms use.

Real indicator names are mostly the project's object or activity followed by a measure every form of
its class writes: 补贴发放 + 及时率, 雾炮车配备 + 数量, 受益租户 + 满意度. Two halves, nothing listed
per project or per class:

- `MeasureTable.learn` reads indicator rows (the national library's and a bounded sample of the
  corpus's): an ending of 2–5 characters that many different names of one level-2 class end with, that
  starts where a word starts and closes on a measure character (率, 度, 数, 量, 准, 限 …), is a measure
  of that class (数量, 合格率, 及时率, 满意度, 补助标准 …). For each measure it counts the last word
  of the names it ends (发放 → 及时率, 车 → 数量): which measure a kind of thing takes is learned from
  what past rows attached it to. The values written for a measure give its typical value. Learned
  once, when the index is built (`learn_measures`, saved as fitted/measures.json), read at load.
- `project_objects` reads the project's objects and activities from its name and description with
  jieba's part-of-speech tags (runs of nouns and verbal nouns; place names, numbers and the fund's
  own words left out), and `beneficiaries` the people it serves (the last nouns of the learned
  satisfaction names found in the text, with the modifier written before them: 受益租户, 脱贫户).

`compose` joins each salient object to the measure of each class its last word was most often given,
only where past rows did so (no guessed pairings) and only with a measure whose value is known (a
rate's typical value; counts need the author's number and come from the description reader instead).
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from corpus import framework
from corpus.targets import parse_target
from corpus.vocab import (operator_display, project_abstract_nouns, project_action_verbs, project_fund_words,
                          project_person_endings, project_service_cues)
from recommender.unit_names import UnitNames, cut_once, word_starts

SATISFACTION = "服务对象满意度"  # composed from the people served, not from the objects
MIN_HEADS = 5        # an ending is a measure when at least this many different names end with it
MIN_PURITY = 0.6     # and at least this share of its uses are of one class
NESTED_SHARE = 0.8   # an ending nearly always preceded by one character is part of a longer word
MIN_TYPICAL = 0.5    # a typical value needs half the numeric uses to agree on operator and unit
MIN_PAIRS = 1        # a measure joins an object whose last word past rows gave it at least this often
MIN_HEAD_PAIRS = 3   # or, for a word no past row wrote, words ending in its last character this often
MIN_HEAD_SHARE = 0.5 # and in most of their uses in the class
MAX_OBJECTS = 4
MAX_TEXT = 300       # the description's opening says what the project is about (and bounds the tagging)
_HINT = re.compile(r"[（(][^（()）]*[）)]|[★*\s]")
_YEAR = re.compile(r"\d{4}年度?|\d{4}")
_MEASURE_CHAR = re.compile(r"[率度数量准限期间值额积]$")
# the fund's and the form's own words: they name the money or the paperwork, not what it buys
_FUND_WORDS = project_fund_words()  # corpus/vocab/project_words.json
_SERVICE_CUES = project_service_cues()  # 为, 向, 惠及: the people written after them are served
SERVICE_WINDOW = 15  # words before a person word, in its sentence, where a service cue must stand
_NOUN_FLAGS = ("n", "nz", "vn", "ng", "an", "l", "j", "b")
_ACTION_VERBS = frozenset(project_action_verbs())  # 新建, 发放, 整治: what a description says the project does
_ABSTRACT = project_abstract_nouns()  # 问题, 方式, 机制: nouns that name no thing a project makes
MAX_ACTIVITIES = 3   # activities of the description composed (the first written: a plan opens with its work)
ACTIVITY_TEXT = 600  # the description's opening read for activities (a plan's work is listed early)
ACTIVITY_CLASSES = ("质量", "时效")  # an activity is measured by how well and how timely it is done
_PLACE_FLAGS = ("ns", "nr", "nrt", "nrfg", "nt")


@dataclass
class Measure:
    ending: str
    level2: str
    uses: int
    typical: str | None = None
    typical_basis: str = ""


@dataclass
class MeasureTable:
    measures: dict[tuple[str, str], Measure] = field(default_factory=dict)   # (level2, ending) → measure
    after_word: dict[tuple[str, str], Counter] = field(default_factory=dict)  # (level2, last word) → endings
    # (level2, last character of the last word) → endings: the head character names the kind of thing
    # (收容所 as 服务站所, 李子苗 as 苗木), the back-off for a word no past row wrote
    after_char: dict[tuple[str, str], Counter] = field(default_factory=dict)
    people: tuple[str, ...] = ()  # who satisfaction rows ask, most written first
    modifiers: frozenset[str] = frozenset()  # words written before them (受益, 周边, 困难)
    # the word a stated number's name ends with, per unit and thing (recommender/unit_names.py)
    units: UnitNames = field(default_factory=UnitNames)

    @classmethod
    def learn(cls, rows, cut) -> MeasureTable:
        """`rows`: (name, level2, written value) of past indicators; `cut`: the engine's segmenter."""
        cut = cut_once(cut)  # the words are read, never changed
        uses: dict[str, Counter] = defaultdict(Counter)
        heads: dict[str, set[str]] = defaultdict(set)
        starts: Counter = Counter()  # uses of an ending that begin where a word begins
        values: dict[tuple[str, str], list[str]] = defaultdict(list)
        named = []
        for name, level2, raw in rows:
            name = _HINT.sub("", name or "")
            if not level2 or len(name) < 4:
                continue
            cuts = word_starts(cut(name))
            named.append((name, level2, raw, cuts))
            for n in range(2, 6):
                if len(name) - n < 2:
                    break
                ending = name[-n:]
                uses[ending][level2] += 1
                heads[ending].add(name[:-n])
                starts[ending] += (len(name) - n) in cuts
        kept: dict[str, str] = {}
        longer_of: dict[str, list[str]] = defaultdict(list)  # an ending → the endings one character longer
        for ending in uses:
            if len(ending) > 2:
                longer_of[ending[1:]].append(ending)
        for ending, counts in uses.items():
            level2, top = counts.most_common(1)[0]
            total = sum(counts.values())
            if len(heads[ending]) < MIN_HEADS or top < MIN_PURITY * total or not _MEASURE_CHAR.search(ending):
                continue
            if starts[ending] * 2 < total:
                continue  # 成率, 意度: begins inside a word (完成率, 满意度)
            if any(len(heads[e]) >= NESTED_SHARE * len(heads[ending]) for e in longer_of.get(ending, ())):
                continue  # 时率 is always 及时率: keep the whole word
            kept[ending] = level2
        table = cls()
        people: Counter = Counter()
        modifiers: Counter = Counter()
        for name, level2, raw, cuts in named:
            ending = next((name[-n:] for n in range(5, 1, -1) if kept.get(name[-n:]) == level2), None)
            if ending is None:
                continue
            head = name[:-len(ending)]
            words = [w for w in cut(head) if len(w) >= 1]
            values[(level2, ending)].append(raw or "")
            if words:
                table.after_word.setdefault((level2, words[-1]), Counter())[ending] += 1
                if len(words[-1]) >= 2:
                    table.after_char.setdefault((level2, words[-1][-1]), Counter())[ending] += 1
            if level2 == SATISFACTION and re.search(r"满意[度率]$", name):
                asked = [w for w in cut(name[:-3]) if len(w) >= 2]  # who is asked: the last word before 满意度
                if asked and asked[-1] not in _FUND_WORDS:
                    people[asked[-1]] += 1
                    if len(asked) >= 2:
                        modifiers[asked[-2]] += 1  # 受益 群众, 周边 群众: how the people are qualified
        people = Counter({w: n for w, n in people.items() if _is_noun(w)})
        for (level2, ending), raws in values.items():
            typical, basis = _typical(raws, ending)
            table.measures[(level2, ending)] = Measure(ending, level2, len(raws), typical, basis)
        table.people = tuple(w for w, _ in people.most_common())
        table.modifiers = frozenset(modifiers)
        return table

    def measure_for(self, level2: str, word: str) -> tuple[Measure, int] | None:
        """The measure past rows of this class most often attached to `word`, with how often."""
        return self._most_used(self.after_word.get((level2, word)), level2, MIN_PAIRS)

    def measure_by_head(self, level2: str, word: str) -> tuple[Measure, int, Counter] | None:
        """For a word no past row of this class wrote: the measure most often attached to words ending in its
        last character (收容所 as 服务站所), at least MIN_HEAD_PAIRS times and by most of them; with those counts."""
        if len(word) < 2 or _is_verb(word):
            return None  # 实施 is no 设施: a verb's last character names no kind of thing
        counts = self.after_char.get((level2, word[-1]))
        found = self._most_used(counts, level2, MIN_HEAD_PAIRS)
        if found is None or found[1] < MIN_HEAD_SHARE * sum(counts.values()):
            return None
        return found[0], found[1], counts

    def _most_used(self, counts: Counter | None, level2: str, least: int) -> tuple[Measure, int] | None:
        for ending, n in (counts or Counter()).most_common():
            measure = self.measures.get((level2, ending))
            if n >= least and measure is not None and measure.typical:
                return measure, n
        return None


@lru_cache(maxsize=4096)  # a request tags its name and opening several times; names recur
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's part-of-speech tags of the dictionary's words (no HMM guessing of unknown words)."""
    from models.segment import pos_tokenizer

    return tuple((w, f) for w, f in pos_tokenizer().cut(text, HMM=False))


def _is_noun(word: str) -> bool:
    tags = [f for _, f in tagged(word)]
    return len(tags) == 1 and tags[0].startswith("n") and tags[0] not in _PLACE_FLAGS


def _is_verb(word: str) -> bool:
    """A verb alone (实施, 建设), by jieba's tag; a noun the tagger cuts (收容 + 站) is not one."""
    tags = [f for _, f in tagged(word)]
    return len(tags) == 1 and tags[0].startswith("v") and tags[0] != "vn"


def _typical(raws: list[str], ending: str) -> tuple[str | None, str]:
    """The measure's typical value: the median of its numeric uses of the dominant operator and unit.
    Only rates and grades have one (a count or an amount is the project's own number)."""
    if not re.search(r"[率度]$", ending):
        return None, ""
    parsed = {r: parse_target(r) for r in dict.fromkeys(raws) if r and "__" not in r}  # a value written many times is parsed once
    numeric = [t for t in (parsed[r] for r in raws if r in parsed) if t.value is not None and t.operator]
    if not numeric:
        return None, ""
    family = Counter((_family(t.operator), t.unit) for t in numeric)
    (op, unit), n = family.most_common(1)[0]
    if n < MIN_TYPICAL * len(numeric) or unit != "%":
        return None, ""
    value = statistics.median_low([t.value for t in numeric if (_family(t.operator), t.unit) == (op, unit)])
    if value > 100:
        return None, ""
    raw = f"{operator_display(op)}{_fmt(value)}{unit}"
    return raw, f"过往指标中以“{ending}”结尾的 {len(numeric)} 条写有数值目标，{n} 条写作{operator_display(op)}…{unit}，中位数 {raw}"


def _family(op: str | None) -> str:
    return {">": ">=", "<": "<="}.get(op or "=", op or "=")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ---- the project's objects ---------------------------------------------------------------------
@dataclass
class ProjectObject:
    words: tuple[str, ...]
    weight: float   # 2 in the project name, 1 in the description; more when repeated
    head_flag: str = "n"  # the part of speech of its last word

    @property
    def text(self) -> str:
        return "".join(self.words)


def project_objects(project_name: str, description: str) -> list[ProjectObject]:
    """The project's objects and activities, most salient first (the name counts double)."""
    found: dict[tuple[str, ...], ProjectObject] = {}
    for text, weight in (((project_name or "")[:MAX_TEXT], 2.0), ((description or "")[:MAX_TEXT], 1.0)):
        text = _YEAR.sub("，", text)
        for chunk in _chunks(tagged(text)):
            words = tuple(w for w, _ in chunk)
            if not 2 <= len("".join(words)) <= 10:
                continue
            if words in found:
                found[words].weight += 0.5 * weight
            else:
                found[words] = ProjectObject(words, weight, chunk[-1][1])
    ordered = sorted(found.values(), key=lambda o: (-o.weight, -len(o.text)))
    kept: list[ProjectObject] = []
    for obj in ordered:  # an object inside a more salient one is the same thing
        if any(obj.text in k.text or k.text in obj.text for k in kept):
            continue
        kept.append(obj)
    return kept


def _runs(tokens, joins) -> list[list[tuple[str, str]]]:
    """Maximal runs of (word, flag) tokens that `joins(word, flag, run so far)` lets in."""
    out, run = [], []
    for word, flag in tokens:
        if joins(word, flag, run):
            run.append((word, flag))
            continue
        if run:
            out.append(run)
        run = []
    if run:
        out.append(run)
    return out


def _is_fund(word: str) -> bool:
    """A word of the fund or the paperwork, or a compound of two (全面实施)."""
    return word in _FUND_WORDS or (len(word) == 4 and word[:2] in _FUND_WORDS and word[2:] in _FUND_WORDS)


def _chunk_word(word: str, flag: str, run: list) -> bool:
    noun = flag.startswith(_NOUN_FLAGS) and flag not in _PLACE_FLAGS
    verb = flag.startswith("v") and len(word) >= 2 and bool(run)
    return (noun or verb) and not _is_fund(word) and not re.search(r"[\d０-９]", word)


def _chunks(tokens) -> list[list[tuple[str, str]]]:
    """Runs of nouns, with verbs inside or closing them (基础设施建设, 补贴发放); cut at anything else."""
    out = _runs(tokens, _chunk_word)
    trimmed = []
    for run in out:
        run = run[-3:]  # the head of a long run names the thing
        # a leading verb, or a leading single character (the tail of a place name the dictionary
        # does not know: 沟 + 果园路), is not part of the object
        while run and ((run[0][1].startswith("v") and run[0][1] != "vn") or len(run[0][0]) == 1):
            run = run[1:]
        if run and sum(len(w) for w, _ in run) >= 2:
            trimmed.append(run)
    return trimmed


def beneficiaries(table: MeasureTable, text: str) -> list[str]:
    """The people the project serves, most often written first: nouns of the text that satisfaction rows
    ask (群众, 农户, 患者) or that end as those words end (游客 as 乘客, 脱贫户 as 农户), with the
    modifier written just before them (观光 + 游客, 受益 + 群众)."""
    ends = Counter(w[-1] for w in table.people)
    person = project_person_endings()  # corpus/vocab/project_words.json: 游客, 患者; 脱贫户, 老年人
    endings = {c for c, n in ends.items() if n >= 2} | person["long"]  # 户 (农户, 住户), 民 (居民, 村民)
    tokens = tagged(_YEAR.sub("，", text[:MAX_TEXT]))
    found: Counter = Counter()
    first: dict[str, int] = {}
    for i, (word, flag) in enumerate(tokens):
        if len(word) < 2 or word in _FUND_WORDS or not flag.startswith("n") or flag in _PLACE_FLAGS:
            continue
        if word not in table.people and not (word[-1] in endings and len(word) >= 3 or word[-1] in person["short"]):
            continue  # 低保户 ends as 农户 does; a two-character word so ending is rarely a person (人工), but 游客 is
        if not _served(tokens, i):
            continue  # 用于企业发展, 项目新建养殖场: no one the project does something for
        phrase = word
        before, flag_before = tokens[i - 1] if i else ("", "x")
        if before in table.modifiers or (len(before) == 2 and flag_before in ("n", "vn", "b")
                                         and before not in _FUND_WORDS):
            phrase = before + word
        found[phrase] += 1 + (word in table.people)
        first.setdefault(phrase, i)
    return sorted(found, key=lambda p: (-found[p], first[p]))


def _served(tokens, at: int) -> bool:
    """A service cue (corpus/vocab/project_words.json) among the SERVICE_WINDOW words before `at`, in its
    sentence, or a word there starting with 受益: the project does something for the person written at `at`."""
    for word, _ in reversed(tokens[max(0, at - SERVICE_WINDOW):at + 1]):
        if word in ("。", "；", ";", "！", "!"):
            return False
        if word in _SERVICE_CUES or word.startswith("受益"):
            return True
    return False


@dataclass(frozen=True)
class Activity:
    """What the description says the project does: the thing acted on and the verb (李子苗 + 发放)."""
    thing: str
    verb: str

    @property
    def text(self) -> str:
        """As a name writes it: the thing, then the work (发放李子苗 → 李子苗发放; 新建养殖场 → 养殖场建设);
        a thing already ending in its work (环境卫生治理) is written once."""
        from recommender.stated import work_noun
        noun = work_noun(self.verb)
        return self.thing if self.thing.endswith(noun) else self.thing + noun


def _object_word(word: str, flag: str, run: list) -> bool:
    """A word of the thing an activity acts on: a noun (as in the name's objects) or a two-character word
    jieba takes for a place or person (美丽, 李子), but no place of the map (古昌镇), no verb, no number."""
    if word in _ACTION_VERBS or _is_fund(word) or re.search(r"[\d０-９]", word):
        return False
    if flag in ("ns", "nr", "nrt") and len(word) >= 2 and not re.search(r"[省市县区镇乡村]$", word):
        return True
    return flag.startswith(_NOUN_FLAGS) and flag not in _PLACE_FLAGS


def _ends_thing(word: str, flag: str) -> bool:
    """What may follow the whole thing an activity acts on: punctuation, a conjunction, a number, 的, 等."""
    return flag in ("x", "c", "m", "uj", "u") or bool(re.match(r"[\d０-９]", word))


def _ends_count(token) -> bool:
    return bool(re.match(r"[\d０-９]", token[0]))


def project_activities(description: str, people=()) -> list[Activity]:
    """The description's activities, first written first: an action verb of the vocabulary (新建, 发放, 整治,
    corpus/vocab/project_words.json) and the run of nouns written right after it, the thing it acts on
    (发放李子苗, 新建养殖场; its last three words, without the single character that ends an unknown place
    name: 沟 + 果园路). A verb that names the paperwork (实施, 开展: the fund's words) is no activity of its own,
    and the people a verb is done for are no thing (a word ending as words naming people end, or one of
    `people`, those the learned satisfaction rows ask)."""
    tokens = list(tagged(_YEAR.sub("，", (description or "")[:ACTIVITY_TEXT])))
    found: list[Activity] = []
    person = project_person_endings()["long"]
    for i, (verb, _) in enumerate(tokens):
        if verb not in _ACTION_VERBS or verb in _FUND_WORDS or len(verb) < 2:
            continue  # 送 alone (送戏进村) names no work a row measures
        before_word, before_flag = tokens[i - 1] if i else ("。", "x")
        compound = (before_flag.startswith(("n", "vn")) and before_word[-1] not in person
                    and not _is_fund(before_word))
        run: list = []
        for word, flag in tokens[i + 1:]:
            if not _object_word(word, flag, run):
                break
            run.append((word, flag))
        following = tokens[i + 1 + len(run)] if i + 1 + len(run) < len(tokens) else ("。", "x")
        if following[0] in _ACTION_VERBS and following[0] not in _FUND_WORDS and len(following[0]) >= 2:
            verb = following[0]  # 支持林场基础设施建设: the work is the verb after the thing
        elif not _ends_thing(*following):
            continue  # 完成高压线接入, 建设普通省道: the run is only the start of the thing
        while run and run[-1][1] in ("ns", "nr", "nrt"):
            run = run[:-1]  # a guessed name last (占地约) is not the thing; one before a noun may be (李子 + 苗)
        run = run[-3:]
        while run and len(run[0][0]) == 1:
            run = run[1:]
        thing = "".join(w for w, _ in run)
        if not 2 <= len(thing) <= 10 or run[-1][0] in _ABSTRACT or _MEASURE_CHAR.search(thing):
            continue  # 解决…问题, 监测覆盖率: no thing the project makes
        if len(run[-1][0]) >= 2 and run[-1][0][-1] in person or people and run[-1][0] in people:
            continue  # 带动农户, 组织农民工: people the project serves (its satisfaction rows ask them), not a thing
        if compound and len(run) == 1:
            continue  # 垃圾收集设施, 报告监测: the verb is inside a noun of the sentence, one word after it no thing
        if run[-1][1] in ("vn", "an") or len(run) == 1 and len(thing) == 2 and not _ends_count(following):
            continue  # 防治作业, 新增灌溉: work, not a thing; 收集设施, 组织飞机: a bare word is a thing when counted (新建厕所1个)
        activity = Activity(thing, verb)
        if all(activity.thing not in a.thing and a.thing not in activity.thing for a in found):
            found.append(activity)
    return found


@dataclass
class Composed:
    level1: str
    level2: str
    name: str
    target: str
    basis: str
    strength: float  # in (0, 1]: how salient the object and how usual the pairing


def compose(table: MeasureTable, project_name: str, description: str, cut) -> list[Composed]:
    """Candidate indicators of the project's own objects with the learned measures, best first."""
    # what the name says the project pays for, then the name's other objects; the description's noun
    # runs (a plan names many things) drew 培训合格率 onto 从业人员进行培训
    core = project_core(project_name)
    objects = [ProjectObject(tuple(cut(core)), 2.0)] if core else []
    objects += [o for o in project_objects(project_name, description) if o.weight >= 2
                and not (core and (o.text in core or core in o.text))]
    objects = objects[:MAX_OBJECTS]
    top = max((o.weight for o in objects), default=1.0)
    out: list[Composed] = []
    for obj in objects:
        words = cut(obj.text)
        if not words:
            continue  # the segmenter keeps no word of it (stop words only)
        last = words[-1]
        for level2, level1 in framework.LEVEL2.items():  # a class takes part when a measure of it has a rate
            if level2 == SATISFACTION:
                continue
            found = _pairing(table, level2, (last,), obj.text)
            if found is None:
                continue
            measure, usual, learned = found
            out.append(Composed(level1, level2, _join(obj.text, measure.ending), measure.typical,
                                f"按项目自身的“{obj.text}”与{level2}指标的常用度量“…{measure.ending}”组合"
                                f"（{learned}）；{measure.typical_basis}",
                                (obj.weight / top) * (0.5 + 0.5 * usual)))
    out += _activity_rows(table, description, objects, top, cut)
    text = f"{(project_name or '')[:MAX_TEXT]}。{description or ''}"
    satisfied = [m for (level2, e), m in table.measures.items() if level2 == SATISFACTION and m.typical
                 and e.endswith("满意度")]
    if satisfied:
        measure = max(satisfied, key=lambda m: m.uses)
        for person in beneficiaries(table, text)[:2]:
            out.append(Composed("满意度", SATISFACTION, _join(person, measure.ending), measure.typical,
                                f"项目的服务对象“{person}”与满意度指标的常用写法组合；{measure.typical_basis}", 1.0))
    out.sort(key=lambda c: -c.strength)
    return out


def _activity_rows(table: MeasureTable, description: str, objects: list[ProjectObject], top: float, cut) -> list[Composed]:
    """The description's activities (what it says will be built, bought, paid, trained) with the measure of quality
    and timeliness past rows gave their work (建设 → 按期完成率, 整治 → 验收合格率) or, failing that, their thing's
    last word; an activity about the name's own object is composed from the name already. Weighed as a
    description's object (half a name's)."""
    from recommender.stated import work_noun

    out: list[Composed] = []
    for activity in project_activities(description, table.people)[:MAX_ACTIVITIES]:
        if any(activity.thing in o.text or o.text in activity.thing for o in objects):
            continue
        words = cut(activity.thing)
        if not words:
            continue
        for level2 in ACTIVITY_CLASSES:
            found = _pairing(table, level2, (work_noun(activity.verb), words[-1]), activity.thing)
            if found is None:
                continue
            measure, usual, learned = found
            out.append(Composed(framework.LEVEL2[level2], level2, _join(activity.text, measure.ending), measure.typical,
                                f"按项目描述所写的“{activity.verb}{activity.thing}”与{level2}指标的常用度量“…{measure.ending}”组合"
                                f"（{learned}）；{measure.typical_basis}",
                                (1.0 / top) * (0.5 + 0.5 * usual)))
    return out


def _pairing(table: MeasureTable, level2: str, words, thing: str) -> tuple[Measure, float, str] | None:
    """The measure of a class for the first of `words` past rows wrote before one, else for the last character
    of the `thing` (MeasureTable.measure_by_head: 动物收容站 as 服务站): the measure, the share of the pairings
    it has (how usual it is), and how it was learned (for the basis)."""
    for word in words:
        found = table.measure_for(level2, word)
        if found is not None:
            measure, pairs = found
            return (measure, pairs / sum(table.after_word[(level2, word)].values()),
                    f"过往指标中“{word}”后写“{measure.ending}”{pairs} 次")
    found = table.measure_by_head(level2, thing)
    if found is None:
        return None
    measure, pairs, counts = found
    return (measure, 0.5 * pairs / sum(counts.values()),  # a back-off: half as sure as the word's own
            f"过往指标中以“{thing[-1]}”结尾的词后写“{measure.ending}”{pairs} 次")


def _join(obj: str, ending: str) -> str:
    """'补贴发放' + '及时率' → 补贴发放及时率; no doubled characters at the seam (设备 + 备数量)."""
    for n in range(min(len(obj), len(ending)), 0, -1):
        if obj.endswith(ending[:n]):
            return obj + ending[n:]
    return obj + ending


def project_core(project_name: str) -> str | None:
    """What the project's name says it pays for, without year, place, brackets and the fund's words
    (2025年农村危房改造补助资金 → 农村危房改造补助; 原州区2022年南部水源涵养林建设项目 → 水源涵养林): the
    longest run of content words of the name, its last three words at most. A quoted term names the
    programme (全面实施“瓶改管”工程 → 瓶改管工程); a name that is only a fund's (车辆购置税收入补助地方资金)
    says what it pays for in its brackets (普通省道公路建设)."""
    name = _YEAR.sub("，", (project_name or "")[:MAX_TEXT])
    quoted = _QUOTED.search(name)
    if quoted:
        return quoted[1] + quoted[2] if len(quoted[1]) >= 2 else None
    outside = _BRACKETS.sub("，", name)
    core = _longest_run(outside)
    inside = [m[1] for m in _BRACKETS.finditer(name)]
    if inside and _FUND_NAME.search(outside.strip("，")):
        core = max((_longest_run(t) or "" for t in inside), key=len) or core
    return core


_QUOTED = re.compile(r"[“\"「]([^”\"」]{1,10})[”\"」]([\u4e00-\u9fff]{0,2}?(?:工程|项目|行动|计划|工作)?)(?:项目)?")
_BRACKETS = re.compile(r"[（(]([^（()）]*)[）)]")
_FUND_NAME = re.compile(r"(?:资金|经费|专项|补助|补贴)$")  # a name that ends as a fund's name
_WHOLE_PLACE = re.compile(r"^[全整][省市县区镇乡村]$")  # 整区, 全县: the whole of a place


def _core_word(word: str, flag: str, run: list) -> bool:
    place = (len(word) >= 3 and re.search(r"[省市县区镇乡村]$", word)  # 舒城县, 大青冈村; not 乡村
             or _WHOLE_PLACE.match(word))
    fund = _is_fund(word)
    return bool((flag[:1] in ("n", "v", "a", "b", "j", "l") and flag not in ("ns", "nt") or
                 flag == "nr" and len(word) >= 2  # nr: jieba takes 涵养林 for a person's name
                 or flag == "zg" and len(word) == 1 and bool(run) and len(run[-1][0]) >= 2)  # 加工 + 园
                and not fund and not place and not re.search(r"[\d０-９]", word))


def _longest_run(text: str) -> str | None:
    runs = _runs(tagged(text), _core_word)
    best = None
    for run in runs:
        run = run[-3:]
        while run and len(run[0][0]) == 1:  # the tail of a place name the dictionary does not know
            run = run[1:]
        while run and len(run[-1][0]) == 1 and run[-1][1] not in ("n", "zg"):  # 马铃薯冲: a cut-off character (路 stays)
            run = run[:-1]
        text = "".join(w for w, _ in run)
        if 2 <= len(text) and (best is None or len(text) >= len(best)):
            best = text
    return best


def for_project(common_name: str, core: str | None) -> str:
    """A common row written for the project's own object, as real forms write it: 资金拨付及时率 →
    农村危房改造补助资金拨付及时率, 项目按期完成率 → 水利项目按期完成率. Without an object, as it is."""
    if not core:
        return common_name
    return _join(core, re.sub(r"（[^（）]*）", "", common_name))


CORPUS_SAMPLE = 2000  # declarations whose rows join the library's in learning measures (evenly spaced)
MEASURES_FILE = "measures.json"  # under the index's fitted/: learned at build, read at load


def learn_measures(kinds, tables, cut) -> MeasureTable:
    """Measures learned from the library's rows and a bounded sample of the corpus's (at build time)."""
    from recommender.quantify import entry_target
    rows = [(e.name, e.level2, entry_target(e)) for k in kinds for e in k.indicators]
    # the library's own unit (a row whose number is the project's own has no value)
    units = [(e.name, e.unit or parse_target(entry_target(e)).unit) for k in kinds for e in k.indicators]
    unit = cache(lambda raw: parse_target(raw).unit)  # a value written in many forms is parsed once
    step = max(1, len(tables) // CORPUS_SAMPLE)
    for row in range(0, len(tables), step):
        corpus_rows = [(name, level2, raw) for name, raw, _, level2 in tables.indicator_rows(row)]
        rows += corpus_rows
        units += [(name, unit(raw or "")) for name, _, raw in corpus_rows]
    table = MeasureTable.learn(rows, cut)
    table.units = UnitNames.learn(units, cut)
    return table


def save_measures(table: MeasureTable, path) -> None:
    """JSON, in the table's own order: `measure_for` breaks ties between endings by first use."""
    data = {"measures": [[m.ending, m.level2, m.uses, m.typical, m.typical_basis] for m in table.measures.values()],
            "after_word": [[level2, word, list(counts.items())] for (level2, word), counts in table.after_word.items()],
            "after_char": [[level2, char, list(counts.items())] for (level2, char), counts in table.after_char.items()],
            "people": list(table.people), "modifiers": sorted(table.modifiers), "units": table.units.to_json()}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_measures(path) -> MeasureTable:
    data = json.loads(path.read_text(encoding="utf-8"))
    table = MeasureTable()
    for ending, level2, uses, typical, basis in data["measures"]:
        table.measures[(level2, ending)] = Measure(ending, level2, uses, typical, basis)
    for level2, word, counts in data["after_word"]:
        table.after_word[(level2, word)] = Counter(dict(counts))
    for level2, char, counts in data.get("after_char", ()):  # absent from an index built before it was learned
        table.after_char[(level2, char)] = Counter(dict(counts))
    table.people, table.modifiers = tuple(data["people"]), frozenset(data["modifiers"])
    table.units = UnitNames.from_json(data.get("units"))  # absent from an index built before it was learned
    return table
