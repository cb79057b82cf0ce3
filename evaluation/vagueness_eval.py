"""Precision / recall / F1 of `vague` and of `fits` on our labels (seed + field forms).

`vague`: the no-digit baseline, the rules alone, the model alone and rules + model. `fits` (the
positive class is a misfit): the fit rules (recommender/fit.py, what the review uses) and, for
comparison, a model of the same kind as the vagueness model trained on the fit labels. Models are
scored with stratified 5-fold cross-validation over the distinct (name, value) pairs, so a model is
never scored on a pair it learnt from; rules need no training (but were written while reading these
forms: their figures are in-sample). Each table is given for all labels and per origin.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from models.vagueness import (LABEL_FILES, TRAINING_LABELS, VAGUE_KINDS, TargetAssessor, VaguenessModel,
                              load_label_rows, no_digit_baseline, rule_kind)

LABELS = TRAINING_LABELS  # kept for callers of the first version
FOLDS = 5


@dataclass
class Row:
    method: str
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    negatives: int = 0  # labelled negatives: the false-alarm rate is false_positives / negatives

    @property
    def false_alarm_rate(self) -> float:
        return round(self.false_positives / self.negatives, 3) if self.negatives else 0.0


def load_labels(paths=LABEL_FILES) -> list[dict]:
    """Distinct (name, value) pairs, the first label of each kept (labels of a pair agree)."""
    seen, rows = set(), []
    for row in load_label_rows(paths):
        key = (row["name"], row["value"])
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return rows


def _row(method: str, truth: list[bool], predicted: list[bool]) -> Row:
    tp = sum(t and p for t, p in zip(truth, predicted))
    fp = sum(p and not t for t, p in zip(truth, predicted))
    fn = sum(t and not p for t, p in zip(truth, predicted))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Row(method, round(precision, 3), round(recall, 3), round(f1, 3), tp, fp, fn,
               sum(not t for t in truth))


def _folds(items, truth, seed):
    from sklearn.model_selection import StratifiedKFold
    return StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(items, truth)


def predict_vague(labels: list[dict], seed: int = 0) -> dict[str, list[bool]]:
    items = [(r["name"], r["value"]) for r in labels]
    truth = [bool(r["vague"]) for r in labels]
    model_pred, both_pred = [False] * len(items), [False] * len(items)
    for train, test in _folds(items, truth, seed):
        train_items, train_truth = [items[i] for i in train], [truth[i] for i in train]
        probs = VaguenessModel().fit(train_items, train_truth).probability([items[i] for i in test])
        assessed = TargetAssessor().fit(train_items, train_truth).assess_many([items[i] for i in test])
        for i, p, a in zip(test, probs, assessed):
            model_pred[i], both_pred[i] = p >= 0.5, a.vague
    return {"no-digit rule (baseline)": [no_digit_baseline(v) for _, v in items],
            "rules alone": [rule_kind(n, v)[0] in VAGUE_KINDS for n, v in items],
            f"model alone ({FOLDS}-fold CV)": model_pred,
            f"rules + model ({FOLDS}-fold CV)": both_pred}


def predict_misfit(labels: list[dict], seed: int = 0) -> dict[str, list[bool]]:
    from recommender.fit import assess_fit  # evaluation may import recommender (one-way flow)

    items = [(r["name"], r["value"]) for r in labels]
    misfit = [not r["fits"] for r in labels]
    rules = [not assess_fit(r["name"], r["value"], level2=_level2(r.get("level2"))).fits for r in labels]
    model_pred = [False] * len(items)
    for train, test in _folds(items, misfit, seed):
        model = VaguenessModel().fit([items[i] for i in train], [misfit[i] for i in train])
        for i, p in zip(test, model.probability([items[i] for i in test])):
            model_pred[i] = p >= 0.5
    return {"fit rules (review)": rules, f"model alone ({FOLDS}-fold CV)": model_pred}


def _level2(raw: str | None) -> str | None:
    from corpus.framework import canonical_level2
    return canonical_level2(raw) if raw else None


def _table(labels, truth, predictions, origins=("all", "seed", "field")) -> list[Row]:
    rows = []
    for origin in origins:
        keep = [i for i, r in enumerate(labels) if origin == "all" or r["origin"] == origin]
        for method, predicted in predictions.items():
            name = method if origin == "all" else f"{method} [{origin}]"
            rows.append(_row(name, [truth[i] for i in keep], [predicted[i] for i in keep]))
    return rows


def evaluate(labels: list[dict] | None = None, seed: int = 0) -> list[Row]:
    """`vague` on seed + field labels (first rows: all labels; then per origin)."""
    labels = labels or load_labels()
    return _table(labels, [bool(r["vague"]) for r in labels], predict_vague(labels, seed))


def evaluate_fits(labels: list[dict] | None = None, seed: int = 0) -> list[Row]:
    """Misfit detection (positive = does not fit) on seed + field labels."""
    labels = [r for r in (labels or load_labels()) if "fits" in r]
    return _table(labels, [not r["fits"] for r in labels], predict_misfit(labels, seed))


def as_dicts(rows: list[Row]) -> list[dict]:
    return [{**asdict(r), "false_alarm_rate": r.false_alarm_rate} for r in rows]
