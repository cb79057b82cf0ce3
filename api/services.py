"""The heavy objects behind the API, loaded in the lifespan hook and swapped whole after ingest.

`Services` is immutable once built; a request takes `holder.current` once and uses that snapshot
to the end, so a rebuild in the background never shows it a half-built state.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from api.corpus_views import DeclarationListing
from api.settings import Settings
from corpus.schema import Declaration
from recommender.corpus_library import IndicatorLibrary
from recommender.engine import Engine
from recommender.index import index_link
from recommender.review import Reviewer

log = logging.getLogger("zhibiao")
RELOAD_CHECK_S = 1.0  # how often a worker looks whether another one swapped in a new index


@dataclass
class Services:
    """Everything a request needs, over the store-backed engine: nothing here grows with the
    corpus (declarations stay in SQLite, per-row data are the index's memory-mapped tables)."""

    origin: str
    engine: Engine
    reviewer: Reviewer
    corpus_hash: str
    link: Path | None = None  # the index link this snapshot was loaded through
    library: IndicatorLibrary = field(init=False, repr=False)
    listing: DeclarationListing = field(init=False, repr=False)
    _stats: dict | None = field(default=None, repr=False)
    _stats_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.library = IndicatorLibrary(self.engine.tables, self.engine.index.path)
        self.listing = DeclarationListing(self.engine)

    @classmethod
    def load(cls, settings: Settings) -> Services:
        from api.commands_recommend import load_engine_from_store
        engine = load_engine_from_store(settings.store_location, settings.encoder, settings.index_dir,
                                        say=lambda m: log.info("zhibiao: %s", m), readonly=settings.index_readonly)
        from api.render import origin_label
        # a person reads these start-up lines: Chinese (the origin code stays English in /readyz)
        log.info("zhibiao: 语料库：%s，%d 份申报表", origin_label(engine.origin), len(engine.tables))
        log.info("zhibiao: 索引已读入页缓存，用时 %.1f 秒", engine.index.warm())  # before ready
        reviewer = Reviewer.of_engine(engine).fit()
        return cls(engine.origin, engine, reviewer, engine.index.corpus_hash,
                   index_link(settings.index_dir, engine.encoder))

    @property
    def declarations(self) -> int:
        return len(self.engine.tables)

    @property
    def indicators(self) -> int:
        return int(self.engine.tables.ind_offsets[-1]) if len(self.engine.tables) else 0

    def stats(self) -> dict:
        """Agency and year aggregates of indicator quality: computed from the tables once per
        index version and kept beside the index (a restart, or another worker, reads the file)."""
        with self._stats_lock:
            if self._stats is None:
                from evaluation.table_report import cached_stats
                self._stats = cached_stats(self.engine.tables, self.reviewer.assessor, self.engine.index.path,
                                           self.corpus_hash)
        return self._stats

    def by_id(self, ident: str) -> Declaration | None:
        return self.engine.by_id.get(ident)

    def index_moved(self) -> bool:
        """Does the index link point at another version than the one loaded (another worker
        ingested and swapped a new index in)?"""
        if self.link is None:
            return False
        try:
            return Path(self.link).resolve() != Path(self.engine.index.path).resolve()
        except OSError:
            return False


class ServiceHolder:
    """Holds the current Services; `rebuild_in_background` swaps in a new one when it is ready."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.current: Services | None = None
        self.rebuilding = False
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._checked = 0.0

    def load(self) -> None:
        if not self.settings.index_readonly:
            self.current = Services.load(self.settings)
            return
        from recommender.errors import IndexMissingError
        try:
            self.current = Services.load(self.settings)
        except IndexMissingError as exc:  # a replica started before the builder's first publication
            self.last_error = f"尚无已发布的索引，等待构建进程（zhibiao corpus index）发布：{exc}"
            log.warning("zhibiao: %s", self.last_error)

    def check_index(self) -> None:
        """At most once a second: when another worker has swapped in a new index version, load it
        in the background (the store fingerprint then matches it, so this only loads)."""
        now = time.monotonic()
        if now - self._checked < RELOAD_CHECK_S or self.rebuilding:
            return
        self._checked = now
        current = self.current
        if current is None and self.settings.index_readonly:  # waiting for the first publication
            self.rebuild_in_background()
        elif current is not None and current.index_moved():
            log.info("zhibiao: 工作进程 %d：其他工作进程已换上新索引，正在加载", os.getpid())
            self.rebuild_in_background()

    def rebuild_in_background(self) -> bool:
        with self._lock:
            if self.rebuilding:
                self._again = True
                return False
            self.rebuilding, self._again = True, False
        threading.Thread(target=self._rebuild, name="zhibiao-rebuild", daemon=True).start()
        return True

    def _rebuild(self) -> None:
        from recommender.errors import IndexMissingError
        while True:
            try:
                fresh = Services.load(self.settings)
                self.current = fresh  # one reference assignment: the swap
                self.last_error = None
                log.info("zhibiao: 新索引已启用（%d 份申报表）", fresh.declarations)
            except IndexMissingError as exc:  # a replica before the first publication: no trace, wait
                self.last_error = f"尚无已发布的索引，等待构建进程（zhibiao corpus index）发布：{exc}"
            except Exception as exc:  # keep serving the old one; report on /readyz
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("zhibiao: rebuild failed; still serving the previous index")
            with self._lock:
                if not self._again:
                    self.rebuilding = False
                    return
                self._again = False
