"""Ask the kernel to read a loaded index's files into the page cache, in the background.

The index is memory-mapped, so its first queries would otherwise wait on the disk for every
posting list and inverted-file cell they touch (at a million declarations: hundreds of
milliseconds for the first queries, against ~20 ms warm). `posix_fadvise(WILLNEED)` starts the
reads without mapping the pages into the process: nothing is added to its RSS until a query
touches a page, and the kernel may still drop the pages under memory pressure.

A server warms instead (`warm`): it reads the files through the page cache before it reports
ready, so the first requests after a start are served at warm speed (at a million declarations
~1.6 GB, a few seconds from disk). Reading with `read()` into one small buffer maps nothing either."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

log = logging.getLogger("zhibiao")
SERVED = ("lexical/bm25/*.npy", "lexical/rel.*.npy", "lexical/idf.npy", "projects.*", "names.npy",
          "tables/*.npy")  # what queries read (not the build-only term counts and float vectors)
READ_CHUNK = 1 << 20


def files_served(directory: Path) -> list[Path]:
    return sorted({p for pattern in SERVED for p in Path(directory).glob(pattern) if p.is_file()})


def prefetch(directory: Path) -> threading.Thread | None:
    """Start reading the served files of an index directory into the page cache; returns the thread."""
    if not hasattr(os, "posix_fadvise"):
        return None
    paths = files_served(directory)
    thread = threading.Thread(target=_advise, args=(paths,), name="zhibiao-prefetch", daemon=True)
    thread.start()
    return thread


def warm(directory: Path) -> int:
    """Read the served files of an index directory through the page cache, now; bytes read."""
    total = 0
    buffer = bytearray(READ_CHUNK)
    for path in files_served(directory):
        try:
            with open(path, "rb", buffering=0) as f:
                while n := f.readinto(buffer):
                    total += n
        except OSError:
            continue  # a build swapped in meanwhile removed it
    return total


def _advise(paths: list[Path]) -> None:
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # a build swapped in meanwhile removed it: nothing to warm
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError as exc:
            log.debug("zhibiao: prefetch of %s skipped: %s", path, exc)
        finally:
            os.close(fd)
