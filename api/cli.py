"""`zhibiao` command line. Thin: every command calls domain functions and renders the result.

Exit status: 0 success, 1 a command-level failure, 2 unusable input (bad file, bad argument).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from api.render import declaration_summary, table
from api.settings import Settings
from corpus.errors import CorpusError, InputError
from corpus.layouts import parse_file
from corpus.store import CorpusStore, FileResult, ingest, load_corpus
from models.errors import ModelError
from recommender.errors import RecommenderError

EXIT_INPUT = 2


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _error(message: str) -> None:
    print(f"zhibiao: error: {message}", file=sys.stderr)


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    out, status = [], 0
    for name in args.files:
        path = Path(name)
        try:
            if not path.is_file():
                raise InputError(path, "does not exist or is not a file")
            decls = parse_file(path, max_bytes=settings.max_file_bytes)
        except CorpusError as exc:
            _error(str(exc))
            status = EXIT_INPUT
            continue
        for decl in decls:
            for warning in decl.warnings:
                if warning.code == "encoding_converted":
                    print(f"zhibiao: warning: {warning.message}", file=sys.stderr)
                    break
        out.extend(decls)
    if args.json:
        _print_json([d.to_dict() for d in out])
    else:
        print("\n\n".join(declaration_summary(d) for d in out))
    return status


def _progress(n: int, total: int, result: FileResult) -> None:
    if sys.stderr.isatty():
        done = int(30 * n / total)
        sys.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] {n}/{total} {Path(result.path).name[:40]:40}")
        if n == total:
            sys.stderr.write("\n")
    if result.status == "failed":
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        _error(f"{result.path}: {result.reason}")
    elif result.note:
        print(f"zhibiao: warning: {result.note}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    with CorpusStore(settings.store_path) as store:
        results = ingest(store, args.paths, on_file=_progress)
        total = store.count()
    counts = Counter(r.status for r in results)
    print(f"ingested {len(results)} file(s) into {settings.store_path}: "
          f"{counts['new']} new, {counts['replaced']} replaced, {counts['unchanged']} unchanged, "
          f"{counts['failed']} failed; store holds {total} declarations")
    return EXIT_INPUT if counts["failed"] else 0


def cmd_corpus_stats(args: argparse.Namespace, settings: Settings) -> int:
    decls, origin = load_corpus(settings.store_path)
    indicators = sum(len(d.indicators) for d in decls)
    stats = {
        "origin": origin, "declarations": len(decls), "indicators": indicators,
        "by_agency": Counter(d.agency or "（未知）" for d in decls),
        "by_year": Counter(str(d.year or "（未知）") for d in decls),
        "by_layout": Counter(d.source.layout for d in decls),
    }
    if args.json:
        _print_json(stats)
        return 0
    print(f"corpus: {origin}; {len(decls)} declarations, {indicators} indicators")
    for title, key in (("申报单位", "by_agency"), ("年度", "by_year"), ("版式", "by_layout")):
        rows = [[title, "申报表数"]] + [[k, str(v)] for k, v in sorted(stats[key].items())]
        print(table(rows))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"zhibiao: serving on http://{host}:{port}/ (API docs at /docs); loading corpus and index …",
          file=sys.stderr)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhibiao", description="绩效目标申报表: parse, store, "
                                     "recommend and review performance targets, offline.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="read form files and print their declarations")
    p.add_argument("files", nargs="+", help="form files (.txt, .json, .csv, .xlsx)")
    p.add_argument("--json", action="store_true", help="print a JSON array (UTF-8)")
    p.set_defaults(func=cmd_parse)
    p = sub.add_parser("ingest", help="store form files (or folders of them) in the corpus")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("corpus", help="corpus information")
    corpus_sub = p.add_subparsers(dest="corpus_command", required=True)
    s = corpus_sub.add_parser("stats", help="counts per agency, year and layout")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_corpus_stats)
    p = sub.add_parser("serve", help="serve the API and the web page")
    p.add_argument("--host", help="default 127.0.0.1 (ZHIBIAO_HOST)")
    p.add_argument("--port", type=int, help="default 8000 (ZHIBIAO_PORT)")
    p.set_defaults(func=cmd_serve)
    from api import commands_evaluate, commands_recommend, commands_report, commands_review
    commands_recommend.add_parser(sub)
    commands_report.add_parser(sub)
    commands_review.add_parser(sub)
    commands_evaluate.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args, Settings())
    except (CorpusError, ModelError, RecommenderError) as exc:
        _error(str(exc))
        return EXIT_INPUT
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
