"""Leave-one-out review, for evaluation only: the reviewed form is left out of the level classifier
too, so a figure measured on the corpus's own forms is not in-sample.

The product's `Reviewer` (recommender/review.py) reads the classifier the build saved and fits
nothing; these variants refit per reviewed form, which is what an evaluation needs and what no user
should wait for:

- `LeaveOneOutReviewer.of_engine(engine)`: the store-backed engine; the classifier refitted on the
  labelled rows of the index's training sample (the first TRAIN_DECLARATIONS forms, read from the
  tables) less the reviewed form, while the corpus is small (EXCLUDE_RETRAIN_MAX forms);
- `ListReviewer(decls)`: a list of declarations and no index (tests, the development forms): the
  assessor trained on the shipped labels, the rewrites and the classifier from the list.
"""

from __future__ import annotations

from corpus.schema import Declaration
from models.levels import LevelClassifier, fit_pairs
from models.vagueness import TargetAssessor
from recommender.checks.selfeval import project_key
from recommender.review import Reviewer
from recommender.rewrite import RewriteAdvisor
from recommender.tables import TRAIN_DECLARATIONS

CACHED_CLASSIFIERS = 64  # refitted classifiers kept (one per excluded set); beyond, the cache starts again


class LeaveOneOutReviewer(Reviewer):
    """The engine's review with the reviewed form also left out of the level classifier."""

    def __init__(self, engine=None):
        super().__init__(engine)
        self._levels: dict[frozenset[str], LevelClassifier] = {}

    def fit(self) -> LeaveOneOutReviewer:
        super().fit()
        self._sample = min(len(self.engine.tables), TRAIN_DECLARATIONS)
        return self

    def _classifier(self, exclude: frozenset[str]) -> LevelClassifier:
        exclude = self._in_corpus(exclude)  # a form not in the corpus excludes nothing: one shared model
        if exclude not in self._levels:
            if len(self._levels) > CACHED_CLASSIFIERS:
                self._levels.clear()
            self._levels[exclude] = self._refit(exclude)
        return self._levels[exclude]

    def _refit(self, exclude: frozenset[str]) -> LevelClassifier:
        if not exclude and self._sample == min(len(self.engine.tables), TRAIN_DECLARATIONS):
            return self.engine.levels  # the build's: trained on these same rows
        return self._fit_on_tables(exclude)

    def _fit_on_tables(self, exclude: frozenset[str]) -> LevelClassifier:
        """Fit on the labelled rows of the first `_sample` forms of the tables, less `exclude`."""
        import numpy as np
        t = self.engine.tables
        end = int(t.ind_offsets[self._sample])
        keep = np.asarray(t.ind_labelled[:end]) == 1
        for row in t.rows_of(exclude):
            if row < self._sample:
                keep[int(t.ind_offsets[row]):int(t.ind_offsets[row + 1])] = False
        at = np.flatnonzero(keep)
        name_codes, level_codes = np.asarray(t.ind_name)[at], np.asarray(t.ind_filed_level2)[at]
        names = [t.names[int(c)] for c in name_codes.tolist()]
        labels = [t.levels2[int(c)] for c in level_codes.tolist()]
        return fit_pairs(LevelClassifier(), names, labels)


class ListReviewer(LeaveOneOutReviewer):
    """Reviews against a list of declarations, no index: everything is fitted from the list."""

    def __init__(self, decls: list[Declaration]):
        super().__init__(None)
        self.decls = decls

    def fit(self) -> ListReviewer:
        self.assessor = TargetAssessor().fit()
        self.advisor = RewriteAdvisor(self.decls)
        self._ids = {d.id for d in self.decls}
        # last year's self-evaluation of the same project (agency + name without years)
        self._history: dict[tuple, Declaration] = {}
        for d in self.decls:
            if d.year and any(i.target.actual for i in d.indicators):
                self._history[(*project_key(d), d.year)] = d
        return self

    def previous(self, decl: Declaration) -> Declaration | None:
        return self._history.get((*project_key(decl), decl.year - 1)) if decl.year else None

    def _in_corpus(self, exclude: frozenset[str]) -> frozenset[str]:
        return exclude & self._ids

    def _refit(self, exclude: frozenset[str]) -> LevelClassifier:
        return LevelClassifier().fit(self.decls, exclude_ids=set(exclude))
