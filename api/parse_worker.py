"""One uploaded form read in a child process: `python -m api.parse_worker MEMORY_MB FILE`.

Like `api.ingest_worker` (same limits: niced, memory-capped, killed at a deadline by the caller)
but nothing is stored: prints one JSON line, `{"declarations": [...]}` or `{"error": "..."}`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from api.ingest_worker import _limit


def main(argv: list[str]) -> int:
    memory_mb, file = int(argv[0]), argv[1]
    _limit(memory_mb)
    from corpus.errors import CorpusError
    from corpus.read import read
    try:
        out = {"declarations": [d.to_dict() for d in read(Path(file))]}
    except CorpusError as exc:
        out = {"error": getattr(exc, "reason", str(exc))}
    except MemoryError:
        out = {"error": f"处理时超出 {memory_mb} MB 内存上限"}
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
