"""A concrete rewrite for a vague or misfit target, grounded in what the corpus uses.

Each rule picks the corpus indicators of the same meaning (by a name pattern) and proposes their
typical numeric target, stating how many past indicators and which values it is based on. Where
the corpus has no number for that meaning, a template the author fills in, and why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from corpus.schema import Declaration
from recommender.suggest import fmt_number

_SYMBOL = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


@dataclass
class Rewrite:
    raw: str
    basis: str


# (name pattern, corpus name pattern, kind of value wanted, fallback template, why)
_RULES: tuple[tuple[str, str, str, str, str], ...] = (
    (r"满意", r"满意", "percent", "≥__%", "满意度应以调查得到的满意比例衡量"),
    (r"知晓|认可", r"知晓|认可", "percent", "≥__%", "知晓程度应以抽样调查的知晓比例衡量"),
    (r"投诉率|差错率|差评率|流失率|停机率|故障率|举报率", r"投诉率|差错率|差评率|流失率|停机率|故障率|举报率",
     "percent", "≤__%", "负向比率应设上限"),
    (r"增长率|增幅", r"增长率|增幅", "percent", "较上年增长≥__%（写明上年基数）", "增长类指标应写明幅度和基数"),
    (r"(完成|执行|到位|覆盖|办结|落实|使用|合格|通过|达标)率", r"(完成|执行|到位|覆盖|办结|落实|使用|合格|通过|达标)率",
     "percent", "=100%", "完成、执行类比率通常以100%为目标"),
    (r"率$", r"率$", "percent", "≥__%", "比率类指标应给出百分比"),
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
    (r"数$|数量|次数|人次|量$", None, "count", "≥__（单位，如个、次、人次）", "计数类指标应给出数量"),
    (r"增长|提升|提高|改善|下降|减少|加大|上升|缩短", None, "relative", "较上年提高≥__%（写明上年基数）",
     "只有方向没有幅度；写明基数和幅度"),
)


class RewriteAdvisor:
    """Rewrites from corpus statistics; each statistic is computed once per corpus and exclusion
    (a recommendation asks for many, and a national corpus has millions of rows)."""

    def __init__(self, decls: list[Declaration]):
        self.decls = decls
        self._cache: dict[tuple, Rewrite | None] = {}

    def warm(self) -> RewriteAdvisor:
        """Compute every corpus statistic now (at start-up) rather than on a user's first query."""
        for _, corpus_pattern, wanted, template, why in _RULES:
            if wanted == "time":
                for wants_deadline in (True, False):
                    self._cached(("time", wants_deadline, template, frozenset()),
                                 lambda w=wants_deadline, t=template, y=why: self._time(w, frozenset(), t, y))
            elif corpus_pattern and wanted in ("percent", "zero", "measure"):
                self._cached(("percent", corpus_pattern, wanted, frozenset()),
                             lambda p=corpus_pattern, m=wanted == "measure": self._typical_percent(p, frozenset(), named=m))
        return self

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
        for name_pattern, corpus_pattern, wanted, template, why in _RULES:
            if not re.search(name_pattern, name):
                continue
            if wanted == "time" or level2 == "时效":
                wants_deadline = bool(re.search(r"完成|完工|验收|评估|会议|报告|采购", name))
                return self._cached(("time", wants_deadline, template, exclude_ids),
                                    lambda: self._time(wants_deadline, exclude_ids, template, why))
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
        values = []
        for ind in self._rows(pattern, exclude_ids):
            t = ind.target
            if t.kind == "quantitative" and t.unit == "%" and t.value is not None:
                values.append((t.operator or "=", t.value, t.raw, ind.name))
        if not values:
            return None
        ops = Counter(op for op, *_ in values)
        operator = ops.most_common(1)[0][0]
        numbers = sorted(v for op, v, *_ in values if op == operator)
        median = numbers[len(numbers) // 2]
        shown = "、".join(f"{raw}×{n}" for raw, n in Counter(raw for *_, raw, _ in values).most_common(5))
        measure = Counter(name for *_, name in values).most_common(1)[0][0] if named else ""
        return Rewrite(f"{measure}{_SYMBOL[operator]}{fmt_number(median)}%",
                       f"语料库中 {len(values)} 个同类指标（如“{values[0][3]}”）写了百分比：{shown}；"
                       f"取最常见的运算符 {_SYMBOL[operator]} 和中位数 {fmt_number(median)}%")

    def _time(self, wants_deadline: bool, exclude_ids, template: str, why: str) -> Rewrite:
        durations, deadlines = [], []
        for decl in self.decls:
            if decl.id in exclude_ids:
                continue
            for ind in decl.indicators:
                if ind.level2 != "时效":
                    continue
                t = ind.target
                if t.kind == "deadline":
                    deadlines.append(t.raw)
                elif t.kind == "quantitative" and t.unit in ("工作日", "天", "小时", "分钟"):
                    durations.append((t.unit, t.value, t.raw))
        if deadlines and (wants_deadline or not durations):
            best, n = Counter(deadlines).most_common(1)[0]
            return Rewrite(best if best.endswith("前") else f"{best}前",
                           f"语料库中 {len(deadlines)} 个时效指标写了期限（{'、'.join(sorted(set(deadlines)))}），"
                           f"最常见的是“{best}”（{n} 次）；请按本项目计划确定")
        if durations:
            unit = Counter(u for u, *_ in durations).most_common(1)[0][0]
            numbers = sorted(v for u, v, _ in durations if u == unit)
            median = numbers[len(numbers) // 2]
            shown = "、".join(sorted({raw for *_, raw in durations}))
            return Rewrite(f"≤{fmt_number(median)}{unit}",
                           f"语料库中 {len(durations)} 个时效指标写了时长（{shown}），单位多为{unit}，取中位数")
        return Rewrite(template, f"{why}；语料库中没有可参考的期限或时长")
