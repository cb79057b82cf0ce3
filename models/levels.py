"""Second-level class from an indicator's name: char n-grams + logistic regression.

Trained on the corpus rows whose level was read from the layout (not inferred). Used to fill
two-level tables for recommendation and, in review, to flag rows filed under another class.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from corpus.schema import Declaration
from models.charlinear import CharLogistic


class LevelClassifier:
    """`fit` trains (scikit-learn); `save` / `load` keep it as JSON + .npy; `predict` needs numpy only."""

    def __init__(self, C: float = 5.0):
        self.C = C
        self._model: CharLogistic | None = None
        self.classes_: list[str] = []

    def fit(self, decls: Iterable[Declaration], exclude_ids: set[str] = frozenset()) -> LevelClassifier:
        names, labels = [], []
        for decl in decls:
            if decl.id in exclude_ids:
                continue
            for ind in decl.indicators:
                if ind.level2 and not ind.inferred:
                    names.append(ind.name)
                    labels.append(ind.level2)
        return fit_pairs(self, names, labels)

    def predict(self, names: list[str]) -> list[tuple[str, float]]:
        """(level2, probability) for each name."""
        if self._model is None:
            raise RuntimeError("LevelClassifier.fit must be called first")
        if not names:
            return []
        probs = self._model.predict_proba(names)
        best = np.argmax(probs, axis=1)
        return [(self.classes_[i], float(p[i])) for i, p in zip(best, probs)]

    def save(self, directory: Path) -> None:
        self._model.save(directory)

    @classmethod
    def load(cls, directory: Path) -> LevelClassifier:
        model = CharLogistic.load(directory)
        out = cls(model.C)
        out._model, out.classes_ = model, list(model.classes)
        return out


def fit_pairs(classifier: LevelClassifier, names: list[str], labels: list[str]) -> LevelClassifier:
    """Fit on (name, level2) pairs already gathered (the index build passes the corpus tables')."""
    classifier._model = CharLogistic(classifier.C).fit(names, labels)
    classifier.classes_ = list(classifier._model.classes)
    return classifier
