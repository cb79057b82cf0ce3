"""Everything a recommendation or review needs, loaded once: index, corpus tables, segmenter, models.

`Engine.build(corpus, encoder, index_root)` loads (or builds / updates) the index and opens it;
`corpus` is a CorpusStore (declarations stay in SQLite and are fetched by id for the few a query
touches) or a list (the bundled samples, tests). Nothing proportional to the corpus is held as
Python objects: per-declaration and per-indicator data are memory-mapped arrays
(`recommender.tables`), BM25 and the IDF term matrix are memory-mapped (`recommender.lexical`),
vectors are memory-mapped faiss / .npy files. The attributes the ranking code reads
(`decls`, `by_id`, `row_of`, `name_rows`) are views over them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from corpus import framework
from corpus.schema import Declaration, Indicator
from models.encoders import Encoder
from models.library import ProjectKind
from models.library.kinds import KindMatcher
from models.segment import Segmenter
from recommender.fitted import Fitted
from recommender.index import CorpusIndex, ListSource, StoreSource, as_source, ensure_index
from recommender.lexical import Lexical
from recommender.merge import Source
from recommender.tables import CorpusTables

FETCH_CACHE = 512  # declarations kept after a fetch (a query touches ~10–60)
FRAMEWORK_FILL_SOURCES = 100  # source rows listed for a framework-fill suggestion


class CorpusView:
    """The corpus in index row order: `len`, `view[row]` and iteration fetch declarations from
    the store (or the list) on demand; a small LRU keeps the ones a query just touched."""

    def __init__(self, source, tables: CorpusTables):
        self.source = source
        self.tables = tables
        self._cache: OrderedDict[str, Declaration] = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()

    def __len__(self) -> int:
        return len(self.tables)

    def thread_store(self):
        """This thread's own connection to the store (connections are not shared between threads)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = self.source.store.reopen()
        return store

    def _get_many(self, ids: list[str]) -> dict[str, Declaration]:
        if isinstance(self.source, StoreSource):
            return self.thread_store().get_many(ids)
        return self.source.get_many(ids)

    def fetch(self, ids) -> dict[str, Declaration]:
        ids = list(dict.fromkeys(ids))
        with self._lock:
            out = {i: self._cache[i] for i in ids if i in self._cache}
        missing = [i for i in ids if i not in out]
        if missing:
            found = self._get_many(missing)
            out.update(found)
            with self._lock:
                for ident, decl in found.items():
                    self._cache[ident] = decl
                while len(self._cache) > FETCH_CACHE:
                    self._cache.popitem(last=False)
        return out

    def __getitem__(self, row: int) -> Declaration:
        ident = self.tables.ids[int(row)]
        return self.fetch([ident])[ident]

    def __iter__(self) -> Iterator[Declaration]:
        if isinstance(self.source, ListSource):  # already in index order
            yield from self.source.decls
            return
        for start in range(0, len(self), 500):
            ids = [self.tables.ids[r] for r in range(start, min(len(self), start + 500))]
            found = self._get_many(ids)
            yield from (found[i] for i in ids if i in found)


class _ById:
    def __init__(self, view: CorpusView):
        self.view = view

    def get(self, ident: str, default=None):
        return self.view.fetch([ident]).get(ident, default)

    def __getitem__(self, ident: str) -> Declaration:
        return self.view.fetch([ident])[ident]

    def __contains__(self, ident: str) -> bool:
        return self.view.tables.row_of(ident) is not None


class _Lookup:
    """A read-only mapping over a lookup function (id → table row)."""

    def __init__(self, find: Callable[[str], int | None]):
        self.find = find

    def get(self, key: str, default=None):
        row = self.find(key)
        return default if row is None else row

    def __getitem__(self, key: str) -> int:
        row = self.find(key)
        if row is None:
            raise KeyError(key)
        return row


@dataclass
class Engine:
    index: CorpusIndex
    source: object  # ListSource | StoreSource
    segmenter: Segmenter
    lexical: Lexical
    kinds: tuple[ProjectKind, ...]
    kind_vectors: np.ndarray
    library_vectors: dict[str, np.ndarray]
    origin: str = ""
    kind_matcher: KindMatcher | None = None
    fitted_numbers: dict = field(default_factory=dict)
    decls: CorpusView = field(init=False)

    def __post_init__(self) -> None:
        from recommender.rewrite import RewriteAdvisor
        self.tables: CorpusTables = self.index.tables
        self.decls = CorpusView(self.source, self.tables)
        self.by_id = _ById(self.decls)
        self.row_of = _Lookup(self.tables.row_of)
        self.name_rows = _Lookup(self.index.names.find)  # name key → row of index.name_vectors
        self.bm25 = self.lexical  # scores(query), top(query, k)
        # the corpus statistics behind rewrites were computed at index time
        self.advisor = RewriteAdvisor(self.decls, state=self.index.rewrite_state())

    @property
    def encoder(self) -> Encoder:
        return self.index.encoder

    @classmethod
    def build(cls, corpus, encoder: Encoder, index_root: Path, *,
              origin: str = "", say: Callable[[str], None] = lambda m: None) -> Engine:
        """`corpus`: a CorpusStore (scales) or a list of declarations."""
        source = as_source(corpus)
        index = ensure_index(source, encoder, index_root, say=say)
        return cls.from_index(source, index, origin=origin)

    @classmethod
    def published(cls, store, encoder: Encoder, index_root: Path, *, origin: str = "") -> Engine:
        """A replica's engine: the index version the builder published under `index_root`, loaded
        as it is (never built or updated here), over the shared store; an empty store means the
        builder indexed the bundled samples."""
        from recommender.index import CorpusIndex, index_link
        index = CorpusIndex.load(index_link(index_root, encoder), encoder)
        if store.count() == 0:
            from corpus.store import cached_samples
            decls, fingerprint = cached_samples(Path(index_root))
            return cls.from_index(ListSource(decls, fingerprint), index, origin=origin)
        return cls.from_index(store, index, origin=origin)

    @classmethod
    def from_index(cls, corpus, index: CorpusIndex, *, origin: str = "") -> Engine:
        source = as_source(corpus)
        if isinstance(source, ListSource):  # index row order
            order = {ident: n for n, ident in enumerate(index.project_ids)}
            source = ListSource(sorted(source.decls, key=lambda d: order.get(d.id, len(order))),
                                source.fingerprint())
        segmenter = index.segmenter()
        lexical = index.lexical(segmenter)
        fitted = Fitted.load(index.path)  # read, not trained: the build fitted them
        return cls(index, source, segmenter, lexical, fitted.kinds, fitted.kind_vectors,
                   fitted.library_vectors, origin, fitted.kind_matcher, fitted.library_numbers)

    def __len__(self) -> int:
        return len(self.tables)

    def library_vector(self, name: str) -> np.ndarray:
        if name not in self.library_vectors:
            self.library_vectors[name] = self.encoder.encode_passages([name])[0]
        return self.library_vectors[name]

    @cached_property
    def measures(self):
        """The measures composed rows use (recommender/compose.py), learned at build and read here."""
        from recommender.compose import MEASURES_FILE, load_measures
        from recommender.fitted import FITTED
        return load_measures(self.index.path / FITTED / MEASURES_FILE)

    @cached_property
    def assessor(self):
        """The target assessor `zhibiao check` uses (rules + model), read from the index."""
        from recommender.fitted import load_assessor
        return load_assessor(self.index.path)

    @cached_property
    def levels(self):
        """The level classifier the build trained on the corpus's labelled rows."""
        from recommender.fitted import load_levels
        return load_levels(self.index.path)

    def relatedness(self, query: str, row: int) -> float:
        """Cosine of IDF-weighted word vectors of the query and a past project's text: an absolute
        measure (unlike rank fusion), so unrelated projects can be turned away whatever the encoder."""
        return self.lexical.relatedness(query, row)

    def shared_terms(self, query: str, row: int) -> int:
        """How many distinct informative words the query and a past project share."""
        return self.lexical.shared_terms(query, row)

    @property
    def library_numbers(self) -> dict[str, list[tuple[object, object, str]]]:
        """Library entries whose typical value is a number the assessor accepts, by level2
        (judged once, when the index was built: recommender.fitted)."""
        return self.fitted_numbers

    def uses_input_management(self, ids) -> bool:
        """Do most of these past forms use the 投入和管理 class? (read from the tables)"""
        rows = self.tables.rows_of(ids)
        return bool(rows) and sum(int(self.tables.decl_input[r]) for r in rows) * 2 > len(rows)

    def agency_uses_input_management(self, agency: str | None, exclude_ids: frozenset[str] = frozenset()) -> bool | None:
        """Do the agency's own past forms use the 投入和管理 class? None when it has no forms here."""
        if not agency:
            return None
        forms, using = self.tables.uses_input_management(agency, self.tables.rows_of(exclude_ids))
        if forms <= 0:
            return None
        return using * 2 >= forms

    def corpus_uses_input_management(self, exclude_ids: frozenset[str] = frozenset()) -> bool:
        forms, using = self.tables.uses_input_management(None, self.tables.rows_of(exclude_ids))
        return forms > 0 and using * 2 > forms

    def level_of(self, indicator: Indicator) -> tuple[str | None, str | None]:
        """(level1, level2) of a corpus row; two-level tables get the classifier's level2
        (predicted at index time, per distinct name)."""
        if indicator.level2:
            return indicator.level1, indicator.level2
        predicted = self.tables.predicted_level(indicator.name)
        if predicted is None:
            return indicator.level1, None
        level2, confidence = predicted
        fits = indicator.level1 in (None, framework.LEVEL2[level2])
        return (framework.LEVEL2[level2], level2) if confidence >= 0.4 and fits else (indicator.level1, None)

    def most_common(self, level2: str, exclude_ids: frozenset[str] = frozenset()) -> list[Source]:
        """Rows of the corpus's most common indicator name for a class (for framework fill; at most
        FRAMEWORK_FILL_SOURCES rows, read from the tables: nothing is fetched from the store)."""
        found = self.tables.most_common_rows(level2, self.tables.rows_of(exclude_ids), FRAMEWORK_FILL_SOURCES)
        out = []
        for row, indicator in found:
            ident, project_name, _, _ = self.tables.project(row)
            name, raw = self.tables.indicator_at(indicator)
            out.append(Source(ident, project_name, name, raw, 0.0, level2))
        return out
