"""Reading JSONL requests for the batch commands, with errors that name the line."""

from __future__ import annotations

import sys

from pydantic import BaseModel

from api.validate import JsonInputError, load_json, validate

MAX_LINES = 10_000
MAX_BYTES = 20 * 1024 * 1024
MAX_STRING = 50_000


class JsonlError(ValueError):
    """A line that is not the expected JSON object."""


def read_jsonl(path: str | None, required: tuple[str, ...], expected: str,
               model: type[BaseModel] | None = None) -> list[dict]:
    """Objects from `path` ('-' or None: stdin); each must have the `required` keys (and, with
    `model`, pass its validation: strict types and sizes). Bytes are decoded here, so a binary
    file is one error line, not a UnicodeDecodeError."""
    where = path if path and path != "-" else "标准输入"
    try:
        if where == "标准输入":
            data = sys.stdin.buffer.read(MAX_BYTES + 1) if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        else:
            import os
            import stat
            # open without blocking (a FIFO with no writer would hang open()), then refuse
            # anything that is not a regular file before reading from it
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with open(fd, "rb") as handle:
                mode = os.fstat(handle.fileno()).st_mode
                if stat.S_ISDIR(mode):
                    raise IsADirectoryError
                if not stat.S_ISREG(mode):
                    raise JsonlError(f"{where}：不是普通文件（管道、设备等）；应为 JSONL 文件（每行一个 {expected}）"
                                     "，标准输入请用 -")
                data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise JsonlError(f"{where}：是文件夹，应为 JSONL 文件（每行一个 {expected}）") from None
    except OSError as exc:
        raise JsonlError(f"{where}：无法读取（{exc.strerror or '读取错误'}）") from None
    if len(data) > MAX_BYTES:
        raise JsonlError(f"{where}：超过 {MAX_BYTES:,} 字节的上限")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise JsonlError(f"{where} 第 {line} 行：不是 UTF-8 文本；应为 JSONL（每行一个 {expected}）") from None
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(items) >= MAX_LINES:
            raise JsonlError(f"{where}：超过 {MAX_LINES:,} 行的上限")
        try:
            item = load_json(line, f"{where} 第 {number} 行")
        except JsonInputError as exc:
            raise JsonlError(f"{exc}；应为 {expected}") from None
        missing = [k for k in required if not isinstance(item, dict) or k not in item]
        if missing:
            raise JsonlError(f"{where} 第 {number} 行：缺少 {'、'.join(missing)}；应为 {expected}")
        wrong = next((k for k, v in item.items() if v is not None and not isinstance(v, str)), None)
        if model is None and wrong is not None:
            raise JsonlError(f"{where} 第 {number} 行：{wrong} 应为字符串；应为 {expected}")
        if model is None and any(len(v) > MAX_STRING for v in item.values() if isinstance(v, str)):
            raise JsonlError(f"{where} 第 {number} 行：字段超过 {MAX_STRING:,} 个字符的上限")
        if model is not None:
            try:
                item = validate(model, item, f"{where} 第 {number} 行 ").model_dump(exclude_unset=True)
            except JsonInputError as exc:
                raise JsonlError(str(exc)) from None
        items.append(item)
    return items
