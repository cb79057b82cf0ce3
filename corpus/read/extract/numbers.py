"""Spreadsheet values rendered as a person sees them in Excel: 1100 not 1100.0, 0.95 as "95%".

Only the number formats that budget forms use are honoured: General, fixed decimals ("0.00"),
thousands separators ("#,##0.00"), percentages ("0%", "0.00%") and dates (ISO, or 2023年12月 when
the format is written with 年/月/日). Anything else falls back to General.
"""

from __future__ import annotations

import datetime as dt
import re

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def render_value(value: object, number_format: str | None = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return render_date(value, number_format or "")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if value.second == 0 else value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int) and number_format in (None, "General"):
        return str(value)
    if isinstance(value, int):
        return render_number(float(value), number_format)
    if isinstance(value, float):
        return render_number(value, number_format or "General")
    return str(value)


def render_number(value: float, number_format: str = "General") -> str:
    if number_format == "General":
        return general(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    section = number_format.split(";")[0]  # the negative section's brackets/colours are not text
    bare = _QUOTED.sub("", section)
    if "%" in bare:
        return _fixed(value * 100, _decimals(bare), "," in bare) + "%"
    if re.search(r"[0#]", bare) and not re.search(r"[eE][+-]", bare):
        return _fixed(value, _decimals(bare), "#,#" in bare or "0,0" in bare)
    return general(value)


def general(value: float) -> str:
    """Excel's General format: up to 15 significant digits, no trailing zeros, no ".0"."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    return text


def render_date(value: dt.date, number_format: str) -> str:
    bare = _QUOTED.sub("", number_format).lower()
    chinese = "年" in number_format or "月" in number_format
    has_day = "d" in bare or "日" in number_format
    has_month = "m" in bare or "月" in number_format
    if chinese:
        text = f"{value.year}年"
        if has_month:
            text += f"{value.month}月"
        if has_day:
            text += f"{value.day}日"
        return text
    if isinstance(value, dt.datetime) and (value.hour or value.minute or value.second):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def _decimals(section: str) -> int:
    match = re.search(r"\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


def _fixed(value: float, decimals: int, thousands: bool) -> str:
    return f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
