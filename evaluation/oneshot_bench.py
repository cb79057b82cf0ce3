"""What a new user waits for, as `zhibiao bench` rows: `python -m evaluation.oneshot_bench`.

- one-shot `zhibiao recommend` on the bundled corpus with the index already built: the whole
  command (interpreter start, imports, loading the index, one recommendation) in a fresh process,
  wall clock, median of several runs after one warm-up run (which builds the index and lets Python
  write its bytecode caches, as an installed package has them);
- ingest of seed-shaped declarations until the first recommendation answers: `zhibiao ingest` of
  copies of the seed files (each copy's project names marked and bounds shifted, so no two files
  share a hash) into an empty home, then `zhibiao recommend` (which builds the index): the rate is
  declarations stored over the wall clock of both commands together.

Each command runs as the user runs it (`python -m api.cli …`, its own ZHIBIAO_HOME), so every
cost a user pays is in the figure. Beside the wall clock, each row gives the CPU seconds the command
and its child processes used (user + system): on a machine shared with others the wall clock
measures the neighbours too, the CPU time much less so.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus.store import SAMPLES_DIR

ROOT = Path(__file__).resolve().parent.parent
QUERY = ("--name", "城市道路养护", "--description", "对全区道路进行日常养护维修，确保道路完好率和市民满意度")
RUNS = 5
SEED_COPIES = 60  # copies of the five seed files (22 declarations): 60 × 22 = 1,320 declarations


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run_timed(home: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and the processes it waited for)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(ZHIBIAO_HOME=str(home), PYTHONIOENCODING="utf-8")
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=900)
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"zhibiao {' '.join(args[:1])} 失败（{done.returncode}）：{done.stderr.strip()[-300:]}")
    return seconds, cpu


def _run(home: Path, *args: str) -> float:
    return _run_timed(home, *args)[0]


def one_shot_recommend(runs: int = RUNS) -> dict:
    with tempfile.TemporaryDirectory(prefix="zhibiao-oneshot-") as home:
        first = _run(Path(home), "recommend", *QUERY)  # builds the index, writes bytecode caches
        timed = [_run_timed(Path(home), "recommend", *QUERY) for _ in range(runs)]
    times = [wall for wall, _ in timed]
    return {"first_s": round(first, 2), "runs": runs, "median_s": round(statistics.median(times), 2),
            "min_s": round(min(times), 2), "max_s": round(max(times), 2),
            "cpu_median_s": round(statistics.median(cpu for _, cpu in timed), 2)}


def seed_copies(folder: Path, copies: int = SEED_COPIES) -> list[Path]:
    from evaluation.ingest_bench import _perturbed
    out = []
    for n in range(copies):
        for path in sorted(SAMPLES_DIR.glob("*.txt")):
            target = folder / f"{n:03d}_{path.name}"
            target.write_text(_perturbed(path.read_text(encoding="utf-8"), n + 1), encoding="utf-8")
            out.append(target)
    return out


def distinct_declarations(store) -> int:
    """Stored declarations that differ in something besides their id and source (identical copies
    would flatter the rate: the store keeps one file per content hash)."""
    import json
    seen = set()
    for (data,) in store.conn.execute("SELECT data FROM declarations"):
        decl = json.loads(data)
        decl.pop("id", None), decl.pop("source", None)
        seen.add(json.dumps(decl, sort_keys=True, ensure_ascii=False))
    return len(seen)


def ingest_until_recommendation(copies: int = SEED_COPIES) -> dict:
    from corpus.store import CorpusStore
    with tempfile.TemporaryDirectory(prefix="zhibiao-ingest-") as temp:
        forms, home = Path(temp) / "forms", Path(temp) / "home"
        forms.mkdir()
        seed_copies(forms, copies)
        ingest_s, ingest_cpu = _run_timed(home, "ingest", str(forms))
        recommend_s, recommend_cpu = _run_timed(home, "recommend", *QUERY)  # the first answer builds the index
        with CorpusStore(home / "corpus.sqlite3") as store:
            decls, distinct = store.count(), distinct_declarations(store)
    total = ingest_s + recommend_s
    return {"declarations": decls, "distinct": distinct, "ingest_s": round(ingest_s, 2), "first_recommend_s": round(recommend_s, 2),
            "total_s": round(total, 2), "declarations_per_s": round(decls / total, 1),
            "cpu_s": round(ingest_cpu + recommend_cpu, 2)}


def run(say=print) -> dict:
    say("一次性推荐（内置样例语料，索引已建）…")
    oneshot = one_shot_recommend()
    say(f"入库 {SEED_COPIES * 22:,} 份种子版式申报表直到首次推荐…")
    return {"oneshot": oneshot, "ingest_to_answer": ingest_until_recommendation(),
            "cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1)}


def table(report: dict) -> str:
    o, i = report["oneshot"], report["ingest_to_answer"]
    rows = [["| 项目 | 结果 |", "| --- | ---: |"],
            [f"| 一次性 `zhibiao recommend`（内置样例语料，索引已建；{o['runs']} 次中位数，墙钟） | "
             f"{o['median_s']} 秒（最快 {o['min_s']}，最慢 {o['max_s']}；首次含建索引 {o['first_s']}）"
             f"{_cpu(o.get('cpu_median_s'))} |"],
            [f"| 入库 {i['declarations']:,} 份种子版式申报表（互不相同 {i['distinct']:,} 份）直到首次推荐（ingest {i['ingest_s']} 秒 + 首次推荐含建索引 "
             f"{i['first_recommend_s']} 秒） | {i['declarations_per_s']} 份/秒{_cpu(i.get('cpu_s'))} |"]]
    note = f"（{report['cpus']} 核，测量开始时 1 分钟负载 {report['load_average']}）"
    return "\n".join(line for row in rows for line in row) + "\n" + note


def _cpu(seconds: float | None) -> str:
    """The CPU time beside a wall-clock figure (absent from reports written before it was measured)."""
    return "" if seconds is None else f"；CPU {seconds} 秒"


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description="一次性推荐与入库到首次推荐的耗时").parse_args(argv)
    print(table(run(say=lambda m: print(m, file=sys.stderr))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
