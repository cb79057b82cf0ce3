"""Form files parsed in a pool of bounded worker processes, handed back in the order given.

The parent (`corpus.store.ingest`) writes to SQLite; the workers only read files. Each worker is
memory-capped (RLIMIT_AS) and each file is bounded in time: an alarm inside the worker, and a
CPU-time limit behind it for a reader stuck in C code. A worker that dies (killed by its limits,
a crash in a C library) breaks the pool: the files that were in flight are then read again one by
one in a fresh pool, so that only the file to blame fails. Workers die with their parent
(PR_SET_PDEATHSIG), so a `kill -9` of `zhibiao ingest` leaves no orphans parsing on.

A worker hashes the file first and skips parsing when the hash is the one already stored.
What comes back is ready to store: the declaration's JSON and its indicator rows, so the parent
(the one process that writes) spends its time on SQLite only.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import resource
import signal
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from corpus.errors import CorpusError, os_problem
from corpus.schema import Declaration

MAX_CHUNK = 16       # files per task: few enough to keep every worker busy to the end
AHEAD_PER_JOB = 3    # tasks queued per worker: bounds the parent's memory on a huge folder


@dataclass(frozen=True)
class Bounds:
    """What one file may cost a worker (`Settings.ingest_memory_mb`, `ingest_timeout_s`)."""
    memory_mb: int = 2048
    timeout_s: float = 120.0
    max_bytes: int = 5 * 1024 * 1024


@dataclass
class StoredDeclaration:
    """One declaration as the store writes it: filter columns, JSON, indicator rows."""
    id: str
    agency: str | None
    year: int | None
    project_name: str | None
    layout: str
    data: str
    indicators: list[tuple] = field(default_factory=list)  # (position, level1, level2, name, value, kind)

    @classmethod
    def of(cls, decl: Declaration) -> StoredDeclaration:
        return cls(decl.id, decl.agency, decl.year, decl.project_name, decl.source.layout,
                   json.dumps(decl.to_dict(), ensure_ascii=False),
                   [(n, i.level1, i.level2, i.name, i.target.raw, i.target.kind)
                    for n, i in enumerate(decl.indicators)])

    def renamed(self, new_id: str, *, file: str | None = None) -> StoredDeclaration:
        data = json.loads(self.data)
        data["id"] = new_id
        if file is not None and isinstance(data.get("source"), dict):
            data["source"]["file"] = file
        return StoredDeclaration(new_id, self.agency, self.year, self.project_name, self.layout,
                                 json.dumps(data, ensure_ascii=False), self.indicators)


@dataclass
class Parsed:
    """One file read: its declarations, or unchanged (same hash as stored), or why it failed."""
    path: str
    digest: str | None = None
    declarations: list[StoredDeclaration] | None = None
    unchanged: bool = False
    reason: str | None = None
    note: str | None = None  # e.g. the file was GB18030 and has been converted


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so that no reader's `except Exception` swallows it."""


def parse_one(path: str, known_digest: str | None, bounds: Bounds) -> Parsed:
    """Hash one file; parse it unless the hash is `known_digest`. Never raises for the file's sake."""
    from corpus.read import parse_file
    try:
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError as exc:
        return Parsed(path, reason=f"无法读取（{os_problem(exc)}）")
    if digest == known_digest:
        return Parsed(path, digest, unchanged=True)
    try:
        with _deadline(bounds.timeout_s):
            decls = parse_file(path, max_bytes=bounds.max_bytes)
    except CorpusError as exc:
        if _ALARMED:  # a reader caught the alarm and said something else
            return Parsed(path, digest, reason=f"处理超过 {bounds.timeout_s:g} 秒的时限，已中止（文件过大或结构异常）")
        return Parsed(path, digest, reason=str(getattr(exc, "reason", exc)))
    except MemoryError:
        return Parsed(path, digest, reason=f"处理时超出 {bounds.memory_mb} MB 内存上限")
    except _OutOfTime:
        return Parsed(path, digest, reason=f"处理超过 {bounds.timeout_s:g} 秒的时限，已中止（文件过大或结构异常）")
    note = next((w.message for d in decls for w in d.warnings if w.code == "encoding_converted"), None)
    return Parsed(path, digest, [StoredDeclaration.of(d) for d in decls], note=note)


class _deadline:
    """SIGALRM after `seconds` (in a worker only: the parent's signals are the user's), and a
    CPU-time limit a little later that kills a worker whose reader never returns to Python."""

    def __init__(self, seconds: float):
        self.seconds = seconds if _IN_WORKER else 0

    def __enter__(self):
        global _ALARMED
        _ALARMED = False
        if self.seconds > 0:
            used = resource.getrusage(resource.RUSAGE_SELF)
            cpu = math.ceil(used.ru_utime + used.ru_stime + 2 * self.seconds + 5)
            _, hard = resource.getrlimit(resource.RLIMIT_CPU)
            if hard == resource.RLIM_INFINITY or cpu <= hard:
                resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.seconds > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return False


_IN_WORKER = False


_ALARMED = False  # the deadline passed: whatever a reader turned the alarm into, that is the reason


def alarmed() -> bool:
    return _ALARMED


def _on_alarm(signum, frame):
    global _ALARMED
    _ALARMED = True
    raise _OutOfTime()


def _start_worker(bounds: Bounds) -> None:
    global _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    if bounds.memory_mb > 0:
        cap = bounds.memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ValueError, OSError):  # a lower hard limit already: keep it
            pass


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _parse_chunk(chunk: list[tuple[str, str | None]], bounds: Bounds) -> list[Parsed]:
    return [parse_one(path, known, bounds) for path, known in chunk]


def _context(start: str | None = None):
    # fork: a worker starts in milliseconds with the readers already imported
    methods = multiprocessing.get_all_start_methods()
    if start == "forkserver" and start in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["corpus.read"])
        return context
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def parse_files(tasks: Sequence[tuple[str, str | None]], *, jobs: int,
                bounds: Bounds = Bounds(), start: str | None = None) -> Iterator[Parsed]:
    """`Parsed` for each (path, stored digest or None), in the order of `tasks`, read by `jobs`
    worker processes (at least 1). `start="forkserver"`: workers forked from a small server process
    instead of this one, for a parent whose address space is large (a Ray worker maps its object
    store): a child of such a parent would start above the memory cap."""
    if not tasks:
        return
    jobs = max(1, min(jobs, len(tasks)))
    size = max(1, min(MAX_CHUNK, math.ceil(len(tasks) / (jobs * 8))))
    # (chunk, alone): a chunk read alone after a broken pool runs with nothing beside it
    pending: deque[tuple[list, bool]] = deque((list(tasks[i:i + size]), False)
                                              for i in range(0, len(tasks), size))
    while pending:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(start),
                                   initializer=_start_worker, initargs=(bounds,))
        try:
            yield from _drain(pool, pending, jobs, bounds)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _drain(pool: ProcessPoolExecutor, pending: deque, jobs: int, bounds: Bounds) -> Iterator[Parsed]:
    """Run `pending` on `pool` until done or the pool breaks (then the lost chunks are put back
    in front of `pending`, one file each, to be read alone)."""
    inflight: deque[tuple[object, list, bool]] = deque()
    while pending or inflight:
        while pending and len(inflight) < jobs * AHEAD_PER_JOB:
            chunk, alone = pending[0]
            if inflight and (alone or inflight[-1][2]):
                break  # a file read alone waits for an empty pool, and nothing joins it
            pending.popleft()
            inflight.append((pool.submit(_parse_chunk, chunk, bounds), chunk, alone))
        future, chunk, alone = inflight.popleft()
        try:
            results = future.result()
        except BrokenProcessPool:
            if alone:  # this file alone killed its worker
                path = chunk[0][0]
                yield Parsed(path, reason=f"读取时工作进程异常退出（可能超出 {bounds.memory_mb} MB 内存上限、"
                                          f"超过 {bounds.timeout_s:g} 秒时限，或文件损坏）")
                lost = [c for _, c, _ in inflight]
            else:
                lost = [chunk] + [c for _, c, _ in inflight]
            for task in reversed([t for c in lost for t in c]):
                pending.appendleft(([task], True))
            return
        yield from results
