"""One grammar for the template hints in indicator names (corpus/vocab/name_hints.py), read by the
reader (Indicator.name_hint) and by what a name measures (models/measure.py)."""

import pytest

from corpus.read import read
from corpus.vocab.name_hints import DEADLINE, is_deadline_hint, name_hint
from models.measure import clean_name, measure_of

CASES = [
    ("受益人口数(≥**人)", {"operator": ">=", "unit": "人", "raw": "(≥**人)"}),
    ("资产股权年收益率( ≥**% )", {"operator": ">=", "unit": "%", "raw": "( ≥**% )"}),
    ("扶贫临时救助人数(按月平均)(≥**人)", {"operator": ">=", "unit": "人", "raw": "(≥**人)"}),
    ("补助标准(≤**元/亩)", {"operator": "<=", "unit": "元/亩", "raw": "(≤**元/亩)"}),
    # operator words (operators.json words_before), other placeholders
    ("培训人数(不少于**人)", {"operator": ">=", "unit": "人", "raw": "(不少于**人)"}),
    ("设备数量(XX台)", {"operator": None, "unit": "台", "raw": "(XX台)"}),
    ("工期(__天)", {"operator": None, "unit": "天", "raw": "(__天)"}),
    ("★覆盖率≥**%", {"operator": ">=", "unit": "%", "raw": "≥**%"}),
    ("完成时间(**月**日前)", {"operator": "<=", "unit": DEADLINE, "raw": "(**月**日前)"}),
    # a bare unit counts at the end only; two placeholder hints: the last wins
    ("改造面积(亩)", {"operator": None, "unit": "亩", "raw": "(亩)"}),
    ("联络点居（村）委会覆盖率", None),
    ("考核(≥**个)达标率(≥**%)", {"operator": ">=", "unit": "%", "raw": "(≥**%)"}),
    ("项目(目标)", None),
    ("", None),
]


@pytest.mark.parametrize(("name", "expected"), CASES)
def test_name_hint(name, expected):
    assert name_hint(name) == expected


def test_what_a_name_measures_reads_the_same_hint():
    assert measure_of("完成时间(**月**日前)") == "deadline" and is_deadline_hint(name_hint("完成时间(**月**日前)"))
    assert measure_of("培训人数(不少于**人)") == "count"
    assert measure_of("补助标准(≤**元/亩)") == "money"
    assert clean_name("★覆盖率≥**%") == "覆盖率"


def test_the_reader_keeps_the_hint_the_grammar_reads(tmp_path):
    text = ("项目名称：甲\n一级指标\t二级指标\t三级指标\t指标值\n"
            "产出指标\t数量指标\t培训人数(不少于**人)\t≥200人\n"
            "产出指标\t时效指标\t完成时间(**月**日前)\t12月底前\n")
    (tmp_path / "form.txt").write_text(text, encoding="utf-8")
    rows = {i.name: i.name_hint for d in read(tmp_path / "form.txt") for i in d.indicators}
    assert rows == {"培训人数(不少于**人)": {"operator": ">=", "unit": "人", "raw": "(不少于**人)"},
                    "完成时间(**月**日前)": {"operator": "<=", "unit": DEADLINE, "raw": "(**月**日前)"}}
