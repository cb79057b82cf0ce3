"""A file to download: its name, media type and bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    content: bytes


def safe_stem(text: str | None, default: str) -> str:
    """A file name stem from a project name: no path separators or control characters, ≤ 60 chars."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", (text or "").strip())[:60].strip("._ ")
    return stem or default


def content_disposition(filename: str) -> str:
    """attachment; an ASCII fallback name and the UTF-8 one (RFC 6266 / 5987)."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"attachment; filename=\"zhibiao.{suffix}\"; filename*=UTF-8''{quote(filename)}"


def format_of(path_or_format: str, allowed: tuple[str, ...]) -> str | None:
    """`form.xlsx` or `xlsx` → "xlsx" when allowed, else None."""
    fmt = path_or_format.rsplit(".", 1)[-1].lower()
    return fmt if fmt in allowed else None
