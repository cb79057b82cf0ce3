"""What a page's surface does to characters, undone before a form is interpreted: full-width digits
and HTML entities.

Web pages and PDF text layers often print numbers in full-width digits (`≥９５％`, `２０２３年`): every
value pattern of the reader (numbers, dates, percentages, units after a number) is written with ASCII
digits, so such a form read as having no value at all. Only digits, the full-width percent sign and
a full-width point between digits are folded: brackets, colons and operators keep their glyphs (the
reader's patterns know both forms, and a name keeps its punctuation as printed).

Text copied from a page's source keeps its entities (`&nbsp;` between cells, `&ge;95%`, `&gt;=90%`):
they are decoded and a no-break space (decoded or raw) becomes a space, so cells split and operators read as printed.
"""

from __future__ import annotations

import html
import re

from corpus.read.document import Document

_DIGITS = str.maketrans("０１２３４５６７８９％", "0123456789%")
_POINT = re.compile(r"(?<=\d)．(?=\d)")


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


def fold(text: str) -> str:
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    if "\xa0" in text:
        text = text.replace("\xa0", " ")  # a no-break space separates cells as a space does
    if not any("０" <= ch <= "９" or ch == "％" for ch in text):
        return text  # nearly every line: no copy
    return _POINT.sub(".", text.translate(_DIGITS))


def fold_tables(doc: Document) -> None:
    """Fold the digits of every table cell of `doc` in place (text lines: `interpret_text`)."""
    for table in doc.tables:
        for row in table.rows:
            for cell in row:
                if cell is not None:
                    cell.text = fold(cell.text)
