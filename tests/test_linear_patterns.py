"""Issue 20, item 1: every compiled pattern of the reader, the target grammar and the review runs in
linear time on long runs of one character class (digits, spaces, punctuation, CJK, mixed).

The patterns are collected, not listed: every `re.Pattern` held by a module under `corpus` (the
reader, the target grammar, the vocabulary) and `recommender` (the review, its checks, the
description readers), and every pattern literal passed inline to a `re` function in their source.
A new pattern in any of these modules is guarded the day it is written.

A super-linear pattern shows as time growing with the square (or worse) of the run: each pattern is
timed on a run of N and of 4N characters; a linear one takes about 4× as long, a quadratic one 16×.
The absolute bound (a second on 20,000 characters) catches the cubic ones that stay fast at N.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PACKAGES = ("corpus", "recommender")
SHORT, LONG = 5_000, 20_000
BOUND_S = 1.0  # one pattern, one operation, 20,000 characters (CPU seconds of this thread)

# one character class per run; the mixed runs alternate classes that patterns chain
RUNS = {
    "digits": "1", "fullwidth digits": "１", "space": " ", "ideographic space": "\u3000",
    "tab": "\t", "newline": "\n", "ascii brackets": "(", "cjk brackets": "（", "close bracket": "）",
    "dot": ".", "comma": ",", "percent": "%", "dash": "-", "em dash": "—", "colon": "：",
    "operator": "≥", "cjk": "指", "cjk score": "分", "latin": "a", "star": "*", "slash": "/",
    "digits and dots": "1.", "digits and commas": "1,", "digit space": "1 ", "cjk and digits": "年1",
    "bracket digit": "(1", "digit dash": "1-", "score digits": "1分", "cjk space": "指 ",
    "month digits": "1月", "tag": "<a", "digit percent": "1%", "chinese number": "一、",
}


def _modules():
    for name in PACKAGES:
        module = importlib.import_module(name)
        yield module
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=name + "."):
            yield importlib.import_module(info.name)


_RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _inline_patterns(module) -> list[str]:
    """Pattern literals written inline (`re.sub(r"...", ...)` inside a function): read from the
    module's syntax tree, so a pattern is found whether or not any test input reaches it."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.func.attr in _RE_CALLS and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            out.append(node.args[0].value)
    return out


def collect_patterns() -> dict[str, re.Pattern]:
    """Every str pattern held by a module of PACKAGES (alone or in a tuple/list) and every pattern
    literal passed to a `re` function in their source."""
    found: dict[str, re.Pattern] = {}
    for module in _modules():
        for value in list(vars(module).values()):
            values = value if isinstance(value, (tuple, list)) else (value,)
            for item in values:
                if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                    found.setdefault(item.pattern, item)
        if getattr(module, "__file__", None):
            for literal in _inline_patterns(module):
                found.setdefault(literal, re.compile(literal))
    return found


PATTERNS = collect_patterns()


def _slowest(pattern: re.Pattern, text: str) -> float:
    """The slowest operation's CPU time in this thread (the best of two tries each): the other
    processes of a shared machine do not count, as they would on the wall clock."""
    worst = 0.0
    for operation in (pattern.search, pattern.match, pattern.fullmatch, lambda t: pattern.sub("", t),
                      pattern.findall):
        tries = []
        for _ in range(2):
            started = time.thread_time()
            operation(text)
            tries.append(time.thread_time() - started)
            if tries[-1] > BOUND_S:
                break
        worst = max(worst, min(tries))
    return worst


def test_patterns_were_collected():
    # the reader's label score/note pattern (the successor of _DECORATION, quadratic once) is among them
    from corpus.read.interpret.labels import _TRAILING_NOTE
    assert _TRAILING_NOTE.pattern in PATTERNS
    assert len(PATTERNS) >= 40


def _check(pattern: re.Pattern, unit: str) -> None:
    short = (unit * SHORT)[:SHORT]
    long = (unit * LONG)[:LONG]
    t_short = max(_slowest(pattern, short), 1e-4)
    t_long = _slowest(pattern, long)
    assert t_long < BOUND_S, f"/{pattern.pattern}/ on {LONG:,} × {unit!r}: {t_long:.2f} s"
    # linear: 4× the text, about 4× the time; quadratic would be 16×
    assert t_long < 10 * t_short + 0.1, (f"/{pattern.pattern}/ on {unit!r}: {t_short:.3f} s at "
                                          f"{SHORT:,}, {t_long:.3f} s at {LONG:,} (super-linear)")


@pytest.mark.parametrize("kind", sorted(RUNS))
def test_every_pattern_is_linear_on_long_runs(kind):
    for pattern in PATTERNS.values():
        _check(pattern, RUNS[kind])


PIECES = st.sampled_from(sorted(set(RUNS.values())) + ["指标", "分)", "(50", "年", "月", "日", "万元"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.lists(PIECES, min_size=1, max_size=4).map("".join))
def test_every_pattern_is_linear_on_mixed_runs(unit):
    for pattern in PATTERNS.values():
        _check(pattern, unit)
