from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.read import parse_file
from corpus.store import SAMPLES_DIR

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(SAMPLES_DIR.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_decls():
    """Every declaration of the bundled seed forms, by id."""
    return {d.id: d for path in SEEDS for d in parse_file(path)}


@pytest.fixture
def zhibiao(tmp_path):
    """Run the CLI as a user would, with a private ZHIBIAO_HOME."""
    home = tmp_path / "home"

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        env = dict(os.environ, ZHIBIAO_HOME=str(home), PYTHONIOENCODING="utf-8")
        return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env,
                              input=stdin, capture_output=True, text=True, encoding="utf-8",
                              timeout=300)

    run.home = home
    return run


@pytest.fixture
def no_whole_corpus(monkeypatch):
    """Refuse to load every declaration of the store (the server and the CLI must not)."""
    import corpus.store
    from corpus.store import CorpusStore

    def refuse(*args, **kwargs):
        raise AssertionError("the whole corpus must not be materialised")
    monkeypatch.setattr(corpus.store, "load_corpus", refuse)
    monkeypatch.setattr(CorpusStore, "declarations", refuse)


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server for the whole session (skips with the reason where none can run)."""
    from tests import postgres_server as pg
    reason = pg.unavailable()
    if reason:
        pytest.skip(reason)
    server = pg.start()
    yield server
    pg.stop(server)


@pytest.fixture
def postgres_url(postgres_server, request):
    """A fresh, empty database on the session's server."""
    import re
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40] + f"_{os.getpid()}_{id(request) % 10**6}"
    return postgres_server.create_database(name)
