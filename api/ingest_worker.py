"""One uploaded file ingested in a child process: `python -m api.ingest_worker STORE MEMORY_MB FILE`.

The server runs parsing here, not in its own process, so a hostile file (a decompression bomb, a
million-row sheet) costs a child process that is niced, memory-capped and killed at a deadline,
while the server keeps answering. Prints one JSON line: the file's result.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path


def _limit(memory_mb: int) -> None:
    if memory_mb > 0:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        os.nice(10)  # the server's own threads come first on a 2-core machine
    except OSError:
        pass


def main(argv: list[str]) -> int:
    store_path, memory_mb, file = argv[0], int(argv[1]), argv[2]
    name = argv[3] if len(argv) > 3 else None  # the name as uploaded (on disk: its hash)
    _limit(memory_mb)
    from corpus.stores import make_store  # after the limits: the imports count too
    if store_path == "database_url":
        from api.settings import Settings
        store_path = Settings().database_url or ""
    try:
        with make_store(store_path) as store:
            result = vars(store.ingest_file(Path(file), name=name))
    except MemoryError:
        result = {"path": file, "status": "failed", "declarations": 0,
                  "reason": f"处理时超出 {memory_mb} MB 内存上限"}
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
