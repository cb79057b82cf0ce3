"""Reading JSONL requests for the batch commands, with errors that name the line."""

from __future__ import annotations

import json
import sys


class JsonlError(ValueError):
    """A line that is not the expected JSON object."""


def read_jsonl(path: str | None, required: tuple[str, ...], expected: str) -> list[dict]:
    """Objects from `path` ('-' or None: stdin); each must have the `required` keys."""
    where = path if path and path != "-" else "stdin"
    source = sys.stdin if where == "stdin" else open(path, encoding="utf-8")
    items = []
    with source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise JsonlError(f"{where} line {number}: not JSON ({exc.msg}); expected {expected}") from None
            missing = [k for k in required if not isinstance(item, dict) or k not in item]
            if missing:
                raise JsonlError(f"{where} line {number}: missing {', '.join(missing)}; expected {expected}")
            items.append(item)
    return items
