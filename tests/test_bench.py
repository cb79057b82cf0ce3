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
