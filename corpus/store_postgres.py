"""The PostgreSQL corpus store (ZHIBIAO_DATABASE_URL=postgresql://…): many servers and ingesters
share one corpus. Same tables, same answers as the SQLite store (`corpus.store`).

- Schema by numbered migrations (`MIGRATIONS`), applied on open under an advisory lock and
  recorded in `schema_migrations`: a newer zhibiao adds a step, never edits an old one.
- One transaction per file. Two ingesters writing the same path or the same content take the same
  transaction-scoped advisory locks (ordered, so they cannot deadlock) and then see each other's
  commit: a file is stored once, its copies become aliases; `files.sha256` is also UNIQUE.
- Text columns compare byte-wise (COLLATE "C"), as SQLite does: store order is the same in both.
- The declaration JSON is kept as the exact text the SQLite store keeps (the index hashes it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from corpus.errors import StoreError
from corpus.store_protocol import FileResult
from corpus.store_sql import SqlStore

if TYPE_CHECKING:
    from corpus.ingest_pool import Parsed

CONNECT_TIMEOUT_S = 10
MIGRATION_LOCK = 0x7A6869626961  # "zhibia": one migrating process at a time

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE files (
    path TEXT COLLATE "C" PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, ingested_at TEXT NOT NULL, name TEXT);
CREATE TABLE declarations (
    id TEXT COLLATE "C" PRIMARY KEY,
    file_path TEXT COLLATE "C" NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    position INTEGER NOT NULL, agency TEXT, year INTEGER, project_name TEXT, layout TEXT,
    data TEXT NOT NULL);
CREATE TABLE indicators (
    declaration_id TEXT COLLATE "C" NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, level1 TEXT, level2 TEXT, name TEXT NOT NULL, value TEXT,
    kind TEXT, PRIMARY KEY (declaration_id, position));
CREATE INDEX indicators_name ON indicators(name);
CREATE INDEX declarations_file ON declarations(file_path, position);
CREATE TABLE aliases (
    path TEXT COLLATE "C" PRIMARY KEY, sha256 TEXT NOT NULL,
    original TEXT COLLATE "C" NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    name TEXT, recorded_at TEXT NOT NULL);
"""),
    # the server's ingest jobs (api.job_table), shared by replicas: any of them answers any job
    (2, """
CREATE TABLE ingest_jobs (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, finished DOUBLE PRECISION,
    changed INTEGER NOT NULL DEFAULT 0, rebuild TEXT, owner TEXT);
CREATE TABLE ingest_job_files (
    job_id TEXT NOT NULL REFERENCES ingest_jobs(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    name TEXT NOT NULL, path TEXT NOT NULL, status TEXT NOT NULL, declarations INTEGER NOT NULL DEFAULT 0,
    reason TEXT, note TEXT, seconds DOUBLE PRECISION, PRIMARY KEY (job_id, position));
"""),
]


def shown(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _lock_key(text: str) -> int:
    """A signed 64-bit advisory-lock key for a path or a content hash."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=True)


class PostgresStore(SqlStore):
    """A corpus in a PostgreSQL database. `PostgresStore(url)` only stores the URL; `open()` connects."""

    MARK = "%s"
    CONTAINS = "strpos({}, ?) > 0"
    OVERVIEW = "data::jsonb #>> '{texts,overview}'"

    def __init__(self, url: str):
        self.url = url
        self.location = shown(url)
        self._conn = None

    # ---- connection ---------------------------------------------------------------------
    def open(self) -> PostgresStore:
        try:
            import psycopg
        except ImportError:
            raise StoreError("使用 PostgreSQL 语料库需要 psycopg：pip install 'psycopg[binary]'") from None
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: 无法连接 PostgreSQL 语料库（{str(exc).strip()[:200]}）") from None
        self._conn = conn
        try:
            migrate(conn)
        except psycopg.Error as exc:
            self.close()
            raise StoreError(f"{self.location}: 语料库结构升级失败（{str(exc).strip()[:200]}）") from None
        return self

    def reopen(self) -> PostgresStore:
        return PostgresStore(self.url).open()

    # ---- what this engine does its own way (the rest: corpus.store_sql) -------------------
    def _transaction(self):
        return self.conn.transaction()

    def _stream(self, sql: str, args=(), batch: int = 2000) -> Iterator[tuple]:
        """Rows through a server-side cursor (bounded memory), in a transaction of their own
        connection so that writes on this one are not held up."""
        with self.reopen() as reader, reader.conn.transaction(), reader.conn.cursor(name="zhibiao_stream") as cur:
            cur.itersize = batch
            cur.execute(self._sql(sql), args or None)
            yield from cur

    def _lock_source(self, source: str) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("path:" + source),))

    @contextmanager
    def writer(self):
        """Each file in its own transaction (committed when `put` returns)."""
        yield lambda parsed, key: self.store_parsed(parsed, key)

    def _store_one(self, parsed: Parsed, key: str, name: str | None) -> FileResult:
        return self.store_parsed(parsed, key, name=name)

    def store_parsed(self, parsed: Parsed, key: str, *, name: str | None = None) -> FileResult:
        """Write one parsed file (replacing what `key` held) in one transaction."""
        import psycopg
        settled = self._settled(parsed, key)
        if settled is not None:
            return settled
        try:
            with self.conn.transaction():
                locks = sorted({_lock_key("path:" + key), _lock_key("sha256:" + parsed.digest)})
                for lock in locks:  # ordered: two writers never wait on each other in a cycle
                    self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
                return self._write_file(parsed, key, name)
        except psycopg.errors.IntegrityError as exc:
            said = "申报表编号与已有的重复" if isinstance(exc, psycopg.errors.UniqueViolation) else "违反数据库约束"
            return FileResult(parsed.path, "failed", reason=f"无法写入语料库（{said}）")


def migrate(conn) -> int:
    """Apply the migrations this database lacks, in order, each in its own transaction, one
    process at a time. Returns the schema version now in place."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        newest = max(v for v, _ in MIGRATIONS)
        beyond = [v for v in done if v > newest]
        if beyond:
            raise StoreError(f"语料库结构版本为 {max(beyond)}，本版 zhibiao 只认识到版本 {newest}；请升级 zhibiao")
        for version, sql in MIGRATIONS:
            if version not in done:
                conn.execute(sql)
                conn.execute("INSERT INTO schema_migrations VALUES (%s, %s)",
                             (version, datetime.now(timezone.utc).isoformat()))
    return newest
