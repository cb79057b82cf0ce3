"""32 concurrent clients against a real server, with an ingest in the middle: no failed request,
and every answer belongs wholly to the old corpus or wholly to the new one."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api.live import LiveServer
from api.settings import Settings
from corpus.store import SAMPLES_DIR, CorpusStore, ingest
from tests.conftest import SEEDS

TOKEN = "load-test-token"
NEW_NAME = "徐汇智慧微菜场试点"


def test_ingest_during_load_swaps_atomically(tmp_path):
    home = tmp_path / "home"
    with CorpusStore(home / "corpus.sqlite3") as store:  # the samples as the user's own corpus
        ingest(store, [SAMPLES_DIR])
    seed = next(p for p in SEEDS if p.name.startswith("002_")).read_text(encoding="utf-8")
    new_form = seed.replace("上海智慧微菜场建设", NEW_NAME).encode("utf-8")
    with LiveServer(Settings(home=home, admin_token=TOKEN)) as live:
        old_hash = httpx.get(f"{live.url}/readyz").json()["corpus_hash"]
        stop = threading.Event()
        seen: list[tuple[str, bool]] = []
        failures: list[str] = []

        def client(n: int) -> int:
            done = 0
            with httpx.Client(base_url=live.url, timeout=120) as http:
                while not stop.is_set():
                    try:
                        if n % 4 == 0:
                            r = http.post("/v1/recommendations", json={
                                "project_name": "智慧微菜场", "description": "新建500家社区智慧微菜场"})
                        elif n % 4 == 1:
                            r = http.post("/v1/targets/assess", json={"items": [{"name": "满意度", "value": "较满意"}]})
                        else:
                            r = http.get("/v1/declarations", params={"q": NEW_NAME})
                            if r.status_code == 200:
                                body = r.json()
                                seen.append((body["corpus_hash"], body["total"] == 1))
                        if r.status_code != 200:
                            failures.append(f"{r.status_code} {r.text[:200]}")
                    except httpx.HTTPError as exc:
                        failures.append(repr(exc))
                    done += 1
            return done

        with ThreadPoolExecutor(32) as pool:
            futures = [pool.submit(client, n) for n in range(32)]
            time.sleep(2)
            response = httpx.post(f"{live.url}/v1/declarations", headers={"Authorization": f"Bearer {TOKEN}"},
                                  files={"files": ("xuhui.txt", new_form, "text/plain")}, timeout=60)
            assert response.status_code == 202, response.text
            deadline = time.time() + 240
            while time.time() < deadline:
                ready = httpx.get(f"{live.url}/readyz", timeout=60).json()
                if ready["corpus_hash"] != old_hash and not ready["rebuilding"]:
                    break
                time.sleep(0.5)
            time.sleep(2)  # keep the load on after the swap
            stop.set()
            requests = sum(f.result() for f in futures)
        assert failures == []
        assert requests > 100
        assert ready["declarations"] == 27
        before = [found for h, found in seen if h == old_hash]
        after = [found for h, found in seen if h != old_hash]
        assert before and after
        assert not any(before), "the new form was visible before the swap"
        assert all(after), "an answer after the swap missed the new form"


def test_static_encoder_is_thread_safe_without_a_lock():
    """The hot path takes no lock: 8 threads encoding at once get exactly the sequential vectors."""
    import numpy as np

    from models.encoders.static import StaticEncoder
    texts = [f"{name}第{i}期" for i, name in enumerate(["区图书馆全民阅读推广", "上海智慧微菜场建设",
                                                        "农村公路提档升级", "资助对象满意度"] * 50)]
    sequential = StaticEncoder().encode_queries(texts)
    shared = StaticEncoder()  # loaded by whichever thread comes first
    with ThreadPoolExecutor(8) as pool:
        rows = list(pool.map(lambda t: shared.encode_queries([t])[0], texts))
    assert np.array_equal(np.vstack(rows), sequential)


def test_no_delay_protocol_sets_tcp_nodelay():
    import socket

    from api.serving import NoDelayH11Protocol

    class Transport:
        def __init__(self, sock):
            self.sock = sock

        def get_extra_info(self, name, default=None):
            return self.sock if name == "socket" else default

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:  # protocol 0, as uvicorn binds
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        protocol = NoDelayH11Protocol.__new__(NoDelayH11Protocol)
        try:
            protocol.connection_made(Transport(sock))
        except Exception:
            pass  # uvicorn's own set-up needs a real transport; the socket option is set first
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


@pytest.mark.slow
def test_serve_with_two_workers(tmp_path):
    """`zhibiao serve --workers 2`: the index is built once before the workers start, and 8
    concurrent clients get only 200s, all from the same corpus."""
    home = tmp_path / "home"
    body = {"project_name": "上海智慧微菜场建设", "description": "完成2019年新建500家社区智慧微菜场任务"}
    with LiveServer(Settings(home=home, encoder="static-e5"), workers=2) as live:
        def client(_: int) -> list[tuple[int, str]]:
            with httpx.Client(base_url=live.url, timeout=120) as http:
                return [(r.status_code, r.json().get("corpus_hash")) for r in
                        (http.post("/v1/recommendations", json=body) for _ in range(10))]

        with ThreadPoolExecutor(8) as pool:
            answers = [a for rows in pool.map(client, range(8)) for a in rows]
    assert [status for status, _ in answers] == [200] * 80
    assert len({h for _, h in answers}) == 1
    assert len(list((home / "index" / "static-e5.builds").iterdir())) == 1
