import pytest

from corpus.targets import parse_target

# (raw, operator, value, unit, kind) — the examples of issue 2, item 5, as written in real forms
CASES = [
    ("≥99%", ">=", 99, "%", "quantitative"),
    ("=100.00(%)", "=", 100, "%", "quantitative"),
    ("≤10(工作日)", "<=", 10, "工作日", "quantitative"),
    (">=200次", ">=", 200, "次", "quantitative"),
    ("<30分钟", "<", 30, "分钟", "quantitative"),
    ("95%以上", ">=", 95, "%", "quantitative"),
    ("低于万分之一", "<", 0.0001, None, "quantitative"),
    ("一年2次以上会议", ">=", 2, "次", "quantitative"),
    ("≥100000000条", ">=", 1e8, "条", "quantitative"),
    ("1344m²", "=", 1344, "m²", "quantitative"),
    ("1344m ²", "=", 1344, "m²", "quantitative"),  # as printed in 003 (办公用房修缮)
    ("15区", "=", 15, "区", "quantitative"),
    ("2个工作日", "<=", 2, "工作日", "quantitative"),
    ("0.75", "=", 0.75, None, "quantitative"),
    ("《5(%)", "<=", 5, "%", "quantitative"),
    ("≥前五年平均值的110%", ">=", 110, "%", "relative"),
    ("信息获取后3个工作日内发布", "<=", 3, "工作日", "quantitative"),
    ("满意度90%以上", ">=", 90, "%", "quantitative"),
    ("≥8（小时）", ">=", 8, "小时", "quantitative"),
    ("全年实现查询超过200万次", ">", 2_000_000, "次", "quantitative"),
    ("公示渠道不少于2个", ">=", 2, "个", "quantitative"),
]


@pytest.mark.parametrize("raw,operator,value,unit,kind", CASES)
def test_quantities(raw, operator, value, unit, kind):
    target = parse_target(raw)
    assert (target.operator, target.unit, target.kind) == (operator, unit, kind)
    assert target.value == pytest.approx(value)


def test_ocr_operator_is_repaired_and_says_so():
    assert parse_target("《5(%)").repaired == "《 → <="
    assert parse_target("≤5(%)").repaired is None


@pytest.mark.parametrize("raw,deadline", [
    ("12月底前", {"year": None, "month": 12, "day": None}),
    ("2021年6月", {"year": 2021, "month": 6, "day": None}),
    ("12月底", {"year": None, "month": 12, "day": None}),
    ("第四季度完工", {"year": None, "month": 12, "day": None}),
])
def test_deadlines(raw, deadline):
    target = parse_target(raw)
    assert target.kind == "deadline"
    assert target.deadline == deadline
    assert target.value is None


@pytest.mark.parametrize("raw", ["较满意", "完善", "健全", "通过第三方机构等保定级III级评定。", "按时完工"])
def test_words_are_qualitative(raw):
    target = parse_target(raw)
    assert (target.kind, target.value, target.operator) == ("qualitative", None, None)


def test_empty_and_placeholders():
    assert parse_target("").kind == "missing"
    assert parse_target(None).kind == "missing"
    assert parse_target("*").kind == "placeholder"
    assert parse_target("XX").kind == "placeholder"
    assert parse_target("待填写").kind == "placeholder"
