"""What the SQLite and PostgreSQL stores share: the same tables, the same queries, the same rules
for writing a file (content-hash aliases, ids kept unique, a file's old rows replaced).

Queries are written once with `?` for a parameter; a store says how its driver marks one
(`MARK`: `?` for sqlite3, `%s` for psycopg). The two stores differ only where their engines do:
how a transaction and a stream of rows are opened, how two writers are kept apart (a SQLite
write lock, PostgreSQL advisory locks), how JSON and substrings are searched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.errors import StoreError
from corpus.schema import Declaration
from corpus.store_protocol import FileResult

if TYPE_CHECKING:
    from corpus.ingest_pool import Bounds, Parsed, StoredDeclaration

IN_CHUNK = 500  # ids per `IN (…)` query: far below either engine's parameter limit
STORE_ORDER = "ORDER BY file_path, position"


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


class SqlStore:
    """Base of `corpus.store.CorpusStore` and `corpus.store_postgres.PostgresStore`."""

    MARK = "?"
    # a substring test and the overview inside the declaration JSON, in the engine's own functions
    CONTAINS = "instr({}, ?) > 0"
    OVERVIEW = "json_extract(data, '$.texts.overview')"

    _conn = None  # the open connection (each engine's `open()` makes it)

    # ---- connection ---------------------------------------------------------------------
    @property
    def conn(self):
        if self._conn is None:
            raise StoreError("语料库尚未打开；请先调用 open()")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self):
        return self.open() if self._conn is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- what each engine supplies ------------------------------------------------------
    def _transaction(self) -> AbstractContextManager:
        """One transaction: committed when the block ends, rolled back when it raises."""
        raise NotImplementedError

    def _stream(self, sql: str, args=(), batch: int = 2000) -> Iterator[tuple]:
        """Rows of a query a batch at a time (bounded memory)."""
        raise NotImplementedError

    def _lock_source(self, source: str) -> None:
        """Inside a transaction: keep other writers of `source` out until it ends."""

    def _store_one(self, parsed: Parsed, key: str, name: str | None) -> FileResult:
        """Write one parsed file in a transaction of its own."""
        raise NotImplementedError

    # ---- query helpers ------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql if self.MARK == "?" else sql.replace("?", self.MARK)

    def _run(self, sql: str, args=()):
        return self.conn.execute(self._sql(sql), args)

    def _one(self, sql: str, args=()):
        return self._run(sql, args).fetchone()

    def _in_chunks(self, sql: str, ids: list[str]) -> Iterator[tuple]:
        """Rows of `sql` (its `{marks}` the ids) for every IN_CHUNK ids."""
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start:start + IN_CHUNK]
            yield from self._run(sql.format(marks=",".join("?" * len(chunk))), chunk)

    # ---- writing ------------------------------------------------------------------------
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
        return self._store_one(parsed, key, name)

    def stored_digest(self, key: str) -> str | None:
        row = self._one("SELECT sha256 FROM files WHERE path=?", (key,))
        return row[0] if row else None

    def _declarations_of(self, key: str) -> int:
        return self._one("SELECT COUNT(*) FROM declarations WHERE file_path=?", (key,))[0]

    def _settled(self, parsed: Parsed, key: str) -> FileResult | None:
        """The outcome of a file that needs no writing (it failed, or its bytes are stored)."""
        if parsed.reason is not None:
            return FileResult(parsed.path, "failed", reason=parsed.reason)
        if parsed.unchanged:
            return FileResult(parsed.path, "unchanged", self._declarations_of(key))
        return None

    def _write_file(self, parsed: Parsed, key: str, name: str | None) -> FileResult:
        """Inside the caller's transaction (and its locks): store one parsed file, replacing what
        `key` held; the same bytes under another path become an alias, not a second copy."""
        path = Path(parsed.path)
        decls, digest = parsed.declarations, parsed.digest
        known = self._one("SELECT sha256 FROM files WHERE path=?", (key,))
        if known is not None and known[0] == digest:  # another ingester stored it since we looked
            return FileResult(parsed.path, "unchanged", self._declarations_of(key))
        same = self._one("SELECT path, (SELECT COUNT(*) FROM declarations WHERE file_path=path) "
                         "FROM files WHERE sha256=? AND path != ? LIMIT 1", (digest, key))
        if same is not None:  # these bytes are stored already: an alias, not a second copy
            if known:
                self._run("DELETE FROM files WHERE path=?", (key,))
            self._run("INSERT INTO aliases VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
                      "sha256=excluded.sha256, original=excluded.original, name=excluded.name, "
                      "recorded_at=excluded.recorded_at", (key, digest, same[0], name, now()))
            return FileResult(parsed.path, "unchanged", same[1],
                              note=f"内容与已入库的 {Path(same[0]).name} 相同，未重复存储，记为其别名")
        if self._ids_taken_elsewhere([d.id for d in decls], key):
            # same file name in another folder: keep ids unique with the content hash
            decls = [d.renamed(f"{path.stem}.{digest[:8]}-{d.id.rsplit('-', 1)[-1]}") for d in decls]
        self._replace_file_row(key, digest, name)
        self._run("DELETE FROM aliases WHERE path=?", (key,))
        for position, decl in enumerate(decls):
            self._insert_stored(decl, key, position)
        return FileResult(parsed.path, "replaced" if known else "new", len(decls), note=parsed.note)

    def _ids_taken_elsewhere(self, ids: list[str], file_key: str) -> bool:
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start:start + IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            if self._one(f"SELECT 1 FROM declarations WHERE id IN ({marks}) AND file_path != ? LIMIT 1",
                         chunk + [file_key]):
                return True
        return False

    def _insert_stored(self, decl: StoredDeclaration, file_key: str, position: int) -> None:
        self._run("INSERT INTO declarations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  (decl.id, file_key, position, decl.agency, decl.year, decl.project_name, decl.layout, decl.data))
        if decl.indicators:
            self._insert_many("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?)",
                              [(decl.id, *row) for row in decl.indicators])

    def _insert_many(self, sql: str, rows: list[tuple]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)

    def _replace_file_row(self, key: str, sha256: str, name: str | None = None) -> None:
        """A file's row, new or replacing the old one (its declarations go with it: ON DELETE CASCADE)."""
        self._run("DELETE FROM files WHERE path=?", (key,))
        self._run("INSERT INTO files (path, sha256, ingested_at, name) VALUES (?, ?, ?, ?)",
                  (key, sha256, now(), name))

    def remove_files(self, paths: Iterable[str | Path]) -> list[tuple[str, int]]:
        """Remove stored files (a folder: every stored file under it) with their declarations, in
        one transaction. Returns (stored path, declarations removed) per file; a path that names
        nothing stored gives (path, -1). Vectors go at the next index update (ids no longer stored)."""
        out: list[tuple[str, int]] = []
        with self._transaction():
            for raw in paths:
                key = str(Path(raw).resolve())
                rows = self._run("SELECT path FROM files WHERE path=? OR (path >= ? AND path < ?) ORDER BY path",
                                 (key, key.rstrip("/") + "/", key.rstrip("/") + "0")).fetchall()
                gone = self._run("DELETE FROM aliases WHERE path=?", (key,)).rowcount
                if not rows and gone:
                    out.append((key, 0))
                elif not rows:
                    out.append((str(raw), -1))
                for (stored,) in rows:
                    count = self._declarations_of(stored)
                    self._run("DELETE FROM files WHERE path=?", (stored,))
                    out.append((stored, count))
        return out

    def add_declarations(self, decls: Iterable[Declaration], *, source: str, sha256: str | None = None) -> int:
        """Store declarations that come from no file on disk (a generated or synthetic corpus) under
        one `files` row named `source`, in one transaction; replaces what `source` held. Without
        `sha256`, the row's hash is that of the stored declarations, so the store's fingerprint
        changes whenever the content does (declarations are streamed, so it is set at the end;
        until then the row holds a placeholder unique to `source`, as `files.sha256` may be UNIQUE)."""
        from corpus.ingest_pool import StoredDeclaration
        count, content = 0, hashlib.sha256()
        with self._transaction():
            self._lock_source(source)
            self._replace_file_row(source, sha256 or f"pending:{source}")
            for position, decl in enumerate(decls):
                stored = StoredDeclaration.of(decl)
                content.update(stored.data.encode("utf-8"))
                self._insert_stored(stored, source, position)
                count += 1
            if sha256 is None:
                self._run("UPDATE files SET sha256=? WHERE path=?", (content.hexdigest(), source))
        return count

    # ---- reading ------------------------------------------------------------------------
    def aliases(self) -> list[tuple[str, str, str | None]]:
        """(alias path, stored path it repeats, name given) of every alias."""
        return [tuple(r) for r in self._run("SELECT path, original, name FROM aliases ORDER BY path")]

    def iter_declarations(self, batch: int = 1000) -> Iterator[Declaration]:
        """Every declaration in store order, read `batch` rows at a time (bounded memory)."""
        for (data,) in self._stream(f"SELECT data FROM declarations {STORE_ORDER}", batch=batch):
            yield Declaration.from_dict(json.loads(data))

    def iter_id_data(self, batch: int = 5000) -> Iterator[tuple[str, str]]:
        """(id, stored JSON) of every declaration in store order (the index hashes the JSON)."""
        for ident, data in self._stream(f"SELECT id, data FROM declarations {STORE_ORDER}", batch=batch):
            yield ident, data

    def data_page(self, after: str, limit: int) -> list[tuple[str, str]]:
        """(id, stored JSON) of up to `limit` declarations after `after` in store order (`""`: from
        the first; else a start from `page_starts`): a parallel build's share, found through the
        (file_path, position) index (keyset paging: a page deep in a million rows costs what the
        first one does, unlike OFFSET). Pages in store order give the rows of one stream."""
        if not after:
            return [tuple(r) for r in self._run(f"SELECT id, data FROM declarations {STORE_ORDER} LIMIT ?",
                                                (int(limit),))]
        path, position = json.loads(after)
        return [tuple(r) for r in self._run("SELECT id, data FROM declarations WHERE (file_path, position) > (?, ?)"
                                            f" {STORE_ORDER} LIMIT ?", (path, int(position), int(limit)))]

    def page_starts(self, size: int) -> list[str]:
        """Where each page of `size` declarations in store order starts, as `data_page`'s `after`:
        `""` and then the (file, position) of the last row of every full page, as JSON (read from
        the index only)."""
        size = max(1, int(size))
        ends = self._stream("SELECT file_path, position FROM (SELECT file_path, position, ROW_NUMBER() OVER"
                            f" ({STORE_ORDER}) AS n FROM declarations) AS t WHERE n - (n / {size}) * {size} = 0"
                            f" {STORE_ORDER}")
        total = self.count()
        return [""] + [json.dumps([path, int(position)], ensure_ascii=False)
                       for path, position in ends][:max(0, (total - 1) // size)]

    def get_many(self, declaration_ids: Iterable[str]) -> dict[str, Declaration]:
        """The declarations with these ids (those present), fetched in one query per IN_CHUNK ids."""
        ids = list(dict.fromkeys(declaration_ids))
        return {ident: Declaration.from_dict(json.loads(data)) for ident, data in
                self._in_chunks("SELECT id, data FROM declarations WHERE id IN ({marks})", ids)}

    def layouts(self, ids: list[str]) -> dict[str, str | None]:
        return dict(self._in_chunks("SELECT id, layout FROM declarations WHERE id IN ({marks})", list(ids)))

    def declarations(self) -> list[Declaration]:
        return list(self.iter_declarations())

    def get(self, declaration_id: str) -> Declaration | None:
        row = self._one("SELECT data FROM declarations WHERE id=?", (declaration_id,))
        return Declaration.from_dict(json.loads(row[0])) if row else None

    def count(self) -> int:
        return self._one("SELECT COUNT(*) FROM declarations")[0]

    def file_stamps(self) -> list[tuple[str, str, str]]:
        """(path, sha256, ingested_at) of every stored file, by path."""
        return [tuple(r) for r in self._run("SELECT path, sha256, ingested_at FROM files ORDER BY path")]

    def aggregates(self, unknown: str) -> dict:
        """Declaration and indicator counts, and declarations by agency, year and layout, counted
        by SQL (nothing per declaration reaches Python). Each breakdown lists its keys in order of
        first appearance in store order, as counting `iter_declarations` would; `unknown` names a
        missing agency or year."""
        out = {"declarations": self.count(), "indicators": self._one("SELECT COUNT(*) FROM indicators")[0]}
        keys = {"by_agency": "CASE WHEN agency IS NULL OR agency = '' THEN ? ELSE agency END",
                "by_year": "CASE WHEN year IS NULL OR year = 0 THEN ? ELSE CAST(year AS TEXT) END",
                "by_layout": "layout"}
        for name, key in keys.items():
            rows = self._run(f"SELECT k, COUNT(*) FROM (SELECT {key} AS k, ROW_NUMBER() OVER ({STORE_ORDER})"
                             " AS n FROM declarations) AS t GROUP BY k ORDER BY MIN(n)",
                             (unknown,) if "?" in key else ())
            out[name] = dict(rows.fetchall())
        return out

    def files_page(self, limit: int = 100, offset: int = 0) -> tuple[int, list[tuple[str, str | None, str, int]]]:
        """Stored files, newest first: (how many in all, [(path, name given by its user or None,
        ingested_at, declarations)])."""
        total = self._one("SELECT COUNT(*) FROM files")[0]
        rows = self._run(
            "SELECT f.path, f.name, f.ingested_at, (SELECT COUNT(*) FROM declarations d WHERE d.file_path = f.path)"
            " FROM files f ORDER BY f.ingested_at DESC, f.path LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return total, [tuple(r) for r in rows]

    def fingerprint(self) -> str:
        """Hash of every ingested file's content hash: changes exactly when the corpus does."""
        rows = [list(r) for r in self._run("SELECT path, sha256 FROM files ORDER BY path")]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]

    def ids_with_overview(self, q: str, agency: str | None, year: int | None) -> Iterator[str]:
        """Ids of the declarations whose overview contains `q` (and of this agency / year)."""
        where, args = [self.CONTAINS.format(f"COALESCE({self.OVERVIEW}, '')")], [q]
        if not any(ch in q for ch in '"\\') and q.isprintable():  # as written in the JSON: a cheap prefilter
            where.insert(0, self.CONTAINS.format("data"))
            args.insert(0, q)
        if agency:
            where.append("agency = ?")
            args.append(agency)
        if year is not None:
            where.append("year = ?")
            args.append(year)
        for (ident,) in self._stream(f"SELECT id FROM declarations WHERE {' AND '.join(where)}", args):
            yield ident
