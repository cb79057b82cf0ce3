"""The five Shanghai seed layouts, recognised and handed to their own adapters (`corpus.layouts`):
the reader owns this dispatch, the adapters know nothing of the reader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from corpus.errors import InputError
from corpus.layouts import pages, sheets, tabbed
from corpus.read.document import NOT_FOUND
from corpus.schema import Declaration

LAYOUTS = ("sh-2019-tabbed", "sh-2020-starred", "minhang-2020-sheets", "pdf-2023-pages")


def detect_layout(text: str) -> str | None:
    if "年度(/项目)指标值" in text:
        return "pdf-2023-pages"
    if "（项目总体情况）" in text or "(制度保障)" in text or "（制度保障）" in text:
        return "minhang-2020-sheets"
    if "项目名称*：" in text or "项目名称*:" in text:
        return "sh-2020-starred"
    if "绩效目标申报表" in text and "\t" in text and "申报单位名称" in text and (
            "指标目标值" in text or "三级指标" not in text):
        # a form cut before its indicator table is still this layout: its adapter reads the
        # header fields and says the table is missing (the general reader would guess from prose)
        return "sh-2019-tabbed"
    return None


def parse_text(text: str, *, file: str, path: Path | None = None) -> list[Declaration]:
    """Declarations of a form's text: a known seed profile, else the general interpreter."""
    layout = detect_layout(text)
    if layout is None:
        from corpus.read.interpret import interpret_text
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        decls = interpret_text(lines, file=file, ident_prefix=Path(file).stem)
        if not decls:
            raise InputError(path or file, NOT_FOUND)
        return decls
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    stem = Path(file).stem
    if layout == "pdf-2023-pages":
        decls = pages.parse(lines, file=file, layout=layout, ident_prefix=stem)
    elif layout == "minhang-2020-sheets":
        decls = sheets.parse(lines, file=file, layout=layout, ident=f"{stem}-1")
    else:
        decls = _parse_tabbed(lines, file=file, layout=layout, stem=stem)
    if not decls:
        raise InputError(path or file, f"识别出版式 {layout}，但没有读出任何申报表")
    for decl in decls:
        for indicator in decl.indicators:
            if indicator.target.repaired:
                decl.warn("operator_repaired", f"“{indicator.name}”：指标值“{indicator.target.raw}”"
                          f"的比较符号被文字识别（OCR）弄错，已更正（{indicator.target.repaired}）",
                          indicator.line)
        if not decl.indicators:
            decl.warn("no_indicators", "这份申报表没有读出指标行（文件被截断？）")
    return decls


def _parse_tabbed(lines: list[str], *, file: str, layout: str, stem: str) -> list[Declaration]:
    forms = tabbed.split_forms(lines)
    years = Counter(y for first, _, opening in forms if opening
                    for y in [tabbed.find_year("\n".join(lines[first:first + 6]))] if y)
    year_hint = years.most_common(1)[0][0] if years else None
    return [tabbed.parse_form(lines, first, last, opening, file=file, layout=layout,
                              ident=f"{stem}-{n}", year_hint=year_hint)
            for n, (first, last, opening) in enumerate(forms, start=1)]
