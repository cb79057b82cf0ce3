"""The held-out-kind proxy (evaluation/heldout_kinds.py): a development form run as a project of a kind
the library lacks."""

import json
from pathlib import Path

import pytest

from evaluation.heldout_kinds import kinds_held_out
from models.encoders import make_encoder
from recommender.engine import Engine
from recommender.library_rows import LibraryRows
from recommender.recommend import recommend

CASES = Path(__file__).resolve().parents[2] / "shared" / "fieldforms" / "cases.jsonl"


@pytest.mark.skipif(not CASES.is_file(), reason="../shared/fieldforms not present")
def test_held_kinds_are_neither_matched_nor_drawn_by_row_and_come_back_after(seed_decls, tmp_path):
    engine = Engine.build(list(seed_decls.values()), make_encoder("fake"), tmp_path)
    case = next(json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if '"A-010"' in line)
    ask = dict(project_name=case["project_name"], description=case["description"])
    plain = recommend(engine, **ask)
    assert [k.id for k in plain.kinds] == ["afforestation"]
    assert [i for i in plain.indicators if "造林营林与退耕还林" in i.basis]
    scores, candidates = type(engine.kind_matcher).scores, LibraryRows.candidates
    with kinds_held_out(engine, {"afforestation"}):
        held = recommend(engine, **ask)
    assert "afforestation" not in [k.id for k in held.kinds]
    assert not [i for i in held.indicators if "造林营林与退耕还林" in i.basis]
    assert (type(engine.kind_matcher).scores, LibraryRows.candidates) == (scores, candidates)
    assert [i.name for i in recommend(engine, **ask).indicators] == [i.name for i in plain.indicators]
