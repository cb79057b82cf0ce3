"""Full-width digits folded to ASCII before a form is interpreted.

Web pages and PDF text layers often print numbers in full-width digits (`≥９５％`, `２０２３年`): every
value pattern of the reader (numbers, dates, percentages, units after a number) is written with ASCII
digits, so such a form read as having no value at all. Only digits, the full-width percent sign and
a full-width point between digits are folded: brackets, colons and operators keep their glyphs (the
reader's patterns know both forms, and a name keeps its punctuation as printed).
"""

from __future__ import annotations

import re

from corpus.read.document import Document

_DIGITS = str.maketrans("０１２３４５６７８９％", "0123456789%")
_POINT = re.compile(r"(?<=\d)．(?=\d)")


def fold(text: str) -> str:
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
