"""Settings fitted by leave-one-province-out (evaluation/fit_settings.py, recommender/settings.py)."""

from collections import Counter
from pathlib import Path

import pytest

from evaluation.fit_settings import (NO_REGION, FitCase, development_cases, grid_of, leave_one_province_out,
                                     objective, province_of, shipped)
from recommender.settings import DEFAULT, Settings

CASES = Path(__file__).resolve().parents[2] / "shared" / "fieldforms" / "cases.jsonl"


def test_province_of_a_region():
    assert province_of("湖南省衡阳市南岳区南岳镇") == "湖南省"
    assert province_of("宁夏回族自治区固原市原州区") == "宁夏回族自治区"
    assert province_of("重庆市奉节县云雾土家族乡") == "重庆市"
    assert province_of("天津市宝坻区") == "天津市"
    assert province_of(None) == NO_REGION
    assert province_of("") == NO_REGION


@pytest.mark.skipif(not CASES.is_file(), reason="../shared/fieldforms not present")
def test_development_forms_fall_into_thirteen_provinces():
    cases = development_cases(CASES)
    assert len(cases) == 26
    assert Counter(c.group for c in cases) == {
        "湖南省": 4, "安徽省": 4, "重庆市": 3, "宁夏回族自治区": 3, "云南省": 2, "福建省": 2, "四川省": 2,
        NO_REGION: 1, "陕西省": 1, "内蒙古自治区": 1, "广东省": 1, "天津市": 1, "江西省": 1}
    a010 = next(c for c in cases if c.id == "A-010")
    assert a010.group == "宁夏回族自治区" and len(a010.gold) == 11 and a010.exclude == frozenset()


def _case(ident, group):
    return FitCase(ident, group, "", "", None, ("x",))


# three provinces (A: two forms, B, C: one each), three settings: the shipped one, row_prior 0.8, 1.0
CASES_FIXED = [_case("a1", "A"), _case("a2", "A"), _case("b1", "B"), _case("c1", "C")]
GRID = grid_of({"row_prior": (0.5, 0.8, 1.0)})


def _row(figures):
    """The same figures in both variants."""
    return {"plain": figures, "held-out-kind": figures}


TABLE = [
    _row([(0.5, 0.5), (0.5, 0.5), (0.2, 0.2), (0.4, 0.4)]),   # shipped (0.5)
    _row([(0.6, 0.6), (0.6, 0.6), (0.2, 0.2), (0.3, 0.3)]),   # 0.8: better on A, worse on C
    _row([(0.6, 0.6), (0.6, 0.6), (0.2, 0.2), (0.1, 0.1)]),   # 1.0: as 0.8 on A and B, worst on C
]


def test_the_fixed_grid_and_its_objective():
    assert GRID[0] == DEFAULT and [s.row_prior for s in GRID] == [0.5, 0.8, 1.0]
    # every form weighs one: (0.5 + 0.5 + 0.2 + 0.4) / 4; every province one: (A 0.5 + B 0.2 + C 0.4) / 3
    assert objective(CASES_FIXED, TABLE[0], {"A", "B", "C"}) == pytest.approx(0.4)
    assert objective(CASES_FIXED, TABLE[0], {"A", "B", "C"}, "provinces") == pytest.approx(1.1 / 3)
    assert objective(CASES_FIXED, TABLE[1], {"A"}) == pytest.approx(0.6)


def test_each_province_is_scored_with_the_setting_the_others_choose():
    folds = leave_one_province_out(CASES_FIXED, TABLE, GRID)
    assert [f.group for f in folds] == ["A", "B", "C"]
    # without A: B ties everywhere, C prefers the shipped 0.5; without B: A's two forms outweigh C (0.8:
    # 1.5 / 3 against 1.4 / 3); without C: 0.8 and 1.0 tie on A and B, 0.8 is the earlier
    assert [f.chosen.row_prior for f in folds] == [0.5, 0.8, 0.8]
    assert [f.cases for f in folds] == [2, 1, 1]
    assert [round(f.held_out, 3) for f in folds] == [0.5, 0.2, 0.3]
    assert [round(f.held_out_default, 3) for f in folds] == [0.5, 0.2, 0.4]
    assert folds[2].figures["plain"] == pytest.approx((0.3, 0.3))
    # the folds disagree: the median of 0.5, 0.8, 0.8
    assert shipped(folds, ["row_prior"]).row_prior == 0.8


def test_provinces_weighing_one_each_choose_otherwise():
    folds = leave_one_province_out(CASES_FIXED, TABLE, GRID, weigh="provinces")
    # without B: A and C now weigh one each, 0.5 and 0.8 tie (0.9 / 2): the tie goes to the fewest changes
    assert [f.chosen.row_prior for f in folds] == [0.5, 0.5, 0.8]
    assert [round(f.held_out, 3) for f in folds] == [0.5, 0.2, 0.3]
    assert shipped(folds, ["row_prior"]) == DEFAULT
    assert shipped(folds[2:], ["row_prior"]).row_prior == 0.8


def test_a_parameter_that_moves_one_province_only_is_not_fitted():
    from evaluation.fit_settings import fitted_names, provinces_moved
    assert provinces_moved(CASES_FIXED, GRID, TABLE, "row_prior") == {"A", "C"}
    assert fitted_names(CASES_FIXED, GRID, TABLE, ["row_prior"]) == ["row_prior"]
    only_a = [TABLE[0], _row([(0.6, 0.6), (0.6, 0.6), (0.2, 0.2), (0.4, 0.4)]), TABLE[0]]
    assert provinces_moved(CASES_FIXED, GRID, only_a, "row_prior") == {"A"}
    # the folds holding B or C out choose 0.8 on A alone, the fold holding A out has nothing to choose on
    assert fitted_names(CASES_FIXED, GRID, only_a, ["row_prior"]) == []


def test_settings_are_frozen_and_refuse_unknown_names():
    with pytest.raises(ValueError, match="未知的推荐参数：row_priors"):
        DEFAULT.with_values(row_priors=0.3)
    changed = DEFAULT.with_values(min_lexical=0.4)
    assert changed.min_lexical == 0.4 and DEFAULT.min_lexical == Settings().min_lexical
    with pytest.raises(AttributeError):
        DEFAULT.min_lexical = 0.2  # type: ignore[misc]


SCORER = Path(__file__).resolve().parents[2] / "shared" / "validation" / "score"


@pytest.mark.slow
@pytest.mark.skipif(not (CASES.is_file() and SCORER.is_file()), reason="../shared not present")
def test_real_forms_measured_and_folded_on_one_index(seed_decls, tmp_path):
    """Four development forms and two seed forms, three settings, one engine (fake encoder): the exact
    per-form figures and the folds' choices."""
    from evaluation.fit_settings import measure, seed_cases
    from evaluation.heldout_kinds import scorer_sim
    from models.encoders import make_encoder
    from recommender.engine import Engine

    engine = Engine.build(list(seed_decls.values()), make_encoder("fake"), tmp_path)
    cases = [c for c in development_cases(CASES) if c.id in ("A-009", "A-010", "A-022", "A-024")]
    seeds = [c for c in seed_cases(engine) if c.id in ("000_8fa2eebab90b1003-1", "000_8fa2eebab90b1003-2")]
    assert [(s.group, len(s.gold), s.exclude) for s in seeds] == [
        ("上海（样本库）", 14, frozenset({"000_8fa2eebab90b1003-1"})),
        ("上海（样本库）", 18, frozenset({"000_8fa2eebab90b1003-2"}))]
    grid = [DEFAULT, DEFAULT.with_values(row_candidates=0), DEFAULT.with_values(generic_weight=1.0)]
    table = measure(engine, cases + seeds, grid, scorer_sim(SCORER))
    rounded = [{v: [tuple(round(x, 3) for x in f) for f in figures] for v, figures in row.items()} for row in table]
    plain = [(0.333, 0.1), (0.545, 0.4), (0.4, 0.4), (0.067, 0.1), (0.643, 0.3), (0.389, 0.4)]
    held = [(0.0, 0.0), (0.455, 0.3), (0.2, 0.2), (0.0, 0.0), (0.571, 0.4), (0.389, 0.4)]
    assert rounded[0] == {"plain": plain, "held-out-kind": held}
    # no rows of unmatched kinds: the second seed form gains one real row in its plain run
    assert rounded[1] == {"plain": plain[:5] + [(0.444, 0.5)], "held-out-kind": held}
    assert rounded[2] == rounded[0]
    folds = leave_one_province_out(cases + seeds, table, grid)
    assert [(f.group, f.chosen.row_candidates, f.chosen.generic_weight) for f in folds] == [
        ("重庆市", 0, 0.5), ("宁夏回族自治区", 0, 0.5), ("安徽省", 0, 0.5), ("湖南省", 0, 0.5), ("上海（样本库）", 8, 0.5)]
    assert [round(f.held_out, 4) for f in folds] == [0.1083, 0.425, 0.3, 0.0417, 0.4365]
    assert shipped(folds, ["row_candidates", "generic_weight"]) == DEFAULT.with_values(row_candidates=0)
