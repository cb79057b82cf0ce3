"""One bounded way to read an untrusted form file or pasted form text: in a child process with a
deadline and a memory cap.

The child is set up exactly as an ingest worker (`corpus.ingest_pool._start_worker`): address space
capped with RLIMIT_AS, niced, an alarm at the deadline and a CPU-time limit behind it, killed with
its parent. The parent waits for the answer at most the deadline plus a grace period and then kills
the child, so a reader stuck in C code (a reference cycle, a decompression bomb) costs at most the
deadline and the memory cap, never the caller's process.

Start methods: the CLI forks (one thread, the readers already imported: milliseconds); the server
asks for "forkserver", since forking a process that runs threads can copy a held lock into the
child. The forkserver imports the readers once; every child after that is forked from it.
"""

from __future__ import annotations

import json
import multiprocessing
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import CorpusError, InputError
from corpus.ingest_pool import Bounds, _OutOfTime, _deadline, _start_worker, alarmed
from corpus.schema import Declaration

GRACE_S = 3.0  # after the deadline: the child's own alarm answers first, then it is killed


@dataclass
class BoundedRead:
    """What one bounded read gave: declarations, or the reason it failed (one Chinese phrase,
    without the file's name: the caller names the file as its user knows it)."""
    declarations: list[Declaration] = field(default_factory=list)
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def _child(conn, bounds: Bounds, path: str | None, text: str | None, file: str | None) -> None:
    _start_worker(bounds)
    try:
        with _deadline(bounds.timeout_s):
            if text is not None:
                from corpus.read.profiles import parse_text
                decls = parse_text(text, file=file or "text.txt")
            else:
                from corpus.read import parse_file
                decls = parse_file(path, max_bytes=bounds.max_bytes)
        out = {"declarations": [d.to_dict() for d in decls]}
    except CorpusError as exc:  # (a reader that caught the alarm says something else: the deadline it was)
        out = {"reason": _late(bounds) if alarmed() else str(getattr(exc, "reason", exc))}
    except MemoryError:
        out = {"reason": f"处理时超出 {bounds.memory_mb} MB 内存上限，已中止"}
    except _OutOfTime:
        out = {"reason": _late(bounds)}
    except RecursionError:
        out = {"reason": "结构嵌套过深，无法读取"}
    try:
        conn.send_bytes(json.dumps(out, ensure_ascii=False).encode("utf-8"))
    except MemoryError:
        conn.send_bytes(json.dumps({"reason": f"处理时超出 {bounds.memory_mb} MB 内存上限，已中止"},
                                   ensure_ascii=False).encode("utf-8"))
    conn.close()


def _late(bounds: Bounds) -> str:
    return f"处理超过 {bounds.timeout_s:g} 秒的时限，已中止（文件过大或结构异常）"


_FORKSERVER_READY = False


def _context(start: str):
    global _FORKSERVER_READY
    if start not in multiprocessing.get_all_start_methods():
        start = "spawn"
    context = multiprocessing.get_context(start)
    if start == "forkserver" and not _FORKSERVER_READY:
        context.set_forkserver_preload(["corpus.bounded", "corpus.layouts", "corpus.read"])
        _FORKSERVER_READY = True
    return context


def read_bounded(*, path: str | Path | None = None, text: str | None = None, file: str | None = None,
                 bounds: Bounds = Bounds(), start: str = "fork") -> BoundedRead:
    """Declarations of the form file `path`, or of the form `text` (named `file`), read in a child
    process under `bounds`. Never raises for the input's sake: a failure is `reason`."""
    if (path is None) == (text is None):
        raise ValueError("read_bounded: give path or text")
    context = _context(start)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, bounds, None if path is None else str(path),
                                                 text, file), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(bounds.timeout_s + GRACE_S):
            return BoundedRead(reason=_late(bounds))
        try:
            answer = json.loads(receiver.recv_bytes().decode("utf-8"))
        except (EOFError, OSError, ValueError):  # the child died: killed by its memory cap or CPU limit
            return BoundedRead(reason=f"读取时子进程异常退出（可能超出 {bounds.memory_mb} MB 内存上限"
                                      f"或 {bounds.timeout_s:g} 秒时限，或文件损坏）")
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
    if "reason" in answer:
        return BoundedRead(reason=answer["reason"])
    return BoundedRead([Declaration.from_dict(d) for d in answer["declarations"]])


def read_file_or_raise(path: str | Path, bounds: Bounds, *, start: str = "fork") -> list[Declaration]:
    """`read_bounded` for one file, a failure raised as InputError naming the file."""
    result = read_bounded(path=path, bounds=bounds, start=start)
    if not result.ok:
        raise InputError(path, result.reason)
    return result.declarations
