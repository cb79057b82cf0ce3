"""Ingest rate on real-shaped form files: `python -m evaluation.ingest_bench`, and `run()` for
`zhibiao bench`.

The files are SYNTHETIC copies of real forms: the seed .txt files (corpus/samples), the field
forms' raw text (/work/shared/fieldforms/raw, when present) and office renditions (.xlsx .docx
.xls .html .pdf, `evaluation.renditions`) of the field cases and of the seed declarations, each
copy with its project name and some numbers perturbed so that no two files share a hash.
Measured: `corpus.store.ingest` (parse in the worker pool + store in SQLite, as `zhibiao ingest`
does) at each --jobs, per format and for the whole mixed folder; the parse time per form in one
process; and, separately, what embedding the stored declarations with the static encoder costs
(the index update does that, incrementally).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus.ingest_pool import Bounds, parse_one
from corpus.store import SAMPLES_DIR, CorpusStore, ingest

FIELD_FORMS = Path(os.environ.get("ZHIBIAO_FIELDFORMS", "/work/shared/fieldforms"))
# files per format in the default 1,000: text as most archives hold it, then the office exports
DEFAULT_MIX = {"txt": 400, "xlsx": 200, "docx": 150, "xls": 100, "html": 100, "pdf": 50}
OFFICE_TEMPLATES = ("plain", "split", "selfeval")
ALL = "all"
# the label may carry a required-field star (项目名称*：, the 2020 economic information centre's forms)
_NAME_VALUE = re.compile(r"((?<!子)项目名称\*?[\t :：]+)([^\t\n ]+)")
# the overview and the annual goal too: a form whose opening (and name) is cut off is otherwise
# the same in every batch
_OVERVIEW_VALUE = re.compile(r"((?:项目概况|年度绩效目标)\*?[\t :：]+)([^\t\n ]+)")
_BOUND = re.compile(r"(≥|≤|>=|<=|不低于|不少于)(\d+)")


def _perturbed(text: str, n: int) -> str:
    """The same form as another batch would write it: name marked, bounds shifted by n % 3."""
    text = _NAME_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}（第{n}批）", text)
    text = _OVERVIEW_VALUE.sub(lambda m: f"{m.group(1)}（第{n}批）{m.group(2)}", text)
    return _BOUND.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + n % 3}", text)


def _text_sources() -> list[Path]:
    seeds = sorted(SAMPLES_DIR.glob("*.txt"))
    raw = sorted((FIELD_FORMS / "raw").glob("*.txt")) if (FIELD_FORMS / "raw").is_dir() else []
    return seeds + raw


def _office_cases() -> list[dict]:
    """Case dicts (`evaluation.renditions` shape): the field cases when present, and the seeds."""
    from corpus.read import parse_file
    cases = []
    path = FIELD_FORMS / "cases.jsonl"
    if path.is_file():
        from evaluation.parse_eval import load_cases
        cases += load_cases(path)
    for seed in sorted(SAMPLES_DIR.glob("*.txt")):
        for decl in parse_file(seed):
            cases.append({"id": decl.id, "project_name": decl.project_name, "agency": decl.agency,
                          "year": decl.year, "description": decl.texts.get("overview") or "",
                          "budget_text": f"{decl.budget.total}" if decl.budget.total else None,
                          "indicators": [{"level1": i.level1, "level2": i.level2, "name": i.name,
                                          "value": i.target.raw} for i in decl.indicators]})
    return cases


def _perturbed_case(case: dict, n: int) -> dict:
    out = dict(case, project_name=f"{case.get('project_name') or '项目'}（第{n}批）")
    out["indicators"] = [dict(i, value=_BOUND.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + n % 3}",
                                                  i.get("value") or "")) for i in case.get("indicators") or []]
    return out


def make_forms(folder: Path, *, mix: dict[str, int] | None = None) -> dict[str, list[Path]]:
    """Write the benchmark's form files under folder/<format>/; returns the files per format."""
    from evaluation.renditions import write_rendition
    mix = mix or DEFAULT_MIX
    out: dict[str, list[Path]] = {}
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in _text_sources()]
    cases = _office_cases() if any(f != "txt" for f in mix) else []
    for fmt, count in mix.items():
        target = folder / fmt
        target.mkdir(parents=True, exist_ok=True)
        files = []
        for n in range(count):
            if fmt == "txt":
                stem, text = texts[n % len(texts)]
                path = target / f"{n:05d}_{stem}.txt"
                path.write_text(_perturbed(text, n // len(texts) + 1), encoding="utf-8")
            else:
                case = cases[n % len(cases)]
                template = OFFICE_TEMPLATES[n // len(cases) % len(OFFICE_TEMPLATES)]
                path = target / f"{n:05d}_{case['id']}-{template}.{fmt}"
                write_rendition(_perturbed_case(case, n // len(cases) + 1), fmt, template, path)
            files.append(path)
        out[fmt] = files
    return out


def _timed_ingest(files: list[Path], store_path: Path, jobs: int, bounds: Bounds) -> dict:
    store_path.unlink(missing_ok=True)
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with CorpusStore(store_path) as store:
        results = ingest(store, files, jobs=jobs, bounds=bounds)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before  # the workers' too: the pool has joined them
    decls = sum(r.declarations for r in results if r.status == "new")
    return {"files": len(files), "failed": sum(r.status == "failed" for r in results),
            "declarations": decls, "seconds": round(seconds, 3),
            "declarations_per_s": round(decls / seconds, 1), "files_per_s": round(len(files) / seconds, 1),
            "cpu_seconds": round(cpu, 3), "declarations_per_cpu_s": round(decls / max(cpu, 1e-9), 1)}


def _cpu_seconds() -> float:
    """CPU time of this process and its joined children: on a shared machine the wall rate
    depends on the neighbours, this does not."""
    import resource
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def parse_ms(files: list[Path], bounds: Bounds = Bounds()) -> dict:
    """Parse time per form in this process (hash + read + interpret), median and 95th percentile,
    in CPU time (the neighbours on a shared machine do not change it)."""
    parse_one(str(files[0]), None, bounds)  # imports and caches outside the timing
    times = []
    for path in files:
        started = time.process_time()
        parse_one(str(path), None, bounds)
        times.append((time.process_time() - started) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2)}


def embed_cost(store_path: Path, encoder: str = "static-e5") -> dict | None:
    """What the index update will pay per stored declaration: its project text and its indicator
    names through `encode_passages`, in batches of 256. None if the encoder cannot be loaded."""
    from models.encoders import make_encoder
    from models.errors import ModelError
    from recommender.index import name_key, project_text
    try:
        model = make_encoder(encoder)
        model.encode_passages(["预热"])
    except (ModelError, OSError) as exc:
        return {"encoder": encoder, "error": str(exc)}
    with CorpusStore(store_path) as store:
        decls = list(store.iter_declarations())
    texts = [project_text(d) for d in decls] + [name_key(i.name) for d in decls for i in d.indicators]
    started = time.perf_counter()
    for start in range(0, len(texts), 256):
        model.encode_passages(texts[start:start + 256])
    seconds = time.perf_counter() - started
    return {"encoder": encoder, "declarations": len(decls), "texts": len(texts), "seconds": round(seconds, 3),
            "ms_per_declaration": round(1000 * seconds / max(len(decls), 1), 3)}


def run(*, jobs: tuple[int, ...] = (1, 2), mix: dict[str, int] | None = None, per_format: bool = True,
        embed: str | None = "static-e5", bounds: Bounds = Bounds(),
        say: Callable[[str], None] = lambda line: None) -> dict:
    """The ingest benchmark. Returns {"rows": [{format, jobs, files, failed, declarations, seconds,
    declarations_per_s, files_per_s, cpu_seconds, declarations_per_cpu_s}], "parse": {format: {median_ms, p95_ms, files}},
    "embed": {encoder, declarations, texts, seconds, ms_per_declaration} | None,
    "field_forms": bool, "cores": int}. Rows with format "all" are the whole mixed folder in one
    ingest; the others ingest one format's files alone (when `per_format`)."""
    mix = mix or DEFAULT_MIX
    rows, parse = [], {}
    embed_result = None
    with tempfile.TemporaryDirectory(prefix="zhibiao-ingest-bench-") as tmp:
        folder = Path(tmp)
        say(f"writing {sum(mix.values())} form files ({', '.join(f'{k} {v}' for k, v in mix.items())})")
        files = make_forms(folder / "forms", mix=mix)
        everything = [p for fmt in mix for p in files[fmt]]
        for fmt, paths in files.items():
            parse[fmt] = {**parse_ms(paths, bounds), "files": len(paths)}
            say(f"parse {fmt}: median {parse[fmt]['median_ms']} ms per form")
        for n in jobs:
            row = _timed_ingest(everything, folder / f"all-{n}.sqlite3", n, bounds)
            rows.append({"format": ALL, "jobs": n, **row})
            say(f"ingest all, --jobs {n}: {row['declarations_per_s']} declarations/s")
            if per_format:
                for fmt, paths in files.items():
                    row = _timed_ingest(paths, folder / f"{fmt}-{n}.sqlite3", n, bounds)
                    rows.append({"format": fmt, "jobs": n, **row})
        if embed:
            embed_result = embed_cost(folder / f"all-{jobs[0]}.sqlite3", embed)
            say(f"embed ({embed}): {embed_result}")
    return {"rows": rows, "parse": parse, "embed": embed_result,
            "field_forms": (FIELD_FORMS / "raw").is_dir(), "cores": os.cpu_count()}


FORMAT_LABELS = {ALL: "全部（混合）", "txt": "文本 .txt", "xlsx": ".xlsx", "docx": ".docx", "xls": ".xls",
                 "html": ".html", "pdf": ".pdf"}


def table(report: dict) -> str:
    """The report as a Chinese Markdown table (the shape of `evaluation.bench`'s, for the README)."""
    head = ["格式", "并行进程", "文件", "申报表", "失败", "用时（秒）", "申报表/秒", "文件/秒", "CPU 秒",
            "申报表/CPU 秒", "单表解析中位数（毫秒）"]
    body = []
    for row in report["rows"]:
        parsed = report["parse"].get(row["format"])
        body.append([FORMAT_LABELS.get(row["format"], row["format"]), str(row["jobs"]), str(row["files"]),
                     str(row["declarations"]), str(row["failed"]), f"{row['seconds']:.2f}",
                     f"{row['declarations_per_s']:.0f}", f"{row['files_per_s']:.0f}",
                     f"{row['cpu_seconds']:.2f}", f"{row['declarations_per_cpu_s']:.0f}",
                     f"{parsed['median_ms']:.1f}" if parsed else "—"])
    source = "种子表与实地表" if report["field_forms"] else "仅种子表（未找到实地表）"
    lines = [f"入库速度（解析 + 写入 SQLite，不含向量化）：{source}的合成副本，{report['cores']} 核；"
             "CPU 秒含父进程与各解析进程，不受同机其他负载影响",
             "", "| " + " | ".join(head) + " |", "| " + " | ".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    lines.append("")
    embed = report.get("embed")
    if embed and "error" not in embed:
        lines.append(f"向量化（{embed['encoder']}，由索引更新完成，不计入上表）：{embed['declarations']} 份申报表"
                     f"（{embed['texts']} 段文本）用时 {embed['seconds']:.2f} 秒，"
                     f"每份 {embed['ms_per_declaration']:.2f} 毫秒")
    elif embed:
        lines.append(f"向量化（{embed['encoder']}）未测：{embed['error']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.ingest_bench",
                                     description="入库速度：1,000 个真实版式的申报表文件（合成副本）")
    parser.add_argument("--jobs", default="1,2", help="并行进程数，逗号分隔（默认 1,2）")
    parser.add_argument("--scale", type=float, default=1.0, help="文件数按此比例缩放（默认 1 = 1,000 个）")
    parser.add_argument("--no-embed", action="store_true", help="不测向量化")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    args = parser.parse_args(argv)
    mix = {fmt: max(1, round(count * args.scale)) for fmt, count in DEFAULT_MIX.items()}
    report = run(jobs=tuple(int(j) for j in args.jobs.split(",") if j), mix=mix,
                 embed=None if args.no_embed else "static-e5",
                 say=lambda line: print(f"[ingest-bench] {line}", file=sys.stderr))
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
