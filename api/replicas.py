"""Several `zhibiao serve` replicas over one store and one published index, under client load.

`Replicas(settings, n)` starts n single-process servers (`api.live.LiveServer`) with
ZHIBIAO_INDEX_READONLY=1: they share the store and `<home>/index`, build nothing, and pick up a
version the builder publishes between requests. `load(urls, clients, …)` drives them from client
threads (round-robin over the replicas, as a reverse proxy would) and counts every answer that is
not 200 and every connection error. Used by the swap test and by `zhibiao bench`'s replica rows.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx

from api.live import LiveServer
from api.settings import Settings

QUERIES = [  # what a form author asks: a project name and a few words about it
    ("农村公路养护", "养护农村公路，提高路况优良率"),
    ("市场监管投诉举报热线运行维护", "受理群众投诉举报，提高办结率和满意度"),
    ("中小企业公共服务平台", "为中小企业提供培训和咨询服务"),
    ("乡镇卫生院设备购置", "购置医疗设备36台，提升基层诊疗能力"),
]


@dataclass
class LoadResult:
    requests: int = 0
    failures: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    corpus_hashes: Counter = field(default_factory=Counter)  # which index version answered

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class Replicas:
    def __init__(self, settings: Settings, count: int):
        self.settings = dataclasses.replace(settings, index_readonly=True)
        self.count = count
        self._stack = ExitStack()
        self.servers: list[LiveServer] = []

    def __enter__(self) -> Replicas:
        try:
            for _ in range(self.count):
                self.servers.append(self._stack.enter_context(LiveServer(self.settings, workers=1)))
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    def corpus_hashes(self) -> list[str | None]:
        out = []
        for url in self.urls:
            try:
                out.append(httpx.get(f"{url}/readyz", timeout=5).json().get("corpus_hash"))
            except (httpx.HTTPError, ValueError):
                out.append(None)
        return out


def load(urls: list[str], clients: int, *, seconds: float | None = None,
         until: Callable[[], bool] | None = None, timeout_s: float = 60.0) -> LoadResult:
    """`clients` threads send recommendation requests round-robin over `urls` for `seconds`, or
    until `until()` holds (checked by the caller's condition, at most `timeout_s`)."""
    result, lock, stop = LoadResult(), threading.Lock(), threading.Event()

    def client(n: int) -> None:
        with httpx.Client(timeout=timeout_s) as http:
            k = n
            while not stop.is_set():
                url, (name, description) = urls[k % len(urls)], QUERIES[k % len(QUERIES)]
                k += 1
                status, error, corpus = None, None, None
                try:
                    answer = http.post(f"{url}/v1/recommendations",
                                       json={"project_name": name, "description": description, "top_k": 10})
                    status = answer.status_code
                    if status == 200:
                        corpus = answer.json().get("corpus_hash")
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                with lock:
                    result.requests += 1
                    if status != 200:
                        result.failures += 1
                    if status is not None:
                        result.statuses[status] += 1
                    if error:
                        result.errors[error] += 1
                    if corpus:
                        result.corpus_hashes[corpus] += 1

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    deadline = started + (seconds if seconds is not None else timeout_s * 10)
    while time.monotonic() < deadline and not (until is not None and until()):
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=timeout_s + 5)
    result.seconds = time.monotonic() - started
    return result


def throughput_rows(settings: Settings, *, counts: tuple[int, ...] = (1, 2), clients: int = 32,
                    seconds: float = 10.0, say: Callable[[str], None] = lambda m: None) -> list[dict]:
    """Requests per second of 1 replica, then 2, under the same clients, in one run (the index
    is built and published once, beforehand, by the caller's builder)."""
    rows = []
    for count in counts:
        with Replicas(settings, count) as replicas:
            load(replicas.urls, clients, seconds=2)  # warm: page cache, first-request costs
            result = load(replicas.urls, clients, seconds=seconds)
        say(f"{count} 个副本：{result.per_second:.1f} 次/秒，失败 {result.failures}")
        rows.append({"replicas": count, "clients": clients, "seconds": round(result.seconds, 1),
                     "requests": result.requests, "per_second": round(result.per_second, 1),
                     "failures": result.failures})
    base = rows[0]["per_second"] or 1.0
    for row in rows:
        row["speedup"] = round(row["per_second"] / base, 2)
    return rows
