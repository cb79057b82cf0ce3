"""The server's bounded reading of untrusted forms (POST /v1/reviews text, /v1/reviews/files).

Each read is a child process (`corpus.bounded.read_bounded`: deadline, memory cap). At most
`parse_children` run at once, so the children together stay under parse_children × parse_memory_mb
and the server's own threads keep a core; a request that finds them all busy waits at most
`parse_wait_s` and is then answered 503 with Retry-After. Waiting requests are bounded too (as many
as there are children): a flood is answered 503 at once, it never fills the thread pool.
"""

from __future__ import annotations

import threading

from corpus.bounded import BoundedRead, read_bounded


class Busy(Exception):
    """Every reading child is busy: answer 503 with Retry-After."""

    def __init__(self, retry_after: int):
        super().__init__("busy")
        self.retry_after = retry_after


class ParseSlots:
    def __init__(self, settings):
        self.settings = settings
        self.children = max(1, settings.parse_children)
        self._free = threading.BoundedSemaphore(self.children)
        self._lock = threading.Lock()
        self._waiting = 0

    def retry_after(self) -> int:
        return max(1, int(self.settings.parse_timeout_s))

    def warm(self) -> BoundedRead:
        """Start the forkserver (it imports the readers once) with one small form, so that the
        first request does not pay for it."""
        from corpus.store import SAMPLES_DIR
        sample = sorted(SAMPLES_DIR.glob("*.txt"))[0]
        return self.read(text=sample.read_text(encoding="utf-8"), file=sample.name)

    def read(self, *, path=None, text: str | None = None, file: str | None = None) -> BoundedRead:
        """Read in a child once one is free (blocking: call it in the thread pool). Raises Busy."""
        with self._lock:
            if self._waiting >= self.children:
                raise Busy(self.retry_after())
            self._waiting += 1
        try:
            got = self._free.acquire(timeout=self.settings.parse_wait_s)
        finally:
            with self._lock:
                self._waiting -= 1
        if not got:
            raise Busy(self.retry_after())
        try:
            return read_bounded(path=path, text=text, file=file, bounds=self.settings.parse_bounds(),
                                start="forkserver")
        finally:
            self._free.release()
