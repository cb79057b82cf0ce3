"""Read any form file into declarations: `read(path) -> list[Declaration]`.

Format readers (`extract/`, one file per format) turn a file into a `Document` of tables and
text; one interpreter (`interpret/`) reads any Document. The five Shanghai seed layouts are
known profiles read by their own thin adapters (`corpus.layouts`), so their parse stays exact.
"""

from __future__ import annotations

from pathlib import Path

from corpus.errors import InputError
from corpus.read.document import NOT_FOUND, Document, Limits
from corpus.schema import Declaration
from corpus.text import MAX_FILE_BYTES

TEXT_SUFFIXES = (".txt", ".text", ".md", "")
TABLE_SUFFIXES = (".json", ".jsonl", ".csv")
OFFICE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm", ".pdf")
SUPPORTED = TEXT_SUFFIXES + TABLE_SUFFIXES + OFFICE_SUFFIXES + (".zip",)


def read(path: str | Path, *, limits: Limits | None = None,
         max_bytes: int | None = None) -> list[Declaration]:
    """Every declaration in one form file of any supported format (a .zip: in each member).

    Raises InputError (naming the file and what was expected) for anything unreadable."""
    path = Path(path)
    limits = limits or Limits()
    if max_bytes is not None:
        limits = Limits(**{**limits.__dict__, "max_bytes": max_bytes})
    if path.is_dir():
        raise InputError(path, "是文件夹，应为申报表文件（文件夹请用 zhibiao ingest，会读取其中每个申报表文件）")
    if not path.exists():
        raise InputError(path, "文件不存在")
    suffix = path.suffix.lower()
    if suffix == ".zip":
        from corpus.read.archive import read_zip
        return read_zip(path, limits=limits, reader=read)
    if suffix in TABLE_SUFFIXES:
        from corpus.layouts import tabular
        return tabular.parse(path, max_bytes=limits.max_bytes)
    if suffix in OFFICE_SUFFIXES:
        return _read_office(path, limits)
    return _read_text(path, limits)


def parse_file(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> list[Declaration]:
    """Every declaration of a form file of any format, within the default limits (`read`)."""
    return read(path, max_bytes=max_bytes)


def _read_text(path: Path, limits: Limits) -> list[Declaration]:
    from corpus.read.profiles import detect_layout, parse_text
    from corpus.read.extract.text import EXTRACTOR
    from corpus.read.interpret import interpret

    document = EXTRACTOR.extract(path, limits=limits)
    text = "\n".join(document.text_lines)
    if detect_layout(text):  # a known seed profile: its own adapter keeps the parse exact
        decls = parse_text(text, file=path.name, path=path)
        for decl in decls:
            decl.warnings.extend(document.warnings)
    else:
        decls = interpret(document)
    if not decls:
        raise InputError(path, NOT_FOUND)
    return decls


def _read_office(path: Path, limits: Limits) -> list[Declaration]:
    from corpus.read.extract import extract
    from corpus.read.interpret import interpret

    document: Document = extract(path, limits=limits)
    if path.suffix.lower() == ".xlsx":
        try:
            decls = _flat_table(document, path)
        except InputError as flat_error:
            # a form's table that merely has our flat export's headings (a department's table of projects:
            # 项目名称 | 年度目标 | 一级指标 …, the project merged over its rows) is read as a form; the flat
            # export's own message stands where the form reader finds nothing either
            decls = interpret(document)
            if not decls:
                raise flat_error
            return decls
        if decls:
            return decls
    decls = interpret(document)
    if not decls:
        raise InputError(path, NOT_FOUND)
    return decls


def _flat_table(document: Document, path: Path) -> list[Declaration] | None:
    """Our own flat export: one indicator per row with a 项目名称 column (`table-xlsx`), read from
    the extracted (row-bounded) table rather than by opening the workbook a second time."""
    from corpus.layouts import tabular

    for table in document.tables:
        decls = tabular.from_table(table, path)
        if decls is not None:
            for decl in decls:
                decl.warnings.extend(document.warnings)
            return decls
    return None
