"""The office-format extractor registry: a file's real format → its Extractor → a Document.

`extract(path)` reads .xlsx/.xlsm, .xls, .docx, .html/.htm and .pdf. The format is judged from
the file's bytes, not trusted from its suffix: a text file renamed .xlsx, an encrypted workbook
(an OLE container around the package) and a truncated zip each get an InputError naming the file
and what was expected; a real workbook under the wrong office suffix is read by what it is, with a
`format_mismatch` warning. Text formats (.txt, .json, .jsonl, .csv) are not office formats:
`extractor_for` returns None and `extract` raises LookupError for them. A .zip is several files:
`open_zip` unpacks it safely and the caller reads each member (by `extract` or its own readers).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.errors import InputError
from corpus.read.document import Document, Limits
from corpus.read.extract import docx, html, pdf, xls, xlsx
from corpus.read.extract.base import (KIND_HINTS, KIND_NAMES, Extractor, check_size, check_zip, glue,
                                      sniff)
from corpus.read.extract.zip import Unpacked, unpack_zip

EXTRACTORS: dict[str, Extractor] = {
    suffix: module.EXTRACTOR
    for module in (xlsx, xls, docx, html, pdf)
    for suffix in module.EXTRACTOR.formats
}
OFFICE_SUFFIXES: tuple[str, ...] = tuple(EXTRACTORS)  # .xlsx .xlsm .xls .docx .html .htm .pdf
ARCHIVE_SUFFIXES: tuple[str, ...] = (".zip",)
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".json", ".jsonl", ".csv")  # read by the text readers

# What the bytes say → which extractor reads them.
_KIND_SUFFIX = {"xlsx": ".xlsx", "xls": ".xls", "docx": ".docx", "html": ".html", "pdf": ".pdf"}
_SUFFIX_KIND = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".docx": "docx", ".html": "html",
                ".htm": "html", ".pdf": "pdf"}
_READER_NAMES = {"xlsx": "openpyxl", "xls": "xlrd", "docx": "python-docx", "html": "html.parser",
                 "pdf": "pdfplumber"}

log = logging.getLogger(__name__)

__all__ = ["ARCHIVE_SUFFIXES", "EXTRACTORS", "OFFICE_SUFFIXES", "TEXT_SUFFIXES", "Extractor",
           "Unpacked", "extract", "extractor_for", "open_zip", "real_format"]


def extractor_for(path: Path) -> Extractor | None:
    """The extractor registered for the file's suffix; None for text formats and archives."""
    return EXTRACTORS.get(Path(path).suffix.lower())


def real_format(path: Path) -> str:
    """What the file's bytes are: xlsx, docx, zip, xls, doc, ole, encrypted, pdf, html, text,
    empty or binary (see base.KIND_NAMES)."""
    return sniff(Path(path))


def extract(path: Path, *, limits: Limits = Limits(), name: str | None = None) -> Document:
    """Read one office file. `name` is how messages and the Document call the file (e.g.
    `forms.zip/表1.xlsx` for a member unpacked into a temporary folder); default: `path`.

    Raises LookupError for a suffix that is not an office format, InputError for anything the
    file itself is to blame for; no reader exception escapes.
    """
    path = Path(path)
    shown = name or str(path)
    suffix = path.suffix.lower()
    expected = _SUFFIX_KIND.get(suffix)
    if expected is None:
        raise LookupError(f"{shown}: {suffix or '无后缀'} 不是 Office 格式"
                          f"（Office 格式：{'、'.join(OFFICE_SUFFIXES)}）")
    if not path.is_file():
        raise InputError(shown, "文件不存在或不是普通文件")
    kind = reading = expected
    try:
        check_size(path, limits)
        kind = sniff(path)
        reader = _choose(kind, expected, shown, path, limits)
        reading = kind if kind in _KIND_SUFFIX else expected
        document = reader.extract(path, limits=limits)
    except InputError as exc:
        raise InputError(shown, exc.reason) from None
    except MemoryError:
        raise InputError(shown, "文件过大，无法在内存中读取") from None
    except Exception as exc:  # noqa: BLE001 - every reader has its own exception zoo
        # the reader's own words are English and for developers: logged, not shown
        log.info("%s: %s cannot read it: %s", shown, _READER_NAMES[reading], _short(exc))
        raise InputError(shown, glue("不是可读取的", KIND_NAMES[reading],
                                     f"（{_READER_NAMES[reading]} 读取时出错）")) from None
    if name:
        document.path = Path(name)
    if kind != expected and kind in _KIND_SUFFIX and not (expected == "html" and kind == "text"):
        document.warn("format_mismatch", glue(f"文件后缀是 {suffix}，实际是", KIND_NAMES[kind],
                                              "；已按", KIND_NAMES[kind], "读取"))
    return document


def _choose(kind: str, expected: str, shown: str, path: Path, limits: Limits) -> Extractor:
    if kind == "encrypted":
        raise InputError(shown, "有密码保护；请去掉密码另存后再试")
    if kind == "empty":
        raise InputError(shown, glue("是空文件；应为", KIND_NAMES[expected]))
    if kind == expected or (expected == "html" and kind == "text"):
        return EXTRACTORS[_KIND_SUFFIX[expected]]
    if kind == "ole_damaged" and expected in ("xls", "xlsx", "docx"):
        raise InputError(shown, glue("已损坏（OLE 容器被截断或已损坏；应为", KIND_NAMES[expected], "）"))
    if kind == "zip" and expected in ("xlsx", "docx"):
        check_zip(path, limits, KIND_NAMES[expected])  # "已损坏（…）" if so
    if kind in _KIND_SUFFIX:
        return EXTRACTORS[_KIND_SUFFIX[kind]]
    hint = f"；{KIND_HINTS[kind]}" if kind in KIND_HINTS else ""
    raise InputError(shown, glue("不是", KIND_NAMES[expected], "（看起来是", KIND_NAMES[kind], "）") + hint)


@contextmanager
def open_zip(path: Path, *, limits: Limits = Limits()) -> Iterator[Unpacked]:
    """Unpack a .zip of forms into a temporary folder (removed on exit), safely.

        with open_zip(p) as unpacked:
            for name, member in zip(unpacked.names, unpacked.files):
                doc = extract(member, name=f"{p.name}/{name}")   # or the text readers
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "文件不存在或不是普通文件")
    kind = sniff(path)
    if kind != "zip":
        raise InputError(path, glue("不是 zip 压缩包（看起来是", KIND_NAMES[kind], "）"))
    with tempfile.TemporaryDirectory(prefix="zhibiao-zip-") as tmp:
        yield unpack_zip(path, Path(tmp), limits=limits)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
