"""Every suggested value passes the product's own target assessor (the one `zhibiao check` uses).

A suggestion judged vague, or whose value does not fit what its name measures, is replaced by a
quantified value with its basis: the library's typical value for an indicator of that name, or
the corpus-grounded rewrite the reviewer would propose. Only where neither has a number does it
become a fill-in template (`≥__人`) that says what to fill and why.
"""

from __future__ import annotations

import re

from corpus import framework
from corpus.targets import parse_target
from models.measure import is_negative_rate
from recommender.fit import assess_fit, value_fits
from recommender.naming import similar
from recommender.results import Suggested, Target

TEMPLATE = re.compile(r"__|\*\*|＿")


def is_template(raw: str) -> bool:
    return bool(TEMPLATE.search(raw or ""))


_JUDGED: dict[tuple[int, str, str], tuple[bool, bool]] = {}  # library and corpus rows recur across queries


def judge(engine, items: list[Suggested]) -> list[tuple[bool, bool]]:
    """(vague, fits) for each suggestion, by the assessor and the fit check of `zhibiao check`."""
    keys = [(id(engine), i.name, i.target.raw) for i in items]
    todo = list(dict.fromkeys(k for k in keys if k not in _JUDGED))
    if todo:
        if len(_JUDGED) > 65536:
            _JUDGED.clear()
        assessments = engine.assessor.assess_many([(name, raw) for _, name, raw in todo])
        for key, a in zip(todo, assessments):
            _JUDGED[key] = (a.vague, value_fits(key[1], key[2])[0])
    return [_JUDGED[k] for k in keys]


def quantify(engine, items: list[Suggested], exclude_ids: frozenset[str] = frozenset()) -> None:
    """Replace vague or misfit values in place; templates stay only where no number exists."""
    for item, (vague, fits) in zip(items, judge(engine, items)):
        if not vague and fits:
            continue
        original = item.target.raw
        if item.origin == "description" and re.search(r"\d", original or ""):
            _keep_stated(item)  # the author's number is the draft's strongest evidence: never a template
            continue
        replacement = _from_library(engine, item) or _from_rewrite(engine, item, exclude_ids)
        if replacement is None:
            raw = original if is_template(original) else template_for(item.name, item.level2, item.target.unit)
            item.target = Target(raw, None, None, item.target.unit)
            why = ("这一数值取决于本项目的计划规模，项目描述中没有写明" if is_template(original) else
                   "项目描述、语料库和指标库都没有可参考的数值")
            item.basis = (f"待填写：{why}，请按本项目计划填写“{item.name}”"
                          + (f"（原写法“{original}”无法客观判定）" if original and not is_template(original) else "")
                          + (f"；来源：{item.basis}" if item.basis and not item.basis.startswith("待填写") else ""))
            continue
        raw, basis = replacement
        parsed = parse_target(raw)
        item.target = Target(raw, parsed.operator, parsed.value, parsed.unit)
        item.basis = basis + (f"（替换了无法客观判定的“{original}”）" if original and not is_template(original) else "")
    return None


def _keep_stated(item: Suggested) -> None:
    """A number the description states keeps its number: a bound the check turns (成本 ≥800元/吨 → ≤800元/吨)
    is turned, anything else stays as the author wrote it."""
    fix = assess_fit(item.name, item.target.raw, level2=item.level2).fix
    if fix and _numbers(fix) == _numbers(item.target.raw) and value_fits(item.name, fix, item.level2)[0]:
        parsed = parse_target(fix)
        item.target = Target(fix, parsed.operator, parsed.value, parsed.unit)


def _numbers(raw: str | None) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", raw or "")


def _from_library(engine, item: Suggested) -> tuple[str, str] | None:
    for entry, kind, typical in engine.library_numbers.get(item.level2, []):
        if entry.name == item.name or similar(entry.name, item.name) >= 0.75:
            if entry.name != item.name and not value_fits(item.name, typical)[0]:
                continue
            basis = entry_basis(entry)
            return typical, f"指标库“{kind.name}”同类指标“{entry.name}”的典型值{'（' + basis + '）' if basis else ''}"
    return None


_REWRITES: dict[tuple, tuple[str, str] | None] = {}


def _from_rewrite(engine, item: Suggested, exclude_ids) -> tuple[str, str] | None:
    key = (id(engine), item.name, item.target.raw, item.level2, exclude_ids)
    if key not in _REWRITES:
        if len(_REWRITES) > 4096:
            _REWRITES.clear()
        _REWRITES[key] = _rewrite(engine, item, exclude_ids)
    return _REWRITES[key]


def _rewrite(engine, item: Suggested, exclude_ids) -> tuple[str, str] | None:
    rewrite = engine.advisor.rewrite(name=item.name, value=item.target.raw, level2=item.level2,
                                     exclude_ids=exclude_ids)
    if not re.search(r"\d", rewrite.raw) or is_template(rewrite.raw):
        return None
    probe = Suggested(item.level1, item.level2, item.name, Target(rewrite.raw, None, None, None), 0.0, item.origin)
    if judge(engine, [probe]) != [(False, True)]:
        return None
    return rewrite.raw, f"量化建议：{rewrite.basis}"


def template_for(name: str, level2: str | None, unit: str | None) -> str:
    """A fill-in value of the type the name measures (what to fill is in the basis)."""
    kind = ("rate" if re.search(r"(率|满意度|知晓度|比例|占比)$", name) else
            "time" if re.search(r"(时间|时限|期限|周期|工期)$", name) else
            "count" if re.search(r"(数|数量|次数|人次|场次|面积|长度|里程)$", name) else "other")
    if kind == "rate":
        return "≤__%" if is_negative_rate(name) else "≥__%"  # a rate of a bad event: an upper bound
    if kind == "time" or level2 == "时效":
        return "__月底前"
    if level2 in framework.COST_LEVEL2:
        return f"≤__{unit or '万元'}"
    if kind == "count":
        return f"≥__{unit or '个'}"
    return "是否达成：__（写明可核验的结果，如通过验收、印发文件名称）"


def entry_target(entry) -> str:
    """The library entry's typical target (new library: `typical`; old: `target`)."""
    return str(getattr(entry, "typical", None) or getattr(entry, "target", "") or "")


def entry_basis(entry) -> str:
    return str(getattr(entry, "basis", "") or "")
