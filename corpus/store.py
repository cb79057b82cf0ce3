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
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from corpus.errors import InputError, StoreError
from typing import TYPE_CHECKING

from corpus.schema import Declaration, corpus_hash
from corpus.store_protocol import FileResult

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
CREATE INDEX IF NOT EXISTS files_sha256 ON files(sha256);
CREATE TABLE IF NOT EXISTS aliases (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL,
    original TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    name TEXT, recorded_at TEXT NOT NULL);
"""
# files_sha256 and aliases (issue 20): the store is content-addressed. The same bytes under another
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


class CorpusStore:
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

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> CorpusStore:
        return self.open() if self._conn is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("语料库尚未打开；请先调用 open()")
        return self._conn

    # ---- writing -------------------------------------------------------------------------
    def ingest_file(self, path: Path, *, bounds: Bounds | None = None, name: str | None = None) -> FileResult:
        """Parse and store one file in this process, in one transaction. `name`: the name its user
        gave it (an upload stored under its hash), kept as the file's name and in its ids."""
        from corpus.ingest_pool import Bounds, parse_one
        bounds = bounds if bounds is not None else Bounds()
        key = str(path.resolve())
        parsed = parse_one(str(path), self.stored_digest(key), bounds)
        if name and parsed.declarations:
            stem = Path(name).stem or "upload"
            parsed.declarations = [d.renamed(d.id.replace(path.stem, stem, 1), file=name)
                                   for d in parsed.declarations]
        with self.conn:  # one transaction: the whole file or nothing
            return self.store_parsed(parsed, key, name=name)

    def stored_digest(self, key: str) -> str | None:
        row = self.conn.execute("SELECT sha256 FROM files WHERE path=?", (key,)).fetchone()
        return row[0] if row else None

    def store_parsed(self, parsed: Parsed, key: str, *, name: str | None = None) -> FileResult:
        """Write one parsed file (replacing what `key` held) inside the caller's transaction, under
        a savepoint: on a constraint error nothing of the file stays and the result says failed."""
        path = Path(parsed.path)
        if parsed.reason is not None:
            return FileResult(parsed.path, "failed", reason=parsed.reason)
        if parsed.unchanged:
            count = self.conn.execute("SELECT COUNT(*) FROM declarations WHERE file_path=?",
                                      (key,)).fetchone()[0]
            return FileResult(parsed.path, "unchanged", count)
        decls, digest = parsed.declarations, parsed.digest
        known = self.conn.execute("SELECT sha256 FROM files WHERE path=?", (key,)).fetchone()
        if known is not None and known[0] == digest:  # another ingester stored it since we looked
            count = self.conn.execute("SELECT COUNT(*) FROM declarations WHERE file_path=?", (key,)).fetchone()[0]
            return FileResult(parsed.path, "unchanged", count)
        same = self.conn.execute("SELECT path, (SELECT COUNT(*) FROM declarations WHERE file_path=path) "
                                 "FROM files WHERE sha256=? AND path != ? LIMIT 1", (digest, key)).fetchone()
        if same is not None:  # these bytes are stored already: an alias, not a second copy
            if known:
                self.conn.execute("DELETE FROM files WHERE path=?", (key,))
            self.conn.execute("INSERT OR REPLACE INTO aliases VALUES (?, ?, ?, ?, ?)",
                              (key, digest, same[0], name, datetime.now(timezone.utc).isoformat()))
            return FileResult(parsed.path, "unchanged", same[1],
                              note=f"内容与已入库的 {Path(same[0]).name} 相同，未重复存储，记为其别名")
        if self._ids_taken_elsewhere([d.id for d in decls], key):
            # same file name in another folder: keep ids unique with the content hash
            decls = [d.renamed(f"{path.stem}.{digest[:8]}-{d.id.rsplit('-', 1)[-1]}") for d in decls]
        self.conn.execute("SAVEPOINT store_file")
        try:
            self._replace_file_row(key, digest, name)
            self.conn.execute("DELETE FROM aliases WHERE path=?", (key,))
            for position, decl in enumerate(decls):
                self._insert_stored(decl, key, position)
        except BaseException as exc:  # a constraint, or Ctrl-C mid-file: none of the file stays
            self.conn.execute("ROLLBACK TO store_file")
            self.conn.execute("RELEASE store_file")
            if not isinstance(exc, sqlite3.IntegrityError):
                raise
            said = "申报表编号与已有的重复" if "UNIQUE" in str(exc) else "违反数据库约束"
            return FileResult(parsed.path, "failed", reason=f"无法写入语料库（{said}）")
        self.conn.execute("RELEASE store_file")
        return FileResult(parsed.path, "replaced" if known else "new", len(decls), note=parsed.note)

    @contextmanager
    def writer(self):
        """`put(parsed, key)` for a stream of parsed files: every file under its own savepoint,
        files committed together every COMMIT_EVERY_S (one fsync-free WAL commit per batch): a kill
        at any moment leaves whole files only, and a re-run finishes the rest."""
        import time
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

    def remove_files(self, paths: Iterable[str | Path]) -> list[tuple[str, int]]:
        """Remove stored files (a folder: every stored file under it) with their declarations, in
        one transaction. Returns (stored path, declarations removed) per file; a path that names
        nothing stored gives (path, -1). Vectors go at the next index update (ids no longer stored)."""
        out: list[tuple[str, int]] = []
        with self.conn:
            for raw in paths:
                key = str(Path(raw).resolve())
                rows = self.conn.execute(
                    "SELECT path FROM files WHERE path=? OR (path >= ? AND path < ?) ORDER BY path",
                    (key, key.rstrip("/") + "/", key.rstrip("/") + "0")).fetchall()
                gone = self.conn.execute("DELETE FROM aliases WHERE path=?", (key,)).rowcount
                if not rows and gone:
                    out.append((key, 0))
                elif not rows:
                    out.append((str(raw), -1))
                for (stored,) in rows:
                    count = self.conn.execute("SELECT COUNT(*) FROM declarations WHERE file_path=?",
                                              (stored,)).fetchone()[0]
                    self.conn.execute("DELETE FROM files WHERE path=?", (stored,))
                    out.append((stored, count))
        return out

    def _ids_taken_elsewhere(self, ids: list[str], file_key: str) -> bool:
        marks = ",".join("?" * len(ids))
        row = self.conn.execute(
            f"SELECT 1 FROM declarations WHERE id IN ({marks}) AND file_path != ? LIMIT 1",
            ids + [file_key]).fetchone()
        return row is not None

    def _insert_stored(self, decl: StoredDeclaration, file_key: str, position: int) -> None:
        self.conn.execute(
            "INSERT INTO declarations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (decl.id, file_key, position, decl.agency, decl.year, decl.project_name, decl.layout, decl.data))
        self.conn.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?)",
                              [(decl.id, *row) for row in decl.indicators])

    def _replace_file_row(self, key: str, sha256: str, name: str | None = None) -> None:
        """A file's row, new or replacing the old one (its declarations go with it: ON DELETE CASCADE)."""
        self.conn.execute("DELETE FROM files WHERE path=?", (key,))
        self.conn.execute("INSERT INTO files (path, sha256, ingested_at, name) VALUES (?, ?, ?, ?)",
                          (key, sha256, datetime.now(timezone.utc).isoformat(), name))

    def aliases(self) -> list[tuple[str, str, str | None]]:
        """(alias path, stored path it repeats, name given) of every alias."""
        return self.conn.execute("SELECT path, original, name FROM aliases ORDER BY path").fetchall()

    def add_declarations(self, decls: Iterable[Declaration], *, source: str, sha256: str | None = None) -> int:
        """Store declarations that come from no file on disk (a generated or synthetic corpus) under
        one `files` row named `source`, in one transaction; replaces what `source` held. Without
        `sha256`, the row's hash is that of the stored declarations, so the store's fingerprint
        changes whenever the content does (declarations are streamed, so it is set at the end)."""
        count, content = 0, hashlib.sha256()
        with self.conn:
            self._replace_file_row(source, sha256 or "pending")
            from corpus.ingest_pool import StoredDeclaration
            for position, decl in enumerate(decls):
                stored = StoredDeclaration.of(decl)
                content.update(stored.data.encode("utf-8"))
                self._insert_stored(stored, source, position)
                count += 1
            if sha256 is None:
                self.conn.execute("UPDATE files SET sha256=? WHERE path=?", (content.hexdigest(), source))
        return count

    # ---- reading -------------------------------------------------------------------------
    def iter_declarations(self, batch: int = 1000) -> Iterator[Declaration]:
        """Every declaration in store order, read `batch` rows at a time (bounded memory)."""
        cursor = self.conn.execute("SELECT data FROM declarations ORDER BY file_path, position")
        while rows := cursor.fetchmany(batch):
            yield from (Declaration.from_dict(json.loads(r[0])) for r in rows)

    def iter_id_data(self, batch: int = 5000) -> Iterator[tuple[str, str]]:
        """(id, stored JSON) of every declaration in store order (the index hashes the JSON)."""
        cursor = self.conn.execute("SELECT id, data FROM declarations ORDER BY file_path, position")
        while rows := cursor.fetchmany(batch):
            yield from rows

    def id_data_slice(self, offset: int, limit: int) -> list[tuple[str, str]]:
        """(id, stored JSON) of `limit` declarations from `offset` in store order (a parallel
        build's share)."""
        return self.conn.execute("SELECT id, data FROM declarations ORDER BY file_path, position LIMIT ? OFFSET ?",
                                 (limit, offset)).fetchall()

    def file_stamps(self) -> list[tuple[str, str, str]]:
        """(path, sha256, ingested_at) of every stored file, by path."""
        return [tuple(r) for r in self.conn.execute("SELECT path, sha256, ingested_at FROM files ORDER BY path")]

    def ids_with_overview(self, q: str, agency: str | None, year: int | None) -> Iterator[str]:
        """Ids of the declarations whose overview contains `q` (and of this agency / year)."""
        where, args = ["instr(COALESCE(json_extract(data, '$.texts.overview'), ''), ?) > 0"], [q]
        if not any(ch in q for ch in '"\\') and q.isprintable():  # as written in the JSON: a cheap prefilter
            where.insert(0, "instr(data, ?) > 0")
            args.insert(0, q)
        if agency:
            where.append("agency = ?")
            args.append(agency)
        if year is not None:
            where.append("year = ?")
            args.append(year)
        cursor = self.conn.execute(f"SELECT id FROM declarations WHERE {' AND '.join(where)}", args)
        while batch := cursor.fetchmany(2000):
            yield from (ident for (ident,) in batch)

    def layouts(self, ids: list[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(f"SELECT id, layout FROM declarations WHERE id IN ({marks})", chunk))
        return out

    def get_many(self, declaration_ids: Iterable[str]) -> dict[str, Declaration]:
        """The declarations with these ids (those present), fetched in one query per 500 ids."""
        ids, out = list(dict.fromkeys(declaration_ids)), {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for ident, data in self.conn.execute(f"SELECT id, data FROM declarations WHERE id IN ({marks})", chunk):
                out[ident] = Declaration.from_dict(json.loads(data))
        return out

    def declarations(self) -> list[Declaration]:
        rows = self.conn.execute("SELECT data FROM declarations ORDER BY file_path, position")
        return [Declaration.from_dict(json.loads(r[0])) for r in rows]

    def get(self, declaration_id: str) -> Declaration | None:
        row = self.conn.execute("SELECT data FROM declarations WHERE id=?",
                                (declaration_id,)).fetchone()
        return Declaration.from_dict(json.loads(row[0])) if row else None

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM declarations").fetchone()[0]

    def aggregates(self, unknown: str) -> dict:
        """Declaration and indicator counts, and declarations by agency, year and layout, counted
        by SQL (nothing per declaration reaches Python). Each breakdown lists its keys in order of
        first appearance in store order, as counting `iter_declarations` would; `unknown` names a
        missing agency or year."""
        out = {"declarations": self.count(),
               "indicators": self.conn.execute("SELECT COUNT(*) FROM indicators").fetchone()[0]}
        keys = {"by_agency": "CASE WHEN agency IS NULL OR agency = '' THEN :unknown ELSE agency END",
                "by_year": "CASE WHEN year IS NULL OR year = 0 THEN :unknown ELSE CAST(year AS TEXT) END",
                "by_layout": "layout"}
        for name, key in keys.items():
            rows = self.conn.execute(
                f"SELECT k, COUNT(*) FROM (SELECT {key} AS k, ROW_NUMBER() OVER (ORDER BY file_path, position)"
                " AS n FROM declarations) GROUP BY k ORDER BY MIN(n)", {"unknown": unknown})
            out[name] = dict(rows.fetchall())
        return out

    def files_page(self, limit: int = 100, offset: int = 0) -> tuple[int, list[tuple[str, str | None, str, int]]]:
        """Stored files, newest first: (how many in all, [(path, name given by its user or None,
        ingested_at, declarations)])."""
        total = self.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        rows = self.conn.execute(
            "SELECT f.path, f.name, f.ingested_at, (SELECT COUNT(*) FROM declarations d WHERE d.file_path = f.path)"
            " FROM files f ORDER BY f.ingested_at DESC, f.path LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return total, [tuple(r) for r in rows]

    def fingerprint(self) -> str:
        """Hash of every ingested file's content hash: changes exactly when the corpus does."""
        rows = self.conn.execute("SELECT path, sha256 FROM files ORDER BY path").fetchall()
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


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
