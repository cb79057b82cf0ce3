"""The heavy objects behind the API, loaded in the lifespan hook and swapped whole after ingest.

`Services` is immutable once built; a request takes `holder.current` once and uses that snapshot
to the end, so a rebuild in the background never shows it a half-built state.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field

from api.settings import Settings
from corpus.schema import Declaration
from corpus.store import load_corpus
from models.encoders import make_encoder
from recommender.engine import Engine
from recommender.index import corpus_hash
from recommender.merge import merge_key
from recommender.review import Reviewer

log = logging.getLogger("zhibiao")


@dataclass
class LibraryEntry:
    name: str
    level1: str | None
    level2: str | None
    frequency: int
    declarations: list[str]
    agencies: list[str]
    observed_values: list[dict]


@dataclass
class Services:
    decls: list[Declaration]
    origin: str
    engine: Engine
    reviewer: Reviewer
    corpus_hash: str
    library: list[LibraryEntry] = field(default_factory=list)
    _stats: dict | None = field(default=None, repr=False)

    @classmethod
    def load(cls, settings: Settings) -> Services:
        decls, origin = load_corpus(settings.store_path)
        log.info("zhibiao: corpus: %s", origin)
        engine = Engine.build(decls, make_encoder(settings.encoder), settings.index_dir, origin=origin,
                              say=lambda m: log.info("zhibiao: %s", m))
        reviewer = Reviewer(decls).fit()
        return cls(decls, origin, engine, reviewer, corpus_hash(decls), _library(engine))

    def stats(self) -> dict:
        """Agency and year aggregates of indicator quality (computed once per corpus)."""
        if self._stats is None:
            from evaluation.report import QualityReport
            tables = QualityReport(self.decls, self.reviewer.assessor).build().tables()
            self._stats = {"corpus_hash": self.corpus_hash, "agencies": tables["agencies"],
                           "years": tables["years"], "agency_years": tables["agency_years"]}
        return self._stats

    def by_id(self, ident: str) -> Declaration | None:
        return self.engine.by_id.get(ident)


def _library(engine: Engine) -> list[LibraryEntry]:
    groups: dict[str, list] = {}
    for decl in engine.decls:
        for ind in decl.indicators:
            groups.setdefault(merge_key(ind.name), []).append((decl, ind))
    out = []
    for rows in groups.values():
        names = Counter(ind.name for _, ind in rows)
        levels = Counter(engine.level_of(ind) for _, ind in rows)
        (level1, level2), _ = levels.most_common(1)[0]
        values = Counter(ind.target.raw or "（空）" for _, ind in rows)
        out.append(LibraryEntry(names.most_common(1)[0][0], level1, level2,
                                len({d.id for d, _ in rows}), sorted({d.id for d, _ in rows}),
                                sorted({d.agency for d, _ in rows if d.agency}),
                                [{"value": v, "count": n} for v, n in values.most_common()]))
    out.sort(key=lambda e: (-e.frequency, e.name))
    return out


class ServiceHolder:
    """Holds the current Services; `rebuild_in_background` swaps in a new one when it is ready."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.current: Services | None = None
        self.rebuilding = False
        self.last_error: str | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        self.current = Services.load(self.settings)

    def rebuild_in_background(self) -> bool:
        with self._lock:
            if self.rebuilding:
                self._again = True
                return False
            self.rebuilding, self._again = True, False
        threading.Thread(target=self._rebuild, name="zhibiao-rebuild", daemon=True).start()
        return True

    def _rebuild(self) -> None:
        while True:
            try:
                fresh = Services.load(self.settings)
                self.current = fresh  # one reference assignment: the swap
                self.last_error = None
                log.info("zhibiao: new index swapped in (%d declarations)", len(fresh.decls))
            except Exception as exc:  # keep serving the old one; report on /readyz
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("zhibiao: rebuild failed; still serving the previous index")
            with self._lock:
                if not self._again:
                    self.rebuilding = False
                    return
                self._again = False
