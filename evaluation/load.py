"""Load measurement against a running server (loopback only, bounded request counts).

For 1, 8 and 32 concurrent clients: p50 / p95 / p99 latency, throughput and error count of
POST /v1/recommendations and POST /v1/targets/assess. `run(url)` measures a server that is up
(`python -m evaluation.load --url http://127.0.0.1:8000`); `zhibiao bench` starts one itself.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np

REQUESTS = {"recommendations": 480, "targets/assess": 640}
WARM_UP = 64  # requests from 8 clients first, so every worker process has served some
CONCURRENCY = (1, 8, 32)
BODIES = {
    "recommendations": [
        {"project_name": "区图书馆全民阅读推广", "description": "全年举办读书讲座不少于48场，服务读者20万人次，年底前完成平台上线。"},
        {"project_name": "上海智慧微菜场建设", "description": "完成2019年新建500家社区智慧微菜场任务"},
        {"project_name": "农村公路提档升级", "description": "对全镇12公里农村公路进行拓宽改造，第四季度完工"},
    ],
    "targets/assess": [
        {"items": [{"name": "资助对象满意度", "value": "较满意"}, {"name": "预算执行率", "value": "≥95%"},
                   {"name": "项目管理制度健全性", "value": "健全"}, {"name": "办理时效性", "value": "2个工作日"}]},
    ],
}


def _one(client: httpx.Client, url: str, body: dict) -> tuple[float, bool]:
    start = time.perf_counter()
    try:
        ok = client.post(url, json=body, timeout=120).status_code == 200
    except httpx.HTTPError:
        ok = False
    return time.perf_counter() - start, ok


def measure(base: str, endpoint: str, clients: int, total: int) -> dict:
    url = f"{base}/v1/{endpoint}"
    bodies = BODIES[endpoint]
    local = threading.local()

    def task(i: int):
        if not hasattr(local, "client"):
            local.client = httpx.Client()
        return _one(local.client, url, bodies[i % len(bodies)])

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(task, range(total)))
    elapsed = time.perf_counter() - start
    times = [t for t, _ in results]
    return {"endpoint": endpoint, "clients": clients, "requests": total,
            "p50_ms": round(float(np.percentile(times, 50)) * 1000, 1),
            "p95_ms": round(float(np.percentile(times, 95)) * 1000, 1),
            "p99_ms": round(float(np.percentile(times, 99)) * 1000, 1),
            "throughput_rps": round(total / elapsed, 2), "errors": sum(not ok for _, ok in results),
            "mean_ms": round(statistics.mean(times) * 1000, 1)}


def run(base: str) -> list[dict]:
    rows = []
    for endpoint, total in REQUESTS.items():
        measure(base, endpoint, 8, WARM_UP)  # warm-up (not reported)
        for clients in CONCURRENCY:
            rows.append(measure(base, endpoint, clients, total))
    return rows


def render(rows: list[dict]) -> str:
    lines = ["| endpoint | clients | requests | p50 ms | p95 ms | p99 ms | throughput req/s | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| POST /v1/{r['endpoint']} | {r['clients']} | {r['requests']} | {r['p50_ms']} | "
                     f"{r['p95_ms']} | {r['p99_ms']} | {r['throughput_rps']} | {r['errors']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.load", description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a running server on a loopback address")
    args = parser.parse_args(argv)
    print(render(run(args.url.rstrip("/"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
