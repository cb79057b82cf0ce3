"""Precision / recall / F1 of `vague` on our labels: rules, model, both, and a no-digit rule.

The model is scored with stratified 5-fold cross-validation over the distinct labelled pairs,
so it is never scored on a pair it learnt from; the rules need no training.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from models.vagueness import (TRAINING_LABELS, VAGUE_KINDS, TargetAssessor, VaguenessModel,
                              no_digit_baseline, rule_kind)

LABELS = TRAINING_LABELS
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


def load_labels(path: Path = LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _row(method: str, truth: list[bool], predicted: list[bool]) -> Row:
    tp = sum(t and p for t, p in zip(truth, predicted))
    fp = sum(p and not t for t, p in zip(truth, predicted))
    fn = sum(t and not p for t, p in zip(truth, predicted))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Row(method, round(precision, 3), round(recall, 3), round(f1, 3), tp, fp, fn)


def evaluate(labels: list[dict] | None = None, seed: int = 0) -> list[Row]:
    from sklearn.model_selection import StratifiedKFold

    labels = labels or load_labels()
    items = [(r["name"], r["value"]) for r in labels]
    truth = [bool(r["vague"]) for r in labels]
    model_pred: list[bool] = [False] * len(items)
    both_pred: list[bool] = [False] * len(items)
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(items, truth):
        train_items, train_truth = [items[i] for i in train], [truth[i] for i in train]
        model = VaguenessModel().fit(train_items, train_truth)
        probs = model.probability([items[i] for i in test])
        assessor = TargetAssessor().fit(train_items, train_truth)
        assessed = assessor.assess_many([items[i] for i in test])
        for i, p, a in zip(test, probs, assessed):
            model_pred[i] = p >= 0.5
            both_pred[i] = a.vague
    rules_pred = [rule_kind(n, v)[0] in VAGUE_KINDS for n, v in items]
    digit_pred = [no_digit_baseline(v) for _, v in items]
    return [_row("no-digit rule (baseline)", truth, digit_pred), _row("rules alone", truth, rules_pred),
            _row(f"model alone ({FOLDS}-fold CV)", truth, model_pred),
            _row(f"rules + model ({FOLDS}-fold CV)", truth, both_pred)]


def as_dicts(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]
