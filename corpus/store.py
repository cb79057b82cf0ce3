"""The SQLite corpus store: one transaction per file, keyed by the file's content hash.

Tables: `files` (path, sha256), `declarations` (the declaration as JSON plus a few columns to
filter on) and `indicators` (one row per indicator, for library search and statistics).
Killing a process mid-ingest leaves whole files only: SQLite rolls the open transaction back.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from corpus.errors import CorpusError, InputError, StoreError, os_problem
from corpus.layouts import parse_file
from corpus.schema import Declaration

FORMAT_VERSION = 1
FORM_SUFFIXES = {".txt", ".json", ".jsonl", ".csv", ".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm",
                 ".pdf", ".zip"}
SAMPLES_DIR = Path(__file__).parent / "samples"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS declarations (
    id TEXT PRIMARY KEY, file_path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    position INTEGER NOT NULL, agency TEXT, year INTEGER, project_name TEXT, layout TEXT,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS indicators (
    declaration_id TEXT NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, level1 TEXT, level2 TEXT, name TEXT NOT NULL, value TEXT,
    kind TEXT, PRIMARY KEY (declaration_id, position));
CREATE INDEX IF NOT EXISTS indicators_name ON indicators(name);
"""


@dataclass
class FileResult:
    path: str
    status: str  # new | replaced | unchanged | failed
    declarations: int = 0
    reason: str | None = None
    note: str | None = None  # e.g. the file was GB18030 and has been converted


class CorpusStore:
    """A corpus in one SQLite file. `CorpusStore(path)` only stores the path; `open()` connects."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None

    def open(self) -> CorpusStore:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.executescript(_SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key='format_version'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta VALUES ('format_version', ?)", (str(FORMAT_VERSION),))
                conn.commit()
            elif row[0] != str(FORMAT_VERSION):
                raise StoreError(f"{self.path}: 语料库格式版本为 {row[0]}，本版 zhibiao 只能读取版本 "
                                 f"{FORMAT_VERSION}；请换一个新的 ZHIBIAO_HOME 重新导入")
        except sqlite3.DatabaseError as exc:
            said = "文件不是 SQLite 数据库" if "not a database" in str(exc) else "SQLite 读取时出错"
            raise StoreError(f"{self.path}: 不是可读取的 zhibiao 语料库（{said}）") from None
        self._conn = conn
        return self

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
    def ingest_file(self, path: Path) -> FileResult:
        key = str(path.resolve())
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            return FileResult(str(path), "failed", reason=f"无法读取（{os_problem(exc)}）")
        known = self.conn.execute("SELECT sha256 FROM files WHERE path=?", (key,)).fetchone()
        if known and known[0] == digest:
            count = self.conn.execute("SELECT COUNT(*) FROM declarations WHERE file_path=?",
                                      (key,)).fetchone()[0]
            return FileResult(str(path), "unchanged", count)
        try:
            decls = parse_file(path)
        except CorpusError as exc:
            return FileResult(str(path), "failed", reason=str(getattr(exc, "reason", exc)))
        if self._ids_taken_elsewhere(decls, key):
            # same file name in another folder: keep ids unique with the content hash
            for decl in decls:
                decl.id = f"{path.stem}.{digest[:8]}-{decl.id.rsplit('-', 1)[-1]}"
        try:
            with self.conn:  # one transaction: the whole file or nothing
                self.conn.execute("DELETE FROM files WHERE path=?", (key,))
                self.conn.execute("INSERT INTO files VALUES (?, ?, ?)",
                                  (key, digest, datetime.now(timezone.utc).isoformat()))
                for position, decl in enumerate(decls):
                    self._insert(decl, key, position)
        except sqlite3.IntegrityError as exc:
            said = "申报表编号与已有的重复" if "UNIQUE" in str(exc) else "违反数据库约束"
            return FileResult(str(path), "failed", reason=f"无法写入语料库（{said}）")
        converted = next((w.message for d in decls for w in d.warnings if w.code == "encoding_converted"), None)
        return FileResult(str(path), "replaced" if known else "new", len(decls), note=converted)

    def _ids_taken_elsewhere(self, decls: list[Declaration], file_key: str) -> bool:
        marks = ",".join("?" * len(decls))
        row = self.conn.execute(
            f"SELECT 1 FROM declarations WHERE id IN ({marks}) AND file_path != ? LIMIT 1",
            [d.id for d in decls] + [file_key]).fetchone()
        return row is not None

    def _insert(self, decl: Declaration, file_key: str, position: int) -> None:
        self.conn.execute(
            "INSERT INTO declarations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (decl.id, file_key, position, decl.agency, decl.year, decl.project_name,
             decl.source.layout, json.dumps(decl.to_dict(), ensure_ascii=False)))
        self.conn.executemany(
            "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(decl.id, n, i.level1, i.level2, i.name, i.target.raw, i.target.kind)
             for n, i in enumerate(decl.indicators)])

    def add_declarations(self, decls: Iterable[Declaration], *, source: str, sha256: str = "generated") -> int:
        """Store declarations that come from no file on disk (a generated or synthetic corpus) under
        one `files` row named `source`, in one transaction; replaces what `source` held."""
        count = 0
        with self.conn:
            self.conn.execute("DELETE FROM files WHERE path=?", (source,))
            self.conn.execute("INSERT INTO files VALUES (?, ?, ?)",
                              (source, sha256, datetime.now(timezone.utc).isoformat()))
            for position, decl in enumerate(decls):
                self._insert(decl, source, position)
                count += 1
        return count

    # ---- reading -------------------------------------------------------------------------
    def iter_declarations(self, batch: int = 1000) -> Iterator[Declaration]:
        """Every declaration in store order, read `batch` rows at a time (bounded memory)."""
        cursor = self.conn.execute("SELECT data FROM declarations ORDER BY file_path, position")
        while rows := cursor.fetchmany(batch):
            yield from (Declaration.from_dict(json.loads(r[0])) for r in rows)

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


def ingest(store: CorpusStore, paths: Iterable[str | Path], *,
           on_file: Callable[[int, int, FileResult], None] | None = None) -> list[FileResult]:
    files = list(form_files(paths))
    results = []
    for n, path in enumerate(files, start=1):
        if not path.exists():
            result = FileResult(str(path), "failed", reason="文件不存在")
        else:
            result = store.ingest_file(path)
        results.append(result)
        if on_file:
            on_file(n, len(files), result)
    return results


def sample_declarations() -> list[Declaration]:
    decls: list[Declaration] = []
    for path in sorted(SAMPLES_DIR.glob("*.txt")):
        decls.extend(parse_file(path))
    return decls


def load_corpus(store_path: str | Path) -> tuple[list[Declaration], str]:
    """The user's corpus, or the bundled samples when the store is empty or absent.

    Returns (declarations, description of where they came from)."""
    path = Path(store_path)
    if path.exists():
        with CorpusStore(path) as store:
            decls = store.declarations()
        if decls:
            return decls, f"store {path} ({len(decls)} declarations)"
    decls = sample_declarations()
    return decls, f"bundled sample corpus ({len(decls)} declarations; the store {path} is empty)"


__all__ = ["CorpusStore", "FileResult", "InputError", "ingest", "load_corpus",
           "sample_declarations", "form_files"]
