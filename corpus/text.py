"""Small text helpers shared by the layouts: reading files, HTML residue, money, dates, boxes."""

from __future__ import annotations

import calendar
import codecs
import html
import re
from pathlib import Path

from corpus.errors import InputError, os_problem

MAX_FILE_BYTES = 5 * 1024 * 1024  # a real form file is ~40 kB; anything this big is not one


def read_form_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, str | None]:
    """Decode a form file. Returns (text, warning); the warning says when GB18030 was converted."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"无法读取（{os_problem(exc)}）") from None
    if size > max_bytes:
        raise InputError(path, f"大小 {size:,} 字节，超过 {max_bytes:,} 字节的上限（ZHIBIAO_MAX_FILE_BYTES）")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"无法读取（{os_problem(exc)}）") from None
    if not data.strip():
        raise InputError(path, "是空文件；应为绩效目标申报表的文本")
    bom = _by_bom(path, data)
    if bom is not None:
        return bom
    if b"\x00" in data[:4096]:
        raise InputError(path, "是二进制文件；应为 UTF-8 或 GB18030 编码的绩效目标申报表文本")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(path, "既不是 UTF-8 也不是 GB18030 编码的文本；应为绩效目标申报表的文本") from None
    return text, f"{path.name}: 按 GB18030 解码，已转换为 UTF-8"


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8-sig", "带 BOM 的 UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))


def _by_bom(path: Path, data: bytes) -> tuple[str, str] | None:
    """Text that starts with a byte-order mark (Notepad's "Unicode" is UTF-16 LE with one), decoded
    by it, with the warning the GB18030 path gives; None without a mark."""
    for mark, codec, shown in _BOMS:  # UTF-32 LE's mark begins with UTF-16 LE's: tried first
        if data.startswith(mark):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(path, f"以 {shown} 的字节顺序标记开头，但内容不是有效的 {shown} 文本") from None
            return text, f"{path.name}: 按 {shown} 解码，已转换为 UTF-8"
    return None


_TAG = re.compile(r"<[^<>]+>")  # not [^>]: from every '<' of '<a<a<a…' that scanned to the end


def clean_prose(text: str | None) -> str | None:
    """Prose without HTML tags or entities, paragraphs joined by newlines, spaces collapsed."""
    if text is None:
        return None
    text = re.sub(r"</p>\s*<p>|<br\s*/?>", "\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in text.split("\n")]
    joined = "\n".join(line for line in lines if line)
    return joined or None


def parse_money(text: str | None) -> float | None:
    """'170,000,000' → 170000000.0; '600,000.00' → 600000.0; '无' / '' → None."""
    if not text:
        return None
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text.replace("，", ","))
    if not match:
        return None
    value = float(match[0].replace(",", ""))
    if "万元" in text:
        value *= 10_000
    return value


_DATE = re.compile(r"(?:(?P<y>\d{4})\s*[年/\-.]\s*)?(?P<m>\d{1,2})\s*[月/\-.]\s*(?:(?P<d>\d{1,2})\s*日?)?")


def parse_date(text: str | None, *, year: int | None, end: bool = False) -> str | None:
    """'2019年1月1日' / '2020/2/1' / '1月1日' (+ form year) → ISO date; a bare month → its
    first day (or last day for an end date)."""
    if not text:
        return None
    match = _DATE.search(text.strip())
    if not match:
        return None
    y = int(match["y"]) if match["y"] else year
    if y is None:
        return None
    m = int(match["m"])
    if not 1 <= m <= 12:
        return None
    d = int(match["d"]) if match["d"] else (calendar.monthrange(y, m)[1] if end else 1)
    return f"{y:04d}-{m:02d}-{d:02d}"


_CHECKBOX = re.compile(r"<input([^<>]*)/?>")


def checked_label(text: str) -> str | None:
    """The label of the checked box. Labels are written before their box ('经常性专项业务费
    <input checked…/>'), or after it in some forms ('<input …/> 一次性项目')."""
    parts = _CHECKBOX.split(text)
    # parts: [label0, attrs0, label1, attrs1, ..., tail]
    for index in range(1, len(parts), 2):
        if "checked" not in parts[index]:
            continue
        before = _TAG.sub("", parts[index - 1]).strip()
        after = _TAG.sub("", parts[index + 1]).strip() if index + 1 < len(parts) else ""
        label = before if before and not text.lstrip().startswith("<input") else after
        label = label or before
        return re.sub(r"\s+", "", label) or None
    return None


def find_year(text: str) -> int | None:
    match = re.search(r"[(（]\s*(\d{4})\s*[)）]?\s*年|[(（]\s*(\d{4})\s*年", text)
    if match:
        return int(match[1] or match[2])
    return None


# json's own words for a syntax error, as a user reads them (the CLI, the API and the readers)
_JSON_PROBLEMS = {
    "Expecting value": "此处应为一个值", "Extra data": "值后面有多余内容",
    "Expecting property name enclosed in double quotes": "此处应为双引号括起的字段名",
    "Expecting ',' delimiter": "此处应为逗号", "Expecting ':' delimiter": "此处应为冒号",
    "Unterminated string starting at": "字符串没有结束", "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的转义序列", "Invalid \\uXXXX escape": "无效的 \\u 转义",
}


def json_problem(msg: str) -> str:
    """A json.JSONDecodeError's `msg` in Chinese."""
    return _JSON_PROBLEMS.get(msg, "语法错误")
