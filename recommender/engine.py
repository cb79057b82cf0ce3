"""Everything a recommendation or review needs, loaded once: corpus, index, segmenter, models.

`Engine.build(...)` does the work (index load/rebuild, BM25, level classifier, library
vectors); the API's lifespan hook and the CLI call it once per process.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus import framework
from corpus.schema import Declaration, Indicator
from models.encoders import Encoder
from models.levels import LevelClassifier
from models.library import ProjectKind, load_library
from models.segment import Segmenter
from recommender.index import CorpusIndex, ensure_index, project_text
from recommender.lexical import BM25


@dataclass
class Engine:
    decls: list[Declaration]
    index: CorpusIndex
    segmenter: Segmenter
    bm25: BM25
    levels: LevelClassifier
    kinds: tuple[ProjectKind, ...]
    kind_vectors: np.ndarray
    library_vectors: dict[str, np.ndarray]
    origin: str = ""
    by_id: dict[str, Declaration] = field(init=False)
    name_rows: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        from recommender.rewrite import RewriteAdvisor
        self.advisor = RewriteAdvisor(self.decls).warm()  # quantifies suggestions the corpus has in words
        self.by_id = {d.id: d for d in self.decls}
        self.name_rows = {name: i for i, name in enumerate(self.index.names)}
        unlabelled = [i for d in self.decls for i in d.indicators if not i.level2]
        predicted = self.levels.predict([i.name for i in unlabelled])
        from recommender.merge import merge_key
        # merge key → how often each value was written for it (observed values, per query O(1)),
        # and each declaration's (merge key, value) pairs, so queries never re-derive keys
        self.value_counts: dict[str, Counter] = {}
        self.keyed_values: dict[str, list[tuple[str, str]]] = {}
        for decl in self.decls:
            pairs = self.keyed_values.setdefault(decl.id, [])
            for ind in decl.indicators:
                key = merge_key(ind.name)
                pairs.append((key, ind.target.raw))
                self.value_counts.setdefault(key, Counter())[ind.target.raw] += 1
        self._levels: dict[int, tuple[str | None, str | None]] = {}
        for indicator, (level2, confidence) in zip(unlabelled, predicted):
            fits = indicator.level1 in (None, framework.LEVEL2[level2])
            self._levels[id(indicator)] = ((framework.LEVEL2[level2], level2)
                                           if confidence >= 0.4 and fits else (indicator.level1, None))

    @property
    def encoder(self) -> Encoder:
        return self.index.encoder

    @classmethod
    def build(cls, decls: list[Declaration], encoder: Encoder, index_root: Path, *,
              origin: str = "", say: Callable[[str], None] = lambda m: None) -> Engine:
        index = ensure_index(decls, encoder, index_root, say=say)
        return cls.from_index(decls, index, origin=origin)

    @classmethod
    def from_index(cls, decls: list[Declaration], index: CorpusIndex, *, origin: str = "") -> Engine:
        order = {ident: n for n, ident in enumerate(index.project_ids)}
        decls = sorted(decls, key=lambda d: order.get(d.id, len(order)))
        segmenter = Segmenter().fit(decls)
        bm25 = BM25(segmenter).fit([project_text(d) for d in decls])
        kinds = load_library()
        kind_vectors = index.encoder.encode_passages([f"{k.name}：{k.description}" for k in kinds])
        names = sorted({i.name for k in kinds for i in k.indicators})
        library_vectors = dict(zip(names, index.encoder.encode_passages(names)))
        return cls(decls, index, segmenter, bm25, LevelClassifier().fit(decls), kinds,
                   kind_vectors, library_vectors, origin)

    def level_of(self, indicator: Indicator) -> tuple[str | None, str | None]:
        """(level1, level2) of a corpus row; two-level tables get the classifier's level2."""
        if indicator.level2:
            return indicator.level1, indicator.level2
        return self._levels.get(id(indicator), (indicator.level1, None))

    def most_common(self, level2: str, exclude_ids: frozenset[str] = frozenset()) -> list[tuple[Indicator, Declaration]]:
        """Rows of the corpus's most common indicator name for a class (for framework fill)."""
        from recommender.merge import merge_key
        rows = [(i, d) for d in self.decls if d.id not in exclude_ids for i in d.indicators
                if self.level_of(i)[1] == level2]
        if not rows:
            return []
        counts = Counter(merge_key(i.name) for i, _ in rows)
        top = counts.most_common(1)[0][0]
        return [(i, d) for i, d in rows if merge_key(i.name) == top]
