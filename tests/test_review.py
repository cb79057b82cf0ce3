"""Review on the real seeds: what must be flagged, what must not, and the commands."""

import json

import pytest

from evaluation.vagueness_eval import evaluate
from evaluation.loo_review import ListReviewer


@pytest.fixture(scope="module")
def reviewer(seed_decls):
    return ListReviewer(list(seed_decls.values())).fit()


@pytest.fixture(scope="module")
def reviews(reviewer, seed_decls):
    return {ident: reviewer.review(decl) for ident, decl in seed_decls.items()}


def findings(review, name, code=None):
    return [f for f in review.findings if f.indicator == name and (code is None or f.code == code)]


def test_kuomanyi_is_flagged_with_a_percentage_rewrite(reviews):
    review = reviews["002_9a32ee6a7d1f2b19-4"]
    for name, meaning in (("社区智慧微菜场市民满意度", "满意"), ("社区智慧微菜场市民知晓度", "知晓")):
        [vague] = findings(review, name, "NOT_QUANTIFIED")
        assert vague.value == "较满意" and vague.severity == "warning"
        assert vague.suggestion["raw"] == "≥85%"
        assert meaning in vague.suggestion["basis"] and "中位数" in vague.suggestion["basis"]
    [misfit] = findings(review, "社区智慧微菜场市民知晓度", "VALUE_MISMATCH")
    assert "满意程度" in misfit.message  # an awareness indicator answered with a satisfaction grade


def test_wanshan_is_flagged_in_several_forms(reviews):
    flagged = {ident for ident, review in reviews.items()
               for f in review.findings if f.code == "NOT_QUANTIFIED" and f.value == "完善"}
    assert flagged == {"000_8fa2eebab90b1003-1", "000_8fa2eebab90b1003-2", "002_9a32ee6a7d1f2b19-1",
                       "002_9a32ee6a7d1f2b19-2"}


def test_duplicated_indicator_in_the_patent_form(reviews):
    [dup] = [f for f in reviews["000_8fa2eebab90b1003-1"].findings if f.code == "OTHER"]
    assert dup.indicator == "发明专利申请增长率" and "重复出现 2 次" in dup.message
    assert "第38行" in dup.message and "第40行" in dup.message


def test_empty_values_are_errors(reviews):
    for ident, name in (("000_8fa2eebab90b1003-3", "项目管理制度健全性"),
                        ("003_2b8cab329f0dc167-4", "数据归集单位数")):
        [empty] = findings(reviews[ident], name, "NOT_QUANTIFIED")
        assert empty.severity == "error" and empty.value == "" and "未填写目标值" in empty.message


def test_budget_components_add_up_in_every_seed_form(reviews, seed_decls):
    listed = [i for i, d in seed_decls.items() if d.budget.components]
    assert len(listed) == 11  # files 000, 001 and 002 list sub-items
    for ident in listed:
        assert not [f for f in reviews[ident].findings if "子项目" in f.message], ident


def test_measurable_targets_are_not_flagged_vague(reviewer):
    items = [{"name": "社会总服务次数增长率", "value": "≥前五年平均值的110%"},
             {"name": "办理时效性", "value": "2个工作日"},
             {"name": "年度项目评估完成时间", "value": "12月底前"},
             {"name": "政府网站的质量", "value": "通过第三方机构等保定级III级评定。"}]
    results = reviewer.check(items)
    assert [r.vague for r in results] == [False, False, False, False]
    assert [r.kind for r in results] == ["relative", "quantified", "deadline", "verifiable_state"]


def test_misfits(reviewer):
    results = reviewer.check([
        {"name": "促进社会和谐", "value": "≥95%"},
        {"name": "12345市民热线工单满意度", "value": "位于各热线承办部门前列"},
        {"name": "公众知晓度", "value": "网站、微信公众号等多渠道宣传"},
        {"name": "评审过程投诉率", "value": "评审过程合规性，达到100%"},
        {"name": "评奖数量的完成率", "value": "获得市长质量奖组织不超过2家、个人不超过2人"},
        {"name": "员工满意度", "value": ">=90"},
        {"name": "资助对象满意度", "value": "≥85%"},
    ])
    assert [r.fits for r in results] == [False, False, False, False, False, False, True]
    assert [r.vague for r in results] == [False, True, True, False, False, False, False]
    assert results[0].suggestion is not None and results[6].suggestion is None


def test_deadline_after_project_end(reviews):
    [late] = findings(reviews["003_2b8cab329f0dc167-7"], "研究报告完成时间", "VALUE_MISMATCH")
    assert late.severity == "error" and "2020-11-20" in late.message


def test_annual_goal_promise_without_indicator(reviews):
    promises = [f for f in reviews["000_8fa2eebab90b1003-1"].findings if f.code == "INCOMPLETE"
                and "年度绩效目标" in f.message]
    # the stated numbers (资助…300件, 当场办结…80%); the name wording belongs to recommender/stated.py
    raws = sorted(f.suggestion["raw"] for f in promises)
    assert len(raws) == 2 and raws[0].startswith("数量指标：") and raws[0].endswith("资助数量 =300件")
    assert raws[1] == "质量指标：当场办结比例 ≥80%"


def test_missing_classes(reviews):
    codes = reviews["002_9a32ee6a7d1f2b19-2"].summary["counts_by_code"]
    assert codes.get("ADD_SATISFACTION") == 1 and "ADD_OUTPUT" not in codes


def test_combined_detector_beats_the_no_digit_rule():
    rows = {r.method.split(" (")[0]: r for r in evaluate()}
    baseline, combined = rows["no-digit rule"], rows["rules + model"]
    assert combined.precision > baseline.precision
    assert combined.recall >= baseline.recall


def test_cli_review_memo(zhibiao):
    result = zhibiao("review", "corpus/samples/002_9a32ee6a7d1f2b19.txt")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("== 审核意见") == 5
    assert "社区智慧微菜场市民满意度" in out and "建议改为“≥85%”" in out
    assert "可测量性评分" in out and "[建议增加满意度指标]" in out
    data = json.loads(zhibiao("review", "corpus/samples/002_9a32ee6a7d1f2b19.txt", "--json").stdout)
    keys = {"code", "label", "severity", "level1", "level2", "indicator", "value", "line", "message", "suggestion"}
    assert all(keys <= set(f) for review in data for f in review["findings"])
    assert all(0 <= r["summary"]["measurability_score"] <= 100 for r in data)


def test_cli_check_reads_stdin(zhibiao):
    lines = "\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"name": "资助对象满意度", "value": "较满意", "level1": "满意度"},
        {"name": "预算执行率", "value": "≥95%"}])
    result = zhibiao("check", "--json", stdin=lines)
    assert result.returncode == 0, result.stderr
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(first) == {"name", "value", "vague", "kind", "fits", "fit_reason", "reasons", "suggestion",
                          "measure", "aim", "fit_code"}
    assert first["measure"] == "rate" and second["measure"] == "rate"
    assert first["vague"] and first["kind"] == "vague_grade" and first["suggestion"]["raw"].endswith("%")
    assert not second["vague"] and second["fits"] and second["suggestion"] is None
    bad = zhibiao("check", stdin="{not json}\n")
    assert bad.returncode == 2 and "标准输入 第 1 行" in bad.stderr and "Traceback" not in bad.stderr
