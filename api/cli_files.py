"""The CLI's shared helpers: error lines, JSON output, and the checks every file argument passes
before a reader sees it. One place, imported by api/cli.py and the command modules (which
therefore never import api/cli.py back)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.errors import CorpusError, InputError

if TYPE_CHECKING:
    from api.settings import Settings

EXIT_INPUT = 2


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def error(message: str) -> None:
    print(f"zhibiao: 错误：{message}", file=sys.stderr)


JSON_SUFFIXES = (".json", ".jsonl")


def check_form_file(name: str, max_bytes: int) -> None:
    """Refuse a file argument the readers must not see: missing, a folder, unreadable, too large,
    or JSON that is not declarations (nesting, types and sizes checked like an API body).
    Raises InputError naming the file and what was expected."""
    path = Path(name)
    if not path.exists():
        raise InputError(name, "文件不存在")
    if path.is_dir():
        raise InputError(name, "是文件夹，应为申报表文件（文件夹请用 zhibiao ingest）")
    if not path.is_file():
        raise InputError(name, "不是普通文件")
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(max_bytes + 1) if path.suffix.lower() in JSON_SUFFIXES else b""
    except OSError as exc:
        raise InputError(name, f"无法读取（{exc.strerror or '读取错误'}）") from None
    if size > max_bytes:
        raise InputError(name, f"大小 {size:,} 字节，超过 {max_bytes:,} 字节的上限（ZHIBIAO_MAX_FILE_BYTES）")
    if path.suffix.lower() not in JSON_SUFFIXES:
        return
    from api.validate import JsonInputError, declarations_from_json, load_json
    try:
        if path.suffix.lower() == ".jsonl":
            lines = [line for line in head.split(b"\n") if line.strip()]
            payload = [load_json(line, f"第 {n} 行") for n, line in enumerate(lines, start=1)]
        else:
            payload = load_json(head.removeprefix(b"\xef\xbb\xbf"), "内容")
        declarations_from_json(payload, file=path.name, stem=path.stem)
    except JsonInputError as exc:
        raise InputError(name, str(exc)) from None


def usable_files(names: list[str], settings: Settings) -> tuple[list[str], int]:
    """The file arguments that passed `check_form_file`; one error line for each other one."""
    good, status = [], 0
    for name in names:
        shown = unusable_name(name)
        if shown is not None:
            error(f"{shown}: 文件名不是有效的 UTF-8 编码；请把文件改名后再试")
            status = EXIT_INPUT
            continue
        try:
            check_form_file(name, settings.max_file_bytes)
            good.append(name)
        except CorpusError as exc:
            error(str(exc))
            status = EXIT_INPUT
    return good, status

def unusable_name(name: str) -> str | None:
    """A file name the OS gave us that is not valid UTF-8 (surrogate escapes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return None
