"""A PDF text layer's rows told by the layout of their lines (the third reading of `wraps.join_interleaved`).

A ruled table's row prints each cell's wrapped lines one leading apart, all of them at the row's top or
centred on its middle; a text layer puts on one text line the fragments whose lines stand at the same
height. So the lines of one row are not any sequence of fragments: at the top, every cell starts on the
row's first line and goes on on the lines right after it (each line holds the cells still going); at the
middle, a cell of h lines out of the row's H stands (H − h) / 2 leadings down, so cells whose line counts
differ by an odd number print on lines between each other's ('受灾群众12小时' / '数据来源于主管部' /
'内得到初步救助 =100%' / '门统计' / '率': the name's three lines and the explanation's two alternate).

The greedy readings of `wraps` decide each line with one line of look-ahead and a guessed column width; a
lone fragment of words that could go on with the name or with the explanation, a value's second line, a
row whose first lines stand above its value are where they go wrong. Here every line gets its likeliest
placements, and the lines are cut into rows by a dynamic programme: a row (a run of up to `MAX_ROW_LINES`
lines) counts only where some choice of its lines' placements is laid out as a top- or middle-aligned row
prints (`laid_out`), a cell's fragment going on from the line above where the one before filled its
column or a value goes on by its shape; a row with a name and a value is worth more than one without, and
two short rows more than one row of two lines that do not go on from each other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.read.interpret import labels

MAX_ROW_LINES = 10     # a row's lines: a cell of five lines centred beside one of four alternate over nine
_OPTIONS = 6           # placements kept per line
_COMBINATIONS = 64     # choices of placements kept per run of lines
_ROW = 1.0             # a row's worth
_INCOMPLETE = -6.0     # a row with no name or no value (a fragment left apart)
_GOES_ON = 1.5         # a fragment that goes on with its cell's fragment above (it filled its column)
_STOPS = -4.0          # a fragment below another of its cell that cannot go on from it
_UNSURE = -1.5         # words below words that did not fill a column of unknown width


def laid_out(sets: list[frozenset], align: str | None = None) -> bool:
    """The lines' columns (top line first) are those of one row with its cells at its top or its middle
    (`align` "top" or "middle": that one only)."""
    return _laid_out(tuple(sets), align)


@lru_cache(maxsize=65536)  # the same runs of columns come again for every start and every form
def _laid_out(sets: tuple[frozenset, ...], align: str | None) -> bool:
    if len(sets) <= 1:
        return True
    lines_of: dict = {}
    for t, cols in enumerate(sets):
        for col in cols:
            lines_of.setdefault(col, []).append(t)
    if not lines_of:
        return False
    if align != "middle" and all(found == list(range(len(found))) for found in lines_of.values()):
        return True  # at the top: each cell from the first line on, the lines after it
    if align == "top":
        return False
    tallest = max(len(found) for found in lines_of.values())
    heights: dict[int, set] = {}  # in half leadings from the row's top line
    for col, found in lines_of.items():
        for j in range(len(found)):
            heights.setdefault(tallest - len(found) + 2 * j, set()).add(col)
    order = sorted(heights)
    return len(order) == len(sets) and all(heights[y] == set(sets[t]) for t, y in enumerate(order))


def line_options(tokens: list[tuple[int, str]], roles: list, widths: dict, *, kept: bool,
                 assign, kind, fits, full) -> list[tuple[float, list[tuple[int, str]]]]:
    """A line's likeliest placements (score, [(column, fragment)]), best first. With the columns' positions
    kept there is one, under the header words; else every monotone placement of its fragments whose
    kinds fit their columns, a bare framework word ('数量', a name's tail in a table whose labels carry an
    ending or a score) and words that read as a state ('化肥使用量减少', the first line of '…减少比例') also as
    words."""
    if kept:
        placed = assign(tokens, roles, None, widths)
        return [(0.0, placed)] if placed else []
    found = _options([t for _, t in tokens], roles, widths, kind, fits, full)
    if any(" " in t.strip() for _, t in tokens):
        # fragments the tokenizer kept together (a bracket opened at a column's edge, '研究成果采纳（转' and
        # the next cell '依据年度') apart too
        parts = [part for _, t in tokens for part in t.split()]
        found += [(score - 0.5, placed) for score, placed in _options(parts, roles, widths, kind, fits, full)]
        found.sort(key=lambda option: -option[0])
    if not found:
        return []
    return [option for option in found[:_OPTIONS] if option[0] >= found[0][0] - 3.0]


def _options(texts: list[str], roles: list, widths: dict, kind, fits, full) -> list[tuple[float, list[tuple[int, str]]]]:
    levels = "level1" in roles or "level2" in roles
    kinds = []
    for text in texts:
        k = kind(text, levels)
        alts = [(k, 0.0)]
        if k == "label" and not decorated(text) or k == "value" and not re.search(r"[\d%≥≤<>=＞＜＝≧≦]", text):
            alts.append(("text", -1.0))  # (a name's first line may read as a state word: '化肥使用量减少' / '比例')
        kinds.append(alts)
    n, m = len(roles), len(texts)
    if m > n:
        return []
    found: list[tuple[float, list[tuple[int, str]]]] = []

    def fit(i: int, col: int) -> tuple[float, str] | None:
        best = None
        for k, extra in kinds[i]:
            score = fits(k, roles[col]) + extra
            if k == "text" and roles[col] in ("name", "explain") and widths:
                score += -3.0 if _too_wide(texts[i], col, widths) else (0.5 if full(texts[i], col, widths) else 0.0)
            if score > -2.5 and (best is None or score > best[0]):
                best = (score, k)
        return best

    table = [[fit(i, col) for col in range(n)] for i in range(m)]

    def walk(i: int, col: int, score: float, out: list) -> None:
        if len(found) > 4096:
            return
        if i == m:
            found.append((score, list(out)))
            return
        for c in range(col, n - (m - i - 1)):
            cell = table[i][c]
            if cell is None:
                continue
            out.append((c, texts[i]))
            walk(i + 1, c + 1, score + cell[0], out)
            out.pop()

    walk(0, 0, 0.0, [])
    found.sort(key=lambda option: -option[0])
    return found[:_OPTIONS]


def _too_wide(text: str, col: int, widths: dict) -> bool:
    """Words wider than their column's widest line (a layer that cuts by characters, a digit as wide as a
    Chinese character: wider in characters too)."""
    shown = sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)
    chars = widths.get(("chars", col), 10 ** 6)
    return shown > widths.get(col, 99) + 0.5 and not (chars < 10 ** 6 and len(text.strip()) <= chars)


def decorated(text: str) -> bool:
    """A label with a numbering, a score, a tag or an ending ('数量指标', '(一)数量'): no bare framework word."""
    core = labels.squash(text)
    return labels.strip_decoration(text) != core or core.endswith(tuple(labels.patterns()["level_endings"]))


def rows_by_layout(order: list[int], options: dict[int, list], breaks: set[int], roles: list,
                   is_label, goes_on) -> list[tuple[list[int], dict[int, list[tuple[int, str]]]]] | None:
    """The lines (indices in `order`, top first) cut into rows: [(the row's lines, each line's placement)].
    `breaks`: lines that end the row above (a page mark, the header printed again). `is_label(col, text)`:
    a level label (merged over its block, printed on any of its lines: no part of the row's layout).
    `goes_on(col, above, below)`: the score of a cell's fragment below another. A table prints all its
    rows one way: the cut of rows at their top and the cut of rows at their middle, the better kept."""
    if any(not options[index] for index in order):
        return None
    # each placement's cells of the row (level labels apart) and their columns, once
    info = {index: [(score, placed, content, frozenset(c for c, _ in content))
                    for score, placed in options[index]
                    for content in [[(c, t) for c, t in placed if not is_label(c, t)]]] for index in order}
    memo: dict = {}

    def follows(col: int, above: str, below: str) -> float:
        key = (col, above, below)
        if key not in memo:
            memo[key] = goes_on(col, above, below)
        return memo[key]
    cuts = [_cut(order, info, breaks, roles, follows, align) for align in ("middle", "top")]
    found = [cut for cut in cuts if cut is not None]
    return max(found, key=lambda cut: cut[0])[1] if found else None


_VALUED = frozenset({"target", "period_target", "actual", "other"})


def _cut(order, info, breaks, roles, follows, align):
    """The best cut of the lines into rows (a dynamic programme over row ends); each run of lines from a
    row's start is grown line by line, the likeliest choices of placements kept (a beam)."""
    count = len(order)
    best: list[float | None] = [None] * (count + 1)
    back: list[tuple[int, tuple] | None] = [None] * (count + 1)
    best[0] = 0.0

    def relax(end: int, total: float, how: tuple) -> None:
        if best[end] is None or total > best[end]:
            best[end], back[end] = total, how

    for start in range(count):
        if best[start] is None:
            continue
        # (the placements' score, the layout's columns, each column's last fragment, the placements, how the
        # fragments go on): kept by the placements' score, as how a cell goes on is only known at the row's end
        beam: list[tuple[float, tuple, dict, tuple, float]] = [(0.0, (), {}, (), 0.0)]
        for end in range(start + 1, min(count, start + MAX_ROW_LINES) + 1):
            index = order[end - 1]
            if index in breaks:
                if end - start == 1:
                    relax(end, best[start], (start, ([],)))
                break
            grown = []
            for score, sets, cells, choice, goes in beam:
                for option_score, placed, content, cols in info[index]:
                    more, mine = 0.0, cells
                    if content:
                        mine = dict(cells)
                        for col, text in content:
                            if col in mine:
                                more += follows(col, mine[col], text)
                            mine[col] = text
                    grown.append((score + option_score, sets + (cols,) if content else sets, mine, choice + (placed,),
                                  goes + more))
            grown.sort(key=lambda state: -state[0])
            # the best choice for each sequence of lines' columns (the layout depends on those alone): a beam of
            # layouts, not of near copies of one
            seen: set = set()
            beam = [state for state in grown if not (state[1] in seen or seen.add(state[1]))][:_COMBINATIONS]
            for score, sets, cells, choice, goes in beam:
                if not sets:
                    row = 0.0  # labels alone: left as printed
                elif not _laid_out(sets, align):
                    continue
                else:
                    held = {roles[c] for c in cells}
                    row = _ROW + (0.0 if "name" in held and held & _VALUED else _INCOMPLETE)
                relax(end, best[start] + score + goes + row, (start, choice))
    if best[count] is None:
        return None
    out = []
    end = count
    while end > 0:
        start, choice = back[end]
        out.append(([order[k] for k in range(start, end)], dict(zip((order[k] for k in range(start, end)), choice))))
        end = start
    return best[count], out[::-1]


def continuation(role: str | None, above: str, below: str, *, full: bool, value_goes_on) -> float:
    """How well a fragment goes on from the one above it in its cell (see the module)."""
    a, b = labels.squash(above), labels.squash(below)
    if role in ("score", "operator", "weight"):
        return _STOPS
    if role in ("target", "period_target", "actual", "other", "unit"):
        if value_goes_on(a, b, full):
            return _GOES_ON
        # words of a qualitative target cut at a column whose width the values do not show ('群众生活水' /
        # '平明显提高'): unsure, not impossible
        words = re.compile(r"^[\u4e00-\u9fff（(“]")
        plain = words.match(b) and not labels.looks_like_value(b) and not labels.is_short_value_word(b) and \
            not labels.is_unit(b)
        return _UNSURE if words.match(a) and (plain or not labels.looks_like_value(a) and
                                              not labels.is_short_value_word(a)) and not re.search(r"\d", a) \
            else _STOPS
    if re.match(r"^(?:指标\s*\d|\d{1,2}[.、．)）]|[(（]\d{1,2}[)）]|[①-⑳])", b):
        return _STOPS  # a name's own numbering starts a name
    return _GOES_ON if full else _UNSURE
