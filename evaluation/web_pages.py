"""A generated form as a real web page, turned into text by real engines (the `webtext` round trip).

Users paste what their tool copied from a government site's page, and the sealed forms are such texts.
Our generator imitates that text in code (`generate_forms._surface`); this module makes the page itself
and lets real engines give its text, so that the reader is measured on what they really give:

- `page_html(form, seed)` writes the form's grid as an HTML page, every choice drawn at random from the
  seed and the form's id (deterministic): level cells merged with `rowspan` over their blocks (or printed
  on every row, or as rows of their own spanning the table when the form gives the hierarchy by
  indentation), the header with `指标值` spanning its sub-columns (指标性质 / 指标值 / 度量单位, or the
  value columns of a 自评表) on a second header row, line breaks inside cells (`<br>` in a long name,
  every cell's text in a `<p>` as Word's HTML export writes it), empty cells as `&nbsp;`, the form nested
  in a layout table beside the site's column list, the page's chrome before and after (site navigation,
  breadcrumbs, 发布时间 / 来源 / 浏览次数, 附件 links, print and close links, the footer), and the source
  pretty-printed or minified;
- `page_texts(htmls, engine)` gives their text: `chromium` (a real browser's `document.body.innerText`,
  driven by playwright: tabs between cells, newlines between rows, a cell's own line breaks kept; one
  browser for the whole run), `lxml_text` (lxml's `text_content()` of the body: cells run together, the
  source's whitespace between tags kept), `lxml_lines` (`itertext()`, one text node a line).

Gold stays the grid's rows (`GeneratedForm.rows`). Scripts and styles are dropped before the lxml
engines (as any tool that keeps them would paste program code, not a form).
"""

from __future__ import annotations

import html as html_lib
import random
import shutil
import zlib

from evaluation.generate_forms import GeneratedForm

ENGINES = ("chromium", "lxml_text", "lxml_lines")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# the site around the form: what a county or city government's 政务公开 page prints
_SITES = ("县人民政府", "市财政局", "区农业农村局", "县教育局")
_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进本地", "专题专栏")
_CRUMBS = ("当前位置：首页 > 政务公开 > 财政信息 > 预决算公开", "您现在的位置：首页 > 信息公开 > 财政资金",
           "首页 >> 法定主动公开内容 >> 绩效目标")
_COLUMNS = ("通知公告", "政策文件", "财政预决算", "部门预算", "绩效管理")
_FOOTERS = ("主办单位：县人民政府办公室 承办单位：县大数据中心", "网站标识码：5101000001 蜀ICP备12345678号",
            "联系电话：0830-1234567 地址：人民路1号", "版权所有 Copyright 2024 All Rights Reserved")
# the header's value columns that a grouped header spans with one 指标值 heading
_GROUPED = ("op", "target", "unit", "other", "actual")
_LEVEL_ROLES = ("l1", "l2", "l2b")


def _rng(form: GeneratedForm, seed: int) -> random.Random:
    return random.Random(zlib.crc32(f"web|{seed}|{form.id}".encode("utf-8")))


def page_traits(form: GeneratedForm, seed: int) -> dict[str, str]:
    """The page's own traits (drawn as `page_html` draws them)."""
    return _draw(form, _rng(form, seed))


def _draw(form: GeneratedForm, rng: random.Random) -> dict[str, str]:
    roles = form.roles
    levels = form.traits.get("层级列", "none")
    first, last = _value_run(roles)
    return {
        "网页层级": {"first": "合并单元格", "middle": "合并单元格", "every": "每行", "indent": "整行标签",
                 "none": "无"}.get(levels, "无"),
        "网页表头": ("无" if form.traits.get("表头") == "absent" else
                 "分组" if last > first and rng.random() < 0.7 else "单行"),
        "网页单元格换行": rng.choice(("无", "无", "br", "p", "br+p")),
        "网页空单元格": rng.choice(("空", "&nbsp;")),
        "网页框架": rng.choice(("无", "页眉页脚", "页眉页脚", "嵌套布局")),
        "网页源码": rng.choice(("缩进", "压缩")),
    }


def page_html(form: GeneratedForm, seed: int) -> tuple[str, dict[str, str]]:
    """The form as a web page, and the page's traits."""
    rng = _rng(form, seed)
    traits = _draw(form, rng)
    pretty = traits["网页源码"] == "缩进"
    nl = "\n" if pretty else ""
    table = _table(form, traits, rng, nl)
    content = [f'<p style="text-align:center"><strong>{html_lib.escape(form.title)}</strong></p>',
               f"<p>项目名称：专项资金项目{'&nbsp;' * 4}主管部门：县农业农村局</p>", table,
               "<p>填报说明：本表由项目单位填写。</p>"]
    site = rng.choice(_SITES)
    frame = traits["网页框架"]
    before: list[str] = []
    after: list[str] = []
    if frame != "无":
        before = [f'<div class="top">{site}门户网站</div>',
                  "<ul class=\"nav\">" + nl.join(f"<li><a href=\"#\">{w}</a></li>" for w in _NAV) + "</ul>",
                  f'<div class="crumb">{html_lib.escape(rng.choice(_CRUMBS))}</div>',
                  f"<h1>{site}2024年专项资金项目绩效目标公开</h1>",
                  f'<div class="info">发布时间：2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 09:30{"&nbsp;" * 2}'
                  f'来源：{site}{"&nbsp;" * 2}浏览次数：{rng.randint(12, 9000)}{"&nbsp;" * 2}字号：[大 中 小]</div>']
        after = ['<div class="attach">附件：<a href="#">1.项目支出绩效目标表.xls</a> <a href="#">2.编制说明.doc</a></div>',
                 '<div class="tools">【打印本页】【关闭窗口】</div>',
                 '<div class="footer">' + "<br>".join(rng.sample(_FOOTERS, 2)) + "</div>"]
    body = nl.join(before + content + after) if frame != "嵌套布局" else nl.join(
        before[:3] + ['<table class="layout" width="100%"><tr><td class="side" width="20%">'
                      + "".join(f"<p><a href=\"#\">{w}</a></p>" for w in rng.sample(_COLUMNS, 3))
                      + '</td><td class="main">' + nl.join(before[3:] + content) + "</td></tr></table>"] + after)
    page = ["<!DOCTYPE html>", "<html><head>", '<meta charset="utf-8">',
            f"<title>{html_lib.escape(form.title)}</title>",
            "<style>td{border:1px solid #000}</style><script>var visits = 1;</script>",
            "</head><body>", body, "</body></html>"]
    return "\n".join(page), traits


def _table(form: GeneratedForm, traits: dict[str, str], rng: random.Random, nl: str) -> str:
    roles, head, body = form.roles, form.grid[0], form.grid[1:]
    merged = traits["网页层级"] == "合并单元格"
    empty = "&nbsp;" if traits["网页空单元格"] == "&nbsp;" else ""
    breaks = traits["网页单元格换行"]
    indent = nl + "  " if nl else ""

    def cell(text: str, spans: str = "", tag: str = "td", role: str = "") -> str:
        shown = html_lib.escape(text.strip())
        if "br" in breaks and role in ("name", "nameb", "extra", "goal") and len(text.strip()) >= 8 \
                and rng.random() < 0.6:
            cut = len(text.strip()) // 2
            shown = html_lib.escape(text.strip()[:cut]) + "<br>" + html_lib.escape(text.strip()[cut:])
        if not shown:
            shown = empty
        elif "p" in breaks.split("+") and tag == "td":
            shown = f'<p class="MsoNormal"><span>{shown}</span></p>'
        return f"{indent}<{tag}{spans}>{shown}</{tag}>"

    rows: list[str] = []
    if traits["网页表头"] == "分组":
        first, last = _value_run(roles)
        top, low = [], []
        for i, h in enumerate(head):
            if i == first:
                top.append(cell("指标值", f' colspan="{last - first + 1}"', "th"))
            if first <= i <= last:
                low.append(cell(h, "", "th"))
            else:
                top.append(cell(h, ' rowspan="2"', "th"))
        rows += ["<tr>" + "".join(top) + nl + "</tr>", "<tr>" + "".join(low) + nl + "</tr>"]
    elif traits["网页表头"] == "单行":
        rows.append("<tr>" + "".join(cell(h, "", "th") for h in head) + nl + "</tr>")
    spans = _rowspans(form) if merged else {}
    last_labels = (None, None)
    for r, cells in enumerate(body):
        if traits["网页层级"] == "整行标签":
            l1, l2 = form.labels[r]
            if l1 != last_labels[0]:
                rows.append("<tr>" + cell(l1, f' colspan="{len(head)}"') + nl + "</tr>")
            if (l1, l2) != last_labels:
                rows.append("<tr>" + cell(l2, f' colspan="{len(head)}"') + nl + "</tr>")
            last_labels = (l1, l2)
        out = []
        for c, text in enumerate(cells):
            if merged and roles[c] in (*_LEVEL_ROLES, "proj", "goal", "dept"):
                span = spans.get((r, c))
                if span is None:
                    continue  # covered by the merged cell above
                out.append(cell(span[1], f' rowspan="{span[0]}"' if span[0] > 1 else "", role=roles[c]))
                continue
            out.append(cell(text, role=roles[c]))
        rows.append("<tr>" + "".join(out) + nl + "</tr>")
    return f'<table border="1" cellspacing="0" cellpadding="2">{nl}' + nl.join(rows) + f"{nl}</table>"


def _value_run(roles: list[str]) -> tuple[int, int]:
    """The first and last column of the first run of adjacent value columns (-1, -1 when none)."""
    first = next((i for i, r in enumerate(roles) if r in _GROUPED), -1)
    last = first
    while first >= 0 and last + 1 < len(roles) and roles[last + 1] in _GROUPED:
        last += 1
    return first, last


def _rowspans(form: GeneratedForm) -> dict[tuple[int, int], tuple[int, str]]:
    """(row, column) of each merged cell's top → (rows it spans, its text): a level cell spans the run
    of rows of its label (a second level within its first level's run), a project's columns every row."""
    n = len(form.grid) - 1
    out: dict[tuple[int, int], tuple[int, str]] = {}
    for c, role in enumerate(form.roles):
        if role in ("proj", "goal", "dept"):
            out[(0, c)] = (n, form.grid[1][c])
            continue
        if role not in _LEVEL_ROLES:
            continue
        keys = [lab[0] if role == "l1" else lab for lab in form.labels]
        start = 0
        for r in range(1, n + 1):
            if r == n or keys[r] != keys[start]:
                out[(start, c)] = (r - start, form.labels[start][0 if role == "l1" else 1])
                start = r
    return out


# ---- engines ------------------------------------------------------------------------------------------

def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_engine(engine: str) -> str | None:
    """Why `engine` cannot run here (a line in Chinese), or None."""
    if engine not in ENGINES:
        return f"未知的网页文本引擎 {engine}（可用：{'、'.join(ENGINES)}）"
    if engine == "chromium":
        if chromium_path() is None:
            return "未安装 chromium：跳过 chromium innerText 一项（apt-get install chromium）"
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            return "未安装 playwright：跳过 chromium innerText 一项（pip install playwright）"
    return None


def page_texts(htmls: list[str], engine: str) -> list[str]:
    """The text each engine gives for each page (one browser for all pages)."""
    if engine == "chromium":
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                texts = []
                for source in htmls:
                    page.set_content(source, wait_until="domcontentloaded")
                    texts.append(page.evaluate("() => document.body.innerText"))
                return texts
            finally:
                browser.close()
    return [_lxml_text(source, lines=engine == "lxml_lines") for source in htmls]


def _lxml_text(source: str, lines: bool) -> str:
    import lxml.html
    root = lxml.html.document_fromstring(source)
    for node in root.xpath("//script|//style"):
        node.drop_tree()
    body = root.body
    if lines:
        return "\n".join(piece.strip() for piece in body.itertext() if piece.strip()) + "\n"
    return body.text_content()
