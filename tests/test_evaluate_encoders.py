"""`zhibiao evaluate recommend` puts encoders side by side in one run (issue 14: the default encoder
must stay within 2 points of e5 on the seed leave-one-out and on the field cases)."""

from __future__ import annotations

import json

import pytest

from api.cli import main


@pytest.mark.slow
def test_seed_leave_one_out_has_a_row_per_encoder(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIBIAO_HOME", str(tmp_path))
    assert main(["evaluate", "recommend", "--encoder", "static-e5", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["encoders"] == ["static-e5"]
    rows = {r["method"]: r for r in report["rows"]}
    assert list(rows) == ["popularity baseline", "tfidf only", "dense only [static-e5]",
                          "full (vectors + BM25 + description + library + coverage) [static-e5]"]
    full = rows["full (vectors + BM25 + description + library + coverage) [static-e5]"]
    assert (full["recall_soft_10"], full["recall_soft_20"], full["precision_soft_10"]) == (0.238, 0.335, 0.373)
    dense = rows["dense only [static-e5]"]
    assert (dense["recall_soft_10"], dense["recall_soft_20"], dense["precision_soft_10"]) == (0.251, 0.325, 0.405)
    assert full["declarations"] == 22


def test_the_leave_one_out_compares_the_default_encoder_with_e5():
    from api.commands_evaluate import LOO_ENCODERS
    from api.settings import Settings
    assert LOO_ENCODERS == (Settings().encoder, "e5-small-q4")
