"""The reviewer's memo as a file: one form, or many with a summary first.

.xlsx: a 汇总 sheet (one row per form, worst first) and one sheet per form (the indicator table
with each row's problems and rewrite, then the form-level findings). .docx: the summary table,
then each form's memo. Works from the review's JSON shape (`DeclarationReview.to_dict()`), which
is what the CLI holds and what the page sends back, so both write the same file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from api.export.download import MEDIA_TYPES, Download, safe_stem
from corpus.write import printable

MEMO_FORMATS = ("xlsx", "docx")
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
SUMMARY_HEADER = ("序号", "申报单位", "项目名称", "指标数", "错误", "警告", "提示", "可测量性评分", "文件")
ROW_HEADER = ("行", "一级指标", "二级指标", "三级指标", "目标值", "问题", "建议改为", "依据")


@dataclass(frozen=True)
class ReviewedForm:
    file: str
    review: dict  # DeclarationReview.to_dict()


def _count(review: dict, severity: str) -> int:
    return int(((review.get("summary") or {}).get("by_severity") or {}).get(severity, 0) or 0)


def _score(review: dict) -> float:
    return (review.get("summary") or {}).get("measurability_score", 0) or 0


def worst_first(forms: list[ReviewedForm]) -> list[ReviewedForm]:
    """Most errors first, then the lowest measurability score, then most warnings (as the page)."""
    return sorted(forms, key=lambda f: (-_count(f.review, "error"), _score(f.review),
                                        -_count(f.review, "warning"), f.file))


def summary_rows(forms: list[ReviewedForm]) -> list[list[str]]:
    rows = []
    for n, form in enumerate(forms, start=1):
        r = form.review
        rows.append([str(n), r.get("agency") or "—", r.get("project_name") or "（项目名称缺失）",
                     str((r.get("summary") or {}).get("indicators", len(r.get("rows") or []))),
                     str(_count(r, "error")), str(_count(r, "warning")), str(_count(r, "info")),
                     str(_score(r)), form.file])
    return rows


def indicator_rows(review: dict) -> list[list[str]]:
    out = []
    findings = review.get("findings") or []
    for row in review.get("rows") or []:
        found = [f for f in findings if f.get("line") == row.get("line") and f.get("indicator") == row.get("name")]
        problems = "；".join(f"{SEVERITY.get(f.get('severity'), '')}：{f.get('label') or ''}——{f.get('message') or ''}"
                            for f in found)
        fix = next((f["suggestion"] for f in found if f.get("suggestion")), None) or {}
        out.append([str(row.get("line") or ""), row.get("level1") or "—", row.get("level2") or "—",
                    row.get("name") or "", row.get("value") or "（空）", problems,
                    fix.get("raw", ""), fix.get("basis", "")])
    return out


def form_findings(review: dict) -> list[str]:
    return [f"{SEVERITY.get(f.get('severity'), '')}［{f.get('label') or ''}］{f.get('message') or ''}"
            + (f" → 建议：{f['suggestion'].get('raw', '')}" if f.get("suggestion") else "")
            for f in review.get("findings") or [] if f.get("indicator") is None or f.get("code") == "OTHER"]


def headline(review: dict) -> str:
    s = review.get("summary") or {}
    return (f"可测量性评分 {_score(review)}/100：{s.get('indicators', 0)} 个指标中 {s.get('vague', 0)} 个目标值无法量化，"
            f"{s.get('misfit', 0)} 个与指标类型不符；错误 {_count(review, 'error')}，警告 {_count(review, 'warning')}，"
            f"提示 {_count(review, 'info')}")


def memo_download(*, forms: list[ReviewedForm], fmt: str) -> Download:
    """The memo of one form, or the summary and memos of many. Raises ValueError (Chinese)."""
    if fmt not in MEMO_FORMATS:
        raise ValueError(f"格式“{fmt}”不支持，应为 {'、'.join(MEMO_FORMATS)} 之一")
    if not forms:
        raise ValueError("没有可导出的审核结果")
    forms = worst_first(forms)
    content = (_xlsx if fmt == "xlsx" else _docx)(forms)
    stem = (safe_stem(forms[0].review.get("project_name"), "审核意见") + "-审核意见" if len(forms) == 1
            else f"审核汇总-{len(forms)}份")
    return Download(f"{stem}.{fmt}", MEDIA_TYPES[fmt], content)


def _sheet_title(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", text)[:28] or "表"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:25]}（{n}）", n + 1
    taken.add(title)
    return title


def _xlsx(forms: list[ReviewedForm]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    taken = {"汇总"}
    _put_rows(summary, [list(SUMMARY_HEADER)] + summary_rows(forms), (6, 22, 36, 8, 6, 6, 6, 12, 30))
    for n, form in enumerate(forms, start=1):
        review = form.review
        sheet = book.create_sheet(_sheet_title(f"{n}-{review.get('project_name') or '项目名称缺失'}", taken))
        sheet.append([printable(f"审核意见：{review.get('project_name') or '（项目名称缺失）'}")])
        sheet.append([printable(f"申报单位：{review.get('agency') or '—'}；年度：{review.get('year') or '—'}；文件：{form.file}")])
        sheet.append([printable(headline(review))])
        sheet["A1"].font = Font(bold=True, size=13)
        start = sheet.max_row + 2
        _put_rows(sheet, [list(ROW_HEADER)] + indicator_rows(review), (5, 10, 14, 28, 16, 44, 18, 44), start)
        lines = form_findings(review)
        row = sheet.max_row + 2
        sheet.cell(row, 1, "表单层面").font = Font(bold=True)
        for k, line in enumerate(lines or ["无"], start=1):
            cell = sheet.cell(row + k, 1, printable(line))
            cell.alignment = Alignment(wrap_text=False)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put_rows(sheet, rows: list[list[str]], widths: tuple[int, ...], start: int = 1) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for r, row in enumerate(rows, start=start):
        for c, text in enumerate(row, start=1):
            cell = sheet.cell(r, c, printable(text))
            cell.data_type = "s"  # text: a project name such as =HYPERLINK(…) stays text
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == start:
                cell.font = Font(bold=True)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width * 1.4


def _docx(forms: list[ReviewedForm]) -> bytes:
    import docx

    document = docx.Document()
    if len(forms) > 1:
        document.add_heading(f"审核汇总（{len(forms)} 份申报表，问题最多的在前）", level=1)
        _table(document, [list(SUMMARY_HEADER)] + summary_rows(forms))
    for form in forms:
        review = form.review
        document.add_heading(printable(f"审核意见：{review.get('project_name') or '（项目名称缺失）'}"),
                             level=1 if len(forms) == 1 else 2)
        document.add_paragraph(printable(f"申报单位：{review.get('agency') or '—'}；年度：{review.get('year') or '—'}；文件：{form.file}"))
        document.add_paragraph(printable(headline(review)))
        document.add_heading("一、指标表", level=3)
        _table(document, [list(ROW_HEADER)] + indicator_rows(review))
        document.add_heading("二、表单层面", level=3)
        for line in form_findings(review) or ["无"]:
            document.add_paragraph(printable(line))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = printable(text)
            if r == 0:
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True
