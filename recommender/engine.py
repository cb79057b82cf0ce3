"""Everything a recommendation or review needs, loaded once: corpus, index, segmenter, models.

`Engine.build(...)` does the work (index load/rebuild, BM25, level classifier, library
vectors); the API's lifespan hook and the CLI call it once per process.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
import math
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
    _last_query: tuple | None = field(default=None, init=False, repr=False)
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
        kind_vectors = index.encoder.encode_passages(
            [f"{k.name}：{getattr(k, 'description', '') or ''}" for k in kinds])
        names = sorted({i.name for k in kinds for i in k.indicators})
        library_vectors = dict(zip(names, index.encoder.encode_passages(names)))
        return cls(decls, index, segmenter, bm25, LevelClassifier().fit(decls), kinds,
                   kind_vectors, library_vectors, origin)

    @cached_property
    def row_of(self) -> dict[str, int]:
        return {d.id: n for n, d in enumerate(self.decls)}

    def library_vector(self, name: str) -> np.ndarray:
        if name not in self.library_vectors:
            self.library_vectors[name] = self.encoder.encode_passages([name])[0]
        return self.library_vectors[name]

    @cached_property
    def assessor(self):
        """The target assessor `zhibiao check` uses (rules + model), trained once per engine."""
        from models.vagueness import TargetAssessor
        return TargetAssessor().fit()

    @cached_property
    def library_entries(self) -> list[tuple[object, object]]:
        return [(entry, kind) for kind in self.kinds for entry in kind.indicators]

    @cached_property
    def _project_terms(self) -> tuple[list[dict[str, float]], dict[str, float]]:
        docs = [Counter(self.segmenter.cut(project_text(d))) for d in self.decls]
        df = Counter(t for doc in docs for t in doc)
        n = len(docs)
        idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        return [_unit_vector(doc, idf) for doc in docs], idf

    def relatedness(self, query: str, row: int) -> float:
        """Cosine of IDF-weighted word vectors of the query and a past project's text: an absolute
        measure (unlike rank fusion), so unrelated projects can be turned away whatever the encoder."""
        vectors, _ = self._project_terms
        query_vector, _ = self._query_terms(query)
        doc = vectors[row]
        return sum(w * doc.get(t, 0.0) for t, w in query_vector.items())

    def shared_terms(self, query: str, row: int) -> int:
        """How many distinct informative words the query and a past project share."""
        vectors, _ = self._project_terms
        _, terms = self._query_terms(query)
        return sum(1 for t in terms if t in vectors[row])

    def _query_terms(self, query: str) -> tuple[dict[str, float], frozenset[str]]:
        """The query's unit word vector and informative words, segmented once per query."""
        cached = self._last_query
        if cached is not None and cached[0] == query:
            return cached[1]
        _, idf = self._project_terms
        counts = Counter(self.segmenter.cut(query))
        value = (_unit_vector(counts, idf, unknown=max(idf.values(), default=1.0)),
                 frozenset(t for t in counts if len(t) >= 2))
        self._last_query = (query, value)
        return value

    @cached_property
    def library_numbers(self) -> dict[str, list[tuple[object, object, str]]]:
        """Library entries whose typical value is a number the assessor accepts, by level2
        (judged once per engine, so a recommendation only looks them up)."""
        from recommender.fit import value_fits
        from recommender.quantify import entry_target, is_template
        rows = [(e, k, entry_target(e)) for e, k in self.library_entries]
        rows = [r for r in rows if r[2] and not is_template(r[2]) and any(ch.isdigit() for ch in r[2])]
        judged = self.assessor.assess_many([(e.name, t) for e, _, t in rows])
        out: dict[str, list[tuple[object, object, str]]] = {}
        for (entry, kind, typical), assessment in zip(rows, judged):
            if not assessment.vague and value_fits(entry.name, typical)[0]:
                out.setdefault(entry.level2, []).append((entry, kind, typical))
        return out

    def agency_uses_input_management(self, agency: str | None, exclude_ids: frozenset[str] = frozenset()) -> bool | None:
        """Do the agency's own past forms use the 投入和管理 class? None when it has no forms here."""
        if not agency:
            return None
        forms = [d for d in self.decls if d.agency == agency and d.id not in exclude_ids]
        if not forms:
            return None
        using = sum(1 for d in forms if any(i.level1 == "投入和管理" for i in d.indicators))
        return using * 2 >= len(forms)

    def corpus_uses_input_management(self, exclude_ids: frozenset[str] = frozenset()) -> bool:
        forms = [d for d in self.decls if d.id not in exclude_ids]
        using = sum(1 for d in forms if any(i.level1 == "投入和管理" for i in d.indicators))
        return bool(forms) and using * 2 > len(forms)

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


def _unit_vector(counts: Counter, idf: dict[str, float], unknown: float | None = None) -> dict[str, float]:
    weights = {t: (1 + math.log(c)) * idf.get(t, unknown or 0.0) for t, c in counts.items() if len(t) >= 2}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items() if w}
