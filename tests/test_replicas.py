"""Two replicas + a builder under 32 clients: the builder ingests more forms and publishes a new
index version in the middle; both replicas switch to it without a restart and without one failed
request (issue 25, item 3)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from api.settings import Settings
from api.replicas import Replicas, load
from tests.conftest import ROOT, SEEDS


def _builder(home, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ZHIBIAO_HOME=str(home), ZHIBIAO_ENCODER="static-e5", PYTHONIOENCODING="utf-8")
    env.pop("ZHIBIAO_INDEX_READONLY", None)
    done = subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.slow
def test_two_replicas_swap_to_a_new_index_under_32_clients_without_a_failed_request(tmp_path):
    home = tmp_path / "home"
    _builder(home, "ingest", "--jobs", "1", *map(str, SEEDS[:2]))
    first = _builder(home, "corpus", "index")
    assert "（6 份申报表，" in first.stdout
    settings = Settings(home=home, encoder="static-e5")
    with Replicas(settings, 2) as replicas:
        before = replicas.corpus_hashes()
        assert len(set(before)) == 1 and before[0] is not None
        warm = load(replicas.urls, 32, seconds=2)
        assert warm.failures == 0 and warm.requests > 0
        builder = subprocess.Popen(  # publishes mid-load: ingest the other forms, then build
            [sys.executable, "-c", "import subprocess, sys; [subprocess.run(c, check=True) for c in "
             f"([sys.executable, '-m', 'api.cli', 'ingest', '--jobs', '1', *{[str(p) for p in SEEDS[2:]]!r}], "
             "[sys.executable, '-m', 'api.cli', 'corpus', 'index'])]"],
            cwd=ROOT, env=dict(os.environ, ZHIBIAO_HOME=str(home), ZHIBIAO_ENCODER="static-e5"),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        swapped = lambda: builder.poll() is not None and len(set(replicas.corpus_hashes()) - set(before)) == 1 \
            and None not in replicas.corpus_hashes() and before[0] not in replicas.corpus_hashes()
        during = load(replicas.urls, 32, until=swapped, timeout_s=60)
        _, err = builder.communicate(timeout=300)
        assert builder.returncode == 0, err
        after = load(replicas.urls, 32, seconds=2)
    assert during.failures == 0, (during.statuses, during.errors)
    assert after.failures == 0, (after.statuses, after.errors)
    assert during.requests > 32
    new = set(after.corpus_hashes)
    assert len(new) == 1 and before[0] not in new  # both replicas answer from the new version
    assert before[0] in during.corpus_hashes  # the swap happened while clients were asking
