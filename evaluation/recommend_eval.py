"""Leave-one-out evaluation of recommendation on the corpus.

For each declaration: recommend from the others using only its name and prose, and score the
ranked list against its real indicators.

- exact match: same indicator name after folding spaces, 的 and synonyms (`merge_key`);
- soft match: same second level (first level when the form has none) and name similarity
  (difflib ratio of the folded names) ≥ SOFT_THRESHOLD;
- value agreement: among soft-matched indicators in the top 20, the share whose suggested
  value has the same operator family (≥/>, ≤/<, =) and a number within 10% of the real one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

from corpus.schema import Declaration, TEXT_FIELDS
from corpus.targets import parse_target
from recommender.engine import Engine
from recommender.merge import merge_key
from recommender.recommend import recommend
from recommender.results import Suggested
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
            else:
                preds = recommend(engine, project_name=decl.project_name or "",
                                  description=description_of(decl), top_k=top_k,
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
