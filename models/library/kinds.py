"""Which kinds of public project does a project belong to? (name + description → scored kinds)

Two signals, both fitted on the library itself at first use (no corpus, no network, no encoder):
- keywords: each kind's cue words found in the text, weighted by how specific the word is (a word
  few kinds share counts more, a longer word counts more) and counted double in the project name,
  the part of a form officers write most carefully;
- similarity: cosine of character 1–3-gram TF-IDF vectors of the project text and of each kind's
  name, description, keywords and indicator names, which catches phrasings no keyword lists.
The score mixes the two; kinds within reach of the best score and above a floor are returned.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from models.charlinear import CharTfidf
from models.library import DATA_DIR, ProjectKind, load_library

KEYWORD_WEIGHT = 0.65     # the rest is TF-IDF similarity
NAME_FACTOR = 2.0         # a keyword in the project name counts this many times
KEYWORD_SATURATION = 30.0  # keyword evidence (weighted hits) at which the keyword part reaches 1
SIMILARITY_SATURATION = 0.35  # cosine at which the similarity part reaches 1 (a clear match is 0.3–0.6)
MIN_SCORE = 0.15          # below this nothing is claimed (unless it is the best and top=1 is asked)
RELATIVE_CUTOFF = 0.6     # further kinds must score at least this share of the best one
# Fund names that contain another kind's cue words: 车辆购置税 is the road fund (车购税), not a car.
_FUND_NAMES = (("车辆购置税", "车购税"),)
_NOISE = re.compile(r"[\s0-9０-９.,，。、;；:：()（）【】\[\]“”\"'《》%‰+\-—/]+")


@dataclass(frozen=True)
class KindMatch:
    kind_id: str
    name: str
    score: float


class KindMatcher:
    """`KindMatcher.fit(kinds)` learns from a library (scikit-learn's TF-IDF); `save` / `load`
    keep it as JSON + .npy beside an index, so loading one fits nothing; `match` scores a
    project against every kind."""

    def __init__(self, kinds: tuple[ProjectKind, ...], cues: list[list[tuple[str, float]]],
                 tfidf: CharTfidf, dense: np.ndarray):
        self.kinds = kinds
        self._cues = cues
        self._tfidf = tfidf
        self._dense = dense  # kinds × n-grams (a few MB), rows L2-normalised

    @classmethod
    def fit(cls, kinds: tuple[ProjectKind, ...]) -> KindMatcher:
        from sklearn.feature_extraction.text import TfidfVectorizer

        # keyword specificity: idf over kinds, so 补助 (many kinds) weighs less than 雾炮 (one)
        df: dict[str, int] = {}
        for kind in kinds:
            for word in set(kind.keywords) | {kind.name}:
                df[word] = df.get(word, 0) + 1
        n = len(kinds)
        cues = []
        for kind in kinds:
            words = set(kind.keywords) | set(_name_parts(kind.name))
            cues.append([(w, math.log(1 + n / df.get(w, 1)) * (1.0 + 0.25 * min(len(w) - 2, 2)))
                         for w in sorted(words) if len(w) >= 2])
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                     preprocessor=_clean)
        matrix = vectorizer.fit_transform([_kind_text(k) for k in kinds])
        return cls(kinds, cues, CharTfidf.of_sklearn(vectorizer, _clean), matrix.toarray())

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._tfidf.save(directory)
        np.save(directory / "kinds_ngrams.npy", self._dense)
        (directory / "cues.json").write_text(json.dumps(
            {"kinds": [k.id for k in self.kinds], "cues": self._cues}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, kinds: tuple[ProjectKind, ...]) -> KindMatcher:
        saved = json.loads((directory / "cues.json").read_text(encoding="utf-8"))
        if saved["kinds"] != [k.id for k in kinds]:
            raise ValueError(f"{directory}：保存的项目类别与指标库不一致；请重建索引")
        cues = [[(w, float(x)) for w, x in row] for row in saved["cues"]]
        dense = np.load(directory / "kinds_ngrams.npy")
        return cls(kinds, cues, CharTfidf.load(directory, preprocessor=_clean), dense)

    def scores(self, name: str, description: str) -> np.ndarray:
        name, description = _fund_names(name or ""), _fund_names(description or "")
        keyword = np.array([self._keyword_evidence(cues, name, description) for cues in self._cues])
        keyword = np.minimum(1.0, keyword / KEYWORD_SATURATION)
        similarity = self._similarity(f"{name} {name} {description}")
        similarity = np.minimum(1.0, similarity / SIMILARITY_SATURATION)
        return KEYWORD_WEIGHT * keyword + (1 - KEYWORD_WEIGHT) * similarity

    def _similarity(self, text: str) -> np.ndarray:
        """Cosine of the text's TF-IDF vector (sublinear tf, L2) with each kind's."""
        cols, weights = self._tfidf.transform_one(text)
        if not len(cols):
            return np.zeros(len(self.kinds))
        return self._dense[:, cols] @ weights

    def match(self, name: str, description: str, top: int = 3) -> list[KindMatch]:
        scores = self.scores(name, description)
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]]) if len(order) else 0.0
        if best <= 0:
            return []
        out = []
        for i in order[:max(1, top)]:
            score = float(scores[i])
            if out and (score < MIN_SCORE or score < RELATIVE_CUTOFF * best):
                break
            if not out and score < MIN_SCORE and not _any_keyword(self._cues[i], name, description):
                break  # nothing in the text points at any kind
            out.append(KindMatch(self.kinds[i].id, self.kinds[i].name, round(score, 4)))
        return out

    @staticmethod
    def _keyword_evidence(cues: list[tuple[str, float]], name: str, description: str) -> float:
        total = 0.0
        for word, weight in cues:
            if word in name:
                total += NAME_FACTOR * weight
            elif word in description:
                total += weight
        return total


def _fund_names(text: str) -> str:
    for long, short in _FUND_NAMES:
        text = text.replace(long, short)
    return text


def _any_keyword(cues: list[tuple[str, float]], name: str, description: str) -> bool:
    return any(w in name or w in description for w, _ in cues)


def _name_parts(kind_name: str) -> list[str]:
    """'低保、特困供养与临时救助' → ['低保', '特困供养', '临时救助']: the name's own cue words."""
    return [p for p in re.split(r"[、与和及（）()/，]", kind_name) if len(p) >= 2]


def _kind_text(kind: ProjectKind) -> str:
    names = " ".join(i.name for i in kind.indicators)
    keywords = " ".join(kind.keywords)
    return f"{kind.name} {kind.name} {keywords} {keywords} {kind.description} {names}"


def _clean(text: str) -> str:
    return _NOISE.sub(" ", text)


@lru_cache(maxsize=4)
def matcher(path: Path = DATA_DIR) -> KindMatcher:
    return KindMatcher.fit(load_library(path))


def match_kinds(name: str, description: str, *, top: int = 3) -> list[KindMatch]:
    """Kinds of project the text belongs to, best first, with scores in [0, 1].

    At least one kind when anything in the text points at one; further kinds only when they score
    close to the best (RELATIVE_CUTOFF) and above MIN_SCORE."""
    return matcher().match(name, description, top=top)
