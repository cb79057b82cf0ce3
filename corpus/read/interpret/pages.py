"""Page furniture taken out of a text before it is read: what a PDF engine prints between the halves
of a table cut by a page break.

A text layer (pdfplumber, pdfminer, pdftotext) gives every page's top and foot with the table: the
page's mark ('第 1 页 共 2 页', '第1页/共2页', '- 2 -'), a print stamp ('打印时间：2026-03-17 09:21:49',
the stamp words in `corpus/vocab/form_labels.json` page_stamps) and a running title printed again on
every page. Between two rows they read as a row (the title as a name, the stamp's time as its value)
or as the tail of a wrapped name. A page mark is written as one cell without spaces ('第1页共2页',
which every reader skips and takes as the end of the row above); a stamp is cut from its line (the
running title's, often); a running title is a line printed again on later pages that holds no value,
no digit, no level label and no header word, each print of it naming a form (its title's words) or
standing at a page's top or foot (the text's first lines, beside a page mark or a stamp): its prints
after the first are emptied, unless the form's fields follow (another form printed after the first).
No line is removed: every line keeps its number.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.read.interpret import labels
from corpus.read.interpret.cells import is_page_mark_line

_MAX_LINES = 20_000   # a text's first lines hold its tables; a page mark past them changes nothing
_TITLE_WORDS = re.compile(r"绩效(?:目标|自评|评价)|申报表|自评表|目标表|审批表|批复表")


@lru_cache(maxsize=1)
def _stamp() -> re.Pattern:
    words = "|".join(re.escape(w) for w in labels.vocab()["page_stamps"])
    # the stamp word, a date and a time of day (each part optional after the date)
    return re.compile(rf"(?:{words})\s*[:：]?\s*\d{{4}}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*日?"
                      r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")


def strip_furniture(lines: list[str]) -> list[str]:
    """The lines with page marks squashed into one cell, print stamps and running titles emptied (see the
    module); no line removed, so every line keeps its number."""
    out = list(lines)
    furniture: set[int] = set()
    stamp = _stamp()
    for index, line in enumerate(out[:_MAX_LINES]):
        if len(line) > 400:
            continue
        if is_page_mark_line(line):
            # kept as one cell the readers know ('第1页共2页'): a page mark ends the row above for them
            out[index] = labels.squash(line)
            furniture.add(index)
            continue
        found = stamp.search(line)
        if found:
            out[index] = (line[:found.start()].rstrip() + " " + line[found.end():].lstrip()).strip()
            furniture.add(index)
            if not labels.squash(out[index]):
                out[index] = ""
    top = {i for i in [i for i, line in enumerate(out[:200]) if line.strip()][:3]}  # the first page's top
    places: dict[str, list[int]] = {}
    for index, line in enumerate(out[:_MAX_LINES]):
        core = labels.squash(line)
        if 6 <= len(core) <= 80:
            places.setdefault(core, []).append(index)
    for core, found in places.items():
        # every print of a running title stands at a page's top or foot (the text's first lines, beside a
        # page mark or a stamp) or names a form; a wrapped cell's line printed twice does neither
        if len(found) < 2 or not all(_running_title(out[i], core) and
                                     (i in top or {i - 1, i + 1} & furniture or _TITLE_WORDS.search(core))
                                     for i in found):
            continue
        for index in found[1:]:
            if not _starts_form(out, index):
                out[index] = ""
    return out


def _starts_form(lines: list[str], index: int) -> bool:
    """A title followed by the form's fields ('项目名称：…'): another form printed after the first."""
    for line in lines[index + 1:index + 4]:
        head = re.split(r"[:：\s|]", line.strip(), maxsplit=1)[0]
        if head and labels.field_label(head):
            return True
    return False


def _running_title(line: str, core: str) -> bool:
    if sum(labels.header_role(word) is not None for word in line.split()) >= 2:
        return False  # the table's header printed again: the table reader knows it
    return not (labels.looks_like_value(core) or labels.level_label(core) or labels.header_role(core) or
                re.search(r"\d", core))
