"""All settings in one place (environment prefix ZHIBIAO_)."""

from __future__ import annotations

import os
from pathlib import Path

from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from corpus.ingest_pool import Bounds

# Host names the server answers to (DNS rebinding: a page of evil.example whose name resolves to
# 127.0.0.1 sends Host: evil.example). "testserver" is the name Starlette's TestClient sends.
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "testserver"]


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
    # reading one untrusted file or pasted text (CLI parse / review, POST /v1/reviews[/files]):
    # a child process with this deadline and address-space cap
    parse_timeout_s: float = 15.0
    parse_memory_mb: int = 768
    parse_children: int = 2              # server: children reading at once; more wait, then 503
    parse_wait_s: float = 10.0           # server: longest wait for a free child before 503
    # comma-separated; the host `zhibiao serve` listens on is added (unless 0.0.0.0 / ::)
    allowed_hosts: Annotated[list[str], NoDecode] = LOOPBACK_HOSTS

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value):
        if isinstance(value, str):
            return [h.strip() for h in value.split(",") if h.strip()]
        return value

    def trusted_hosts(self) -> list[str]:
        hosts = list(self.allowed_hosts)
        if self.host not in ("0.0.0.0", "::", "") and self.host not in hosts:
            hosts.append(self.host)
        return hosts

    def parse_bounds(self) -> Bounds:
        return Bounds(memory_mb=self.parse_memory_mb, timeout_s=self.parse_timeout_s,
                      max_bytes=self.max_file_bytes)

    @property
    def store_path(self) -> Path:
        return self.home / "corpus.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"
