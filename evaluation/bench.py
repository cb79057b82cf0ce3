"""Speed and memory benchmark at scale: `zhibiao bench` / `python -m evaluation.bench`.

Corpora are SYNTHETIC copies of the seed forms (corpus/samples) and the field forms
(/work/shared/fieldforms/raw, when present): names and numbers perturbed, for speed only, and the
tables say so. Their vectors are computed by the encoder (static-e5 by default), exactly as the
product computes them — no "real vectors plus noise" shortcut.

Each size runs in fresh child processes (one builds the index, a second loads it and measures,
so its peak RSS is a serving process's): the parent writes
the store (`CorpusStore.add_declarations`, from a generator, so it never holds the corpus), the
child loads the engine the way the product does (`load_engine`), times recommendations end to end
and search alone, then the same with each vector index (flat, IVF+SQ8, HNSW, numpy brute force)
swapped in, and prints one JSON line the parent collects. Every number in one report comes from
one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from corpus.schema import Declaration
from corpus.store import SAMPLES_DIR, CorpusStore
from corpus.targets import parse_target

FIELD_FORMS = Path(os.environ.get("ZHIBIAO_FIELDFORMS", "/work/shared/fieldforms")) / "raw"
DEFAULT_SIZES = "10000,100000,1000000"
QUICK_SIZES = "1000,10000"
QUERIES = 200
SEARCH_K = 50
VARIANTS = ("numpy", "flat", "ivfsq8", "hnsw")  # numpy first: the exact reference
RESULT_PREFIX = "BENCH-RESULT "
CHILD_MODULE = "api.bench_child"  # the api layer owns the product's engine loading
DISTRICTS = ("浦东", "黄浦", "静安", "徐汇", "长宁", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定", "金山",
             "松江", "青浦", "奉贤", "崇明", "海淀", "朝阳", "武侯", "天河", "鼓楼", "江北")


# ---- corpus ----------------------------------------------------------------------------------
def source_declarations() -> list[Declaration]:
    """The real forms the synthetic corpus copies: seeds, then the field forms when present."""
    from corpus.read import parse_file
    from corpus.read import read
    out = [d for p in sorted(SAMPLES_DIR.glob("*.txt")) for d in parse_file(p)]
    if FIELD_FORMS.is_dir():
        for path in sorted(FIELD_FORMS.glob("*.txt")):
            try:
                out += read(path)
            except Exception:  # a field form we cannot read is left out of the copies, not fatal
                continue
    return [d for d in out if d.project_name or d.indicators]


def synthetic(sources: list[Declaration], n: int, *, seed: int = 0) -> Iterator[Declaration]:
    """`n` perturbed copies of `sources`, one at a time (never all in memory)."""
    rng = random.Random(seed)
    templates = [json.dumps(d.to_dict(), ensure_ascii=False) for d in sources]
    for i in range(n):
        data = json.loads(templates[i % len(templates)])
        data["id"] = f"syn-{i}"
        district = rng.choice(DISTRICTS)
        data["project_name"] = f"{district}{data.get('project_name') or '项目'}（合成{i}）"
        decl = Declaration.from_dict(data)
        for ind in decl.indicators:
            if ind.target.value is not None and ind.target.raw and rng.random() < 0.5:
                number = ind.target.value * rng.uniform(0.8, 1.2)
                ind.target = parse_target(re.sub(r"\d[\d,]*(\.\d+)?", f"{number:.0f}", ind.target.raw, count=1))
            if rng.random() < 0.1:
                ind.name = f"{district}{ind.name}"
        yield decl


def make_store(home: Path, sources: list[Declaration], size: int, *, seed: int = 0) -> float:
    start = time.perf_counter()
    with CorpusStore(home / "corpus.sqlite3") as store:
        store.add_declarations(synthetic(sources, size, seed=seed), source="synthetic")
    return time.perf_counter() - start


def bench_queries(sources: list[Declaration]) -> list[tuple[str, str]]:
    """QUERIES (project name, description) pairs taken from the real forms, in a fixed order."""
    pairs = [(d.project_name, (d.texts.get("overview") or d.texts.get("annual_goal") or "")[:300])
             for d in sources if d.project_name]
    return [pairs[i % len(pairs)] for i in range(QUERIES)]


# ---- measuring (child process) ---------------------------------------------------------------
def _ms(times: list[float]) -> dict:
    return {f"p{q}_ms": round(float(np.percentile(times, q)) * 1000.0, 2) for q in (50, 95, 99)}


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _disk_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and not p.is_symlink())


def _time_recommend(engine, queries: list[tuple[str, str]]) -> list[float]:
    from recommender.recommend import recommend
    times = []
    for name, description in queries:
        start = time.perf_counter()
        recommend(engine, project_name=name, description=description)
        times.append(time.perf_counter() - start)
    return times


def _time_search(index, qvecs: np.ndarray) -> tuple[list[float], np.ndarray]:
    times, ids = [], []
    for q in qvecs:
        start = time.perf_counter()
        _, found = index.search(q[None, :], SEARCH_K)
        times.append(time.perf_counter() - start)
        ids.append(found[0][:10])
    return times, np.vstack(ids)


def _tenth_scores(vectors: np.ndarray, qvecs: np.ndarray) -> np.ndarray:
    """Each query's exact 10th best score (brute force)."""
    k = min(10, len(vectors))
    out = []
    for start in range(0, len(qvecs), 16):  # 16 queries at a time: bounded memory at 1,000,000 rows
        scores = qvecs[start:start + 16] @ np.asarray(vectors).T
        out.append(-np.partition(-scores, k - 1, axis=1)[:, k - 1])
    return np.concatenate(out)


def _recall_at_10(vectors, qvecs, ids, tenth) -> float:
    """Share of an index's top 10 that belong to the exact top 10, ties included: synthetic copies
    share vectors, so ids alone would count an equally good copy as a miss."""
    hits = []
    for q, found, bar in zip(qvecs, ids, tenth):
        found = [i for i in found if i >= 0]
        scores = vectors[found] @ q if found else np.zeros(0)
        hits.append(float(np.sum(scores >= bar - 1e-5)) / min(10, len(vectors)))
    return float(np.mean(hits))


def _project_vectors(index) -> np.ndarray:
    """The project vectors: the index directory's vectors.npy when it keeps one (memory-mapped),
    else read back out of whatever vector index the product built."""
    saved = Path(getattr(index, "path", None) or "/nonexistent") / "vectors.npy"
    if saved.exists():
        return np.load(saved, mmap_mode="r")
    projects = index.projects
    inner = getattr(projects, "_index", None)
    if inner is not None:
        return inner.reconstruct_n(0, inner.ntotal)
    return np.asarray(projects._vectors, dtype=np.float32)


def _build_variant(kind: str, vectors: np.ndarray):
    """A vector index of `kind` over the vectors, built with every core (only searches are timed,
    single-threaded like the product's)."""
    import faiss
    from recommender import vectors as kinds
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    try:
        return kinds.KINDS[kind]().build(vectors)
    finally:
        faiss.omp_set_num_threads(1)


def build_size(home: Path, size: int, encoder_spec: str, *, load_engine: Callable[[Path, str], object]) -> dict:
    """Build (or update) the index of one size, in this (fresh) process: what ingest pays once."""
    start = time.perf_counter()
    engine = load_engine(home, encoder_spec)
    build_s = time.perf_counter() - start
    return {"declarations": size, "encoder": engine.encoder.id, "build_s": round(build_s, 1),
            "build_peak_rss_mb": _peak_rss_mb(), "index_bytes": _disk_bytes(home / "index"),
            "store_bytes": _disk_bytes(home / "corpus.sqlite3"), "index_kind": getattr(engine.index, "kind", "?")}


def measure_size(home: Path, size: int, encoder_spec: str, *, load_engine: Callable[[Path, str], object],
                 say: Callable[[str], None]) -> dict:
    """One size, in a fresh process that finds the index built: the product path (`load_engine(home,
    encoder)`, given by the api layer: exactly what the CLI and the server call), then each vector
    index swapped in. Its peak RSS is a serving process's."""
    queries = bench_queries(source_declarations())
    start = time.perf_counter()
    engine = load_engine(home, encoder_spec)
    engine.index.warm()  # as `zhibiao serve` does before it reports ready (api.services)
    result = {"declarations": size, "load_s": round(time.perf_counter() - start, 2),
              "load_rss_mb": _peak_rss_mb(), "index_kind": getattr(engine.index, "kind", "?")}
    _time_recommend(engine, queries[:5])  # first calls fill per-engine caches
    say(f"规模 {size:,}：产品路径推荐 {QUERIES} 次 …")
    e2e = _time_recommend(engine, queries)
    encode_times, qvecs = [], []
    for name, description in queries:
        start = time.perf_counter()
        qvecs.append(engine.encoder.encode_queries([f"{name}。{description}"])[0])
        encode_times.append(time.perf_counter() - start)
    qvecs = np.vstack(qvecs)
    search, _ = _time_search(engine.index.projects, qvecs)
    result.update(recommend=_ms(e2e), search=_ms(search), encode=_ms(encode_times), peak_rss_mb=_peak_rss_mb())
    vectors = _project_vectors(engine.index)
    product_projects = engine.index.projects
    exact = None
    variants = {}
    with tempfile.TemporaryDirectory() as scratch:
        for kind in VARIANTS:
            say(f"规模 {size:,}：{kind} 索引 …")
            start = time.perf_counter()
            index = _build_variant(kind, vectors)
            built = time.perf_counter() - start
            path = Path(scratch) / f"projects.{kind}"
            index.save(path)
            times, ids = _time_search(index, qvecs)
            if exact is None:
                exact = _tenth_scores(vectors, qvecs)
            recall = _recall_at_10(vectors, qvecs, ids, exact)
            engine.index.projects = index
            rec = _time_recommend(engine, queries)
            variants[kind] = {"build_s": round(built, 3), "disk_bytes": _disk_bytes(path), "search": _ms(times),
                              "recommend": _ms(rec), "recall_at_10": round(recall, 3)}
            del index
            engine.index.projects = product_projects
    result["variants"] = variants
    result["peak_rss_all_mb"] = _peak_rss_mb()
    return result


def child_main(argv: list[str], *, load_engine: Callable[[Path, str], object]) -> int:
    """A child process of one size (started as `python -m api.bench_child`): one JSON line out.
    `--build N`: build the index; `--child N`: measure with the index built."""
    parser = argparse.ArgumentParser(prog="python -m api.bench_child")
    parser.add_argument("--child", type=int)
    parser.add_argument("--build", type=int)
    parser.add_argument("--home", required=True)
    parser.add_argument("--encoder", default="static-e5")
    args = parser.parse_args(argv)
    say = lambda m: print(f"zhibiao: {m}", file=sys.stderr)  # noqa: E731
    if args.build:
        result = build_size(Path(args.home), args.build, args.encoder, load_engine=load_engine)
    else:
        result = measure_size(Path(args.home), args.child, args.encoder, load_engine=load_engine, say=say)
    sys.stdout.write(RESULT_PREFIX + json.dumps(result, ensure_ascii=False) + "\n")
    return 0


# ---- the run (parent process) ----------------------------------------------------------------
def _child(flag: str, size: int, home: str, encoder_spec: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", CHILD_MODULE, flag, str(size), "--home", home,
                           "--encoder", encoder_spec], stdout=subprocess.PIPE, text=True,
                          env={**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")},
                          cwd=Path(__file__).resolve().parent.parent)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        return {"error": f"子进程（{flag}）退出状态 {proc.returncode}"}
    return json.loads(lines[-1][len(RESULT_PREFIX):])


def run_size(size: int, sources: list[Declaration], *, encoder_spec: str, say: Callable[[str], None],
             keep: Path | None = None) -> dict:
    """One size in a temporary home, or with `keep` in `keep/size-N`: a corpus and index built there
    by an earlier run (same size, same encoder) are measured again instead of rebuilt, and the table
    shows the earlier build's times, marked as such (a million takes about an hour to write and index)."""
    if keep is None:
        with tempfile.TemporaryDirectory(prefix=f"zhibiao-bench-{size}-", dir=os.environ.get("ZHIBIAO_BENCH_DIR")) as home:
            return _run_size_in(Path(home), size, sources, encoder_spec=encoder_spec, say=say)
    home = keep / f"size-{size}"
    home.mkdir(parents=True, exist_ok=True)
    return _run_size_in(home, size, sources, encoder_spec=encoder_spec, say=say, reuse=True)


def _run_size_in(home: Path, size: int, sources: list[Declaration], *, encoder_spec: str,
                 say: Callable[[str], None], reuse: bool = False) -> dict:
    record = home / f"bench-build-{re.sub(r'[^A-Za-z0-9_.-]', '_', encoder_spec)}.json"
    earlier = json.loads(record.read_text(encoding="utf-8")) if reuse and record.exists() else None
    if earlier is None or earlier.get("declarations") != size:
        record.unlink(missing_ok=True)
        for leftover in home.glob("corpus.sqlite3*"):
            leftover.unlink()  # a half-written corpus of an interrupted run
        say(f"规模 {size:,}：写入合成语料库 …")
        store_s = make_store(home, sources, size)
        earlier = None
        say(f"规模 {size:,}：语料库写入 {store_s:.1f} 秒；子进程建立索引 …")
    else:
        store_s = earlier["store_s"]
        say(f"规模 {size:,}：沿用 {home} 中的语料库（{earlier.get('built_at', '—')} 写成）；子进程检查索引 …")
    versions = sorted(str(p.resolve()) for p in (home / "index").glob("*") if p.is_symlink())
    built = _child("--build", size, str(home), encoder_spec)
    if "error" in built:
        return {"declarations": size, **built}
    rebuilt = versions != sorted(str(p.resolve()) for p in (home / "index").glob("*") if p.is_symlink())
    if earlier is not None and not rebuilt:  # the index of the earlier run still fits this code and encoder
        built = {**earlier, "reused": True}
    else:
        built = {**built, "store_s": round(store_s, 1), "built_at": time.strftime("%Y-%m-%d %H:%M")}
        if reuse:
            record.write_text(json.dumps(built, ensure_ascii=False), encoding="utf-8")
    say(f"规模 {size:,}：索引 {built['build_s']} 秒建成；新子进程载入索引并测量 …")
    result = _child("--child", size, str(home), encoder_spec)
    if "error" in result:
        return {"declarations": size, **result}
    return {**built, **result}


def ingest_rate(say: Callable[[str], None]) -> dict | None:
    """evaluation.ingest_bench.run() when that module exists (ingest of real-shaped form files)."""
    import importlib.util
    if importlib.util.find_spec("evaluation.ingest_bench") is None:
        return None
    from evaluation import ingest_bench
    say("入库速率（evaluation.ingest_bench）…")
    return ingest_bench.run(say=say)


def http_load(serve: Callable[[str, int], object], encoder_spec: str, workers: int,
              say: Callable[[str], None]) -> dict:
    """`serve(encoder, workers)`: a context manager (the api layer's LiveServer) with `.url`."""
    from evaluation import load
    with serve(encoder_spec, workers) as live:
        say(f"负载测试：{live.url}，{workers} 个工作进程，编码器 {encoder_spec}，内置样例语料")
        return {"workers": workers, "encoder": encoder_spec, "rows": load.run(live.url)}


def run(sizes: list[int], *, encoder_spec: str = "static-e5", skip_load: bool = False, skip_sizes: bool = False,
        workers: int = 2, serve: Callable[[str, int], object] | None = None, skip_ingest: bool = False,
        say: Callable[[str], None] = print, keep: Path | None = None, skip_oneshot: bool = False,
        replicas: Callable[[str], list[dict]] | None = None) -> dict:
    """`replicas(encoder)`: rows of requests per second of 1 and 2 replicas in one run (api.replicas)."""
    report = {"encoder": encoder_spec, "sizes": [], "ingest": None, "load": None, "oneshot": None,
              "machine": {"cpus": os.cpu_count(), "omp_threads": os.environ.get("OMP_NUM_THREADS", "1")}}
    if not skip_sizes:
        sources = source_declarations()
        report["sources"] = len(sources)
        for size in sizes:
            report["sizes"].append(run_size(size, sources, encoder_spec=encoder_spec, say=say, keep=keep))
        report["ingest"] = {"skipped": True} if skip_ingest else ingest_rate(say)
    if not (skip_oneshot or skip_ingest):
        from evaluation import oneshot_bench
        try:
            report["oneshot"] = oneshot_bench.run(say)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            report["oneshot"] = {"error": str(exc)}
    if not skip_load and serve is not None:
        report["load"] = http_load(serve, encoder_spec, workers, say)
    if replicas is not None:
        try:
            report["replicas"] = replicas(encoder_spec)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            report["replicas"] = [{"error": str(exc)}]
    return report


def render_replicas(rows: list[dict]) -> list[str]:
    if rows and "error" in rows[0]:
        return ["", f"多副本吞吐：失败（{rows[0]['error']}）"]
    return ["", "多副本吞吐（同一次运行；每个副本一个 zhibiao serve 进程，ZHIBIAO_INDEX_READONLY=1，共享语料库与已发布的索引；"
            "客户端轮流发往各副本，如反向代理）："] + _table(
        ["副本数", "客户端线程", "秒", "请求数", "每秒请求", "相对 1 副本", "失败"],
        [[r["replicas"], r["clients"], r["seconds"], r["requests"], r["per_second"], r["speedup"], r["failures"]]
         for r in rows])


# ---- tables ----------------------------------------------------------------------------------
def _mb(n: int) -> str:
    return f"{n / 2**20:.1f}"


def _table(head: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |"]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


KIND_NAMES = {"flat": "flat（精确）", "ivfsq8": "IVF+SQ8（量化）", "hnsw": "HNSW", "numpy": "numpy 暴力"}


def render(report: dict) -> str:
    out = [f"编码器 {report['encoder']}；语料为种子表与实地表的合成副本（合成，仅测速度；"
           f"向量由编码器实算），源表 {report.get('sources', '—')} 份；{report['machine']['cpus']} 核；"
           f"每次检索单线程（OMP_NUM_THREADS={report['machine'].get('omp_threads', '1')}，同 serve 的工作进程）"]
    sizes = [r for r in report["sizes"] if "error" not in r]
    for r in report["sizes"]:
        if "error" in r:
            out.append(f"规模 {r['declarations']:,}：失败（{r['error']}）")
    if sizes:
        out += ["", "产品路径（load_engine；每个规模先由一个子进程建索引，再由一个新子进程载入并测量）："]
        out += _table(["申报表数（合成）", "索引", "写语料库 秒", "建索引 秒", "建索引峰值内存 MB", "索引占盘 MB",
                       "语料库占盘 MB", "载入（含预读）秒", "服务进程峰值内存 MB", "推荐 p50 ms", "推荐 p95 ms",
                       "推荐 p99 ms", "仅检索 p50 ms", "仅检索 p95 ms", "仅检索 p99 ms", "编码 p50 ms"],
                      [[f"{r['declarations']:,}" + (f"（沿用 {r.get('built_at', '')} 所建）" if r.get("reused") else ""),
                        r["index_kind"], r.get("store_s", "—"), r["build_s"],
                        r.get("build_peak_rss_mb", "—"), _mb(r["index_bytes"]), _mb(r["store_bytes"]),
                        r.get("load_s", "—"), r["peak_rss_mb"],
                        r["recommend"]["p50_ms"], r["recommend"]["p95_ms"], r["recommend"]["p99_ms"],
                        r["search"]["p50_ms"], r["search"]["p95_ms"], r["search"]["p99_ms"],
                        r["encode"]["p50_ms"]] for r in sizes])
        out += ["", f"各向量索引（同一进程内替换后测量；召回@10 以 numpy 暴力为准；检索取前 {SEARCH_K}）："]
        rows = []
        for r in sizes:
            for kind in VARIANTS:
                v = r["variants"][kind]
                rows.append([f"{r['declarations']:,}", KIND_NAMES[kind], v["build_s"], _mb(v["disk_bytes"]),
                             v["recall_at_10"], v["search"]["p50_ms"], v["search"]["p95_ms"], v["search"]["p99_ms"],
                             v["recommend"]["p50_ms"], v["recommend"]["p95_ms"], v["recommend"]["p99_ms"]])
        out += _table(["申报表数（合成）", "索引", "建索引 秒", "占盘 MB", "召回@10", "仅检索 p50 ms",
                       "仅检索 p95 ms", "仅检索 p99 ms", "推荐 p50 ms", "推荐 p95 ms", "推荐 p99 ms"], rows)
        out.append("（服务进程峰值内存取自产品路径测完之时；另建四种索引之后的峰值："
                   + "，".join(f"{r['declarations']:,}：{r['peak_rss_all_mb']} MB" for r in sizes) + "）")
    if report["sizes"] or report.get("ingest") is not None:
        out += ["", "入库速率："]
        ingest = report.get("ingest")
        if ingest is None:
            out += _table(["项目", "结果"], [["入库（解析 + 向量化 + 存储）", "未测（TODO：evaluation.ingest_bench 尚未提供）"]])
        elif ingest.get("skipped"):
            out += _table(["项目", "结果"], [["入库（解析 + 向量化 + 存储）", "未测（--skip-ingest）"]])
        else:
            from evaluation import ingest_bench
            out.append(ingest_bench.table(ingest))
    if report.get("oneshot"):
        from evaluation import oneshot_bench
        out += ["", "新用户等待的时间（evaluation.oneshot_bench；每条命令是一个新进程，如用户所运行）："]
        out.append(f"失败：{report['oneshot']['error']}" if "error" in report["oneshot"]
                   else oneshot_bench.table(report["oneshot"]))
    if report.get("load"):
        load = report["load"]
        out += ["", f"HTTP 负载（真实服务，{load['workers']} 个工作进程，编码器 {load['encoder']}，内置样例语料）："]
        out += _table(["接口", "并发客户端", "请求数", "p50 ms", "p95 ms", "p99 ms", "吞吐 次/秒", "错误"],
                      [[f"POST /v1/{r['endpoint']}", r["clients"], r["requests"], r["p50_ms"], r["p95_ms"],
                        r["p99_ms"], r["throughput_rps"], r["errors"]] for r in load["rows"]])
    if report.get("replicas"):
        out += render_replicas(report["replicas"])
    return "\n".join(out)


def parse_sizes(text: str) -> list[int]:
    sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    if not sizes or any(s < 1 for s in sizes):
        raise ValueError(text)
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Sizes only (`zhibiao bench` adds the HTTP load: the server lives in the api layer)."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--encoder", default="static-e5")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json")
    parser.add_argument("--keep")
    args = parser.parse_args(argv)
    report = run(parse_sizes(QUICK_SIZES if args.quick else args.sizes), encoder_spec=args.encoder,
                 workers=args.workers, say=lambda m: print(f"zhibiao: {m}", file=sys.stderr),
                 keep=Path(args.keep) if args.keep else None)
    print(render(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
