"""The field-form evaluation's definitions (issue 11): soft match, stated numbers, the cases file."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.field_cases import (CasesError, clean_name, description_quantities, dice, load_cases,
                                    recovered, soft_match, stated_numbers)

CASES = Path(__file__).resolve().parents[2] / "shared" / "fieldforms" / "cases.jsonl"


def test_names_lose_hints_stars_and_punctuation():
    assert clean_name("贫困地区旅游景点开发数量( ≥**个 )") == "贫困地区旅游景点开发数量"
    assert clean_name("*资产股权年收益率( ≥**% )") == "资产股权年收益率"
    assert clean_name("指标1:开展精品示范村建设数量") == "开展精品示范村建设数量"
    assert clean_name("★受益人口数(≥**人)") == "受益人口数"


def test_soft_match_is_containment_or_bigram_dice():
    assert soft_match("修建作业道长度(公里)", "作业道建设长度")  # Dice 0.5
    assert dice("项目完成时间", "项目完成时限") == 0.8
    assert soft_match("野生动物收容所", "临时野生动物收容所建设面积")  # containment
    assert not soft_match("项目竣工验收率", "项目（工程）验收合格率")
    assert not soft_match("率", "发生率")  # containment needs 3 characters on both sides


@pytest.mark.skipif(not CASES.is_file(), reason="../shared/fieldforms not present")
def test_stated_numbers_of_the_field_forms():
    cases = {c.id: c for c in load_cases(CASES)}
    assert len(cases) == 26
    assert sum(len(stated_numbers(c)) for c in cases.values()) == 29
    assert [q.raw for q in stated_numbers(cases["A-001"])] == ["6万人", "6万元"]
    assert [q.raw for q in stated_numbers(cases["A-010"])] == ["8万亩", "3万亩", "5万亩", "30公里"]
    assert stated_numbers(cases["A-017"]) == []  # 32.1公里 is stated, but the table scores it (20)
    [km] = stated_numbers(cases["A-005"])
    assert recovered(km, ["=2公里"]) and recovered(km, ["≥2000米"]) and not recovered(km, ["=2个"])


def test_dates_and_years_are_not_quantities():
    assert [q.raw for q in description_quantities("2021年7月开工，建设2公里，2023年底完成")] == ["2公里"]


def test_a_bad_cases_file_is_named_with_its_line(tmp_path):
    bad = tmp_path / "cases.jsonl"
    bad.write_text('{"id": "x", "project_name": "p", "indicators": []}\n{"id": "y"}\n', encoding="utf-8")
    with pytest.raises(CasesError, match=r"cases.jsonl, line 2: field 'project_name' is missing"):
        load_cases(bad)
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(CasesError, match="line 1: not JSON"):
        load_cases(bad)
    with pytest.raises(CasesError, match="no such file"):
        load_cases(tmp_path / "absent.jsonl")
