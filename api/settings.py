"""All settings in one place (environment prefix ZHIBIAO_).

A plain dataclass: a value given to the constructor wins, else the ZHIBIAO_<NAME> environment
variable, else the default. (pydantic-settings did the same at ~0.3 s of import for every command.)
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.ingest_pool import Bounds


class SettingsError(ValueError):
    """An environment variable that does not have the expected type."""


# Host names the server answers to (DNS rebinding: a page of evil.example whose name resolves to
# 127.0.0.1 sends Host: evil.example). "testserver" is the name Starlette's TestClient sends.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "testserver")


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
    # reading one untrusted file or pasted text (CLI parse / review, POST /v1/reviews[/files]):
    # a child process with this deadline and address-space cap
    parse_timeout_s: float = 15.0
    parse_memory_mb: int = 768
    parse_children: int = 2              # server: children reading at once; more wait, then 503
    parse_wait_s: float = 10.0           # server: longest wait for a free child before 503
    # comma-separated; the host `zhibiao serve` listens on is added (unless 0.0.0.0 / ::)
    allowed_hosts: list[str] = field(default_factory=lambda: list(LOOPBACK_HOSTS))
    # postgresql://user:password@host:port/db: the corpus lives there (many servers, one corpus);
    # unset: the SQLite file <home>/corpus.sqlite3
    database_url: str | None = None
    # a replica of several: serve the index the builder published under index/ as it is (never
    # build or update it here); a new version is picked up between requests
    index_readonly: bool = False

    def trusted_hosts(self) -> list[str]:
        hosts = list(self.allowed_hosts)
        if self.host not in ("0.0.0.0", "::", "") and self.host not in hosts:
            hosts.append(self.host)
        return hosts

    def parse_bounds(self) -> Bounds:
        from corpus.ingest_pool import Bounds
        return Bounds(memory_mb=self.parse_memory_mb, timeout_s=self.parse_timeout_s,
                      max_bytes=self.max_file_bytes)

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
            elif name == "allowed_hosts" and isinstance(value, str):
                value = [h.strip() for h in value.split(",") if h.strip()]
            setattr(self, name, value)

    def model_dump(self) -> dict:
        return dataclasses.asdict(self)

    @property
    def store_path(self) -> Path:
        return self.home / "corpus.sqlite3"

    @property
    def store_location(self) -> str:
        """Where the corpus is: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or str(self.store_path)

    @property
    def index_dir(self) -> Path:
        return self.home / "index"


_TYPES = {"max_file_bytes": int, "max_body_bytes": int, "ingest_timeout_s": float, "ingest_memory_mb": int,
          "port": int, "workers": int, "parse_timeout_s": float, "parse_memory_mb": int, "parse_children": int,
          "parse_wait_s": float, "index_readonly": bool}
_TYPE_NAMES = {int: "整数", float: "数字"}


def _coerce(name: str, raw: str):
    kind = _TYPES.get(name)
    if kind is None:
        return raw
    if kind is bool:
        if raw.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if raw.strip().lower() in ("0", "false", "no", "off", ""):
            return False
        raise SettingsError(f"环境变量 ZHIBIAO_{name.upper()}=“{raw}” 应为 1 或 0")
    try:
        return kind(raw.strip())
    except ValueError:
        raise SettingsError(f"环境变量 ZHIBIAO_{name.upper()}=“{raw}” 应为{_TYPE_NAMES[kind]}") from None
