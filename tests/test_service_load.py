"""32 concurrent clients against a real server, with an ingest in the middle: no failed request,
and every answer belongs wholly to the old corpus or wholly to the new one."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

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
