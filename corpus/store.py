"""The SQLite corpus store: one transaction per file, keyed by the file's content hash.

Tables: `files` (path, sha256), `declarations` (the declaration as JSON plus a few columns to
filter on) and `indicators` (one row per indicator, for library search and statistics).
Killing a process mid-ingest leaves whole files only: SQLite rolls the open transaction back.
`ingest` parses in a pool of worker processes (`corpus.ingest_pool`) and writes here, in the one
parent process: each file under its own savepoint, files committed together every half second.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.errors import InputError, StoreError
from typing import TYPE_CHECKING

from corpus.schema import Declaration, corpus_hash
from corpus.store_protocol import FileResult
from corpus.store_sql import SqlStore

if TYPE_CHECKING:  # the readers are imported by what parses (ingest, the samples), not by every reader of the store
    from corpus.ingest_pool import Bounds, Parsed
    from corpus.store_protocol import Store

FORMAT_VERSION = 1
OPEN_TIMEOUT_S = 30  # how long an open waits for another process holding the write lock
FORM_SUFFIXES = {".txt", ".json", ".jsonl", ".csv", ".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm",
                 ".pdf", ".zip"}
SAMPLES_DIR = Path(__file__).parent / "samples"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, ingested_at TEXT NOT NULL, name TEXT);
CREATE TABLE IF NOT EXISTS declarations (
    id TEXT PRIMARY KEY, file_path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    position INTEGER NOT NULL, agency TEXT, year INTEGER, project_name TEXT, layout TEXT,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS indicators (
    declaration_id TEXT NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, level1 TEXT, level2 TEXT, name TEXT NOT NULL, value TEXT,
    kind TEXT, PRIMARY KEY (declaration_id, position));
CREATE INDEX IF NOT EXISTS indicators_name ON indicators(name);
CREATE INDEX IF NOT EXISTS declarations_file ON declarations(file_path);
CREATE INDEX IF NOT EXISTS declarations_order ON declarations(file_path, position);
CREATE INDEX IF NOT EXISTS files_sha256 ON files(sha256);
CREATE TABLE IF NOT EXISTS aliases (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL,
    original TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    name TEXT, recorded_at TEXT NOT NULL);
"""
# declarations_order: pages in store order for a parallel index build (`data_page`), as PostgreSQL's
# declarations_file index serves them. files_sha256 and aliases (issue 20): the store is content-addressed. The same bytes under another
# path are not stored twice; the new path is recorded as an alias of the stored one. Both are
# created on open, so a store written before them gains them the first time it is opened.
# files.name (added by `_migrate`): the name a file was given by its user (an upload's own name;
# on disk it is called by its hash).
# declarations_file: replacing or removing a file finds its declarations without a full scan


def _migrate(conn: sqlite3.Connection) -> None:
    """Columns added after format version 1 (a store of an older zhibiao gains them)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(files)")}
    if "name" not in columns:
        conn.execute("ALTER TABLE files ADD COLUMN name TEXT")
        conn.commit()


class CorpusStore(SqlStore):
    """A corpus in one SQLite file. `CorpusStore(path)` only stores the path; `open()` connects."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.location = str(self.path)
        self._conn: sqlite3.Connection | None = None

    def reopen(self) -> CorpusStore:
        """Another connection to the same file (SQLite connections stay in their thread)."""
        return CorpusStore(self.path).open()

    def open(self) -> CorpusStore:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # several processes opening a new file at once (ingesters, server workers): switching to WAL
        # and creating the schema take the write lock, and the journal-mode switch can answer "locked"
        # at once instead of waiting; such an open is tried again until the busy timeout has passed
        deadline = time.monotonic() + OPEN_TIMEOUT_S
        while True:
            try:
                self._conn = self._connect()
                return self
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"{self.path}: 语料库被其他进程占用，{OPEN_TIMEOUT_S} 秒内未能打开") from None
                time.sleep(0.05)
            except sqlite3.DatabaseError as exc:
                said = "文件不是 SQLite 数据库" if "not a database" in str(exc) else "SQLite 读取时出错"
                raise StoreError(f"{self.path}: 不是可读取的 zhibiao 语料库（{said}）") from None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=OPEN_TIMEOUT_S)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.executescript(_SCHEMA)
            _migrate(conn)
            row = conn.execute("SELECT value FROM meta WHERE key='format_version'").fetchone()
            if row is None:
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('format_version', ?)", (str(FORMAT_VERSION),))
                conn.commit()
            elif row[0] != str(FORMAT_VERSION):
                raise StoreError(f"{self.path}: 语料库格式版本为 {row[0]}，本版 zhibiao 只能读取版本 "
                                 f"{FORMAT_VERSION}；请换一个新的 ZHIBIAO_HOME 重新导入")
        except BaseException:
            conn.close()
            raise
        return conn

    # ---- what this engine does its own way (the rest: corpus.store_sql) -------------------
    def _transaction(self):
        return self.conn  # sqlite3: `with conn:` commits at the end, rolls back on an exception

    def _stream(self, sql: str, args=(), batch: int = 2000) -> Iterator[tuple]:
        cursor = self.conn.execute(sql, args)
        while rows := cursor.fetchmany(batch):
            yield from rows

    def _insert_many(self, sql: str, rows: list[tuple]) -> None:
        self.conn.executemany(sql, rows)

    def _store_one(self, parsed: Parsed, key: str, name: str | None) -> FileResult:
        with self.conn:  # one transaction: the whole file or nothing
            return self.store_parsed(parsed, key, name=name)

    def store_parsed(self, parsed: Parsed, key: str, *, name: str | None = None) -> FileResult:
        """Write one parsed file (replacing what `key` held) inside the caller's transaction, under
        a savepoint: on a constraint error nothing of the file stays and the result says failed."""
        settled = self._settled(parsed, key)
        if settled is not None:
            return settled
        self.conn.execute("SAVEPOINT store_file")
        try:
            result = self._write_file(parsed, key, name)
        except BaseException as exc:  # a constraint, or Ctrl-C mid-file: none of the file stays
            self.conn.execute("ROLLBACK TO store_file")
            self.conn.execute("RELEASE store_file")
            if not isinstance(exc, sqlite3.IntegrityError):
                raise
            said = "申报表编号与已有的重复" if "UNIQUE" in str(exc) else "违反数据库约束"
            return FileResult(parsed.path, "failed", reason=f"无法写入语料库（{said}）")
        self.conn.execute("RELEASE store_file")
        return result

    @contextmanager
    def writer(self):
        """`put(parsed, key)` for a stream of parsed files: every file under its own savepoint,
        files committed together every COMMIT_EVERY_S (one fsync-free WAL commit per batch): a kill
        at any moment leaves whole files only, and a re-run finishes the rest."""
        conn = self.conn
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives a process kill without fsync
        previous, conn.isolation_level = conn.isolation_level, None  # transactions managed here
        state = {"committed": time.monotonic(), "open": False}

        def put(parsed: Parsed, key: str) -> FileResult:
            if not state["open"]:
                conn.execute("BEGIN IMMEDIATE")  # one writer at a time (other ingesters wait)
                state["open"] = True
            result = self.store_parsed(parsed, key)
            if time.monotonic() - state["committed"] >= COMMIT_EVERY_S:
                conn.execute("COMMIT")
                state["committed"], state["open"] = time.monotonic(), False
            return result
        try:
            yield put
        finally:
            if state["open"] and conn.in_transaction:
                conn.execute("COMMIT")  # every file in the batch is whole (each under its savepoint)
            conn.isolation_level = previous


def form_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the form files inside folders named (recursively, sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in FORM_SUFFIXES)
        else:
            yield path


COMMIT_EVERY_S = 0.5  # stored files become visible (and survive a kill) at least this often


def ingest(store: Store, paths: Iterable[str | Path], *, jobs: int | None = None,
           bounds: Bounds | None = None,
           on_file: Callable[[int, int, FileResult], None] | None = None) -> list[FileResult]:
    """Parse the form files in `jobs` worker processes (default: one per core) and store each
    file whole, in the order given. Files whose content hash is already stored are not parsed.

    `store.writer()` decides how files are committed (SQLite: batches every COMMIT_EVERY_S, each
    file under a savepoint; PostgreSQL: one transaction per file): a kill at any moment leaves
    whole files only, and a re-run finishes the rest."""
    from corpus.ingest_pool import Bounds
    bounds = bounds if bounds is not None else Bounds()
    files, seen = [], set()
    for path in form_files(paths):
        key = str(path.resolve())
        if key not in seen:
            seen.add(key)
            files.append((path, key))
    results: list[FileResult] = []

    def report(result: FileResult) -> None:
        results.append(result)
        if on_file:
            on_file(len(results), len(files), result)

    tasks, keys = [], []
    for path, key in files:
        tasks.append((str(path), store.stored_digest(key)) if path.is_file() else (str(path), None))
        keys.append(key)
    with store.writer() as put:
        for n, parsed in enumerate(_parsed_in_order(tasks, jobs or os.cpu_count() or 1, bounds)):
            report(put(parsed, keys[n]))
    return results


def _parsed_in_order(tasks: list[tuple[str, str | None]], jobs: int, bounds: Bounds) -> Iterator[Parsed]:
    """Missing paths fail here; the rest go to the pool, results merged back in order."""
    from corpus.ingest_pool import Parsed, parse_files
    present = [t for t in tasks if Path(t[0]).is_file()]
    parsed = parse_files(present, jobs=jobs, bounds=bounds)
    for path, known in tasks:
        if Path(path).is_file():
            yield next(parsed)
        else:
            reason = "文件不存在" if not Path(path).exists() else "不是普通文件"
            yield Parsed(path, reason=reason)
    parsed.close()


def sample_declarations() -> list[Declaration]:
    return _parse_samples()


def cached_samples(cache_dir: Path) -> tuple[list[Declaration], str]:
    """The bundled sample forms and their `corpus_hash`, kept in `cache_dir` as JSON under a key of
    the sample files and the reader's code (corpus/**/*.py and .json): a one-shot command on the
    samples reads ~0.1 MB of JSON instead of running the reader and hashing (~0.5 s)."""
    key = _samples_key()
    path = Path(cache_dir) / "samples.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return [Declaration.from_dict(d) for d in cached["declarations"]], cached["fingerprint"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # absent, torn or of another shape: parse again and rewrite it
    decls = _parse_samples()
    fingerprint = corpus_hash(decls)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        temp.write_text(json.dumps({"key": key, "fingerprint": fingerprint,
                                    "declarations": [d.to_dict() for d in decls]}, ensure_ascii=False),
                        encoding="utf-8")
        os.replace(temp, path)  # readers see the old file or the new one, never half of one
    except OSError:
        pass  # a read-only home still works, parsing each time
    return decls, fingerprint


def _parse_samples() -> list[Declaration]:
    from corpus.read import parse_file
    decls: list[Declaration] = []
    for path in sorted(SAMPLES_DIR.glob("*.txt")):
        decls.extend(parse_file(path))
    return decls


def _samples_key() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    files = sorted(SAMPLES_DIR.glob("*.txt")) + sorted(package.rglob("*.py")) + sorted(package.rglob("*.json"))
    for path in files:
        if "__pycache__" in path.parts or SAMPLES_DIR in path.parents and path.suffix == ".json":
            continue
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def store_origin(path: Path, count: int) -> str:
    """Where a corpus came from, as every command reports it (api.render.origin_label translates)."""
    return f"store {path} ({count} declarations)"


def samples_origin(path: Path, count: int) -> str:
    return f"bundled sample corpus ({count} declarations; the store {path} is empty)"


def load_corpus(store_path: str | Path) -> tuple[list[Declaration], str]:
    """The user's corpus, or the bundled samples when the store is empty or absent.

    Returns (declarations, description of where they came from)."""
    path = Path(store_path)
    if path.exists():
        with CorpusStore(path) as store:
            decls = store.declarations()
        if decls:
            return decls, store_origin(path, len(decls))
    decls = sample_declarations()
    return decls, samples_origin(path, len(decls))


__all__ = ["CorpusStore", "FileResult", "InputError", "ingest", "load_corpus",
           "sample_declarations", "form_files"]
