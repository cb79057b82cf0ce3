"""Descriptions with stated numbers, composed from clause patterns, each number with its exact gold.

The stated-number figure of the sealed forms counts a number of the description that comes back under a
name fitting the real row (`../shared/validation/score`: the first number of a suggested value equal to it,
character-bigram Dice of the names ≥ 0.3). Ten sealed numbers cannot show which ways of writing a number
the reader misses; this generator writes many, in the ways budget officers write them:

    动词+数量+单位+对象   新建12个村级综合服务站                 → 新建村级综合服务站数量 12个
    对象+数量+单位        村级综合服务站12个                     → (the same)
    达到/共计            全年培训农民共计300人次                 → 培训农民人次 300人次
    下限                 培训农民不少于300人次                   → 300人次
    对…进行              对300名农民进行培训                      → 培训农民人数 300名
    惠及/覆盖             项目惠及农户1200户                      → 受益农户户数 1200户
    使…受益              使1200名群众受益                        → 受益群众人数 1200名
    数量的对象            完成1200户的户厕改造                     → 改造户厕数量 1200户
    前句主语              新建村级道路，全长3.5公里                → 新建道路长度 3.5公里
    列举                 新建村道2.5公里、桥梁1座                  → 村道长度 2.5公里, 桥梁数量 1座
    标准                 按每人每月300元的标准发放                → 补助标准 300元/人·月
    预算                 项目总投资450万元                       → 项目总投资 450万元
    比率                 疫苗接种率达到97%以上                   → 疫苗接种率 97%
    期限                 9月底前完成道路硬化                      → 完成时限 9月底前
    周期                 项目实施周期为8个月                       → 项目实施周期 8个月

Objects, units and gold names come from the national library's rows whose number is the project's own
(`from_description`), so every sector's words appear; verbs from the vocabulary (project_words.json
action_verbs). The gold name is the library row's name (for budgets, periods and deadlines, the name forms
write for them); a reader that names the number by what its clause counts meets it at Dice ≥ 0.3.
"""

from __future__ import annotations

import random
import re
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from corpus.vocab import counted_endings, project_action_verbs
from models.library import LibraryIndicator, ProjectKind

TRIVIAL = {0.0, 80.0, 85.0, 90.0, 95.0, 100.0}  # numbers forms write anyway: the scorer does not count them


FROZEN_KINDS = Path(__file__).parent / "data" / "stated_generator_kinds.json"


@lru_cache(maxsize=1)
def _frozen_kinds() -> tuple[ProjectKind, ...]:
    """The library's kinds as of 2026-12-07 (evaluation/data/stated_generator_kinds.json), frozen as the form
    generator's rows are: the generated descriptions and their exact tests must not move when the library
    grows or is audited."""
    data = json.loads(FROZEN_KINDS.read_text(encoding="utf-8"))
    return tuple(ProjectKind(id=f"frozen-{n}", name=k["name"], description=k["description"], keywords=(),
                             indicators=tuple(LibraryIndicator(level1=r[0], level2=r[1], name=r[2], target="", unit=r[3],
                                                               measure=r[4], from_description=r[5]) for r in k["rows"]))
                 for n, k in enumerate(data["kinds"]))


@dataclass(frozen=True)
class GoldNumber:
    pattern: str  # the clause pattern that wrote it
    number: float  # the first number of the value a fitting row must carry
    unit: str
    name: str  # a name a budget officer files it under
    clause: str


@dataclass
class GeneratedDescription:
    project_name: str
    description: str
    gold: list[GoldNumber] = field(default_factory=list)


def _stem(name: str) -> str:
    """A library name without its measure ending: 新建村级综合服务站数量 → 新建村级综合服务站."""
    name = re.sub(r"[（(][^（()）]*[)）]", "", name)
    for ending in sorted((*counted_endings(), "数量", "长度", "面积", "里程", "总量", "量", "数", "总额", "规模"),
                         key=len, reverse=True):
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[:-len(ending)]
    return name


def _verb_split(stem: str) -> tuple[str, str] | None:
    """新建村级综合服务站 → (新建, 村级综合服务站): a stem that opens with an action verb of the vocabulary."""
    for verb in sorted(project_action_verbs(), key=len, reverse=True):
        if len(verb) >= 2 and stem.startswith(verb) and len(stem) - len(verb) >= 2:
            return verb, stem[len(verb):]
    return None


def _number(rng: random.Random, row, used: set[float]) -> float:
    """A fresh number of the size the row's measure has: a share under 100, an amount with decimals, a sum in
    万 with decimals, a count in whole numbers."""
    for _ in range(50):
        if row.unit == "%":
            value = float(rng.choice([rng.randint(60, 99), rng.randint(1, 30)]))
        elif (row.unit or "").startswith("万") or row.measure == "amount":
            value = float(rng.choice([rng.randint(2, 9000), round(rng.uniform(1, 60), rng.choice([1, 2]))]))
        elif row.measure == "money":
            value = float(rng.choice([rng.randint(3, 60) * 50, rng.randint(2, 40) * 100]))
        else:
            value = float(rng.choice([rng.randint(2, 60), rng.randint(60, 3000)]))
        if value not in TRIVIAL and value not in used and value > 0:
            used.add(value)
            return value
    raise RuntimeError("no fresh number")  # fifty draws of fresh values never all collide in practice


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ---- the clause patterns: (row, number) → clause text, or None where the row does not fit the pattern ----
def _counted(row) -> bool:
    """A count or an amount of things (not money, a rate or a standard per head)."""
    return row.measure in ("count", "amount") and "/" not in (row.unit or "") and row.unit != "%"


def _object_count(row, n, rng):
    stem = _stem(row.name)
    return f"{stem}{_fmt(n)}{row.unit}" if _counted(row) and stem != row.name else None


def _verb_count_object(row, n, rng):
    split = _verb_split(_stem(row.name)) if _counted(row) else None
    if split is None:
        return None
    verb, thing = split
    return f"{verb}{_fmt(n)}{row.unit}{thing}"


def _reaches(row, n, rng):
    if not _counted(row):
        return None
    stem = _stem(row.name)
    return f"{rng.choice(['全年', '年内', '项目实施后', ''])}{stem}{rng.choice(['达到', '共计', '累计达', '约'])}{_fmt(n)}{row.unit}"


def _floor(row, n, rng):
    if not _counted(row):
        return None
    stem = _stem(row.name)
    return rng.choice([f"{stem}不少于{_fmt(n)}{row.unit}", f"{stem}{_fmt(n)}{row.unit}以上"])


def _subject_before(row, n, rng):
    """新建村级道路，全长3.5公里: the thing in one clause, its size in the next."""
    if not _counted(row) or not re.search(r"(?:长度|面积|里程)$", row.name):
        return None
    split = _verb_split(_stem(row.name))
    if split is None:
        return None
    size = "全长" if row.name.endswith(("长度", "里程")) else rng.choice(["面积", "总面积", "建筑面积"])
    return f"{split[0]}{split[1]}，{size}{_fmt(n)}{row.unit}"


def _done_to_people(row, n, rng):
    if row.unit not in ("人", "名", "人次"):
        return None
    split = _verb_split(_stem(row.name))
    if split is None:
        return None
    verb, who = split
    return f"对{_fmt(n)}{'名' if row.unit == '名' else row.unit}{who}进行{verb}"


def _benefit(row, n, rng):
    if row.unit not in ("人", "户", "万人") or row.level2 not in ("社会效益", "数量"):
        return None
    who = re.sub(r"^(?:受益|带动|惠及|覆盖|服务)", "", _stem(row.name))
    if len(who) < 2 or _verb_split(who):
        return None
    return f"项目{rng.choice(['惠及', '覆盖', '带动'])}{who}{_fmt(n)}{row.unit}"


def _standard(row, n, rng):
    if not row.unit or not re.match(r"万?元/", row.unit):
        return None
    money, per = row.unit.split("/", 1)
    words = "".join(f"每{part}" for part in per.split("·"))  # 元/人·月 → 每人每月
    stem = re.sub(r"标准$", "", _stem(row.name))
    if row.level2 == "成本" and "标准" not in row.name:  # a cost per unit: a ceiling the author writes
        return rng.choice([f"{stem}控制在{_fmt(n)}{row.unit}以内", f"{stem}不超过{_fmt(n)}{row.unit}",
                           f"{stem}为{words}{_fmt(n)}{money}"])
    return rng.choice([f"{stem}标准为{words}{_fmt(n)}{money}", f"{stem}按{words}{_fmt(n)}{money}的标准发放",
                       f"{stem}{_fmt(n)}{row.unit}"])


def _rate(row, n, rng):
    if row.unit != "%":
        return None
    return rng.choice([f"{row.name}达到{_fmt(n)}%", f"{row.name}不低于{_fmt(n)}%", f"确保{row.name}达{_fmt(n)}%以上"])


def _money(row, n, rng):
    if row.unit != "万元":
        return None
    stem = re.sub(r"(?:控制数|总额|规模)$", "", row.name)
    return rng.choice([f"{stem}{_fmt(n)}万元", f"{stem}共计{_fmt(n)}万元", f"{stem}达到{_fmt(n)}万元"])


def _of_thing(row, n, rng):
    """完成1200户的户厕改造: the count, 的, then the thing and the work done to it."""
    split = _verb_split(_stem(row.name)) if _counted(row) else None
    if split is None:
        return None
    verb, thing = split
    return f"{rng.choice(['完成', '实现', '全年完成'])}{_fmt(n)}{row.unit}的{thing}{verb}"


def _people_benefit(row, n, rng):
    """使1200名群众受益: the people counted before the word that says they benefit."""
    if row.unit not in ("人", "户") or row.level2 != "社会效益":
        return None
    who = re.sub(r"^(?:受益|带动|惠及|覆盖|服务)", "", _stem(row.name))
    if len(who) < 2 or _verb_split(who):
        return None
    return f"{rng.choice(['使', '可使', '让'])}{_fmt(n)}{'名' if row.unit == '人' else row.unit}{who}受益"


ROW_PATTERNS = {"数量的对象": _of_thing, "使…受益": _people_benefit, "动词+数量+对象": _verb_count_object, "对象+数量": _object_count, "达到/共计": _reaches,
                "下限": _floor, "前句主语": _subject_before, "对…进行": _done_to_people, "惠及/覆盖": _benefit,
                "标准": _standard, "比率": _rate, "资金": _money}

# patterns of the whole project (name forms file them under, and the clause)
_BUDGET = (("项目总投资{n}万元", "项目总投资"), ("项目预算{n}万元", "项目预算"), ("本年度安排资金{n}万元", "项目资金"),
           ("申请财政资金{n}万元", "财政资金"))
_PERIODS = (("项目实施周期为{n}个月", "项目实施周期", "个月"), ("建设期{n}个月", "建设期", "个月"),
            ("工期{n}天", "工期", "天"))
_SUM = type("Sum", (), {"unit": "万元", "measure": "money"})  # the project's whole sum, sized like a library row
_DEADLINES = ("{m}月底前完成{task}", "{task}于{m}月底前完成", "计划{m}月前全面完成{task}")


def _row_clause(rng: random.Random, row, used: set[float]) -> tuple[str, GoldNumber] | None:
    """A clause of one pattern drawn evenly among those that fit the row."""
    n = _number(rng, row, used)
    fitting = []
    for pattern, write in ROW_PATTERNS.items():
        probe = random.Random(rng.random())
        clause = write(row, n, probe)
        if clause:
            fitting.append((pattern, clause))
    if not fitting:
        used.discard(n)
        return None
    pattern, clause = rng.choice(fitting)
    return clause, GoldNumber(pattern, n, row.unit or "", row.name, clause)


def _project_clause(rng: random.Random, kind_rows, used: set[float]) -> tuple[str, GoldNumber]:
    what = rng.choice(("预算", "周期", "期限"))
    if what == "预算":
        text, name = rng.choice(_BUDGET)
        n = _number(rng, _SUM, used)
        return text.format(n=_fmt(n)), GoldNumber("预算", n, "万元", name, text.format(n=_fmt(n)))
    if what == "周期":
        text, name, unit = rng.choice(_PERIODS)
        n = float(rng.choice([m for m in range(3, 37) if m not in used and m not in (12, 24)] or [7]))
        used.add(n)
        return text.format(n=_fmt(n)), GoldNumber("周期", n, unit, name, text.format(n=_fmt(n)))
    tasks = [s for s in (_stem(r.name) for r in kind_rows if _counted(r)) if _verb_split(s)]
    task = rng.choice(tasks) if tasks else "建设任务"
    month = float(rng.choice([m for m in (3, 4, 5, 6, 7, 9, 10, 11) if m not in used] or [11]))
    used.add(month)
    text = rng.choice(_DEADLINES).format(m=_fmt(month), task=task)
    return text, GoldNumber("期限", month, "月", "项目完成时限", text)


# words a description writes before a clause without changing what it states
_LEADS = ("", "", "", "计划", "预计", "通过项目实施，", "力争", "年内", "本年度")


def _enumeration(rng: random.Random, rows, used: set[float]) -> tuple[str, list[GoldNumber]] | None:
    """新建村道2.5公里、桥梁1座、涵洞3处: one verb, then things and their counts joined by 、."""
    split = [(r, _verb_split(_stem(r.name))) for r in rows if _counted(r)]
    split = [(r, s) for r, s in split if s]
    if len(split) < 2:
        return None
    chosen = rng.sample(split, min(len(split), rng.randint(2, 3)))
    verb = chosen[0][1][0]
    parts, gold = [], []
    for row, (_, thing) in chosen:
        n = _number(rng, row, used)
        parts.append(f"{thing}{_fmt(n)}{row.unit}")
        gold.append(GoldNumber("列举", n, row.unit or "", row.name, ""))
    text = verb + "、".join(parts)
    return text, [GoldNumber(g.pattern, g.number, g.unit, g.name, text) for g in gold]


def _described_kinds() -> list:
    """The frozen kinds with two rows or more whose number a description states."""
    return [k for k in _frozen_kinds() if sum(1 for i in k.indicators if i.from_description and i.unit) >= 2]


def _draw_rows(rng: random.Random, kinds: list):
    """A kind and its stated rows in a random order (both generators draw them the same way, so each keeps its
    stream): rows a description states with a unit, no deadline, and not the project's whole sum (the budget
    pattern writes it)."""
    kind = rng.choice(kinds)
    rows = [i for i in kind.indicators if i.from_description and i.unit and i.measure != "deadline"
            and not re.search(r"预算|控制数", i.name)]
    rng.shuffle(rows)
    return kind, rows


def generate(count: int, seed: int = 2026) -> list[GeneratedDescription]:
    """`count` descriptions of 2–5 stated numbers each, for kinds drawn at random from the library."""
    rng = random.Random(seed)
    kinds = _described_kinds()
    out = []
    for _ in range(count):
        kind, rows = _draw_rows(rng, kinds)
        used: set[float] = set()
        clauses: list[tuple[str, list[GoldNumber]]] = []
        listed = _enumeration(rng, rows, used) if rng.random() < 0.25 else None
        if listed:
            clauses.append(listed)
        for row in rows[:rng.randint(1 if listed else 2, 4)]:
            if listed and any(g.name == row.name for g in listed[1]):
                continue
            found = _row_clause(rng, row, used)
            if found:
                clauses.append((f"{rng.choice(_LEADS)}{found[0]}", [found[1]]))
        if rng.random() < 0.6:
            text, gold = _project_clause(rng, rows, used)
            clauses.append((text, [gold]))
        if not clauses:
            continue
        rng.shuffle(clauses)
        year = rng.choice((2022, 2023, 2024, 2025))
        joiner = rng.choice(("，", "；", "numbered"))
        texts = [c for c, _ in clauses]
        body = ("".join(f"{i}.{t}；" for i, t in enumerate(texts, 1)) if joiner == "numbered"
                else joiner.join(texts) + "。")
        opening = "" if re.search(r"\d", kind.description) else kind.description
        out.append(GeneratedDescription(f"{year}年{kind.name}项目", f"{opening}{body}",
                                        [g for _, golds in clauses for g in golds]))
    return out


# ---- a second family (drafts9, 2026-12-07): clause shapes the development forms showed --------------------
# Drawn from a stream of their own (`generate_widened`), so that `generate`'s descriptions stay as they were.
_ORDINALS = ("第一年", "第二年", "第三年")


def _named_whole(row, n, rng):
    """刑事案件发案数不超过12起, 年受理办件量3500件: the library's whole name written before the number, a name that
    ends with a measure of its own (数, 量: the reader must not add a second one)."""
    name = re.sub(r"[（(][^（()）]*[)）]", "", row.name)
    if not _counted(row) or not re.search(r"[数量]$", name) or re.search(r"(?:数量|人数|户数|次数|件数)$", name):
        return None
    bound = "不超过" if row.level2 in ("社会效益", "生态效益") and re.search(r"发案|事故|发生", name) else ""
    return f"{name}{bound}{_fmt(n)}{row.unit}"


def _ordinal_year(row, n, rng):
    """第一年按…20%, 第二年完成造林500亩: a year of the plan written by its ordinal before the clause."""
    ordinal = rng.choice(_ORDINALS)
    if row.unit == "%":
        return f"{ordinal}{row.name}达到{_fmt(n)}%"
    split = _verb_split(_stem(row.name)) if _counted(row) else None
    if split is None:
        return None
    return f"{ordinal}{split[0]}{split[1]}{_fmt(n)}{row.unit}"


WIDENED_PATTERNS = {"名称自带量词": _named_whole, "序数年": _ordinal_year}


def _work_after(rng: random.Random, rows, used: set[float]) -> tuple[str, list[GoldNumber]] | None:
    """果园路建设2公里、寨山石坪果园路2公里: the first thing with its work written after it, the next thing bare,
    each with its size (an enumeration whose verb is not in front)."""
    from recommender.stated import work_noun

    split = [(r, _verb_split(_stem(r.name))) for r in rows if _counted(r) and r.measure == "amount"]
    split = [(r, s) for r, s in split if s]
    if len(split) < 2:
        return None
    (first, (verb, thing)), (second, (_, other)) = rng.sample(split, 2)
    a, b = _number(rng, first, used), _number(rng, second, used)
    text = f"{thing}{work_noun(verb)}{_fmt(a)}{first.unit}、{other}{_fmt(b)}{second.unit}"
    return text, [GoldNumber("动词在后的列举", a, first.unit or "", first.name, text),
                  GoldNumber("动词在后的列举", b, second.unit or "", second.name, text)]


def generate_widened(count: int, seed: int = 2026) -> list[GeneratedDescription]:
    """`count` descriptions of the second family's shapes (`WIDENED_PATTERNS`, an enumeration with its work after
    the first thing), one to three clauses each, from the same frozen kinds; a stream of its own."""
    rng = random.Random(f"widened-{seed}")
    kinds = _described_kinds()
    out = []
    while len(out) < count:
        kind, rows = _draw_rows(rng, kinds)
        used: set[float] = set()
        clauses: list[tuple[str, list[GoldNumber]]] = []
        listed = _work_after(rng, rows, used) if rng.random() < 0.4 else None
        if listed:
            clauses.append(listed)
        for row in rows[:rng.randint(1, 3)]:
            if listed and any(g.name == row.name for g in listed[1]):
                continue
            n = _number(rng, row, used)
            fitting = [(p, w(row, n, random.Random(rng.random()))) for p, w in WIDENED_PATTERNS.items()]
            fitting = [(p, c) for p, c in fitting if c]
            if not fitting:
                used.discard(n)
                continue
            pattern, clause = rng.choice(fitting)
            clauses.append((clause, [GoldNumber(pattern, n, row.unit or "", row.name, clause)]))
        if not clauses:
            continue
        rng.shuffle(clauses)
        year = rng.choice((2022, 2023, 2024, 2025))
        body = rng.choice(("，", "；")).join(c for c, _ in clauses) + "。"
        opening = "" if re.search(r"\d", kind.description) else kind.description
        out.append(GeneratedDescription(f"{year}年{kind.name}项目", f"{opening}{body}",
                                        [g for _, golds in clauses for g in golds]))
    return out
