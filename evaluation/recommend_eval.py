"""Recommendation quality: leave-one-out on the corpus, and real field forms (`--cases`).

For each declaration: recommend from the others using only its name and prose, and score the
ranked list against its real indicators.

- exact match: same indicator name after folding spaces, 的 and synonyms (`merge_key`);
- soft match: same second level (first level when the form has none) and name similarity
  (difflib ratio of the folded names) ≥ SOFT_THRESHOLD;
- value agreement: among soft-matched indicators in the top 20, the share whose suggested
  value has the same operator family (≥/>, ≤/<, =) and a number within 10% of the real one.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from pathlib import Path

from corpus import framework
from corpus.schema import Declaration, TEXT_FIELDS
from corpus.targets import parse_target
from recommender.engine import Engine
from recommender.naming import merge_key
from recommender.recommend import recommend
from evaluation.field_cases import Case, clean_name, recovered, soft_match, stated_numbers
from recommender.results import Suggested, Target
from recommender.suggest import OPERATOR_FAMILY, suggest

SOFT_THRESHOLD = 0.5


@dataclass
class Row:
    method: str
    recall_exact_10: float
    recall_exact_20: float
    precision_exact_10: float
    recall_soft_10: float
    recall_soft_20: float
    precision_soft_10: float
    value_agreement: float
    declarations: int


def description_of(decl: Declaration) -> str:
    return "\n".join(decl.texts[f] for f in TEXT_FIELDS if decl.texts.get(f))


def _gold(engine: Engine, decl: Declaration) -> list[tuple[str, str | None, str | None, str]]:
    seen, out = set(), []
    for ind in decl.indicators:
        key = merge_key(ind.name)
        if key and key not in seen:
            seen.add(key)
            level1, level2 = engine.level_of(ind)
            out.append((key, level1, level2, ind.target.raw))
    return out


def _soft(pred: Suggested, gold) -> bool:
    key, level1, level2, _ = gold
    same_class = (pred.level2 == level2) if level2 else (pred.level1 == level1)
    return same_class and SequenceMatcher(None, merge_key(pred.name), key).ratio() >= SOFT_THRESHOLD


def _exact(pred: Suggested, gold) -> bool:
    return merge_key(pred.name) == gold[0]


def _values_agree(pred: Suggested, gold_raw: str) -> bool:
    real = parse_target(gold_raw)
    if pred.target.value is None or real.value is None:
        return False
    same_op = OPERATOR_FAMILY.get(pred.target.operator or "=") == OPERATOR_FAMILY.get(real.operator or "=")
    scale = max(abs(real.value), 1e-9)
    return same_op and abs(pred.target.value - real.value) / scale <= 0.10


def popularity(engine: Engine, held_out: str, top_k: int) -> list[Suggested]:
    """Baseline: the most common indicators of each class, round-robin over classes."""
    by_class: dict[str | None, Counter] = {}
    rows: dict[str, list] = {}
    for decl in engine.decls:
        if decl.id == held_out:
            continue
        for ind in decl.indicators:
            level1, level2 = engine.level_of(ind)
            key = merge_key(ind.name)
            by_class.setdefault(level2, Counter())[key] += 1
            rows.setdefault(key, []).append((ind, level1, level2))
    queues = {c: [k for k, _ in counter.most_common()] for c, counter in by_class.items()}
    order = sorted(queues, key=lambda c: -sum(by_class[c].values()))
    out: list[Suggested] = []
    while len(out) < top_k and any(queues.values()):
        for c in order:
            if queues[c] and len(out) < top_k:
                key = queues[c].pop(0)
                ind, level1, level2 = rows[key][0]
                counts = Counter(r[0].target.raw for r in rows[key])
                value = suggest({raw: (n, float(n)) for raw, n in counts.items()})
                out.append(Suggested.of(level1, level2, ind.name, value, len(rows[key]), "corpus", []))
    return out


def evaluate(engines: dict[str, tuple[Engine, str]], *, top_k: int = 20) -> list[Row]:
    """`engines`: method name → (engine, mode) where mode is 'popularity' or a recommend mode."""
    rows = []
    for method, (engine, mode) in engines.items():
        totals = Counter()
        agree = matched = 0
        for decl in engine.decls:
            gold = _gold(engine, decl)
            if not gold:
                continue
            if mode == "popularity":
                preds = popularity(engine, decl.id, top_k)
            else:  # the author knows their own unit: its past forms (minus this one) may guide
                preds = recommend(engine, project_name=decl.project_name or "",
                                  description=description_of(decl), top_k=top_k, agency=decl.agency,
                                  exclude_ids=frozenset({decl.id}), mode=mode).indicators
            for name, match in (("exact", _exact), ("soft", _soft)):
                for k in (10, 20):
                    hit = sum(any(match(p, g) for p in preds[:k]) for g in gold)
                    totals[f"recall_{name}_{k}"] += hit / len(gold)
                top10 = preds[:10]
                totals[f"precision_{name}_10"] += (sum(any(match(p, g) for g in gold) for p in top10)
                                                   / max(1, len(top10)))
            for g in gold:
                pred = next((p for p in preds[:20] if _soft(p, g)), None)
                if pred is not None:
                    matched += 1
                    agree += _values_agree(pred, g[3])
            totals["n"] += 1
        n = max(1, totals["n"])
        rows.append(Row(method, *(round(totals[f] / n, 3) for f in (
            "recall_exact_10", "recall_exact_20", "precision_exact_10", "recall_soft_10",
            "recall_soft_20", "precision_soft_10")), round(agree / max(1, matched), 3), totals["n"]))
    return rows


def as_dicts(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]


# ---- field forms: `zhibiao evaluate recommend --cases FILE.jsonl` ------------------------------
COMMON_LIST = Path(__file__).parent / "data" / "common_national_indicators.json"
# the method before the national library (issue 11) left the product: its figures are computed
# from git revision 19ff621 (README)
CASE_METHODS = ("popularity baseline", "30 common national indicators",
                "full (national library + description + corpus)")


@dataclass
class CaseScore:
    method: str
    case: str
    recall_10: float
    recall_20: float
    precision_10: float
    stated: int
    stated_recovered: int
    kind_correct: bool | None
    suggestions: int
    vague: int
    templates: int
    covers_required: bool


@dataclass
class CaseTotal:
    method: str
    cases: int
    recall_10: float
    recall_20: float
    precision_10: float
    stated: int
    stated_recovered: int
    kind_accuracy: float | None
    vague_share: float
    template_share: float
    covering_answers: int


def common_indicators(top_k: int) -> list[Suggested]:
    data = json.loads(COMMON_LIST.read_text(encoding="utf-8"))
    out = []
    for n, row in enumerate(data["indicators"][:top_k]):
        parsed = parse_target(row["target"])
        out.append(Suggested(row["level1"], row["level2"], row["name"],
                             Target(row["target"], parsed.operator, parsed.value, parsed.unit),
                             1.0 - n / 100, "library", [], [], "固定的30个常用全国指标"))
    return out


def _required_covered(preds: list[Suggested]) -> bool:
    level1s = {p.level1 for p in preds}
    return framework.REQUIRED_LEVEL1 <= level1s


def score_case(engine: Engine, method: str, case: Case, preds: list[Suggested], kinds: list[str] | None,
               expected_kinds: dict[str, set[str]]) -> CaseScore:
    gold, seen = [], set()
    for row in case.rows:
        key = clean_name(row.name)
        if key and key not in seen:
            seen.add(key)
            gold.append(row.name)
    recall = {}
    for k in (10, 20):
        hit = sum(any(soft_match(p.name, g) for p in preds[:k]) for g in gold)
        recall[k] = hit / len(gold) if gold else 0.0
    top10 = preds[:10]
    precision = sum(any(soft_match(p.name, g) for g in gold) for p in top10) / max(1, len(top10))
    stated = stated_numbers(case)
    targets = [p.target.raw for p in preds[:20]]
    got = sum(recovered(q, targets) for q in stated)
    expected = expected_kinds.get(case.id)
    kind_ok = None if expected is None or kinds is None else bool(set(kinds[:1]) & expected)
    shown = preds[:20]
    templates = [p for p in shown if "__" in (p.target.raw or "")]
    others = [p for p in shown if p not in templates]
    assessed = engine.assessor.assess_many([(p.name, p.target.raw) for p in others]) if others else []
    vague = sum(1 for a in assessed if a.vague)
    return CaseScore(method, case.id, round(recall[10], 3), round(recall[20], 3), round(precision, 3),
                     len(stated), got, kind_ok, len(shown), vague, len(templates), _required_covered(shown))


def default_expected_kinds() -> dict[str, set[str]]:
    try:
        from evaluation.kinds_eval import FIELD_FORM_KINDS
    except ImportError:  # the kind evaluation is optional: the column is then left empty
        return {}
    return {case: {kind} for case, kind in FIELD_FORM_KINDS.items()}


def evaluate_cases(engine: Engine, cases: list[Case], *, top_k: int = 20,
                   expected_kinds: dict[str, set[str]] | None = None,
                   methods: tuple[str, ...] = CASE_METHODS,
                   framework: str = "auto") -> tuple[list[CaseTotal], list[CaseScore]]:
    """Each case's name and description in, its real indicator table as the answer.

    `expected_kinds`: case id → library kind ids that are right for it (kind accuracy: the best
    matched kind is one of them); cases without an entry are left out of that column. Default:
    the library's hand-assigned kinds of the field forms (`evaluation.kinds_eval`), where present."""
    if expected_kinds is None:
        expected_kinds = default_expected_kinds()
    scores: list[CaseScore] = []
    for method in methods:
        for case in cases:
            kinds = None
            if method.startswith("popularity"):
                preds = popularity(engine, "", top_k)
            elif method.startswith("30 common"):
                preds = common_indicators(top_k)
            else:
                result = recommend(engine, project_name=case.project_name, description=case.description,
                                   agency=case.agency, top_k=top_k, framework=framework)
                preds = result.indicators
                kinds = [k.id for k in result.kinds]
            scores.append(score_case(engine, method, case, preds, kinds, expected_kinds))
    totals = []
    for method in methods:
        rows = [s for s in scores if s.method == method]
        n = max(1, len(rows))
        judged = [s for s in rows if s.kind_correct is not None]
        shown = sum(s.suggestions for s in rows) or 1
        totals.append(CaseTotal(
            method, len(rows), round(sum(s.recall_10 for s in rows) / n, 3),
            round(sum(s.recall_20 for s in rows) / n, 3), round(sum(s.precision_10 for s in rows) / n, 3),
            sum(s.stated for s in rows), sum(s.stated_recovered for s in rows),
            round(sum(s.kind_correct for s in judged) / len(judged), 3) if judged else None,
            round(sum(s.vague for s in rows) / shown, 3), round(sum(s.templates for s in rows) / shown, 3),
            sum(s.covers_required for s in rows)))
    return totals, scores
