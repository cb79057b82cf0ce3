"""The national library by row: rows of kinds the project was NOT matched to, scored on their own.

The kind matcher picks a few bins; on unseen projects their rows hold far fewer of the real names
than the whole library does (issue 23: 0.15 against 0.25–0.36). So every library row of another kind
is also a candidate, scored against the project text:

- lexical: the share of the row name's informative words (jieba tokens, weighted by rarity among
  library rows) that the project's name and description contain;
- dense: the encoder's cosine of the row name with the project (the index's precomputed vectors);
- kind: its kind's own cue words found in the text (a soft prior, never enough alone).

A row comes in only on SPECIFIC words of its own name (a word that few kinds' rows use: 雾炮, 慰问,
租户 — not 满意度, 合格率, 人数, nor a place such as 乡镇 or 街道: corpus/vocab/place_words.json) and
at least MIN_SHARED distinct shared words counting its kind's cues, so a row that shares one generic word with the project stays out. The term tables are built
once per engine (a thousand rows: tens of milliseconds), not per request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from corpus.vocab import place_words
from recommender.settings import DEFAULT

GENERIC_KINDS = 6   # a word used in row names of this many kinds is a measure word, not the project's object
MIN_SHARED = 2      # distinct words a row (name + its kind's cues) must share with the project
DENSE_SHARE = 0.4   # the rest of a row's fit is lexical


@dataclass
class RowCandidate:
    entry: object
    kind: object
    fit: float       # in [0, 1]
    shared: tuple[str, ...]


class LibraryRows:
    def __init__(self, engine):
        seg = engine.segmenter
        self.entries = [(e, k) for k in engine.kinds for e in k.indicators]
        self.name_terms = [frozenset(t for t in seg.cut(e.name) if len(t) >= 2) for e, _ in self.entries]
        kinds_of: dict[str, set[str]] = {}
        for terms, (_, kind) in zip(self.name_terms, self.entries):
            for t in terms:
                kinds_of.setdefault(t, set()).add(kind.id)
        n_kinds = max(1, len(engine.kinds))
        self.idf = {t: math.log(1 + n_kinds / len(ks)) for t, ks in kinds_of.items()}
        # a place (乡镇, 街道 …) is never what a row is about, however few kinds write it
        self.specific = frozenset(t for t, ks in kinds_of.items() if len(ks) < GENERIC_KINDS) - place_words()
        self.kind_cues = {k.id: frozenset(w for w in set(k.keywords) | set(seg.cut(k.name)) if len(w) >= 2)
                          for k in engine.kinds}
        vectors = np.array([engine.library_vector(e.name) for e, _ in self.entries], dtype=np.float32)
        self.vectors = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)

    def candidates(self, engine, text: str, qvec: np.ndarray, skip_kinds: set[str],
                   min_shared: int = MIN_SHARED, min_lexical: float = DEFAULT.min_lexical) -> list[RowCandidate]:
        terms = {t for t in engine.segmenter.cut(text) if len(t) >= 2}
        cues_found = {kid: frozenset(w for w in cues if w in text) for kid, cues in self.kind_cues.items()}
        fits = self.vectors @ (qvec / (np.linalg.norm(qvec) + 1e-9))
        low, high = float(fits.min()), float(fits.max())
        out = []
        for i, ((entry, kind), name_terms) in enumerate(zip(self.entries, self.name_terms)):
            if kind.id in skip_kinds or not name_terms:
                continue
            hits = name_terms & terms
            if not (hits & self.specific):
                continue
            shared = hits | cues_found[kind.id]
            if len(shared) < min_shared:
                continue
            lexical = sum(self.idf[t] for t in hits) / sum(self.idf[t] for t in name_terms)
            if lexical < min_lexical:
                continue
            dense = (float(fits[i]) - low) / (high - low) if high > low else 0.0
            out.append(RowCandidate(entry, kind, (1 - DENSE_SHARE) * lexical + DENSE_SHARE * dense,
                                    tuple(sorted(shared))))
        out.sort(key=lambda c: -c.fit)
        return out


_ROWS: list = []  # [(engine, its LibraryRows)]: the last engine's tables


def rows_of(engine) -> LibraryRows:
    """The engine's row tables, built at its first recommendation and kept while it is in use."""
    if not _ROWS or _ROWS[0][0] is not engine:
        _ROWS[:] = [(engine, LibraryRows(engine))]
    return _ROWS[0][1]
