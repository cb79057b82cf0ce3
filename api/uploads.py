"""Upload names are display names only. On disk an upload is named by its content hash and a
suffix taken from a fixed list (`FORM_SUFFIXES`); the name the user gave never becomes a path."""

from __future__ import annotations

import hashlib
from pathlib import Path

from corpus.store import FORM_SUFFIXES


def safe_suffix(name: str | None) -> str:
    """The form suffix the name ends with ('.xlsx'), from the fixed list; '.txt' otherwise."""
    lowered = (name or "").lower()
    return max((s for s in FORM_SUFFIXES if lowered.endswith(s)), key=len, default=".txt")


def disk_name(data: bytes, name: str | None) -> str:
    """'<sha256>.xlsx': what an upload is called on disk."""
    return hashlib.sha256(data).hexdigest() + safe_suffix(name)


def save_upload(folder: Path, name: str | None, data: bytes) -> Path:
    """Write the upload below `folder` under its content name (the same bytes: the same file)."""
    path = folder / disk_name(data, name)
    if not path.exists():
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        partial.replace(path)
    return path
