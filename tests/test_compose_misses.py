"""How units wrote the names no library row or corpus name matches (evaluation/compose_misses.py, issue 23):
each real development row classified relative to its own project, and the ceiling of composing by joining."""

from pathlib import Path
from types import SimpleNamespace

import jieba
import pytest

from evaluation.compose_misses import classify, join_ceiling
from evaluation.field_cases import clean_name, load_cases
from recommender.compose import MeasureTable
from tests.test_compose import ROWS

SHARED = Path(__file__).resolve().parents[2] / "shared"
CASES = SHARED / "fieldforms" / "cases.jsonl"
SCORER = SHARED / "validation" / "score"


@pytest.fixture(scope="module")
def engine():
    """What classify reads of an engine: the learned measures and the segmenter (a fixed table here)."""
    return SimpleNamespace(measures=MeasureTable.learn(ROWS, jieba.lcut), segmenter=SimpleNamespace(cut=jieba.lcut))


@pytest.mark.skipif(not (CASES.is_file() and SCORER.is_file()), reason="../shared not present")
@pytest.mark.parametrize("case_id, row, expected, ceiling", [
    # A-009 (greening): 发放李子苗 is in the description only; the row is the activity itself, no measure
    ("A-009", 1, ("description only", "none", "other value (money, size, words)"), "the description's activities"),
    # the name's object alone, its number (1 间) stated in the description
    ("A-019", 0, ("name", "none", "number stated in the description"), "the name's objects"),
    # 生活垃圾运输车辆 283辆, a count the description never gives, in words no reader of ours takes
    ("A-003", 2, ("description only", "none", "count, no number in the description"), None),
    # 游客 of the description with the satisfaction ending learned (a reachable row, classified alike)
    ("A-001", 15, ("description only", "own class", "rate or share"), "the description's noun runs"),
    # A-024 (grain reserve): 库存数量真实率, words of neither the name nor the description, no learned ending
    ("A-024", 1, ("neither", "none", "rate or share"), None),
])
def test_each_unreached_row_is_classified_by_where_its_words_come_from(engine, case_id, row, expected, ceiling):
    from evaluation.heldout_kinds import scorer_sim
    case = {c.id: c for c in load_cases(CASES)}[case_id]
    found = classify(case, case.rows[row], engine, clean_name)
    assert (found["object"], found["measure"], found["value"]) == expected
    assert join_ceiling(case, engine, scorer_sim(SCORER), case.rows[row].name) == ceiling
