"""Issue 20, item 1: every compiled pattern of the reader, the target grammar and the review runs in
linear time on long runs of one character class (digits, spaces, punctuation, CJK, mixed).

The patterns are collected, not listed: every `re.Pattern` held by a module under `corpus.read`,
`corpus` (targets, text, framework), `recommender` (review, checks, rewrite) and, after one form has
been read and reviewed, the inline patterns in `re`'s cache. A new pattern in any of these modules
is guarded the day it is written.

A super-linear pattern shows as time growing with the square (or worse) of the run: each pattern is
timed on a run of N and of 4N characters; a linear one takes about 4× as long, a quadratic one 16×.
The absolute bound (a second on 20,000 characters) catches the cubic ones that stay fast at N.
"""

from __future__ import annotations

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
BOUND_S = 1.0  # one pattern, one operation, 20,000 characters

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


def _exercise(text: str) -> None:
    """Read and review one bundled form so that inline `re.search(r"...")` patterns are compiled
    (and land in `re`'s cache, where this test finds them)."""
    from corpus.layouts import parse_text
    from recommender.review import Reviewer
    decls = parse_text(text, file="sample.txt")
    reviewer = Reviewer(decls).fit()
    for decl in decls:
        reviewer.review(decl)


def collect_patterns() -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}
    for module in _modules():
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(value.pattern, value)
            elif isinstance(value, (tuple, list)) and value and all(isinstance(v, re.Pattern) for v in value):
                for pattern in (v for v in value if isinstance(v.pattern, str)):
                    found.setdefault(pattern.pattern, pattern)
    from corpus.store import SAMPLES_DIR
    text = sorted(SAMPLES_DIR.glob("*.txt"))[0].read_text(encoding="utf-8")
    _exercise(text)  # the libraries the readers import lazily compile their own patterns here
    re.purge()
    _exercise(text)
    ours = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in _modules() if m.__file__)
    for value in list(getattr(re, "_cache", {}).values()):
        # a library's pattern (jieba's, numpy's) is not ours to rewrite: only patterns whose
        # source text is in our modules
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str) and value.pattern in ours:
            found.setdefault(value.pattern, value)
    return found


PATTERNS = collect_patterns()


def _slowest(pattern: re.Pattern, text: str) -> float:
    """The slowest operation's time (the best of two tries each: a busy machine adds noise)."""
    worst = 0.0
    for operation in (pattern.search, pattern.match, pattern.fullmatch, lambda t: pattern.sub("", t),
                      pattern.findall):
        tries = []
        for _ in range(2):
            started = time.perf_counter()
            operation(text)
            tries.append(time.perf_counter() - started)
            if tries[-1] > BOUND_S:
                break
        worst = max(worst, min(tries))
    return worst


def test_patterns_were_collected():
    # the reader's label decoration and the target grammar's operator pattern are among them
    from corpus.read.interpret.labels import _DECORATION
    assert _DECORATION.pattern in PATTERNS
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
