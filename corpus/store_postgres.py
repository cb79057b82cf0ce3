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
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from corpus.errors import StoreError
from corpus.schema import Declaration
from corpus.store_protocol import FileResult

if TYPE_CHECKING:
    from corpus.ingest_pool import Bounds, Parsed

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


class PostgresStore:
    """A corpus in a PostgreSQL database. `PostgresStore(url)` only stores the URL; `open()` connects."""

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

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def reopen(self) -> PostgresStore:
        return PostgresStore(self.url).open()

    def __enter__(self) -> PostgresStore:
        return self.open() if self._conn is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def conn(self):
        if self._conn is None:
            raise StoreError("语料库尚未打开；请先调用 open()")
        return self._conn

    def _one(self, sql: str, args=()):
        return self.conn.execute(sql, args).fetchone()

    # ---- writing ------------------------------------------------------------------------
    def ingest_file(self, path: Path, *, bounds: Bounds | None = None, name: str | None = None) -> FileResult:
        from corpus.ingest_pool import Bounds, parse_one
        bounds = bounds if bounds is not None else Bounds()
        key = str(path.resolve())
        parsed = parse_one(str(path), self.stored_digest(key), bounds)
        if name and parsed.declarations:
            stem = Path(name).stem or "upload"
            parsed.declarations = [d.renamed(d.id.replace(path.stem, stem, 1), file=name)
                                   for d in parsed.declarations]
        return self.store_parsed(parsed, key, name=name)

    def stored_digest(self, key: str) -> str | None:
        row = self._one("SELECT sha256 FROM files WHERE path=%s", (key,))
        return row[0] if row else None

    @contextmanager
    def writer(self):
        """Each file in its own transaction (committed when `put` returns)."""
        yield lambda parsed, key: self.store_parsed(parsed, key)

    def store_parsed(self, parsed: Parsed, key: str, *, name: str | None = None) -> FileResult:
        """Write one parsed file (replacing what `key` held) in one transaction."""
        import psycopg
        if parsed.reason is not None:
            return FileResult(parsed.path, "failed", reason=parsed.reason)
        if parsed.unchanged:
            count = self._one("SELECT COUNT(*) FROM declarations WHERE file_path=%s", (key,))[0]
            return FileResult(parsed.path, "unchanged", count)
        try:
            with self.conn.transaction():
                locks = sorted({_lock_key("path:" + key), _lock_key("sha256:" + parsed.digest)})
                for lock in locks:  # ordered: two writers never wait on each other in a cycle
                    self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
                return self._store_locked(parsed, key, name)
        except psycopg.errors.IntegrityError as exc:
            said = "申报表编号与已有的重复" if isinstance(exc, psycopg.errors.UniqueViolation) else "违反数据库约束"
            return FileResult(parsed.path, "failed", reason=f"无法写入语料库（{said}）")

    def _store_locked(self, parsed: Parsed, key: str, name: str | None) -> FileResult:
        path = Path(parsed.path)
        decls, digest = parsed.declarations, parsed.digest
        known = self._one("SELECT sha256 FROM files WHERE path=%s", (key,))
        if known is not None and known[0] == digest:  # another ingester stored it meanwhile
            count = self._one("SELECT COUNT(*) FROM declarations WHERE file_path=%s", (key,))[0]
            return FileResult(parsed.path, "unchanged", count)
        same = self._one("SELECT path, (SELECT COUNT(*) FROM declarations WHERE file_path=path) "
                         "FROM files WHERE sha256=%s AND path != %s LIMIT 1", (digest, key))
        if same is not None:  # these bytes are stored already: an alias, not a second copy
            if known:
                self.conn.execute("DELETE FROM files WHERE path=%s", (key,))
            self.conn.execute(
                "INSERT INTO aliases VALUES (%s, %s, %s, %s, %s) ON CONFLICT (path) DO UPDATE SET "
                "sha256=EXCLUDED.sha256, original=EXCLUDED.original, name=EXCLUDED.name, "
                "recorded_at=EXCLUDED.recorded_at",
                (key, digest, same[0], name, datetime.now(timezone.utc).isoformat()))
            return FileResult(parsed.path, "unchanged", same[1],
                              note=f"内容与已入库的 {Path(same[0]).name} 相同，未重复存储，记为其别名")
        ids = [d.id for d in decls]
        if ids and self._one("SELECT 1 FROM declarations WHERE id = ANY(%s) AND file_path != %s LIMIT 1",
                             (ids, key)):
            decls = [d.renamed(f"{path.stem}.{digest[:8]}-{d.id.rsplit('-', 1)[-1]}") for d in decls]
        self._replace_file_row(key, digest, name)
        self.conn.execute("DELETE FROM aliases WHERE path=%s", (key,))
        for position, decl in enumerate(decls):
            self._insert_stored(decl, key, position)
        return FileResult(parsed.path, "replaced" if known else "new", len(decls), note=parsed.note)

    def _insert_stored(self, decl, file_key: str, position: int) -> None:
        self.conn.execute("INSERT INTO declarations VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                          (decl.id, file_key, position, decl.agency, decl.year, decl.project_name,
                           decl.layout, decl.data))
        if decl.indicators:
            with self.conn.cursor() as cur:
                cur.executemany("INSERT INTO indicators VALUES (%s, %s, %s, %s, %s, %s, %s)",
                                [(decl.id, *row) for row in decl.indicators])

    def _replace_file_row(self, key: str, sha256: str, name: str | None = None) -> None:
        self.conn.execute("DELETE FROM files WHERE path=%s", (key,))
        self.conn.execute("INSERT INTO files (path, sha256, ingested_at, name) VALUES (%s, %s, %s, %s)",
                          (key, sha256, datetime.now(timezone.utc).isoformat(), name))

    def remove_files(self, paths: Iterable[str | Path]) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        with self.conn.transaction():
            for raw in paths:
                key = str(Path(raw).resolve())
                rows = self.conn.execute(
                    "SELECT path FROM files WHERE path=%s OR (path >= %s AND path < %s) ORDER BY path",
                    (key, key.rstrip("/") + "/", key.rstrip("/") + "0")).fetchall()
                gone = self.conn.execute("DELETE FROM aliases WHERE path=%s", (key,)).rowcount
                if not rows and gone:
                    out.append((key, 0))
                elif not rows:
                    out.append((str(raw), -1))
                for (stored,) in rows:
                    count = self._one("SELECT COUNT(*) FROM declarations WHERE file_path=%s", (stored,))[0]
                    self.conn.execute("DELETE FROM files WHERE path=%s", (stored,))
                    out.append((stored, count))
        return out

    def add_declarations(self, decls: Iterable[Declaration], *, source: str, sha256: str | None = None) -> int:
        from corpus.ingest_pool import StoredDeclaration
        count, content = 0, hashlib.sha256()
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("path:" + source),))
            self._replace_file_row(source, sha256 or f"pending:{source}")
            for position, decl in enumerate(decls):
                stored = StoredDeclaration.of(decl)
                content.update(stored.data.encode("utf-8"))
                self._insert_stored(stored, source, position)
                count += 1
            if sha256 is None:
                self.conn.execute("UPDATE files SET sha256=%s WHERE path=%s", (content.hexdigest(), source))
        return count

    # ---- reading ------------------------------------------------------------------------
    def _stream(self, sql: str, args=(), batch: int = 2000) -> Iterator[tuple]:
        """Rows through a server-side cursor (bounded memory), in a transaction of their own
        connection so that writes on this one are not held up."""
        with self.reopen() as reader, reader.conn.transaction(), reader.conn.cursor(name="zhibiao_stream") as cur:
            cur.itersize = batch
            cur.execute(sql, args)
            yield from cur

    def aliases(self) -> list[tuple[str, str, str | None]]:
        return [tuple(r) for r in self.conn.execute("SELECT path, original, name FROM aliases ORDER BY path")]

    def iter_declarations(self, batch: int = 1000) -> Iterator[Declaration]:
        for (data,) in self._stream("SELECT data FROM declarations ORDER BY file_path, position", batch=batch):
            yield Declaration.from_dict(json.loads(data))

    def iter_id_data(self, batch: int = 5000) -> Iterator[tuple[str, str]]:
        yield from self._stream("SELECT id, data FROM declarations ORDER BY file_path, position", batch=batch)

    def id_data_slice(self, offset: int, limit: int) -> list[tuple[str, str]]:
        return [tuple(r) for r in self.conn.execute(
            "SELECT id, data FROM declarations ORDER BY file_path, position LIMIT %s OFFSET %s", (limit, offset))]

    def get_many(self, declaration_ids: Iterable[str]) -> dict[str, Declaration]:
        ids, out = list(dict.fromkeys(declaration_ids)), {}
        for start in range(0, len(ids), 500):
            for ident, data in self.conn.execute("SELECT id, data FROM declarations WHERE id = ANY(%s)",
                                                 (ids[start:start + 500],)):
                out[ident] = Declaration.from_dict(json.loads(data))
        return out

    def declarations(self) -> list[Declaration]:
        return list(self.iter_declarations())

    def get(self, declaration_id: str) -> Declaration | None:
        row = self._one("SELECT data FROM declarations WHERE id=%s", (declaration_id,))
        return Declaration.from_dict(json.loads(row[0])) if row else None

    def count(self) -> int:
        return self._one("SELECT COUNT(*) FROM declarations")[0]

    def file_stamps(self) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.conn.execute("SELECT path, sha256, ingested_at FROM files ORDER BY path")]

    def aggregates(self, unknown: str) -> dict:
        out = {"declarations": self.count(), "indicators": self._one("SELECT COUNT(*) FROM indicators")[0]}
        keys = {"by_agency": "CASE WHEN agency IS NULL OR agency = '' THEN %(unknown)s ELSE agency END",
                "by_year": "CASE WHEN year IS NULL OR year = 0 THEN %(unknown)s ELSE CAST(year AS TEXT) END",
                "by_layout": "layout"}
        for name, key in keys.items():
            rows = self.conn.execute(
                f"SELECT k, COUNT(*) FROM (SELECT {key} AS k, ROW_NUMBER() OVER (ORDER BY file_path, position)"
                " AS n FROM declarations) AS t GROUP BY k ORDER BY MIN(n)", {"unknown": unknown})
            out[name] = dict(rows.fetchall())
        return out

    def files_page(self, limit: int = 100, offset: int = 0) -> tuple[int, list[tuple[str, str | None, str, int]]]:
        total = self._one("SELECT COUNT(*) FROM files")[0]
        rows = self.conn.execute(
            "SELECT f.path, f.name, f.ingested_at, (SELECT COUNT(*) FROM declarations d WHERE d.file_path = f.path)"
            " FROM files f ORDER BY f.ingested_at DESC, f.path LIMIT %s OFFSET %s", (limit, offset)).fetchall()
        return total, [tuple(r) for r in rows]

    def fingerprint(self) -> str:
        rows = [list(r) for r in self.conn.execute("SELECT path, sha256 FROM files ORDER BY path")]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]

    def ids_with_overview(self, q: str, agency: str | None, year: int | None) -> Iterator[str]:
        where, args = ["strpos(COALESCE(data::jsonb #>> '{texts,overview}', ''), %s) > 0"], [q]
        if not any(ch in q for ch in '"\\') and q.isprintable():  # as written in the JSON: a cheap prefilter
            where.insert(0, "strpos(data, %s) > 0")
            args.insert(0, q)
        if agency:
            where.append("agency = %s")
            args.append(agency)
        if year is not None:
            where.append("year = %s")
            args.append(year)
        for (ident,) in self._stream(f"SELECT id FROM declarations WHERE {' AND '.join(where)}", args):
            yield ident

    def layouts(self, ids: list[str]) -> dict[str, str | None]:
        return dict(self.conn.execute("SELECT id, layout FROM declarations WHERE id = ANY(%s)", (ids,)).fetchall())


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
