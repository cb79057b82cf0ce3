"""Plain text of a form (.txt): a web page's or a PDF's text as saved. UTF-8, or GB18030 detected,
converted and warned about. The text's lines go to the interpreter, which finds the table in them."""

from __future__ import annotations

from pathlib import Path

from corpus.read.document import Document, Limits
from corpus.text import read_form_text


class TextExtractor:
    formats = (".txt", ".text", ".md", "")

    def extract(self, path: Path, *, limits: Limits) -> Document:
        text, encoding_warning = read_form_text(path, max_bytes=limits.max_bytes)
        text = text[: limits.max_chars]
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        document = Document(path=path, format="txt", text_lines=lines)
        if encoding_warning:
            document.warn("encoding_converted", encoding_warning)
        return document


EXTRACTOR = TextExtractor()
