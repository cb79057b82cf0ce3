"""A throw-away PostgreSQL server for the tests: initdb in a temporary folder, listening on a unix
socket in that folder only (no TCP port another engineer or CI job could collide with), stopped
and removed at the end. As root (CI) the server runs as the `postgres` user Debian's package
creates (PostgreSQL refuses to run as root). `Makefile` installs the package where it is missing."""

from __future__ import annotations

import glob
import os
import pwd
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def bindir() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    return None


def unavailable() -> str | None:
    """Why no server can be started here (None: it can)."""
    if bindir() is None:
        return "PostgreSQL 未安装（initdb 不在 PATH 或 /usr/lib/postgresql/*/bin；以 root 运行 make test 会安装 Debian 的 postgresql）"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "以 root 运行却没有 postgres 用户（PostgreSQL 不能以 root 运行）"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg 未安装（pip install -e '.[test]'）"
    return None


@dataclass
class Server:
    folder: Path
    port: int
    user: str = "zhibiao"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@/{database}?host={self.folder}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_server_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def start() -> Server:
    folder = Path(tempfile.mkdtemp(prefix="zhibiao-pg-"))  # under /tmp: the postgres user can reach it
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    bins, data, port = bindir(), folder / "data", random.randint(20000, 60000)
    run = lambda *cmd: subprocess.run([*_as_server_user(), *cmd], check=True, capture_output=True, timeout=120)
    run(str(bins / "initdb"), "-D", str(data), "-U", "zhibiao", "--auth=trust", "-E", "UTF8",
        "--no-locale", "--no-sync")
    options = (f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB")
    run(str(bins / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60", "-o", options, "start")
    return Server(folder, port)


def stop(server: Server) -> None:
    subprocess.run([*_as_server_user(), str(bindir() / "pg_ctl"), "-D", str(server.folder / "data"),
                    "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
    shutil.rmtree(server.folder, ignore_errors=True)
