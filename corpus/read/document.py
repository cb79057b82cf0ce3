"""What every format reader produces: a Document of tables (cells with spans) and text lines.

Readers (one file per format under `corpus/read/extract/`) know nothing about declarations; the
interpreter (`corpus/read/interpret/`) knows nothing about file formats. This module is the seam.

A `Table` is dense: `rows[r][c]` is the `Cell` whose top-left corner is at (r, c), or `None`
where a merged cell above or to the left covers that position. `positional=True` means the
column index is meaningful (office grids, HTML tables, PDF tables); text that lost its columns
(flattened web pages, PDF text) becomes `text_lines` and the interpreter tokenises it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corpus.schema import ParseWarning


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell | None]]
    where: str = ""  # provenance: "sheet 绩效目标", "page 2 table 1", "table 3"
    row_numbers: list[int] = field(default_factory=list)  # source row (1-based) per row
    positional: bool = True
    # text lines printed before the table (a web page's text outside its tables comes apart from them): where
    # the table stands among `Document.text_lines`; None where the reader does not know
    text_line_at: int | None = None

    def texts(self, r: int) -> list[str | None]:
        """Row r as strings; None where a merged cell covers the position."""
        return [None if c is None else c.text for c in self.rows[r]]


@dataclass
class Limits:
    """Bounds every reader enforces while reading (refuse or cut with a warning)."""
    max_bytes: int = 5 * 1024 * 1024        # file size on disk
    max_rows: int = 20_000                  # rows per sheet / table
    max_cells: int = 400_000                # cells per document
    max_pages: int = 200                    # PDF pages
    max_zip_members: int = 500
    max_unzipped_bytes: int = 200 * 1024 * 1024   # total uncompressed size of a zip / xlsx / docx
    max_zip_ratio: float = 200.0            # uncompressed / compressed per member (zip bombs)
    max_chars: int = 2_000_000              # characters of text kept


@dataclass
class Document:
    path: Path
    format: str                                           # txt, xlsx, xls, docx, html, pdf
    tables: list[Table] = field(default_factory=list)
    text_lines: list[str] = field(default_factory=list)   # prose / flattened text, in order
    title: str | None = None                              # sheet name, HTML <title>, first heading
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, code: str, message: str, line: int | None = None) -> None:
        self.warnings.append(ParseWarning(code, message, line))


NOT_FOUND = ("未找到绩效目标申报表：查找了含 一级指标/二级指标/三级指标/指标值（或 指标名称、年度指标值等）"
             "的表头，以及以句子写出的指标")
