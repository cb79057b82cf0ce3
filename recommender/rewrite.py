"""A concrete rewrite for a vague or misfit target, grounded in the national library and the corpus.

First the national indicator library (models/library): an indicator of the same measure and a
close name with a typical value gives that value, with the library's own basis (计划标准, 行业标准
…). Then the corpus: each rule picks the corpus indicators of the same meaning (by a name
pattern) and proposes their typical numeric target, stating how many past indicators and which
values it is based on. The basis names both where both have a number. Where neither has a
number, a template the author fills in, and why. A goal sentence (促进…发展) gets a measurable
indicator for that aim from the library (`for_aim`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from corpus.targets import parse_target
from corpus.vocab import operators, units
from models.measure import clean_name, measure_of
from recommender.suggest import fmt_number

_SYMBOL = operators()["display"]  # >= → ≥ (corpus/vocab/operators.json)


@dataclass
class Rewrite:
    raw: str
    basis: str


# the durations a time rewrite takes from past values (a 时效 row in days or hours, not in months)
REWRITE_DURATIONS = frozenset(u["unit"] for u in units() if u.get("rewrite_duration"))  # corpus/vocab/units.json
# (name pattern, corpus name pattern, kind of value wanted, fallback template, why)
_RULES: tuple[tuple[str, str, str, str, str], ...] = (
    # a name that is itself a direction (提高就业率): the target is a change against a base
    (r"^(提高|提升|增加|增强|扩大|降低|减少|下降)", None, "relative", "较上年提高≥__个百分点（写明上年基数）",
     "名称本身只有方向（提高、降低…），目标应写明上年基数和变化幅度"),
    (r"满意", r"满意", "percent", "≥__%", "满意度应以调查得到的满意比例衡量"),
    (r"知晓|认可", r"知晓|认可", "percent", "≥__%", "知晓程度应以抽样调查的知晓比例衡量"),
    (r"投诉率|差错率|差评率|流失率|停机率|故障率|举报率", r"投诉率|差错率|差评率|流失率|停机率|故障率|举报率",
     "percent", "≤__%", "负向比率应设上限"),
    (r"增长率|增幅", r"增长率|增幅", "percent", "较上年增长≥__%（写明上年基数）", "增长类指标应写明幅度和基数"),
    (r"(完成|执行|到位|覆盖|办结|落实|使用|合格|通过|达标)率", r"(完成|执行|到位|覆盖|办结|落实|使用|合格|通过|达标)率",
     "percent", "=100%", "完成、执行类比率通常以100%为目标"),
    (r"率$", r"率$", "percent", "≥__%", "比率类指标应给出百分比"),
    (r"维持|持续|年限|寿命|保持|使用期", None, "years", "≥__年",
     "维持、使用年限类指标应给出年限（如≥10年），不能用比率衡量"),
    (r"及时|按时|时效|时限|期限|进度|时间|周期", None, "time", "≤__个工作日（或__月底前）",
     "时效类指标应给出期限或时长"),
    (r"(资金|经费).*(合规|规范)|合规|规范", r"违规|不规范", "zero", "违规（不规范）问题数=0个",
     "“合规/规范”无法客观判定；常见量化写法是以违规金额或问题数为0"),
    (r"健全|完备|制度|机制", None, "state", "制定（修订）并印发管理制度__项，覆盖全部业务环节（是/否）",
     "“健全/完善”没有判断标准；写成可核验的状态（发文名称、数量）"),
    (r"有效|监控", None, "state", "检查发现问题整改率=100%",
     "“有效”没有判断标准；以检查发现问题的整改比例衡量"),
    (r"运作|运行|运维", r"运行率|停机率|可用率", "measure", "系统正常运行率≥99%",
     "“正常/稳定”应以运行率或停机率衡量"),
    # quality (培训质量 较好) is judged by a share that passed, never by a count
    (r"质量$|水平$|效果$|成效$", r"(合格|达标|优良|优秀|通过|验收合格)率", "quality", "合格率（或达标率）≥__%",
     "“质量”没有判断标准；以合格率、达标率等比例衡量"),
    (r"数$|数量|次数|人次|(?<!质)量$", None, "count", "≥__（单位，如个、次、人次）", "计数类指标应给出数量"),
    (r"增长|提升|提高|改善|下降|减少|加大|上升|缩短", None, "relative", "较上年提高≥__%（写明上年基数）",
     "只有方向没有幅度；写明基数和幅度"),
)


class RewriteAdvisor:
    """Rewrites from the library and corpus statistics; each statistic is computed once per corpus
    and exclusion (a recommendation asks for many, and a national corpus has millions of rows)."""

    def __init__(self, decls, state: list | None = None):
        """`decls`: the corpus (a list, or the engine's view that reads the store in batches);
        `state`: `corpus_state(...)` computed at index time, so no corpus pass at start-up."""
        self.decls = decls
        self._cache: dict[tuple, Rewrite | None] = {}
        self.library = LibraryValues()
        if state is not None:
            self._load_state(state)

    def _load_state(self, state: list) -> None:
        for key, found in state:
            kind, a, b = key
            self._cache[(kind, a, b, frozenset())] = Rewrite(*found) if found else None

    @staticmethod
    def corpus_state(decls) -> list:
        """Every statistic `warm` needs, from one pass over the corpus (JSON-able, saved in the index)."""
        tallies = CorpusTallies()
        for decl in decls:
            tallies.add(decl)
        return tallies.state()

    def _cached(self, key: tuple, compute) -> Rewrite | None:
        if key not in self._cache:
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = compute()
        return self._cache[key]

    def _rows(self, pattern: str, exclude_ids: frozenset[str]):
        for decl in self.decls:
            if decl.id in exclude_ids:
                continue
            for ind in decl.indicators:
                if re.search(pattern, ind.name):
                    yield ind

    def rewrite(self, *, name: str, value: str, level2: str | None = None,
                exclude_ids: frozenset[str] = frozenset()) -> Rewrite:
        corpus = self._corpus_rewrite(name=name, value=value, level2=level2, exclude_ids=exclude_ids)
        entry = self.library.match(name)
        if entry is None:
            return corpus
        library = f"国家指标库（{entry.kind}）“{entry.name}”常用值 {entry.typical}" + (
            f"，依据{entry.basis}" if entry.basis else "")
        if _has_number(corpus.raw) and _same_value(corpus.raw, entry.typical):
            return Rewrite(entry.typical, f"{library}；语料库：{corpus.basis}")
        if _has_number(corpus.raw):  # the basis says which value is suggested, never another value's median
            return Rewrite(entry.typical, f"{library}，取此值；语料库同类指标另写作 {corpus.raw}（仅供对照）")
        return Rewrite(entry.typical, library)

    def for_aim(self, name: str, context: str = "") -> Rewrite:
        """A measurable indicator for a goal sentence (保护生态环境卫生 → 垃圾无害化处理率 ≥95%)."""
        entry = self.library.for_aim(name, context)
        if entry is None:
            return Rewrite("受益人数 ≥__人，或相关达标率、覆盖率 ≥__%",
                           f"“{clean_name(name)}”是工作目的而不是指标；指标库中没有与之对应的指标，请换成可计量的结果")
        return Rewrite(f"{entry.name} {entry.typical}",
                       f"“{clean_name(name)}”是工作目的而不是指标；国家指标库（{entry.kind}）中衡量这一目的的指标是"
                       f"“{entry.name}”，常用值 {entry.typical}" + (f"，依据{entry.basis}" if entry.basis else ""))

    def _corpus_rewrite(self, *, name: str, value: str, level2: str | None,
                        exclude_ids: frozenset[str]) -> Rewrite:
        for name_pattern, corpus_pattern, wanted, template, why in _RULES:
            if not re.search(name_pattern, name):
                continue
            if wanted == "time" or (level2 == "时效" and wanted != "years"):
                wants_deadline = bool(re.search(r"完成|完工|竣工|开工|验收|评估|会议|报告|采购|实施|建设|进度", name))
                return self._cached(("time", wants_deadline, template, exclude_ids),
                                    lambda: self._time(wants_deadline, exclude_ids, template, why))
            if corpus_pattern and wanted == "quality":
                found = self._cached(("percent", corpus_pattern, "percent", exclude_ids),
                                     lambda: self._typical_percent(corpus_pattern, exclude_ids))
                if found:  # the share that passed, with the corpus's usual threshold
                    return Rewrite(f"合格率（或达标率）{found.raw}", f"{why}；{found.basis}")
            if corpus_pattern and wanted in ("percent", "zero", "measure"):
                # "measure": the corpus measures this with another indicator; name it in the value
                found = self._cached(("percent", corpus_pattern, wanted, exclude_ids),
                                     lambda: self._typical_percent(corpus_pattern, exclude_ids,
                                                                   named=wanted == "measure"))
                if found:
                    return found
            return Rewrite(template, f"{why}；语料库中没有同类指标的数值可参考，请按实际填写")
        if re.search(r"增长|提升|提高|改善|下降|减少|加大|上升|缩短", value):
            return Rewrite("较上年提高≥__%（写明上年基数）",
                           "只有方向没有幅度；写明基数和幅度（语料库中的写法如“≥前五年平均值的110%”）")
        return Rewrite("写明可核验的结果：数量（≥__个）、比例（≥__%）或期限（__月底前）",
                       "目标值无法客观判定，且语料库中没有同义指标可参考")

    def _typical_percent(self, pattern: str, exclude_ids, named: bool = False) -> Rewrite | None:
        values = PercentTally()
        for ind in self._rows(pattern, exclude_ids):
            t = ind.target
            if t.kind == "quantitative" and t.unit == "%" and t.value is not None:
                values.add(t.operator or "=", t.value, t.raw, ind.name)
        return _percent_from(values, named)

    def _time(self, wants_deadline: bool, exclude_ids, template: str, why: str) -> Rewrite:
        times = TimeTally()
        for decl in self.decls:
            if decl.id in exclude_ids:
                continue
            for ind in decl.indicators:
                if ind.level2 == "时效":
                    times.add(ind.target)
        return _time_from(times, wants_deadline, template, why)


def _median(counts: Counter):
    """The middle value (the upper one of an even count) of the values counted."""
    middle = sum(counts.values()) // 2
    for value in sorted(counts):
        middle -= counts[value]
        if middle < 0:
            return value


def _pairs(counter: Counter) -> list:
    return [[k, v] for k, v in counter.items()]  # JSON keeps the order (a Counter's ties go to the first)


def _counter(pairs: list) -> Counter:
    return Counter({k: v for k, v in pairs})


class PercentTally:
    """Percent values of one kind of indicator, counted: operators, values per operator, ways of
    writing, names (the first name kept as the example)."""

    def __init__(self):
        self.count, self.first_name = 0, None
        self.ops, self.raws, self.names = Counter(), Counter(), Counter()
        self.values: dict[str, Counter] = {}

    def add(self, operator: str, value: float, raw: str, name: str) -> None:
        if self.first_name is None:
            self.first_name = name
        self.count += 1
        self.ops[operator] += 1
        self.values.setdefault(operator, Counter())[value] += 1
        self.raws[raw] += 1
        self.names[name] += 1

    def merge(self, later: PercentTally) -> None:
        """Add the tally of the rows that come after these (Counters keep first-use order, so the
        sum is the tally of one pass over both)."""
        if self.first_name is None:
            self.first_name = later.first_name
        self.count += later.count
        self.ops.update(later.ops)
        self.raws.update(later.raws)
        self.names.update(later.names)
        for operator, values in later.values.items():
            self.values.setdefault(operator, Counter()).update(values)

    def to_json(self) -> dict:
        return {"count": self.count, "first_name": self.first_name, "ops": _pairs(self.ops),
                "raws": _pairs(self.raws), "names": _pairs(self.names),
                "values": [[op, _pairs(c)] for op, c in self.values.items()]}

    @classmethod
    def from_json(cls, data: dict) -> PercentTally:
        tally = cls()
        tally.count, tally.first_name = data["count"], data["first_name"]
        tally.ops, tally.raws, tally.names = _counter(data["ops"]), _counter(data["raws"]), _counter(data["names"])
        tally.values = {op: _counter(pairs) for op, pairs in data["values"]}
        return tally


class TimeTally:
    """Deadlines and durations of 时效 indicators, counted."""

    def __init__(self):
        self.deadlines, self.units, self.raws = Counter(), Counter(), set()
        self.values: dict[str, Counter] = {}
        self.durations = 0

    def add(self, target) -> None:
        if target.kind == "deadline":
            self.deadlines[target.raw] += 1
        elif target.kind == "quantitative" and target.unit in REWRITE_DURATIONS:
            self.durations += 1
            self.units[target.unit] += 1
            self.values.setdefault(target.unit, Counter())[target.value] += 1
            self.raws.add(target.raw)

    def merge(self, later: TimeTally) -> None:
        self.deadlines.update(later.deadlines)
        self.units.update(later.units)
        self.raws |= later.raws
        self.durations += later.durations
        for unit, values in later.values.items():
            self.values.setdefault(unit, Counter()).update(values)

    def to_json(self) -> dict:
        return {"deadlines": _pairs(self.deadlines), "units": _pairs(self.units), "raws": sorted(self.raws),
                "durations": self.durations, "values": [[u, _pairs(c)] for u, c in self.values.items()]}

    @classmethod
    def from_json(cls, data: dict) -> TimeTally:
        tally = cls()
        tally.deadlines, tally.units = _counter(data["deadlines"]), _counter(data["units"])
        tally.raws, tally.durations = set(data["raws"]), data["durations"]
        tally.values = {u: _counter(pairs) for u, pairs in data["values"]}
        return tally


class CorpusTallies:
    """The corpus statistics behind rewrites, as tallies: one page of declarations counted apart
    (an index build's worker) and merged in order is the corpus counted in one pass."""

    def __init__(self):
        percent = [(p, w) for _, p, w, _, _ in _RULES if p and w in ("percent", "zero", "measure")]
        # tallies, not lists of every value: a million forms' percent rows would not fit the build's memory
        self.found: dict[str, PercentTally] = {p: PercentTally() for p, _ in dict.fromkeys(percent)}
        self._compiled = [(re.compile(p), tally) for p, tally in self.found.items()]
        self.times = TimeTally()

    def add(self, decl) -> None:
        for ind in decl.indicators:
            t = ind.target
            if t.kind == "quantitative" and t.unit == "%" and t.value is not None:
                for pattern, tally in self._compiled:
                    if pattern.search(ind.name):
                        tally.add(t.operator or "=", t.value, t.raw, ind.name)
            if ind.level2 == "时效":
                self.times.add(t)

    def merge(self, later: CorpusTallies) -> None:
        for pattern, tally in self.found.items():
            tally.merge(later.found[pattern])
        self.times.merge(later.times)

    def to_json(self) -> str:
        return json.dumps({"percent": {p: t.to_json() for p, t in self.found.items()},
                           "times": self.times.to_json()}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CorpusTallies:
        data, tallies = json.loads(text), cls()
        for pattern, tally in data["percent"].items():
            tallies.found[pattern] = PercentTally.from_json(tally)
        tallies._compiled = [(re.compile(p), tally) for p, tally in tallies.found.items()]
        tallies.times = TimeTally.from_json(data["times"])
        return tallies

    def state(self) -> list:
        """What `RewriteAdvisor.corpus_state` returns: the rewrite of each rule from the tallies."""
        out = []
        for _, corpus_pattern, wanted, template, why in _RULES:
            if wanted == "time":
                for wants_deadline in (True, False):
                    r = _time_from(self.times, wants_deadline, template, why)
                    out.append((("time", wants_deadline, template), (r.raw, r.basis)))
            elif corpus_pattern and wanted in ("percent", "zero", "measure"):
                r = _percent_from(self.found[corpus_pattern], named=wanted == "measure")
                out.append((("percent", corpus_pattern, wanted), (r.raw, r.basis) if r else None))
        return out


def _percent_from(values: PercentTally, named: bool = False) -> Rewrite | None:
    if not values.count:
        return None
    operator = values.ops.most_common(1)[0][0]
    median = _median(values.values[operator])
    shown = "、".join(f"{raw}×{n}" for raw, n in values.raws.most_common(5))
    measure = values.names.most_common(1)[0][0] if named else ""
    return Rewrite(f"{measure}{_SYMBOL[operator]}{fmt_number(median)}%",
                   f"语料库中 {values.count} 个同类指标（如“{values.first_name}”）写了百分比：{shown}；"
                   f"取最常见的运算符 {_SYMBOL[operator]} 和中位数 {fmt_number(median)}%")


def _time_from(times: TimeTally, wants_deadline: bool, template: str, why: str) -> Rewrite:
    deadlines = times.deadlines
    if deadlines and (wants_deadline or not times.durations):
        best, n = deadlines.most_common(1)[0]
        return Rewrite(best if best.endswith("前") else f"{best}前",
                       f"语料库中 {sum(deadlines.values())} 个时效指标写了期限（{'、'.join(sorted(deadlines))}），"
                       f"最常见的是“{best}”（{n} 次）；请按本项目计划确定")
    if times.durations:
        unit = times.units.most_common(1)[0][0]
        median = _median(times.values[unit])
        shown = "、".join(sorted(times.raws))
        return Rewrite(f"≤{fmt_number(median)}{unit}",
                       f"语料库中 {times.durations} 个时效指标写了时长（{shown}），单位多为{unit}，取中位数")
    return Rewrite(template, f"{why}；语料库中没有可参考的期限或时长")


_BOUND = {">=": ">=", ">": ">=", "=": "=", "<=": "<=", "<": "<="}  # ≥ and > bound alike


def _same_value(a: str, b: str) -> bool:
    x, y = parse_target(a), parse_target(b)
    return (x.value, x.unit, _BOUND.get(x.operator or "=")) == (y.value, y.unit, _BOUND.get(y.operator or "="))


def _has_number(raw: str) -> bool:
    return bool(re.search(r"\d", raw)) and "__" not in raw


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


@dataclass(frozen=True)
class LibraryValue:
    name: str
    level2: str
    typical: str
    basis: str
    measure: str
    kind: str
    keywords: tuple[str, ...]


class LibraryValues:
    """The national library's indicators with a typical value (no "__"), matched by name."""

    CLOSE = 0.6  # bigram Dice of cleaned names above which a library indicator is "the same"

    def __init__(self):
        self._rows: list[LibraryValue] | None = None
        self._memo: dict[str, LibraryValue | None] = {}

    @property
    def rows(self) -> list[LibraryValue]:
        if self._rows is None:
            try:
                from models.library import load_library
                kinds = load_library()
            except Exception:  # noqa: BLE001 — no library (or a broken one): corpus only
                kinds = ()
            self._rows = [LibraryValue(i.name, i.level2, getattr(i, "typical", i.target) or "",
                                       getattr(i, "basis", "") or "", getattr(i, "measure", None) or measure_of(i.name),
                                       k.name, tuple(getattr(k, "keywords", ()) or ()))
                          for k in kinds for i in k.indicators]
        return self._rows

    @cached_property
    def _numbered(self) -> list[tuple[LibraryValue, set[str]]]:
        """The rows with a numeric typical value and their names' bigrams (computed once)."""
        return [(row, _bigrams(row.name)) for row in self.rows if _has_number(row.typical)]

    def match(self, name: str) -> LibraryValue | None:
        if name not in self._memo:
            if len(self._memo) > 4096:
                self._memo.clear()
            self._memo[name] = self._match(name)
        return self._memo[name]

    def _match(self, name: str) -> LibraryValue | None:
        wanted = measure_of(name)
        key = _bigrams(clean_name(name))
        best, best_score = None, self.CLOSE
        for row, grams in self._numbered:
            if wanted not in ("other", "state") and row.measure != wanted:
                continue
            score = 2 * len(key & grams) / (len(key) + len(grams)) if key and grams else 0.0
            if score > best_score or (score == best_score and best is not None and row.name < best.name):
                best, best_score = row, score
        return best

    def for_aim(self, name: str, context: str = "") -> LibraryValue | None:
        # each clause of the goal sentence without its verb (增加就业机会,提高农民收入 → 就业机会,
        # 农民收入); the library's benefit or quality indicator whose name is closest to one of
        # them, then the kind whose keywords the aim and the project use, then a typical number
        clauses = [_AIM_VERB.sub("", c) for c in re.split(r"[,，;；。、]", clean_name(name)) if c]
        clauses = [c for c in clauses if len(c) >= 2] or [clean_name(name)]
        scored = []
        for row in self.rows:
            if not row.level2.endswith(("效益", "可持续影响")) and row.level2 != "质量":
                continue
            closeness = max(dice(c, row.name) + (0.3 if c in row.name else 0) for c in clauses)
            in_aim = sum(1 for k in row.keywords if k and any(k in c for c in clauses))
            in_project = min(2, sum(1 for k in row.keywords if k and k in context))
            if closeness < 0.2 and in_aim == 0:
                continue
            score = 3 * closeness + in_aim + 0.25 * in_project + (0.3 if _has_number(row.typical) else 0)
            scored.append((score, row.name, row))
        if not scored:
            return None
        return max(scored, key=lambda x: (x[0], x[1]))[2]


_AIM_VERB = re.compile(r"^(促进|推动|带动|提升|提高|加强|增强|改善|营造|维护|保护|保障|确保|助力|巩固|推进|实现|满足|增加|"
                       r"减少|降低|优化|加快|激发|持续|防止|防范|解决|打造|树立|发挥|丰富|弘扬|坚持|服务|显著)+")
