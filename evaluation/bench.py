"""Speed and memory benchmark: `zhibiao bench` / `python -m evaluation.bench`.

Corpora of 1k / 10k / 100k declarations are SYNTHETIC copies of the parsed seeds (names and
numbers perturbed), for speed only. Embedding 100k texts with the default encoder takes hours
on 2 cores, so a copy's vectors are its source's real vectors plus small Gaussian noise
(renormalised); the table says so. Every number in one table comes from one run.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

from corpus.layouts import parse_file
from corpus.schema import Declaration
from corpus.store import SAMPLES_DIR
from corpus.targets import parse_target
from models.encoders import make_encoder
from models.levels import LevelClassifier
from models.library import load_library
from models.segment import Segmenter
from recommender.engine import Engine
from recommender.index import CorpusIndex, name_key, project_text
from recommender.lexical import BM25
from recommender.recommend import recommend, recommend_with_vector
from recommender.vectors import FlatIndex, HNSWIndex, NumpyIndex

DISTRICTS = ("浦东", "黄浦", "静安", "徐汇", "长宁", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定", "金山",
             "松江", "青浦", "奉贤", "崇明")
QUERIES = 100


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000.0


def synthetic(real: list[Declaration], n: int, rng: random.Random) -> list[Declaration]:
    out = []
    for i in range(n):
        source = real[i % len(real)]
        decl = copy.deepcopy(source)
        decl.id = f"syn-{i}"
        decl.project_name = f"{rng.choice(DISTRICTS)}{source.project_name or '项目'}（合成{i}）"
        for ind in decl.indicators:
            if ind.target.value is not None and rng.random() < 0.5:
                number = ind.target.value * rng.uniform(0.8, 1.2)
                raw = re.sub(r"\d[\d,]*(\.\d+)?", f"{number:.0f}", ind.target.raw, count=1)
                ind.target = parse_target(raw)
            if rng.random() < 0.1:
                ind.name = f"{rng.choice(DISTRICTS)}{ind.name}"
        out.append(decl)
    return out


def _perturbed(vectors: np.ndarray, rows: list[int], rng: np.random.Generator, sigma: float = 0.02) -> np.ndarray:
    out = vectors[rows] + rng.normal(0, sigma, (len(rows), vectors.shape[1])).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out.astype(np.float32)


def _time_search(index, queries: np.ndarray, k: int = 50) -> list[float]:
    times = []
    for q in queries:
        start = time.perf_counter()
        index.search(q[None, :], k)
        times.append(time.perf_counter() - start)
    return times


def run(sizes: list[int], *, encoder_spec: str = "e5-small-q4", seed: int = 0, say=print) -> dict:
    rng, nprng = random.Random(seed), np.random.default_rng(seed)
    encoder = make_encoder(encoder_spec)
    start = time.perf_counter()
    real = [d for p in sorted(SAMPLES_DIR.glob("*.txt")) for d in parse_file(p)]
    segmenter = Segmenter().fit(real)
    tokens = [segmenter.cut(project_text(d)) for d in real]
    names = sorted({name_key(i.name) for d in real for i in d.indicators})
    real_vectors = encoder.encode_passages([project_text(d) for d in real])
    name_vectors = encoder.encode_passages(names)
    elapsed = time.perf_counter() - start
    ingest = {"declarations": len(real), "seconds": round(elapsed, 2),
              "per_second": round(len(real) / elapsed, 2)}
    say(f"ingest (parse + segment + embed) of the {len(real)} real declarations: {elapsed:.1f} s")
    queries_text = [(d.project_name, (d.texts.get("overview") or d.texts.get("annual_goal") or "")[:300])
                    for d in real if d.project_name]
    query_vectors = encoder.encode_queries([f"{n}。{t}" for n, t in queries_text])
    levels = LevelClassifier().fit(real)
    kinds = load_library()
    kind_vectors = encoder.encode_passages([f"{k.name}：{k.description}" for k in kinds])
    lib_names = sorted({i.name for k in kinds for i in k.indicators})
    library_vectors = dict(zip(lib_names, encoder.encode_passages(lib_names)))
    rows = []
    for size in sizes:
        say(f"size {size:,}: building the synthetic corpus …")
        decls = synthetic(real, size, rng)
        sources = [i % len(real) for i in range(size)]
        vectors = _perturbed(real_vectors, sources, nprng)
        qs = np.vstack([query_vectors[i % len(queries_text)] for i in range(QUERIES)])
        result = {"declarations": size}
        for kind, cls in (("flat", FlatIndex), ("hnsw", HNSWIndex), ("numpy", NumpyIndex)):
            t0 = time.perf_counter()
            index = cls().build(vectors)
            build = time.perf_counter() - t0
            times = _time_search(index, qs)
            result[kind] = {"build_s": round(build, 3), "memory_mb": round(index.memory_bytes() / 2**20, 1),
                            "search_p50_ms": round(_pct(times, 50), 3), "search_p95_ms": round(_pct(times, 95), 3)}
        flat_ids = FlatIndex().build(vectors).search(qs, 10)[1]
        hnsw_ids = HNSWIndex().build(vectors).search(qs, 10)[1]
        result["hnsw_recall_at_10"] = round(float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(flat_ids, hnsw_ids)])), 3)
        say(f"size {size:,}: engine (BM25, levels, occurrences) …")
        corpus_index = CorpusIndex(encoder, [d.id for d in decls], names,
                                   (HNSWIndex() if size > 50_000 else FlatIndex()).build(vectors),
                                   name_vectors, "synthetic", "hnsw" if size > 50_000 else "flat")
        bm25 = BM25(segmenter).fit_tokens([tokens[s] for s in sources])
        engine = Engine(decls, corpus_index, segmenter, bm25, levels, kinds, kind_vectors, library_vectors,
                        "synthetic")
        excluded, included = [], []
        for i in range(QUERIES // 4):
            name, text = queries_text[i % len(queries_text)]
            t0 = time.perf_counter()
            recommend_with_vector(engine, query=f"{name}。{text}", qvec=qs[i], description=text)
            excluded.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            recommend(engine, project_name=name, description=text)
            included.append(time.perf_counter() - t0)
        result["recommend"] = {"index": corpus_index.kind,
                               "without_encoder_p50_ms": round(_pct(excluded, 50), 1),
                               "without_encoder_p95_ms": round(_pct(excluded, 95), 1),
                               "with_encoder_p50_ms": round(_pct(included, 50), 1),
                               "with_encoder_p95_ms": round(_pct(included, 95), 1)}
        import resource
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        rows.append(result)
        del engine, decls
    return {"encoder": encoder.id, "ingest": ingest, "sizes": rows,
            "note": "synthetic copies of the parsed seeds; their vectors are the source's real "
                    "vectors + Gaussian noise (σ=0.02), not re-embedded"}


def render(report: dict) -> str:
    lines = [f"encoder {report['encoder']}; {report['note']}",
             f"ingest rate on the real samples (parse + segment + embed): "
             f"{report['ingest']['per_second']} declarations/s "
             f"({report['ingest']['declarations']} in {report['ingest']['seconds']} s)", "",
             "| declarations | index | build s | memory MB | search p50 ms | search p95 ms |",
             "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for row in report["sizes"]:
        for kind in ("flat", "hnsw", "numpy"):
            r = row[kind]
            lines.append(f"| {row['declarations']:,} (synthetic) | {kind} | {r['build_s']} | {r['memory_mb']} | "
                         f"{r['search_p50_ms']} | {r['search_p95_ms']} |")
    lines += ["", "| declarations | index used | HNSW recall@10 vs flat | recommend p50 ms (no encoder) | "
                  "p95 | recommend p50 ms (with encoder) | p95 | process peak RSS MB |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in report["sizes"]:
        r = row["recommend"]
        lines.append(f"| {row['declarations']:,} (synthetic) | {r['index']} | {row['hnsw_recall_at_10']} | "
                     f"{r['without_encoder_p50_ms']} | {r['without_encoder_p95_ms']} | "
                     f"{r['with_encoder_p50_ms']} | {r['with_encoder_p95_ms']} | {row['peak_rss_mb']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhibiao bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--encoder", default="e5-small-q4")
    parser.add_argument("--json", help="also write the report as JSON to this file")
    args = parser.parse_args(argv)
    report = run([int(s) for s in args.sizes.split(",")], encoder_spec=args.encoder,
                 say=lambda m: print(m, file=sys.stderr))
    print(render(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
