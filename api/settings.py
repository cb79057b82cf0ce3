"""All settings in one place (environment prefix ZHIBIAO_).

A plain dataclass: a value given to the constructor wins, else the ZHIBIAO_<NAME> environment
variable, else the default. (pydantic-settings did the same at ~0.3 s of import for every command.)
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path


class SettingsError(ValueError):
    """An environment variable that does not have the expected type."""


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "zhibiao"


@dataclass(init=False)
class Settings:
    home: Path = field(default_factory=_default_home)
    encoder: str = "static-e5"          # e5-small-q4 (the teacher) stays selectable
    max_file_bytes: int = 5 * 1024 * 1024
    admin_token: str | None = None       # bearer token for POST /v1/declarations; unset = no writes
    max_body_bytes: int = 2 * 1024 * 1024
    ingest_timeout_s: float = 120.0      # per uploaded file, in the ingest child process
    ingest_memory_mb: int = 2048         # address-space cap of that child process
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1                     # uvicorn worker processes of `zhibiao serve` (each loads the index)

    def __init__(self, **given):
        fields = {f.name: f for f in dataclasses.fields(self)}
        unknown = set(given) - set(fields)
        if unknown:
            raise TypeError(f"Settings: unknown settings {', '.join(sorted(unknown))}")
        for name, f in fields.items():
            if name in given:
                value = given[name]
            elif f"ZHIBIAO_{name.upper()}" in os.environ:
                value = _coerce(name, os.environ[f"ZHIBIAO_{name.upper()}"])
            elif f.default_factory is not dataclasses.MISSING:
                value = f.default_factory()
            else:
                value = f.default
            if name == "home":
                value = Path(value)
            setattr(self, name, value)

    def model_dump(self) -> dict:
        return dataclasses.asdict(self)

    @property
    def store_path(self) -> Path:
        return self.home / "corpus.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"


_TYPES = {"max_file_bytes": int, "max_body_bytes": int, "ingest_timeout_s": float, "ingest_memory_mb": int,
          "port": int, "workers": int}
_TYPE_NAMES = {int: "整数", float: "数字"}


def _coerce(name: str, raw: str):
    kind = _TYPES.get(name)
    if kind is None:
        return raw
    try:
        return kind(raw.strip())
    except ValueError:
        raise SettingsError(f"环境变量 ZHIBIAO_{name.upper()}=“{raw}” 应为{_TYPE_NAMES[kind]}") from None
