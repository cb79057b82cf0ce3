"""Does the Ray ingest give what the plain one gives, on a thousand real-shaped forms? (issue 25)

The forms: the bundled seed files, the field forms (`ZHIBIAO_FIELDFORMS`, when present) and random
forms of every layout `evaluation.generate_forms` draws, up to the count asked, written as text
files. Each way runs in a fresh child process on its own home: the plain `ingest` (a local
process pool) followed by an index build, and `ray_ingest` on a local Ray (parse and embed in
Ray tasks, one merge step). Compared: every stored declaration (id and JSON), the arrays of the
index (project and indicator-name vectors, bit for bit) and the recommendations for queries taken
from the forms (the whole JSON answer but its timings). Run by `zhibiao bench --ray-equivalence 1000`.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RESULT = "RAY_EQUIVALENCE "
QUERIES = 20
ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, sys, time
from pathlib import Path
how, forms, home, workers, encoder = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
from corpus.store import CorpusStore, ingest
started = time.perf_counter()
with CorpusStore(home / "corpus.sqlite3") as store:
    if how == "plain":
        from models.encoders import make_encoder
        from recommender.index import ensure_index
        results = ingest(store, [forms], jobs=workers)
        ensure_index(store, make_encoder(encoder), home / "index")
    else:
        from recommender.ray_build import ray_ingest
        results = ray_ingest(store, [forms], encoder_spec=encoder, index_root=home / "index", workers=workers).results
    statuses = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print("RAY_EQUIVALENCE " + json.dumps({"seconds": round(time.perf_counter() - started, 1),
                                           "declarations": store.count(), "statuses": statuses}))
"""


def write_forms(folder: Path, count: int, *, seed: int = 0) -> dict[str, int]:
    """`count` form files in `folder`: seeds, field forms, then generated ones. Returns how many of each."""
    from corpus.store import SAMPLES_DIR, form_files
    from evaluation.bench import FIELD_FORMS
    from evaluation.generate_forms import generate
    folder.mkdir(parents=True, exist_ok=True)
    real = sorted(SAMPLES_DIR.glob("*.txt")) + (list(form_files([FIELD_FORMS])) if FIELD_FORMS.is_dir() else [])
    real = real[:count]
    for n, path in enumerate(real):
        shutil.copy(path, folder / f"real-{n:03d}{path.suffix.lower()}")
    generated = generate(count - len(real), seed=seed)
    for n, form in enumerate(generated):
        (folder / f"generated-{n:04d}.txt").write_text(form.text, encoding="utf-8")
    return {"real": len(real), "generated": len(generated)}


def _child(how: str, forms: Path, home: Path, workers: int, encoder: str, timeout_s: float) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, how, str(forms), str(home), str(workers), encoder],
                          capture_output=True, text=True, timeout=timeout_s, cwd=ROOT)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{how}: {(done.stderr.strip().splitlines() or ['?'])[-1][:300]}")
    return json.loads(lines[-1][len(RESULT):])


def _queries(home: Path, count: int, seed: int) -> list[dict]:
    """(project name, description) of `count` stored forms, drawn at random, as recommend requests."""
    from corpus.store import CorpusStore
    with CorpusStore(home / "corpus.sqlite3") as store:
        decls = [d for d in store.iter_declarations() if d.project_name]
    picked = random.Random(seed).sample(decls, min(count, len(decls)))
    return [{"project_name": d.project_name,
             "description": (d.texts.get("overview") or d.texts.get("annual_goal") or "")[:300]} for d in picked]


def _index_arrays(home: Path) -> dict[str, str]:
    """sha256 of each array file of the one published index build."""
    [built] = [p for p in (home / "index").glob("*.builds/*") if (p / "manifest.json").exists()]
    return {name: hashlib.sha256((built / name).read_bytes()).hexdigest() for name in ("vectors.npy", "names.npy")}


def run(count: int, *, recommend: Callable[[Path, Path, str], list[dict]], workers: int = 2,
        encoder: str = "static-e5", say: Callable[[str], None] = print, timeout_s: float = 3 * 3600) -> dict:
    """`recommend(home, requests.jsonl, encoder)`: the product's answers, one dict per request."""
    from corpus.store import CorpusStore
    with tempfile.TemporaryDirectory(prefix="zhibiao-ray-equivalence-") as folder:
        root = Path(folder)
        made = write_forms(root / "forms", count)
        say(f"{count} 份表已写出（真实 {made['real']}，生成 {made['generated']}）")
        runs = {}
        for how in ("plain", "ray"):
            runs[how] = _child(how, root / "forms", root / how, workers, encoder, timeout_s)
            say(f"{'普通入库' if how == 'plain' else 'Ray 入库'}：{runs[how]}")
        with CorpusStore(root / "plain" / "corpus.sqlite3") as a, CorpusStore(root / "ray" / "corpus.sqlite3") as b:
            rows = [sum(1 for _ in s.iter_id_data()) for s in (a, b)]
            same_rows = all(x == y for x, y in zip(a.iter_id_data(), b.iter_id_data())) and rows[0] == rows[1]
        same_arrays = _index_arrays(root / "plain") == _index_arrays(root / "ray")
        requests = root / "requests.jsonl"
        requests.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n"
                                    for q in _queries(root / "plain", QUERIES, 0)), encoding="utf-8")
        started = time.perf_counter()
        answers = {how: recommend(root / how, requests, encoder) for how in ("plain", "ray")}
        say(f"推荐 {QUERIES} 个请求 × 2（{time.perf_counter() - started:.0f} 秒）")
        same_answers = sum(1 for x, y in zip(answers["plain"], answers["ray"]) if x == y)
        return {"forms": count, **made, "workers": workers, "encoder": encoder,
                "plain_s": runs["plain"]["seconds"], "ray_s": runs["ray"]["seconds"],
                "statuses_plain": runs["plain"]["statuses"], "statuses_ray": runs["ray"]["statuses"],
                "declarations": rows, "same_declarations": same_rows, "same_vectors": same_arrays,
                "requests": len(answers["plain"]), "same_recommendations": same_answers,
                "equivalent": same_rows and same_arrays and same_answers == len(answers["plain"]) == len(answers["ray"])}


def render(row: dict) -> list[str]:
    from evaluation.bench import _table
    yes = {True: "是", False: "否"}
    return ["", f"Ray 入库与普通入库是否一致（{row['forms']} 份表：真实 {row['real']}，生成 {row['generated']}；"
                f"编码器 {row['encoder']}；Ray 本机 {row['workers']} 个工作进程）："] + _table(
        ["申报表数（普通 / Ray）", "申报表一致", "向量一致", "推荐一致", "普通入库+建索引 秒", "Ray 入库+建索引 秒", "结论"],
        [[f"{row['declarations'][0]} / {row['declarations'][1]}", yes[row["same_declarations"]],
          yes[row["same_vectors"]], f"{row['same_recommendations']}/{row['requests']}", row["plain_s"], row["ray_s"],
          "一致" if row["equivalent"] else "不一致"]])
