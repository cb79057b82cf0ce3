"""The recommender's tunable parameters, in one frozen object passed down every call.

Every threshold and weight that decides which evidence a draft uses and how it ranks lives here,
not as module constants read deep inside: `recommend(..., settings=Settings(row_prior=0.3))`
measures another value without touching global state, so one built index serves a whole grid of
settings (`evaluation/fit_settings.py`, issue 23: parameters fitted by leave-one-province-out).
`DEFAULT` holds the shipped values; the index manifest records them (`recommender.fitted`).
Values: chosen by leave-one-province-out on 2026-12-07 (README, "Parameters fitted by
leave-one-province-out"): the folds kept every hand-set value but `keep_ratio`. The corpus's
thresholds (related … one_off, library_beside_corpus) move the figures of the bundled corpus's
one province only, so no fold can fit them: they stay as the seeds' leave-one-out set them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace


@dataclass(frozen=True)
class Settings:
    # which past projects count as precedent (recommend._is_related / _trust)
    related: float = 0.03            # word-vector cosine with the query from which a past project's rows are used
    min_shared_terms: int = 8        # and words it must share with the query (two generic words are chance)
    related_full: float = 0.2        # cosine from which a past project is trusted fully (proportionally below)
    own_unit_trust: float = 0.7      # the unit's own related forms are trusted at least this much
    one_off: float = 0.5             # another unit's row no other past form uses: that project's own choice
    # how the national library ranks beside the corpus
    library_discount: float = 0.3    # a library row with the fit of a corpus row ranks below it
    library_beside_corpus: float = 0.25  # with closely related past projects at hand, the library weighs less
    generic_weight: float = 0.5      # a row nearly every kind lists (安全生产事故发生次数) ranks below the project's own
    keep_ratio: float = 0.7          # a second or third kind is kept when it scores at least this share of the best (hand-set 0.5)
    # rows of kinds the project was not matched to (recommender.library_rows)
    row_prior: float = 0.5           # such a row weighs as a kind matched at this share of the best
    row_candidates: int = 8          # such rows offered at most
    min_lexical: float = 0.3         # rarity-weighted share of the row name's words the project text must contain
    # rows composed for the project (recommender.compose)
    composed_weight: float = 0.18    # a composed row of full strength ranks with a good library row

    def with_values(self, **values) -> "Settings":
        """A copy with some values replaced; an unknown name is refused (a typo must not pass silently)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"未知的推荐参数：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）")
        return replace(self, **values)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


DEFAULT = Settings()
