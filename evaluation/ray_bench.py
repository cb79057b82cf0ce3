"""Bench rows: the index build at N synthetic declarations, plain (one process and its forked
workers) and on a local Ray with 1 and 2 workers (`recommender.ray_build.ray_build_index`: the
workers read the pages and cut and embed the texts, the driver merges), each in a fresh child
process; peak RSS of the driver, of the busiest Ray worker and of the driver's busiest child (the
plain build's forked workers, the fitting process), and the machine's load average when each
build started and ended (a shared machine's timings need it beside them).

The store is written once per size (`evaluation.bench.make_store`); every build starts from an
empty index folder. The builds run in the order `workers` gives — by default the plain build,
then 1 and 2 Ray workers twice, interleaved, so that a change of the machine's load falls on both
— and the summary compares the medians. Run by `zhibiao bench --ray-sizes 100000`.

What a build's time counts. Ray is started once per bench (a local cluster of as many CPUs as the
most workers a row asks for, started by this process, stopped at its end; its start is printed
apart): each build's child joins it (`start_s`: joining), starts its page workers (`actors_s`:
each a process of its own that loads its modules and the encoder), reads and cuts the pages and
merges what comes back (`read_s`, `cut_s`), and writes the rest (`merge_s`). A worker is a core:
one CPU and one thread for its numeric libraries; the driver runs on as many threads as it has
workers (`recommender.threads`). The serial share of a build is what a second worker cannot
halve — joining Ray, the workers' start and the driver's rest — over the build's time.
Every process of the bench compiles its Python modules once into a bytecode folder of the bench's
own (`PYTHONPYCACHEPREFIX`), as an installed package has its bytecode: a session that sets
PYTHONDONTWRITEBYTECODE would otherwise make each worker compile Ray and our modules at its start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from recommender.threads import environment

RESULT = "RAY_BENCH "
BUDGET_MB = 2048  # the serving budget: no build process may peak above it

_CHILD = """
import json, resource, sys, time, shutil
from pathlib import Path
home, workers, encoder, address = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4] or None
from corpus.store import CorpusStore
shutil.rmtree(home / "index", ignore_errors=True)
started = time.perf_counter()
with CorpusStore(home / "corpus.sqlite3") as store:
    if workers == 0:
        from models.encoders import make_encoder
        from recommender.index import ensure_index
        ensure_index(store, make_encoder(encoder), home / "index")
        row = {"start_s": None, "actors_s": None, "read_s": None, "cut_s": None, "merge_s": None,
               "worker_rss_mb": None}
    else:
        from recommender.ray_build import ray_build_index
        built = ray_build_index(store, encoder_spec=encoder, index_root=home / "index", workers=workers,
                                address=address)
        row = {"start_s": built.start_s, "actors_s": built.actors_s, "read_s": built.read_s, "cut_s": built.cut_s,
               "merge_s": built.merge_s, "worker_rss_mb": built.worker_rss_mb, "actors_cpu_s": built.actors_cpu_s,
               "worker_cpu_s": built.worker_cpu_s, "driver_pages_cpu_s": built.driver_pages_cpu_s,
               "driver_rest_cpu_s": built.driver_rest_cpu_s, "worker_cpu_each": list(built.worker_cpu_each),
               "fitter_cpu_s": built.fitter_cpu_s}
row.update(build_s=round(time.perf_counter() - started, 1),
           driver_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
           children_rss_mb=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1))
print("RAY_BENCH " + json.dumps(row))
"""


# what a build's driver imports beyond a page worker's: the fitting thread's scikit-learn, the level
# classifier's fit (two rows), jieba's tagger
_DRIVER_IMPORTS = """
import tempfile
from pathlib import Path
from models.segment import pos_tokenizer
from recommender.fitted import _fit_levels
from recommender.ray_build import ray_build_index
pos_tokenizer()
with tempfile.TemporaryDirectory() as folder:
    _fit_levels(Path(folder), ["道路养护里程", "群众满意度"], ["数量指标", "满意度指标"])
"""


def _build(home: Path, workers: int, encoder: str, timeout_s: float, address: str = "") -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(home), str(workers), encoder, address],
                          capture_output=True, text=True, timeout=timeout_s, cwd=Path(__file__).resolve().parents[1])
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:200]}
    return json.loads(lines[-1][len(RESULT):])


WORKERS = (0, 1, 2, 1, 2)  # the plain build once, then 1 and 2 Ray workers interleaved


def run(sizes: list[int], *, workers: tuple[int, ...] = WORKERS, encoder: str = "static-e5",
        say: Callable[[str], None] = print, timeout_s: float = 4 * 3600) -> list[dict]:
    from evaluation.bench import make_store, source_declarations
    sources, rows = source_declarations(), []
    with tempfile.TemporaryDirectory(prefix="zhibiao-ray-bench-") as bench_folder, \
            _bytecode_of_its_own(Path(bench_folder) / "bytecode"), _one_ray(max(workers), encoder) as ray_start:
        address, ray_start_s = ray_start
        if address:
            say(f"Ray 已启动（本机集群，{max(workers)} 个 CPU，{ray_start_s:.1f} 秒；每次基准启动一次，不计入各次构建）")
        for size in sizes:
            home = Path(bench_folder) / f"size-{size}"
            home.mkdir()
            started = time.perf_counter()
            make_store(home, sources, size)
            say(f"{size:,} 份合成申报表已入库（{time.perf_counter() - started:.0f} 秒）")
            for count in workers:
                row = {"declarations": size, "workers": count, "encoder": encoder, "ray_start_s": ray_start_s,
                       "load_before": round(os.getloadavg()[0], 1)}  # a shared machine: say how busy it was
                ray_before = ray_system_cpu() if count else None
                row.update(_build(home, count, encoder, timeout_s, address if count else ""))
                if ray_before is not None:
                    row["ray_system_cpu_s"] = cpu_between(ray_before, ray_system_cpu())
                row["load_average"] = round(os.getloadavg()[0], 1)
                say(f"{size:,}：{'单进程' if count == 0 else f'Ray {count} 个工作进程'} → {row}")
                rows.append(row)
            shutil.rmtree(home, ignore_errors=True)
    for row in rows:  # speed-up against the median 1-worker Ray build of the same size
        one = median_build_s(rows, row["declarations"], 1)
        if one and "build_s" in row:
            row["speedup_vs_1"] = round(one / row["build_s"], 2)
        if row["workers"] and "build_s" in row:
            row["serial_share"] = serial_share(row)
            row["serial_share_cpu"] = serial_share_cpu(row)
    return rows


def _bytecode_of_its_own(folder: Path):
    """This process's children (and the Ray workers it starts) compile their modules once, into
    `folder`: what an installed package's bytecode gives them; nothing is written beside the code."""
    return environment({"PYTHONDONTWRITEBYTECODE": None, "PYTHONPYCACHEPREFIX": str(folder)})


@contextmanager
def _one_ray(cpus: int, encoder: str):
    """A local Ray of `cpus` CPUs for the whole bench, and its start in seconds: ("", None) when no
    row uses Ray. The builds join it by its address; it stops when the bench ends. One page worker
    is started and let go first, and a child process imports what only a build's driver imports
    (scikit-learn for its fitting thread, jieba's tagger for the measures), so that the first
    build's processes find their modules compiled."""
    if cpus < 1:
        yield "", None
        return
    import ray

    from recommender.ray_build import start_ray
    if ray.is_initialized():
        raise RuntimeError("ray_bench 需要自己启动的 Ray：本进程已连接了一个")
    started = time.perf_counter()
    start_ray(None, cpus)
    from recommender.ray_build import PageWorker, worker_options
    first = ray.remote(**worker_options(1))(PageWorker).remote("", encoder)
    subprocess.run([sys.executable, "-c", _DRIVER_IMPORTS], check=True, cwd=Path(__file__).resolve().parents[1])
    ray.get(first.ready.remote())
    ray.kill(first)
    try:
        yield ray.get_runtime_context().gcs_address, round(time.perf_counter() - started, 1)
    finally:
        ray.shutdown()


def ray_system_cpu(root: int | None = None) -> dict[int, float]:
    """CPU seconds so far of each process of the Ray runtime this process started (its GCS, raylet
    and agents: every process below `root`, this one by default, but Ray's worker processes, which
    the build counts itself). On two cores what they take during a build is taken from the page
    workers; on a cluster they run on every node. Empty where /proc cannot be read."""
    root = os.getpid() if root is None else root
    parent, cpu, command = {}, {}, {}
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return {}
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2:].split()
        parent[pid], cpu[pid] = int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks
    below, todo = set(), [root]
    while todo:
        pid = todo.pop()
        children = [child for child, up in parent.items() if up == pid and child not in below]
        below.update(children)
        todo.extend(children)
    return {pid: cpu[pid] for pid in below if b"default_worker" not in command[pid]}


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes alive at both readings used between them (one that ended took its
    count with it; one that started meanwhile is left out)."""
    return round(sum(cpu - before[pid] for pid, cpu in after.items() if pid in before), 1)


def serial_share_cpu(row: dict) -> float | None:
    """The serial share counted in CPU seconds, which a loaded machine does not stretch: the
    slowest worker's start and the driver's rest, over those and every worker's page work."""
    serial = (row.get("actors_cpu_s") or 0.0) + (row.get("driver_rest_cpu_s") or 0.0)
    whole = serial + (row.get("worker_cpu_s") or 0.0)
    return round(serial / whole, 2) if whole else None


def serial_share(row: dict) -> float:
    """What a second worker cannot halve — joining Ray, the workers' start, the driver's rest —
    as a share of the build."""
    serial = sum(row.get(part) or 0.0 for part in ("start_s", "actors_s", "merge_s"))
    return round(serial / row["build_s"], 2) if row["build_s"] else 0.0


def median_build_s(rows: list[dict], size: int, workers: int) -> float | None:
    times = [r["build_s"] for r in rows if r["declarations"] == size and r["workers"] == workers and "build_s" in r]
    return _median(times) if times else None


def _median(values: list[float]) -> float:
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _amdahl(share: float) -> float:
    """The best 2-worker ratio a serial share allows: 1 / (s + (1 − s) / 2)."""
    return 1 / (share + (1 - share) / 2)


def summary(rows: list[dict]) -> list[str]:
    """Per size: the median 1- and 2-worker builds and their ratio; the serial share of the median
    1-worker build and the best ratio it allows (Amdahl: 1 / (s + (1 − s) / 2))."""
    out = []
    for size in dict.fromkeys(r["declarations"] for r in rows):
        one, two = median_build_s(rows, size, 1), median_build_s(rows, size, 2)
        if one and two:
            runs = sum(1 for r in rows if r["declarations"] == size and r["workers"] in (1, 2) and "build_s" in r)
            line = (f"{size:,} 份：Ray 1 个工作进程中位数 {one:.1f} 秒，2 个 {two:.1f} 秒，"
                    f"加速 {one / two:.2f}×（{runs} 次构建，交替进行）")
            ones = [r for r in rows if r["declarations"] == size and r["workers"] == 1 and "serial_share" in r]
            if ones:
                share = _median([r["serial_share"] for r in ones])
                line += f"；1 个工作进程的串行部分（中位数）占 {share:.0%}，2 个工作进程至多 {_amdahl(share):.2f}×"
                cpu = [r["serial_share_cpu"] for r in ones if r.get("serial_share_cpu") is not None]
                if cpu:
                    share = _median(cpu)
                    line += f"（按 CPU 秒：串行 {share:.0%}，至多 {_amdahl(share):.2f}×）"
            bound = two_core_bound(rows, size)
            if bound is not None:
                line += (f"；在只有 2 个核的机器上，按 CPU 秒另计页间的旁路工作（主进程的拟合线程与合并、Ray 自身进程），"
                         f"至多 {bound:.2f}×")
            out.append(line)
    return out


def two_core_bound(rows: list[dict], size: int) -> float | None:
    """The 2-worker ratio the CPU seconds allow on a machine of two cores, where the side work
    during the pages (the driver's fitting thread, its merging and tables) has a core of its own
    in a 1-worker build and takes its share from the two workers in a 2-worker build (Ray's own
    processes too, where the bench read them, all their CPU during the build): medians of
    (slowest start + driver's rest + pages of 1 worker) / (slowest start + driver's rest + (pages
    of 2 workers + side work) / 2). The driver's rest counts as serial in both, though a 2-worker
    build writes its faiss index and lexical files on two threads: at 100,000, where the rest is
    mostly the IVF training, the bound is low by that. None without the side work's figures."""
    def medians(workers: int) -> tuple[float, float, float] | None:
        picked = [r for r in rows if r["declarations"] == size and r["workers"] == workers
                  and r.get("fitter_cpu_s") is not None and r.get("worker_cpu_s") is not None]
        if not picked:
            return None
        return (_median([(r.get("actors_cpu_s") or 0.0) + (r.get("driver_rest_cpu_s") or 0.0) for r in picked]),
                _median([r["worker_cpu_s"] for r in picked]),
                _median([r["fitter_cpu_s"] + (r.get("driver_pages_cpu_s") or 0.0) + (r.get("ray_system_cpu_s") or 0.0)
                         for r in picked]))
    one, two = medians(1), medians(2)
    if one is None or two is None:
        return None
    return (one[0] + one[1]) / (two[0] + (two[1] + two[2]) / 2)


def render(rows: list[dict]) -> list[str]:
    from evaluation.bench import _table
    body = []
    for r in rows:
        who = "单进程（不用 Ray）" if r["workers"] == 0 else f"Ray {r['workers']} 个工作进程"
        if "error" in r:
            body.append([f"{r['declarations']:,}", who, f"失败：{r['error']}"] + [""] * 19)
            continue
        peak = max(r["driver_rss_mb"], r["worker_rss_mb"] or 0, r.get("children_rss_mb") or 0)
        dash = lambda v: "—" if v is None else v  # noqa: E731
        share = r.get("serial_share")
        body.append([f"{r['declarations']:,}", who, r["build_s"], dash(r.get("start_s")), dash(r.get("actors_s")),
                     dash(r.get("read_s")), dash(r.get("cut_s")), dash(r.get("merge_s")),
                     "—" if share is None else f"{share:.0%}", dash(r.get("actors_cpu_s")), dash(r.get("worker_cpu_s")),
                     " / ".join(map(str, r.get("worker_cpu_each") or ())) or "—", dash(r.get("fitter_cpu_s")),
                     dash(r.get("ray_system_cpu_s")),
                     f"{dash(r.get('driver_pages_cpu_s'))} / {dash(r.get('driver_rest_cpu_s'))}",
                     "—" if r.get("serial_share_cpu") is None else f"{r['serial_share_cpu']:.0%}",
                     r["driver_rss_mb"], dash(r.get("worker_rss_mb")),
                     r.get("children_rss_mb", "—"), r.get("speedup_vs_1", "—"),
                     f"{r.get('load_before', '—')} → {r.get('load_average', '—')}", "是" if peak <= BUDGET_MB else "否"])
    started = next((r["ray_start_s"] for r in rows if r.get("ray_start_s") is not None), None)
    head = (f"建索引（合成语料；编码器 {rows[0]['encoder'] if rows else '—'}；Ray 为本机集群，每个工作进程 1 个 CPU、"
            "数值库 1 个线程，主进程的线程数同工作进程数" + (f"；Ray 每次基准启动一次，{started} 秒，不计入各次构建" if started else "")
            + "）：")
    return ["", head] + _table(
        ["申报表数", "方式", "建索引 秒", "连接 Ray 秒", "启动工作进程 秒", "Ray 读取 秒", "Ray 切词与向量化 秒",
         "其余（主进程）秒", "串行部分", "工作进程启动 CPU 秒", "工作进程 CPU 秒（合计）", "各工作进程 CPU 秒",
         "拟合线程 CPU 秒（主进程内）", "Ray 自身进程 CPU 秒", "主进程 CPU 秒（页间 / 其余）",
         "串行部分（按 CPU）", "主进程峰值内存 MB", "Ray 工作进程峰值内存 MB", "子进程峰值内存 MB",
         "相对 Ray 1 进程（中位数）", "负载（1 分钟均值，前 → 后）", f"≤ {BUDGET_MB} MB"], body) + summary(rows)
