"""Character 1–3-gram TF-IDF and a logistic regression over it: fitted with scikit-learn when an
index is built, saved as JSON + .npy, and applied with numpy when it is loaded, so loading and
predicting never import scikit-learn (its import alone costs a one-shot command ~1.5 s).

`CharTfidf.transform_one` computes what scikit-learn's `TfidfVectorizer(analyzer="char",
ngram_range=(1, 3), sublinear_tf=True)` computes for one text (lower-cased unless a
preprocessor is given, whitespace runs collapsed, idf from the fit, rows L2-normalised), as the
columns and weights of its non-zero entries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

NGRAMS = (1, 3)
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's own whitespace normalisation
FORMAT = "char-ngram-logistic/1"


def char_ngrams(text: str, lowercase: bool = True, preprocessor: Callable[[str], str] | None = None) -> list[str]:
    """scikit-learn's char analyzer: preprocess, collapse whitespace, 1–3-grams in its order."""
    text = preprocessor(text) if preprocessor is not None else (text.lower() if lowercase else text)
    text = _WHITE_SPACES.sub(" ", text)
    grams = list(text)
    for n in range(2, min(NGRAMS[1] + 1, len(text) + 1)):
        grams.extend(text[i:i + n] for i in range(len(text) - n + 1))
    return grams


class CharTfidf:
    """A fitted char n-gram TF-IDF (sublinear tf, smooth idf, L2 rows)."""

    def __init__(self, columns: dict[str, int], idf: np.ndarray, lowercase: bool = True,
                 preprocessor: Callable[[str], str] | None = None):
        self.columns = columns
        self.idf = idf
        self.lowercase = lowercase
        self.preprocessor = preprocessor

    @classmethod
    def of_sklearn(cls, vectorizer, preprocessor: Callable[[str], str] | None = None) -> CharTfidf:
        return cls({g: int(c) for g, c in vectorizer.vocabulary_.items()}, np.asarray(vectorizer.idf_),
                   bool(vectorizer.lowercase), preprocessor)

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, weights) of the text's non-zero TF-IDF entries, L2-normalised."""
        counts: dict[int, int] = {}
        for gram in char_ngrams(text, self.lowercase, self.preprocessor):
            col = self.columns.get(gram)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
        weights = (np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1) * self.idf[cols]
        weights /= np.sqrt(weights @ weights)
        return cols, weights

    def save(self, directory: Path) -> None:
        grams = sorted(self.columns, key=self.columns.__getitem__)
        (directory / "ngrams.json").write_text(json.dumps(grams, ensure_ascii=False), encoding="utf-8")
        np.save(directory / "idf.npy", self.idf)

    @classmethod
    def load(cls, directory: Path, lowercase: bool = True,
             preprocessor: Callable[[str], str] | None = None) -> CharTfidf:
        grams = json.loads((directory / "ngrams.json").read_text(encoding="utf-8"))
        return cls({g: n for n, g in enumerate(grams)}, np.load(directory / "idf.npy"), lowercase, preprocessor)


def _fitted_on_every_row(texts: list[str]):
    """scikit-learn's TfidfVectorizer (char 1–3-grams, sublinear tf) as `fit(texts)` leaves it —
    the same vocabulary, the same idf bits — from each distinct text once: a text's n-grams count
    in the document frequencies as often as the text occurs (an index build's level classifier
    learns from ~180,000 rows of ~7,000 distinct names: 2.3 CPU s of n-gram analysis, 0.14 s so)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    occurs: dict[str, int] = {}
    for text in texts:
        occurs[text] = occurs.get(text, 0) + 1
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True)
    present = vectorizer.fit_transform(list(occurs))  # non-zero exactly where an n-gram occurs in the text
    weights = np.repeat(np.fromiter(occurs.values(), dtype=np.float64, count=len(occurs)), np.diff(present.indptr))
    # scikit-learn's smooth idf (TfidfTransformer.fit) over every row: log((1 + n) / (1 + df)) + 1,
    # computed in the same order and dtype; df sums whole numbers, exact in float64
    df = np.bincount(present.indices, weights=weights, minlength=present.shape[1])
    df += 1.0
    idf = np.full_like(df, fill_value=len(texts) + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    vectorizer.idf_ = idf
    return vectorizer


def _class_weights(class_weight: str | None, labels: list) -> dict | None:
    """scikit-learn's "balanced" weights (rows / (classes × rows of the class)) over every row."""
    if class_weight != "balanced":
        return class_weight
    counts: dict = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return {label: len(labels) / (len(counts) * n) for label, n in counts.items()}


class CharLogistic:
    """Logistic regression on char n-gram TF-IDF. `fit` needs scikit-learn; `load` and
    `predict_proba` do not."""

    def __init__(self, C: float, class_weight: str | None = None):
        self.C = C
        self.class_weight = class_weight
        self.tfidf: CharTfidf | None = None
        self.coef: np.ndarray | None = None        # classes (or 1 for two) × n-grams
        self.intercept: np.ndarray | None = None
        self.classes: list = []

    def fit(self, texts: list[str], labels: list) -> CharLogistic:
        import sklearn.linear_model  # noqa: F401  (loads scipy's BLAS, so the limit below reaches it)
        from threadpoolctl import threadpool_limits

        # one BLAS thread: the problem is small, and on a shared machine OpenBLAS's spinning threads
        # made this fit 10–30 times slower (0.5 s alone, 6–16 s with the other cores busy)
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(texts, labels)

    def _fit(self, texts: list[str], labels: list) -> CharLogistic:
        from sklearn.linear_model import LogisticRegression

        pairs: dict[tuple, int] = {}  # (text, label) → how often, in first-use order
        for pair in zip(texts, labels):
            pairs[pair] = pairs.get(pair, 0) + 1
        if len(pairs) == len(texts):
            return self._fit_rows(texts, labels)
        # a corpus repeats the same row many times (one template, many projects): each distinct
        # row once, weighted by its count, is the same objective at a fraction of the cost;
        # the idf and the balanced class weights still count every row
        vectorizer = _fitted_on_every_row(texts)
        matrix = vectorizer.transform([text for text, _ in pairs])
        model = LogisticRegression(C=self.C, max_iter=2000, class_weight=_class_weights(
            self.class_weight, labels)).fit(matrix, [label for _, label in pairs],
                                            sample_weight=np.fromiter(pairs.values(), dtype=np.float64))
        return self._keep(vectorizer, model)

    def _fit_rows(self, texts: list[str], labels: list) -> CharLogistic:
        """Every row as it comes (the fit when no row repeats)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True)
        model = LogisticRegression(C=self.C, max_iter=2000, class_weight=self.class_weight).fit(
            vectorizer.fit_transform(texts), labels)
        return self._keep(vectorizer, model)

    def _keep(self, vectorizer, model) -> CharLogistic:
        self.tfidf = CharTfidf.of_sklearn(vectorizer)
        self.coef, self.intercept = np.asarray(model.coef_), np.asarray(model.intercept_)
        self.classes = [c.item() if hasattr(c, "item") else c for c in model.classes_]
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """texts × classes, as scikit-learn's predict_proba (sigmoid for two classes, else softmax)."""
        if self.coef is None:
            raise RuntimeError("CharLogistic: fit or load first")
        out = np.zeros((len(texts), len(self.classes)))
        for n, text in enumerate(texts):
            cols, weights = self.tfidf.transform_one(text)
            decision = self.coef[:, cols] @ weights + self.intercept
            if len(self.classes) <= 2:
                p = 1.0 / (1.0 + np.exp(-decision[0]))
                out[n] = (1.0 - p, p)
            else:
                e = np.exp(decision - decision.max())
                out[n] = e / e.sum()
        return out

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.tfidf.save(directory)
        np.save(directory / "coef.npy", self.coef)
        np.save(directory / "intercept.npy", self.intercept)
        (directory / "manifest.json").write_text(json.dumps(
            {"format": FORMAT, "C": self.C, "class_weight": self.class_weight, "classes": self.classes,
             "ngram_range": list(NGRAMS), "sublinear_tf": True, "lowercase": self.tfidf.lowercase,
             "features": len(self.tfidf.columns)}, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> CharLogistic:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{directory}：模型格式 {manifest.get('format')}，应为 {FORMAT}")
        model = cls(manifest["C"], manifest.get("class_weight"))
        model.tfidf = CharTfidf.load(directory, manifest["lowercase"])
        model.coef, model.intercept = np.load(directory / "coef.npy"), np.load(directory / "intercept.npy")
        model.classes = manifest["classes"]
        if model.coef.shape[1] != len(model.tfidf.columns):
            raise ValueError(f"{directory}：系数与 n-gram 表的列数不一致")
        return model
