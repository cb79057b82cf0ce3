"""Second-level class from an indicator's name: char n-grams + logistic regression.

Trained on the corpus rows whose level was read from the layout (not inferred). Used to fill
two-level tables for recommendation and, in review, to flag rows filed under another class.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from corpus.schema import Declaration


class LevelClassifier:
    def __init__(self, C: float = 5.0):
        self.C = C
        self._vectorizer = None
        self._model = None
        self.classes_: list[str] = []

    def fit(self, decls: Iterable[Declaration], exclude_ids: set[str] = frozenset()) -> LevelClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        names, labels = [], []
        for decl in decls:
            if decl.id in exclude_ids:
                continue
            for ind in decl.indicators:
                if ind.level2 and not ind.inferred:
                    names.append(ind.name)
                    labels.append(ind.level2)
        self._vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        matrix = self._vectorizer.fit_transform(names)
        self._model = LogisticRegression(C=self.C, max_iter=2000).fit(matrix, labels)
        self.classes_ = list(self._model.classes_)
        return self

    def predict(self, names: list[str]) -> list[tuple[str, float]]:
        """(level2, probability) for each name."""
        if self._model is None:
            raise RuntimeError("LevelClassifier.fit must be called first")
        if not names:
            return []
        probs = self._model.predict_proba(self._vectorizer.transform(names))
        best = np.argmax(probs, axis=1)
        return [(self.classes_[i], float(p[i])) for i, p in zip(best, probs)]


def fit_pairs(classifier: LevelClassifier, names: list[str], labels: list[str]) -> LevelClassifier:
    """Fit on (name, level2) pairs already gathered (the index build passes the corpus tables')."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    classifier._vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    matrix = classifier._vectorizer.fit_transform(names)
    classifier._model = LogisticRegression(C=classifier.C, max_iter=2000).fit(matrix, labels)
    classifier.classes_ = list(classifier._model.classes_)
    return classifier
