"""Ingest jobs kept in the store, so that a server killed mid-job loses nothing, and so that
replicas sharing a PostgreSQL store (ZHIBIAO_DATABASE_URL) answer each other's jobs.

Two tables beside the corpus: `ingest_jobs` (one row per job) and `ingest_job_files` (one row per
uploaded file: its name as uploaded, its path under $ZHIBIAO_HOME/uploads, its outcome). Every
change of a file's outcome is written at once. On start the server reads the jobs that were not
done: their files still pending (or running when it died) are ingested again (the store is
idempotent: a file stored before the kill comes back "unchanged"), a file whose upload is gone is
reported failed, and any upload no job refers to is removed.

In SQLite the tables live in the store file (one server's). In PostgreSQL they are shared: every
job row names its `owner` (host and home of the server that took the upload, whose disk holds the
files), a server resumes only its own jobs, and any replica reads any job (`job`), so a client
behind a load balancer may poll whichever replica it reaches.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ingest_jobs (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, created REAL NOT NULL, finished REAL,
    changed INTEGER NOT NULL DEFAULT 0, rebuild TEXT, owner TEXT);
CREATE TABLE IF NOT EXISTS ingest_job_files (
    job_id TEXT NOT NULL REFERENCES ingest_jobs(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    name TEXT NOT NULL, path TEXT NOT NULL, status TEXT NOT NULL, declarations INTEGER NOT NULL DEFAULT 0,
    reason TEXT, note TEXT, seconds REAL, PRIMARY KEY (job_id, position));
"""
# owner (added after the first version: a store of an older zhibiao gains it on open); NULL in SQLite
KEEP_DONE = 200  # finished jobs kept (as the in-memory list keeps)


def server_owner(home: Path) -> str:
    """Who owns a job taken by this server: its host and home (where the uploads lie)."""
    return f"{socket.gethostname()}:{Path(home).resolve()}"


class JobTable:
    """The job tables at a store location: a SQLite file path, or a postgresql:// URL (then
    `owner` names this server; the tables come with the store's migrations)."""

    def __init__(self, location: str | Path, *, owner: str | None = None):
        from corpus.stores import is_postgres
        self.location = str(location)
        self.postgres = is_postgres(location)
        self.owner = owner if self.postgres else None
        self.path = None if self.postgres else Path(location)
        self._lock = threading.Lock()
        self._conn = None

    # ---- the connection (the only place the two engines differ) -------------------------
    def _db(self):
        if self._conn is None:
            self._conn = self._connect_postgres() if self.postgres else self._connect_sqlite()
        return self._conn

    def _connect_sqlite(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(_SCHEMA)
        if "owner" not in {row[1] for row in conn.execute("PRAGMA table_info(ingest_jobs)")}:
            conn.execute("ALTER TABLE ingest_jobs ADD COLUMN owner TEXT")
            conn.commit()
        return conn

    def _connect_postgres(self):
        from corpus.store_postgres import PostgresStore
        store = PostgresStore(self.location).open()  # migrates: the job tables are migration 2
        conn, store._conn = store._conn, None
        return conn

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def _transaction(self, db):
        return db.transaction() if self.postgres else db

    def _write(self, *statements: tuple[str, object]) -> None:
        with self._lock:
            db = self._db()
            with self._transaction(db):
                for sql, args in statements:
                    if isinstance(args, list) and self.postgres:
                        with db.cursor() as cursor:
                            cursor.executemany(self._sql(sql), args)
                    elif isinstance(args, list):
                        db.executemany(sql, args)
                    else:
                        db.execute(self._sql(sql), args)

    def _rows(self, db, sql: str, args=()) -> list[dict]:
        cursor = db.execute(self._sql(sql), args)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # ---- jobs ---------------------------------------------------------------------------
    def add(self, job) -> None:
        self._write(("INSERT INTO ingest_jobs VALUES (?, ?, ?, NULL, 0, NULL, ?)",
                     (job.id, job.state, job.created, self.owner)),
                    ("INSERT INTO ingest_job_files (job_id, position, name, path, status) VALUES (?, ?, ?, ?, ?)",
                     [(job.id, n, o.file, str(p), o.status) for n, (o, p) in enumerate(zip(job.files, job.paths))]))

    def file(self, job, position: int) -> None:
        o = job.files[position]
        self._write(("UPDATE ingest_job_files SET status=?, declarations=?, reason=?, note=?, seconds=? "
                     "WHERE job_id=? AND position=?",
                     (o.status, o.declarations, o.reason, o.note, o.seconds, job.id, position)))

    def state(self, job) -> None:
        statements = [("UPDATE ingest_jobs SET state=?, finished=?, changed=?, rebuild=? WHERE id=?",
                       (job.state, job.finished, int(job.changed), job.rebuild, job.id))]
        if job.state == "done":
            statements.append(("DELETE FROM ingest_jobs WHERE state='done' AND id NOT IN (SELECT id FROM "
                               "ingest_jobs WHERE state='done' ORDER BY created DESC LIMIT ?)", (KEEP_DONE,)))
        self._write(*statements)

    def load(self) -> list[tuple[dict, list[dict]]]:
        """Every kept job of this server, oldest first: (job row, its file rows in order). Nothing
        when a SQLite store does not exist yet (opening it would create it)."""
        if self._conn is None and not self.postgres and not self.path.exists():
            return []
        with self._lock:
            db = self._db()
            mine = "WHERE owner = ? OR owner IS NULL" if self.owner else ""
            jobs = self._rows(db, f"SELECT * FROM ingest_jobs {mine} ORDER BY created",
                              (self.owner,) if self.owner else ())
            return [(job, self._files(db, job["id"])) for job in jobs]

    def job(self, ident: str) -> tuple[dict, list[dict]] | None:
        """One job by id, whichever server runs it: (job row, its file rows), or None."""
        if self._conn is None and not self.postgres and not self.path.exists():
            return None
        with self._lock:
            db = self._db()
            rows = self._rows(db, "SELECT * FROM ingest_jobs WHERE id = ?", (ident,))
            return (rows[0], self._files(db, ident)) if rows else None

    def _files(self, db, ident: str) -> list[dict]:
        return self._rows(db, "SELECT * FROM ingest_job_files WHERE job_id=? ORDER BY position", (ident,))
