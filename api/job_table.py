"""Ingest jobs kept in the store (SQLite), so that a server killed mid-job loses nothing.

Two tables beside the corpus: `ingest_jobs` (one row per job) and `ingest_job_files` (one row per
uploaded file: its name as uploaded, its path under $ZHIBIAO_HOME/uploads, its outcome). Every
change of a file's outcome is written at once. On start the server reads the jobs that were not
done: their files still pending (or running when it died) are ingested again (the store is
idempotent: a file stored before the kill comes back "unchanged"), a file whose upload is gone is
reported failed, and any upload no job refers to is removed.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ingest_jobs (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, created REAL NOT NULL, finished REAL,
    changed INTEGER NOT NULL DEFAULT 0, rebuild TEXT);
CREATE TABLE IF NOT EXISTS ingest_job_files (
    job_id TEXT NOT NULL REFERENCES ingest_jobs(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    name TEXT NOT NULL, path TEXT NOT NULL, status TEXT NOT NULL, declarations INTEGER NOT NULL DEFAULT 0,
    reason TEXT, note TEXT, seconds REAL, PRIMARY KEY (job_id, position));
"""
KEEP_DONE = 200  # finished jobs kept (as the in-memory list keeps)


class JobTable:
    def __init__(self, store_path: Path):
        self.path = Path(store_path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def add(self, job) -> None:
        with self._lock, self._db() as db:
            db.execute("INSERT INTO ingest_jobs VALUES (?, ?, ?, NULL, 0, NULL)", (job.id, job.state, job.created))
            db.executemany("INSERT INTO ingest_job_files (job_id, position, name, path, status) VALUES (?, ?, ?, ?, ?)",
                           [(job.id, n, o.file, str(p), o.status) for n, (o, p) in enumerate(zip(job.files, job.paths))])

    def file(self, job, position: int) -> None:
        o = job.files[position]
        with self._lock, self._db() as db:
            db.execute("UPDATE ingest_job_files SET status=?, declarations=?, reason=?, note=?, seconds=? "
                       "WHERE job_id=? AND position=?",
                       (o.status, o.declarations, o.reason, o.note, o.seconds, job.id, position))

    def state(self, job) -> None:
        with self._lock, self._db() as db:
            db.execute("UPDATE ingest_jobs SET state=?, finished=?, changed=?, rebuild=? WHERE id=?",
                       (job.state, job.finished, int(job.changed), job.rebuild, job.id))
            if job.state == "done":
                db.execute("DELETE FROM ingest_jobs WHERE id IN (SELECT id FROM ingest_jobs WHERE state='done' "
                           "ORDER BY created DESC LIMIT -1 OFFSET ?)", (KEEP_DONE,))

    def load(self) -> list[tuple[dict, list[dict]]]:
        """Every kept job, oldest first: (job row, its file rows in order). Nothing when the store
        does not exist yet (opening it would create it)."""
        if self._conn is None and not self.path.exists():
            return []
        with self._lock:
            db = self._db()
            db.row_factory = sqlite3.Row
            try:
                jobs = [dict(r) for r in db.execute("SELECT * FROM ingest_jobs ORDER BY created")]
                out = []
                for job in jobs:
                    files = [dict(r) for r in db.execute(
                        "SELECT * FROM ingest_job_files WHERE job_id=? ORDER BY position", (job["id"],))]
                    out.append((job, files))
                return out
            finally:
                db.row_factory = None

