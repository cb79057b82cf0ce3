"""A real uvicorn server on a loopback port (tests, load measurement).

`LiveServer(settings)` runs the app in a background thread of this process (tests that share
objects with the server). `LiveServer(settings, workers=N)` runs `zhibiao serve --workers N` as a
child process instead, so a load generator in this process never competes with the server for
this interpreter's GIL, and N worker processes serve as in production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import uvicorn

from api.settings import Settings

READY_TIMEOUT_S = 600  # the first start may build the index


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings_environment(settings: Settings) -> dict[str, str]:
    """The ZHIBIAO_* variables that make a child process's Settings() equal `settings`."""
    env = {}
    for name, value in settings.model_dump().items():
        if value is not None:  # a list (allowed_hosts) is read back comma-separated
            env[f"ZHIBIAO_{name.upper()}"] = ",".join(value) if isinstance(value, list) else str(value)
    return env


class LiveServer:
    def __init__(self, settings: Settings, *, workers: int | None = None):
        self.settings = settings
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        if workers is None:
            from api.app import create_app
            config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port,
                                    log_level="warning", limit_concurrency=256)
            self.server = uvicorn.Server(config)
            self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        if self.workers is None:
            self.thread.start()
        else:
            env = {**os.environ, **settings_environment(self.settings)}
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + READY_TIMEOUT_S
        while time.time() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited with status {self.process.returncode}")
            if self._ready():
                return self
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("server did not become ready")

    def _ready(self) -> bool:
        """Ready when /readyz answers 200 — with several workers, from every one of them (each
        answer names its worker; a worker still loading accepts no connections meanwhile)."""
        if self.workers is None:
            return self._ready_answer() is not None
        seen = set()
        for _ in range(20 * self.workers):  # fresh connections land on the workers that accept
            worker = self._ready_answer()
            if worker is None:
                return False
            seen.add(worker)
            if len(seen) >= self.workers:
                return True
        return False

    def _ready_answer(self) -> str | None:
        try:
            response = httpx.get(f"{self.url}/readyz", timeout=2)
        except httpx.HTTPError:
            return None
        return response.headers.get("x-zhibiao-worker", "") if response.status_code == 200 else None

    def __exit__(self, *exc) -> None:
        if self.process is None:
            self.server.should_exit = True
            self.thread.join(timeout=30)
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the serve process and its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
