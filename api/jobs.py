"""Ingest jobs behind `POST /v1/declarations`: queued, run one at a time in a background thread,
each file parsed and stored by a child process (api.ingest_worker) with a deadline and a memory
cap. The event loop never parses; `GET /v1/jobs/{id}` reports progress and each file's outcome.
Uploaded files are removed when their job ends, whatever the outcome.

Jobs are durable (`api.job_table`: two tables in the store): a server killed mid-job resumes its
unfinished jobs when it starts again (`recover`), and removes uploads no job refers to.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from api.job_table import JobTable, server_owner
from api.settings import Settings
from corpus.vocab import label

log = logging.getLogger("zhibiao")
MAX_JOBS_KEPT = 200      # finished jobs remembered for GET /v1/jobs/{id}
MAX_JOBS_WAITING = 20    # more queued jobs than this: 503, try later


@dataclass
class FileOutcome:
    file: str                 # the name as uploaded
    status: str = "pending"   # pending | running | new | replaced | unchanged | failed
    status_label: str = "等待处理"
    declarations: int = 0
    reason: str | None = None
    note: str | None = None
    seconds: float | None = None


@dataclass
class Job:
    id: str
    state: str = "queued"     # queued | running | done
    state_label: str = "排队中"
    files: list[FileOutcome] = field(default_factory=list)
    done: int = 0
    total: int = 0
    changed: bool = False
    rebuild: str | None = None   # scheduled | not_needed, once done
    created: float = field(default_factory=time.time)
    finished: float | None = None
    paths: list[Path] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("paths")
        return data


def _job_of(row: dict, files: list[dict]) -> Job:
    """A job as the table keeps it (`api.job_table`)."""
    job = Job(row["id"], state=row["state"], state_label=label("job_states", row["state"]),
              created=row["created"], finished=row["finished"], changed=bool(row["changed"]),
              rebuild=row["rebuild"], total=len(files), paths=[Path(f["path"]) for f in files])
    for f in files:
        outcome = FileOutcome(f["name"])
        _set(outcome, f["status"], declarations=f["declarations"], reason=f["reason"],
             note=f["note"], seconds=f["seconds"])
        job.files.append(outcome)
    job.done = sum(1 for o in job.files if o.status not in ("pending", "running"))
    return job


class JobRunner:
    def __init__(self, settings: Settings, holder):
        self.settings = settings
        self.holder = holder
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._current: subprocess.Popen | None = None
        self._closed = False
        self._thread: threading.Thread | None = None
        self.table = JobTable(settings.store_location, owner=server_owner(settings.home))

    def recover(self) -> list[Job]:
        """After a restart: jobs kept in the store come back (GET /v1/jobs/{id} answers them);
        unfinished ones are queued again, their files still pending (or running when the server
        died) ingested again, a file whose upload is gone reported failed. Uploads that no
        unfinished job refers to are removed. Returns the jobs queued again."""
        resumed, keep = [], set()
        for row, files in self.table.load():
            job = _job_of(row, files)
            self.jobs[job.id] = job
            if job.state != "done":
                for n, (outcome, path) in enumerate(zip(job.files, job.paths)):
                    if outcome.status in ("pending", "running"):
                        if path.is_file():
                            _set(outcome, "pending")
                            keep.add(path.resolve())
                        else:
                            _set(outcome, "failed", reason="服务重启时上传的文件已不在，未处理，请重新上传")
                            job.done += 1
                        self.table.file(job, n)
                job.state, job.state_label = "queued", label("job_states", "queued")
                resumed.append(job)
        uploads = self.settings.home / "uploads"
        if uploads.is_dir():
            for path in uploads.iterdir():
                if path.is_file() and path.resolve() not in keep:
                    _remove([path])
        for job in resumed:
            log.info("zhibiao: ingest job %s resumed after a restart (%d files left)", job.id,
                     sum(1 for o in job.files if o.status == "pending"))
            self._enqueue(job)
        return resumed

    def _enqueue(self, job: Job) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="zhibiao-ingest", daemon=True)
                self._thread.start()
        self._queue.put(job)

    def submit(self, uploads: list[tuple[str, Path]]) -> Job:
        """Queue the saved uploads [(name as uploaded, path on disk)]; raises OverflowError when
        too many jobs are waiting."""
        with self._lock:
            waiting = sum(1 for j in self.jobs.values() if j.state == "queued")
            if waiting >= MAX_JOBS_WAITING:
                raise OverflowError(waiting)
            job = Job(uuid.uuid4().hex, files=[FileOutcome(name) for name, _ in uploads],
                      total=len(uploads), paths=[path for _, path in uploads])
            self.jobs[job.id] = job
            self._forget_old()
        self.table.add(job)
        self._enqueue(job)
        return job

    def get(self, ident: str) -> Job | None:
        """A job of this server, or one another replica of a shared store runs (read from the table)."""
        job = self.jobs.get(ident)
        if job is not None or not self.table.postgres:
            return job
        try:
            found = self.table.job(ident)
        except Exception:  # the database is away: this replica knows nothing more than its own jobs
            log.exception("zhibiao: could not read job %s from the store", ident)
            return None
        return _job_of(*found) if found else None

    def close(self) -> None:
        """Stop: kill the running child, leave the queue. Unfinished jobs keep their uploads and
        their rows in the store: the next start resumes them (`recover`)."""
        self._closed = True
        current = self._current
        if current and current.poll() is None:
            current.kill()
        self._queue.put(None)
        if self._thread:
            self._thread.join(timeout=10)
        self.table.close()

    def wait(self, ident: str, timeout: float) -> Job:
        """Block until the job is done (tests, CLI)."""
        deadline = time.time() + timeout
        while self.jobs[ident].state != "done" and time.time() < deadline:
            time.sleep(0.05)
        return self.jobs[ident]

    def _forget_old(self) -> None:
        done = [j for j in self.jobs.values() if j.state == "done"]
        for job in sorted(done, key=lambda j: j.created)[:max(0, len(self.jobs) - MAX_JOBS_KEPT)]:
            del self.jobs[job.id]

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None or self._closed:
                return
            try:
                self._run(job)
            except Exception:  # a fault here must not kill the worker thread
                log.exception("zhibiao: ingest job %s failed", job.id)
                for n, outcome in enumerate(job.files):
                    if outcome.status in ("pending", "running"):
                        _set(outcome, "failed", reason="处理失败（服务器内部错误，已记录）")
                        self._save(job, n)
            finally:
                if self._closed:  # stopping: the job stays unfinished in the store, resumed on start
                    return
                # the same content uploaded twice shares one path: keep it for a job still waiting
                with self._lock:
                    shared = {p for j in self.jobs.values() if j is not job and j.state != "done"
                              for p in j.paths}
                _remove([p for p in job.paths if p not in shared])
                job.state, job.state_label, job.finished = "done", label("job_states", "done"), time.time()
                self._save_state(job)

    def _save(self, job: Job, position: int) -> None:
        try:
            self.table.file(job, position)
        except Exception:  # the job goes on in memory; a restart would ingest the file again
            log.exception("zhibiao: could not record job %s in the store", job.id)

    def _save_state(self, job: Job) -> None:
        try:
            self.table.state(job)
        except Exception:
            log.exception("zhibiao: could not record job %s in the store", job.id)

    def _run(self, job: Job) -> None:
        job.state, job.state_label = "running", label("job_states", "running")
        self._save_state(job)
        for n, (outcome, path) in enumerate(zip(job.files, job.paths)):
            if outcome.status not in ("pending", "running"):
                continue  # done before a restart
            if self._closed:
                return
            _set(outcome, "running")
            self._save(job, n)
            started = time.time()
            self._ingest_one(outcome, path)
            if self._closed and outcome.status == "failed":
                _set(outcome, "pending", reason=None)  # killed by the stop: ingested again on start
                self._save(job, n)
                return
            outcome.seconds = round(time.time() - started, 2)
            job.done += 1
            self._save(job, n)
        job.changed = any(o.status in ("new", "replaced") for o in job.files)
        if job.changed:
            self.holder.rebuild_in_background()
        job.rebuild = "scheduled" if job.changed else "not_needed"

    def _ingest_one(self, outcome: FileOutcome, path: Path) -> None:
        limit = self.settings.ingest_timeout_s
        # a PostgreSQL URL (with its password) is not put on a command line: the child reads it
        # from the same settings (its environment is this one's)
        where = "database_url" if self.settings.database_url else str(self.settings.store_path)
        command = [sys.executable, "-m", "api.ingest_worker", where,
                   str(self.settings.ingest_memory_mb), str(path), outcome.file]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   cwd=str(Path(__file__).resolve().parents[1]))
        self._current = process
        try:
            out, err = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            _set(outcome, "failed", reason=f"处理超过 {limit:g} 秒的时限，已中止（文件过大或结构异常）")
            return
        finally:
            self._current = None
        lines = [line for line in out.decode("utf-8", "replace").splitlines() if line.startswith("{")]
        if not lines:
            if self._closed:
                _set(outcome, "failed", reason="服务已停止，未处理")
                return
            tail = err.decode("utf-8", "replace")[-2000:]
            log.error("zhibiao: ingest worker for %s exited %s: %s", outcome.file, process.returncode, tail)
            memory = "MemoryError" in tail or process.returncode in (-9, 137)
            _set(outcome, "failed", reason=(f"处理时超出 {self.settings.ingest_memory_mb} MB 内存上限"
                                            if memory else "处理失败（服务器内部错误，已记录）"))
            return
        result = json.loads(lines[-1])
        _set(outcome, result.get("status", "failed"), declarations=result.get("declarations") or 0,
             reason=result.get("reason"), note=result.get("note"))


def _set(outcome: FileOutcome, status: str, **values) -> None:
    outcome.status = status
    outcome.status_label = {"pending": "等待处理", "running": "处理中"}.get(status) or label("ingest_statuses", status)
    for key, value in values.items():
        setattr(outcome, key, value)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("zhibiao: could not remove upload %s", path)
