"""Read any form file into declarations: `read(path) -> list[Declaration]`.

Format readers (`extract/`, one file per format) turn a file into a `Document` of tables and
text; one interpreter (`interpret/`) reads any Document. The five Shanghai seed layouts are
known profiles read by their own thin adapters (`corpus.layouts`), so their parse stays exact.
"""

from __future__ import annotations

from pathlib import Path

from corpus.errors import InputError
from corpus.read.document import Document, Limits
from corpus.schema import Declaration

TEXT_SUFFIXES = (".txt", ".text", ".md", "")
TABLE_SUFFIXES = (".json", ".jsonl", ".csv")
OFFICE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm", ".pdf")
SUPPORTED = TEXT_SUFFIXES + TABLE_SUFFIXES + OFFICE_SUFFIXES + (".zip",)
NOT_FOUND = ("no 绩效目标申报表 found: 未找到绩效指标表（查找了含 一级指标/二级指标/三级指标/指标值 或 "
             "指标名称、年度指标值等的表头，以及以句子写出的指标）")


def read(path: str | Path, *, limits: Limits | None = None,
         max_bytes: int | None = None) -> list[Declaration]:
    """Every declaration in one form file of any supported format (a .zip: in each member).

    Raises InputError (naming the file and what was expected) for anything unreadable."""
    path = Path(path)
    limits = limits or Limits()
    if max_bytes is not None:
        limits = Limits(**{**limits.__dict__, "max_bytes": max_bytes})
    if path.is_dir():
        raise InputError(path, "is a folder; give the form files in it (zhibiao parse/ingest accept "
                               "folders and read every form file inside)")
    if not path.exists():
        raise InputError(path, "does not exist")
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


def _read_text(path: Path, limits: Limits) -> list[Declaration]:
    from corpus.layouts import detect_layout, parse_text
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
    if path.suffix.lower() == ".xlsx" and _is_flat_table(document):
        from corpus.layouts import tabular
        return tabular.parse(path, max_bytes=limits.max_bytes)
    decls = interpret(document)
    if not decls:
        raise InputError(path, NOT_FOUND)
    return decls


def _is_flat_table(document: Document) -> bool:
    """Our own flat export: one indicator per row with a 项目名称 column (`table-xlsx`)."""
    from corpus.layouts.tabular import REQUIRED_COLUMNS

    for table in document.tables:
        for r in range(min(len(table.rows), 5)):
            cells = {(c or "").strip() for c in table.texts(r)}
            if all(col in cells for col in REQUIRED_COLUMNS):
                return True
    return False
