"""All settings in one place (environment prefix ZHIBIAO_)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "zhibiao"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHIBIAO_")

    home: Path = _default_home()
    encoder: str = "static-e5"          # e5-small-q4 (the teacher) stays selectable
    max_file_bytes: int = 5 * 1024 * 1024
    admin_token: str | None = None       # bearer token for POST /v1/declarations; unset = no writes
    max_body_bytes: int = 2 * 1024 * 1024
    ingest_timeout_s: float = 120.0      # per uploaded file, in the ingest child process
    ingest_memory_mb: int = 2048         # address-space cap of that child process
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1                     # uvicorn worker processes of `zhibiao serve` (each loads the index)

    @property
    def store_path(self) -> Path:
        return self.home / "corpus.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"
