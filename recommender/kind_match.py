"""Which kinds of public project (from the national indicator library) a description is about.

Uses `models.library.kinds.match_kinds` where the library provides it; otherwise scores each
kind by its keywords found in the text and the encoder's similarity to the kind's description.
Either way the answer is a list of `KindScore` (best first), reported in the recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.settings import DEFAULT

MAX_KINDS = 3


@dataclass
class KindScore:
    id: str
    name: str
    score: float


def match(engine, project_name: str, description: str, query: str, qvec: np.ndarray,
          keep_ratio: float = DEFAULT.keep_ratio) -> list[tuple[object, KindScore]]:
    """(kind object, score) for the kinds the project belongs to, best first: a second or third kind
    is kept when it scores at least `keep_ratio` of the best."""
    by_id = {getattr(k, "id", None): k for k in engine.kinds}
    found: list[tuple[object, KindScore]] = []
    library_match = engine.kind_matcher.match if engine.kind_matcher is not None else _library_matcher()
    if library_match is not None:
        try:
            matches = library_match(project_name or "", description or "", top=MAX_KINDS)
        except Exception:  # a library still being written must not break recommendation
            matches = []
        for m in matches:
            kind = by_id.get(getattr(m, "kind_id", None))
            if kind is not None:
                found.append((kind, KindScore(kind.id, getattr(m, "name", kind.name), round(float(m.score), 3))))
    if not found:
        found = _fallback(engine, query, qvec)
    if not found:
        return []
    best = max(s.score for _, s in found) or 1.0
    return [(k, s) for k, s in found if s.score >= keep_ratio * best and s.score > 0][:MAX_KINDS]


def _library_matcher():
    try:
        from models.library.kinds import match_kinds
    except ImportError:
        return None
    return match_kinds


def _fallback(engine, query: str, qvec: np.ndarray) -> list[tuple[object, KindScore]]:
    if not len(engine.kinds):
        return []
    sims = engine.kind_vectors @ qvec
    low, high = float(sims.min()), float(sims.max())
    scored = []
    for kind, sim in zip(engine.kinds, sims):
        keywords = getattr(kind, "keywords", ()) or ()
        hits = sum(1 for k in keywords if k and k in query)
        dense = (sim - low) / (high - low) if high > low else 0.0
        score = 0.5 * dense + 0.5 * min(1.0, hits / 3)
        scored.append((kind, KindScore(kind.id, kind.name, round(float(score), 3))))
    scored.sort(key=lambda ks: -ks[1].score)
    return [(k, s) for k, s in scored[:MAX_KINDS] if s.score > 0.2]
