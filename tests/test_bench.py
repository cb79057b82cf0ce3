"""`zhibiao bench` runs end to end at a tiny size and prints its Chinese tables (not timed:
the speed targets live in the benchmark's own output, not in tests)."""

import pytest

from evaluation.bench import bench_queries, source_declarations, synthetic


def test_synthetic_copies_are_generated_lazily_with_distinct_ids():
    sources = source_declarations()
    copies = synthetic(sources, 3 * len(sources))
    assert iter(copies) is copies  # a generator: the parent never holds the corpus
    decls = list(copies)
    assert len({d.id for d in decls}) == 3 * len(sources)
    assert decls[0].id == "syn-0" and decls[0].project_name.endswith("（合成0）")
    assert len(bench_queries(sources)) == 200


@pytest.mark.slow
def test_bench_tiny_size_prints_the_tables(zhibiao):
    done = zhibiao("bench", "--sizes", "200", "--skip-load", "--skip-ingest")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "合成" in out
    for header in ("申报表数（合成）", "建索引 秒", "索引占盘 MB", "进程峰值内存 MB", "推荐 p50 ms", "推荐 p99 ms",
                   "仅检索 p50 ms", "召回@10", "入库速率"):
        assert header in out, header
    for kind in ("flat（精确）", "IVF+SQ8（量化）", "HNSW", "numpy 暴力"):
        assert f"| 200 | {kind} |" in out, kind
    assert "子进程退出状态" not in out


def test_bench_refuses_bad_sizes_in_one_chinese_line(zhibiao):
    done = zhibiao("bench", "--sizes", "ten", "--skip-load")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["zhibiao: 错误：--sizes 应为逗号分隔的正整数，如 10000,100000，收到“ten”"]


def test_the_new_user_rows_give_the_cpu_time_beside_the_wall_clock(tmp_path):
    """Each command's CPU seconds (its children's included) are measured with its wall clock and
    written beside it; a report from before they were measured keeps its old rows."""
    import subprocess
    import sys

    from evaluation import oneshot_bench
    wall, cpu = oneshot_bench._run_timed(tmp_path, "--help")  # a real command, no index build
    assert wall > 0 and 0 < cpu < 60
    spin = "x = 0\nfor i in range(3_000_000):\n    x += i"  # CPU a child used is counted once it is waited for
    before = oneshot_bench._children_cpu()
    subprocess.run([sys.executable, "-c", spin], check=True)
    assert oneshot_bench._children_cpu() > before
    report = {"oneshot": {"runs": 5, "median_s": 1.0, "min_s": 0.9, "max_s": 1.2, "first_s": 3.0, "cpu_median_s": 0.95},
              "ingest_to_answer": {"declarations": 1320, "distinct": 1320, "ingest_s": 1.1, "first_recommend_s": 4.0,
                                   "declarations_per_s": 258.8, "cpu_s": 5.1},
              "cpus": 2, "load_average": 3.0}
    rows = oneshot_bench.table(report).splitlines()
    assert rows[2].endswith("1.0 秒（最快 0.9，最慢 1.2；首次含建索引 3.0）；CPU 0.95 秒 |")
    assert rows[3].endswith("| 258.8 份/秒；CPU 5.1 秒 |")
    del report["oneshot"]["cpu_median_s"], report["ingest_to_answer"]["cpu_s"]
    rows = oneshot_bench.table(report).splitlines()
    assert rows[2].endswith("首次含建索引 3.0） |") and rows[3].endswith("| 258.8 份/秒 |")


def test_ray_bench_compares_the_median_builds_of_interleaved_runs():
    """1 and 2 workers run in turn (1, 2, 1, 2, 1, 2): the speed-up is the ratio of the medians, and
    each row says its ratio to the 1-worker median; a failed build is left out."""
    from evaluation.ray_bench import median_build_s, render, serial_share, serial_share_cpu, summary
    rows = [{"declarations": 20000, "workers": w, "encoder": "static-e5", "build_s": s, "start_s": 5.0,
             "read_s": 1.0, "cut_s": 2.0, "merge_s": 3.0, "driver_rss_mb": 500.0, "worker_rss_mb": 300.0,
             "load_before": 2.0, "load_average": 2.5}
            for w, s in ((1, 60.0), (2, 40.0), (1, 50.0), (2, 30.0), (1, 70.0), (2, 35.0))]
    rows.append({"declarations": 20000, "workers": 2, "encoder": "static-e5", "error": "killed"})
    assert median_build_s(rows, 20000, 1) == 60.0 and median_build_s(rows, 20000, 2) == 35.0
    assert median_build_s(rows, 20000, 0) is None
    assert summary(rows) == ["20,000 份：Ray 1 个工作进程中位数 60.0 秒，2 个 35.0 秒，加速 1.71×（6 次构建，交替进行）"]
    table = render(rows)
    assert "失败：killed" in table[-2] and table[-1] == summary(rows)[0]
    # the serial share (joining Ray, the workers' start, the driver's rest) of the median 1-worker
    # build, and the best 2-worker ratio it allows
    for row in rows:
        if "build_s" in row:
            row["actors_s"] = 2.0
            row["serial_share"] = serial_share(row)
    assert [r.get("serial_share") for r in rows] == [0.17, 0.25, 0.2, 0.33, 0.14, 0.29, None]
    assert summary(rows)[0].endswith("加速 1.71×（6 次构建，交替进行）；1 个工作进程的串行部分（中位数）占 17%，2 个工作进程至多 1.71×")
    for row in rows[:6]:  # counted in CPU seconds: the slowest worker's start and the driver's rest over those and the pages
        row.update(actors_cpu_s=1.0, driver_rest_cpu_s=2.0, worker_cpu_s=27.0)
        row["serial_share_cpu"] = serial_share_cpu(row)
    assert summary(rows)[0].endswith("至多 1.71×（按 CPU 秒：串行 10%，至多 1.82×）")
    assert "| 17% |" in render(rows)[4]
    # each worker, the fitting thread, Ray's own processes
    rows[0].update(worker_cpu_each=[13.0, 14.0], fitter_cpu_s=2.5, ray_system_cpu_s=0.6)
    assert "| 27.0 | 13.0 / 14.0 | 2.5 | 0.6 | " in render(rows)[4] and "| 27.0 | — | — | — | " in render(rows)[5]
    # on two cores the side work (fitter, driver during the pages) is free beside 1 worker and shared by 2:
    # (1 + 2) + 27 over (1 + 2) + (27 + 2.5 + 0.5) / 2
    rows[1].update(worker_cpu_each=[13.5, 13.5], fitter_cpu_s=2.5, driver_pages_cpu_s=0.5)
    assert summary(rows)[0].endswith("（按 CPU 秒：串行 10%，至多 1.82×）；在只有 2 个核的机器上，"
                                     "按 CPU 秒另计页间的旁路工作（主进程的拟合线程与合并、Ray 自身进程），至多 1.67×")
    # Ray's own processes are side work too: (1 + 2) + 27 over (1 + 2) + (27 + 2.5 + 0.5 + 1.0) / 2
    rows[1]["ray_system_cpu_s"] = 1.0
    assert summary(rows)[0].endswith("至多 1.62×")


_BURN = """
import subprocess, sys, time
def burn():
    started = time.process_time()
    while time.process_time() - started < 0.3:
        pass
if sys.argv[1] == "parent":  # a bench: Ray's system process and a Ray worker below it, each burning 0.3 CPU s
    # (the worker's name put together: this text is in both children's command lines)
    children = [subprocess.Popen([sys.executable, "-c", sys.argv[2], who, sys.argv[2]], stdout=subprocess.PIPE)
                for who in ("gcs_server", "default" + "_worker")]
    for child in children:
        child.stdout.readline()
    print("burnt", flush=True)
    sys.stdin.read()
    for child in children:
        child.kill()
else:
    burn()
    print("burnt", flush=True)
    time.sleep(600)
"""


def test_the_ray_runtimes_cpu_is_every_process_below_the_bench_but_the_workers():
    import subprocess
    import sys

    from evaluation.ray_bench import cpu_between, ray_system_cpu
    bench = subprocess.Popen([sys.executable, "-c", _BURN, "parent", _BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert bench.stdout.readline().strip() == b"burnt"
        counted = ray_system_cpu(bench.pid)
    finally:
        bench.stdin.close()
        bench.wait()
    # the system process (its start and its 0.3 s), not the worker's 0.3 s more
    assert len(counted) == 1 and 0.3 <= sum(counted.values()) < 0.6
    # between two readings: the processes alive at both (one that ended would make the sum fall)
    assert cpu_between({1: 2.0, 2: 5.0}, {1: 2.5, 3: 0.7}) == 0.5
