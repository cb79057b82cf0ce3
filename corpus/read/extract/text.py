"""Plain text of a form (.txt): a web page's or a PDF's text as saved. UTF-8, or GB18030 detected,
converted and warned about. The text's lines go to the interpreter, which finds the table in them."""

from __future__ import annotations

import re
from pathlib import Path

from corpus.read.document import Document, Limits
from corpus.text import read_form_text


class TextExtractor:
    formats = (".txt", ".text", ".md", "")

    def extract(self, path: Path, *, limits: Limits) -> Document:
        text, encoding_warning = read_form_text(path, max_bytes=limits.max_bytes)
        text = text[: limits.max_chars]
        if _TABLE_MARKUP.search(text[:_SNIFF]) and _ROW_MARKUP.search(text[:_SNIFF]):
            # a page's source saved as text: its table cells are in the markup, not in the lines
            from corpus.read.extract.html import EXTRACTOR as HTML
            document = Document(path=path, format="html")
            if encoding_warning:
                document.warn("encoding_converted", encoding_warning)
            document.warn("markup_in_text", "文本中是网页源码（含表格标记），已按网页读取")
            return HTML.read_markup(document, text, limits)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        document = Document(path=path, format="txt", text_lines=lines)
        if encoding_warning:
            document.warn("encoding_converted", encoding_warning)
        return document


# table markup (<td>, <tr>) in the first megabyte: prose cells of real forms keep <p> and <input>
# tags, never table cells, so only these mark a page's source
_SNIFF = 1_000_000
_TABLE_MARKUP = re.compile(r"<t[dh][\s>]", re.IGNORECASE)
_ROW_MARKUP = re.compile(r"<tr[\s>]", re.IGNORECASE)


EXTRACTOR = TextExtractor()
