"""The self-contained HTML quality report: tables and inline SVG charts, no network.

Each chart has a one-line reading under it, written from the numbers.
"""

from __future__ import annotations

import html
import statistics
from collections import Counter

from corpus.targets import parse_target
from evaluation.report import LEVEL2_ORDER, Group, QualityReport

W = 760
FONT = 'font-family="WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif"'


def esc(value) -> str:
    return html.escape(str(value))


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def heatmap(groups: list[Group]) -> tuple[str, str]:
    columns = [c for c in LEVEL2_ORDER if any(g.coverage.get(c) for g in groups)]
    label_w, cell_w, cell_h = 260, max(40, (W - 260) // max(1, len(columns))), 28
    top = 100
    height = top + cell_h * len(groups)
    parts = [f'<svg width="{label_w + cell_w * len(columns) + 60}" height="{height}" {FONT} font-size="12">']
    for j, c in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(f'<text x="{x}" y="{top - 6}" text-anchor="start" transform="rotate(-40 {x} {top - 6})">{esc(c)}</text>')
    for i, g in enumerate(groups):
        y = top + i * cell_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 18}" text-anchor="end">{esc(g.group[:20])}</text>')
        for j, c in enumerate(columns):
            v = g.coverage.get(c, 0.0)
            shade = int(245 - 180 * v)
            parts.append(f'<rect x="{label_w + j * cell_w}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                         f'fill="rgb({shade},{shade + 5 if shade < 250 else 250},255)"><title>{esc(g.group)} · {esc(c)}: {_pct(v)}</title></rect>')
            parts.append(f'<text x="{label_w + j * cell_w + cell_w / 2}" y="{y + 18}" text-anchor="middle" '
                         f'fill="{"#fff" if v > 0.6 else "#333"}">{_pct(v)}</text>')
    parts.append("</svg>")
    everywhere = [c for c in columns if all(g.coverage.get(c, 0) == 1 for g in groups)]
    rarest = min(columns, key=lambda c: sum(g.coverage.get(c, 0) > 0 for g in groups)) if columns else None
    users = sum(g.coverage.get(rarest, 0) > 0 for g in groups) if rarest else 0
    reading = (f"每个分组的全部申报表都覆盖的类别：{'、'.join(everywhere) or '无'}；使用最少的类别是“{rarest}”，"
               f"{len(groups)} 个分组中只有 {users} 个用到。")
    return "".join(parts), reading


def vague_bars(groups: list[Group]) -> tuple[str, str]:
    bar_h, label_w, plot_w = 26, 260, W - 300
    height = 40 + bar_h * len(groups)
    parts = [f'<svg width="{W}" height="{height}" {FONT} font-size="12">']
    for k in range(0, 101, 20):
        x = label_w + plot_w * k / 100
        parts.append(f'<line x1="{x}" y1="20" x2="{x}" y2="{height - 10}" stroke="#ddd"/>'
                     f'<text x="{x}" y="14" text-anchor="middle" fill="#666">{k}%</text>')
    for i, g in enumerate(groups):
        y = 26 + i * bar_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{esc(g.group[:20])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{plot_w * g.vague_share}" height="{bar_h - 10}" fill="#d9822b">'
                     f'<title>{esc(g.group)}: {_pct(g.vague_share)} ({g.vague}/{g.indicators})</title></rect>')
        lo, hi = label_w + plot_w * g.vague_low, label_w + plot_w * g.vague_high
        parts.append(f'<line x1="{lo}" y1="{y + 8}" x2="{hi}" y2="{y + 8}" stroke="#333" stroke-width="1.5"/>'
                     f'<line x1="{lo}" y1="{y + 3}" x2="{lo}" y2="{y + 13}" stroke="#333"/>'
                     f'<line x1="{hi}" y1="{y + 3}" x2="{hi}" y2="{y + 13}" stroke="#333"/>'
                     f'<text x="{hi + 6}" y="{y + 13}" fill="#333">{_pct(g.vague_share)} ({g.vague}/{g.indicators})</text>')
    parts.append("</svg>")
    worst, best = max(groups, key=lambda g: g.vague_share), min(groups, key=lambda g: g.vague_share)
    total = sum(g.vague for g in groups) / max(1, sum(g.indicators for g in groups))
    reading = (f"含糊目标占比最高的是“{worst.group}”（{_pct(worst.vague_share)}，95%区间 {_pct(worst.vague_low)}–"
               f"{_pct(worst.vague_high)}），最低的是“{best.group}”（{_pct(best.vague_share)}）；合计 {_pct(total)}。"
               "样本小，区间宽的分组差异不宜过度解读。")
    return "".join(parts), reading


def histogram(report: QualityReport) -> tuple[str, str]:
    counts = [p.indicators for p in report.profiles]
    bins = Counter((c // 5) * 5 for c in counts)
    keys = list(range(0, max(counts) + 1, 5))
    peak = max(bins.values())
    bar_w, height = (W - 80) / len(keys), 220
    parts = [f'<svg width="{W}" height="{height + 40}" {FONT} font-size="12">']
    for i, k in enumerate(keys):
        h = (height - 30) * bins.get(k, 0) / peak
        x = 50 + i * bar_w
        parts.append(f'<rect x="{x}" y="{height - h}" width="{bar_w - 4}" height="{h}" fill="#1f4e79">'
                     f'<title>{k}–{k + 4}: {bins.get(k, 0)}</title></rect>'
                     f'<text x="{x + bar_w / 2}" y="{height + 16}" text-anchor="middle">{k}–{k + 4}</text>')
        if bins.get(k):
            parts.append(f'<text x="{x + bar_w / 2}" y="{height - h - 4}" text-anchor="middle">{bins[k]}</text>')
    parts.append(f'<text x="{W / 2}" y="{height + 34}" text-anchor="middle" fill="#666">每份申报表的指标数</text></svg>')
    low = min(report.profiles, key=lambda p: p.indicators)
    high = max(report.profiles, key=lambda p: p.indicators)
    reading = (f"每份申报表平均 {statistics.mean(counts):.1f} 个指标（中位数 {statistics.median(counts):g}），最少 "
               f"{low.indicators} 个（{low.project_name or low.declaration_id}），最多 {high.indicators} 个"
               f"（{high.project_name or high.declaration_id}）。")
    return "".join(parts), reading


FAMILIES = (("满意度", "满意"), ("预算执行率", "预算执行率"), ("资金到位率", "到位率"), ("知晓率", "知晓"))


def value_strips(report: QualityReport) -> tuple[str, str]:
    rows = []
    for label, needle in FAMILIES:
        values = []
        for d in report.decls:
            for i in d.indicators:
                t = parse_target(i.target.raw)
                if needle in i.name and t.unit == "%" and t.value is not None:
                    values.append((t.value, i.target.raw))
        if values:
            rows.append((label, values))
    height = 40 + 40 * len(rows)
    parts = [f'<svg width="{W}" height="{height}" {FONT} font-size="12">']
    lo_x, hi_x, left = 60, 100, 140
    scale = lambda v: left + (W - left - 30) * (v - lo_x) / (hi_x - lo_x)  # noqa: E731
    for k in range(lo_x, hi_x + 1, 10):
        parts.append(f'<line x1="{scale(k)}" y1="20" x2="{scale(k)}" y2="{height - 10}" stroke="#ddd"/>'
                     f'<text x="{scale(k)}" y="14" text-anchor="middle" fill="#666">{k}%</text>')
    for r, (label, values) in enumerate(rows):
        y = 40 + 40 * r
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{esc(label)}（{len(values)}）</text>')
        for n, (v, raw) in enumerate(sorted(values)):
            jitter = (n % 5 - 2) * 3
            parts.append(f'<circle cx="{scale(max(lo_x, min(hi_x, v)))}" cy="{y + jitter}" r="4" fill="#2b8a3e" '
                         f'fill-opacity="0.6"><title>{esc(raw)}</title></circle>')
    parts.append("</svg>")
    sentences = []
    for label, values in rows:
        common, n = Counter(raw for _, raw in values).most_common(1)[0]
        sentences.append(f"{label}目标中位数 {statistics.median(v for v, _ in values):g}%（{len(values)} 个，"
                         f"最常见写法“{common}”{n} 次）")
    return "".join(parts), "；".join(sentences) + "。"


def _cell(value) -> str:
    """A value as a person reads it: lists joined, nothing shown for a missing one."""
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return "、".join(_cell(v) if not isinstance(v, (list, tuple)) else f"{v[0]}×{v[1]}" for v in value)
    if isinstance(value, dict):
        return "、".join(f"{k}×{v}" for k, v in value.items())
    return str(value)


def _share(value) -> str:
    return "—" if value is None else _pct(value)


# (key, Chinese header, how to show the value): the report's tables in the reader's language
PROFILE_COLUMNS = [("declaration_id", "编号", _cell),
                   ("project_name", "项目名称", lambda v: v or "（项目名称缺失）"),
                   ("agency", "申报单位", lambda v: v or "（未知）"), ("year", "年度", _cell),
                   ("indicators", "指标数", _cell), ("quantified", "量化占比", _share), ("deadline", "期限占比", _share),
                   ("verifiable", "可核验状态占比", _share), ("vague", "含糊占比", _share),
                   ("measurability_score", "可测量性评分", _cell),
                   ("boilerplate_share", "套话占比", _share),
                   ("classes", "覆盖的类别", _cell)]
LIBRARY_COLUMNS = [("indicator", "指标", _cell), ("classes", "类别", _cell), ("frequency", "使用次数", _cell),
                   ("agencies", "使用单位", _cell), ("observed_values", "过往取值", _cell)]


def table(rows: list[dict], columns: list[tuple], limit: int | None = None) -> str:
    head = "".join(f"<th>{esc(title)}</th>" for _, title, _ in columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(show(r.get(key)))}</td>" for key, _, show in columns) + "</tr>"
                   for r in rows[:limit])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def side_by_side(groups: list[Group]) -> str:
    metrics = [("申报表数", lambda g: g.declarations), ("指标数", lambda g: g.indicators),
               ("平均指标数", lambda g: g.mean_indicators), ("含糊目标", lambda g: g.vague),
               ("含糊占比（95%区间）", lambda g: f"{_pct(g.vague_share)}（{_pct(g.vague_low)}–{_pct(g.vague_high)}）"),
               ("平均可测量性", lambda g: g.mean_measurability),
               ("常见含糊写法", lambda g: "、".join(f"{v}×{n}" for v, n in g.top_vague)),
               ("常用指标", lambda g: "、".join(f"{v}×{n}" for v, n in g.top_indicators))]
    head = "<th></th>" + "".join(f"<th>{esc(g.group)}</th>" for g in groups)
    body = "".join(f"<tr><th>{esc(m)}</th>" + "".join(f"<td>{esc(f(g))}</td>" for g in groups) + "</tr>"
                   for m, f in metrics)
    return f"<table class=\"compare\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(report: QualityReport, groups: list[Group], *, title: str, dimension: str) -> str:
    charts = [(f"类别覆盖：{dimension} × 二级指标（该分组中用到该类别的申报表比例）", heatmap(groups)),
              (f"含糊目标占比（按{dimension}，横线为95%区间）", vague_bars(groups)),
              ("每份申报表的指标数分布", histogram(report)),
              ("常见量化指标的目标值分布", value_strips(report))]
    sections = "".join(f"<h2>{esc(t)}</h2>{svg}<p class=\"reading\">{esc(reading)}</p>"
                       for t, (svg, reading) in charts)
    tables = report.tables()
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:"WenQuanYi Zen Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1d2733;max-width:1200px}}
table{{border-collapse:collapse;font-size:12px;margin:8px 0 20px}}th,td{{border:1px solid #ccd;padding:3px 6px;vertical-align:top}}
th{{background:#eef2f6}}.reading{{background:#f3f7fb;border-left:4px solid #1f4e79;padding:6px 10px}}h2{{font-size:17px;margin-top:28px}}</style>
</head><body><h1>{esc(title)}</h1>
<p>{len(report.profiles)} 份申报表，{sum(p.indicators for p in report.profiles)} 个指标。含糊目标：有人工标注的按标注，其余按检测器（规则+模型）判定。</p>
<h2>分组对比（{esc(dimension)}）</h2>{side_by_side(groups)}
{sections}
<h2>每份申报表的质量概况</h2>{table(tables["declarations"], PROFILE_COLUMNS)}
<h2>指标库（全语料，按使用次数）</h2>{table(tables["indicator_library"], LIBRARY_COLUMNS, limit=60)}
</body></html>"""
