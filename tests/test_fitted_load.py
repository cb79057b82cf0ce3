"""Loading an index trains nothing: every model was fitted when the index was built."""

import hashlib
import json
import os
import subprocess
import sys

import pytest

from models.charlinear import CharLogistic
from models.encoders.fake import FakeEncoder
from models.levels import LevelClassifier
from models.library.kinds import KindMatcher
from models.segment import Segmenter
from models.vagueness import TargetAssessor, VaguenessModel
from recommender.compose import MeasureTable
from recommender.engine import Engine
from recommender.index import ensure_index
from tests.conftest import ROOT


@pytest.fixture
def decls(seed_decls):
    return list(seed_decls.values())


def _refuse(*args, **kwargs):
    raise AssertionError("loading must not fit anything")


def test_loading_an_index_fits_nothing(decls, tmp_path, monkeypatch):
    root = tmp_path / "index"
    built = Engine.build(decls, FakeEncoder(), root)
    from recommender.recommend import recommend
    from recommender.review import Reviewer
    expected = recommend(built, project_name="社区智慧微菜场建设", description="建设社区智慧微菜场").to_dict()
    outsider = decls[0].__class__.from_dict({**decls[0].to_dict(), "id": "not-in-the-corpus"})
    expected_review = Reviewer.of_engine(built).fit().review(outsider).to_dict()
    # a form of the corpus: left out of the rewrite statistics (a rescan), not of the classifier (a refit)
    member = decls[3]
    expected_member = Reviewer.of_engine(built).fit().review(member).to_dict()

    for owner, name in [(Segmenter, "fit"), (TargetAssessor, "fit"), (VaguenessModel, "fit"),
                        (LevelClassifier, "fit"), (CharLogistic, "fit"), (KindMatcher, "fit"),
                        (FakeEncoder, "fit"), (MeasureTable, "learn")]:
        monkeypatch.setattr(owner, name, _refuse)
    monkeypatch.setattr("models.levels.fit_pairs", _refuse)
    monkeypatch.setattr("models.library.kinds.matcher", _refuse)
    loaded = Engine.build(decls, FakeEncoder(), root)  # the index is current: loads only
    assert loaded.index.path == built.index.path
    assert recommend(loaded, project_name="社区智慧微菜场建设", description="建设社区智慧微菜场").to_dict() == expected
    assert Reviewer.of_engine(loaded).fit().review(outsider).to_dict() == expected_review
    assert Reviewer.of_engine(loaded).fit().review(member).to_dict() == expected_member
    from evaluation.loo_review import LeaveOneOutReviewer
    with pytest.raises(AssertionError, match="must not fit"):  # the patches bite: leaving it out refits
        LeaveOneOutReviewer.of_engine(loaded).fit().review(member)
    assert loaded.assessor.assess("服务对象满意度", "较满意").vague


def test_an_index_without_fitted_models_is_rebuilt_not_refused(decls, tmp_path):
    """An index of the format before fitted/ (version 3) is rebuilt on the next start."""
    root = tmp_path / "index"
    first = ensure_index(decls, FakeEncoder(), root)
    manifest = json.loads((first.path / "manifest.json").read_text(encoding="utf-8"))
    (first.path / "manifest.json").write_text(json.dumps({**manifest, "format_version": 3}), encoding="utf-8")
    said = []
    again = ensure_index(decls, FakeEncoder(), root, say=said.append)
    assert again.path != first.path and any("索引已过时" in m for m in said)


def test_changed_labels_or_library_make_the_index_outdated(decls, tmp_path):
    root = tmp_path / "index"
    first = ensure_index(decls, FakeEncoder(), root)
    manifest = json.loads((first.path / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["knowledge"]) == {"labels", "library", "vocabulary", "tuning"}
    assert manifest["knowledge"]["tuning"]["recommender.recommend"]["RRF_K"] == 60
    # a changed library, or a changed vocabulary (the vagueness rules read corpus/vocab/vague.json)
    for key, said_changed in (("library", "指标库数据已改变"), ("vocabulary", "词表（corpus/vocab）已改变")):
        stale = {**manifest, "knowledge": {**manifest["knowledge"], key: "0" * 16}}
        (first.path / "manifest.json").write_text(json.dumps(stale), encoding="utf-8")
        said = []
        again = ensure_index(decls, FakeEncoder(), root, say=said.append)
        assert again.path != first.path
        assert any(said_changed in m for m in said)
        first, manifest = again, json.loads((again.path / "manifest.json").read_text(encoding="utf-8"))


class ForkSafeFake(FakeEncoder):
    """The fake encoder, declared fork-safe (it is: no state, no threads), so the build fits its
    scikit-learn parts in a forked process as it does with the static encoder."""

    fork_safe = True


def _fitted_digests(index_path) -> dict[str, str]:
    fitted = index_path / "fitted"
    return {str(p.relative_to(fitted)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(fitted.rglob("*")) if p.is_file()}


def test_the_fitting_process_fits_what_the_build_would_and_its_failure_is_repaired(decls, tmp_path, monkeypatch):
    """The classifier and the library parts are the same bytes whether a forked process fitted them,
    the build fitted them itself (an encoder that may not fork), or the process died at once."""
    forked = ensure_index(decls, ForkSafeFake(), tmp_path / "forked")
    in_process = ensure_index(decls, FakeEncoder(), tmp_path / "in_process")
    monkeypatch.setattr("recommender.fitted._fit_in_child", lambda *args: os._exit(3))
    repaired = ensure_index(decls, ForkSafeFake(), tmp_path / "repaired")
    expected = _fitted_digests(in_process.path)
    assert {"levels/coef.npy", "levels/manifest.json", "vagueness/manifest.json",
            "kind_vectors.npy", "library_vectors.npy", "library_numbers.json", "segmenter/words.txt"} <= set(expected)
    assert _fitted_digests(forked.path) == expected
    assert _fitted_digests(repaired.path) == expected
    assert len(list((tmp_path / "forked").rglob("*"))) == len(list((tmp_path / "in_process").rglob("*")))  # no spool left


def test_the_fitting_thread_of_a_ray_driver_fits_what_the_build_would(decls, tmp_path):
    """`ThreadFitted` (a Ray build's driver fits on a thread of its own, its pools on one thread):
    the same bytes as the build fitting in process; its CPU is counted once it is done."""
    from recommender.build_pages import SerialPages
    from recommender.fitted import ThreadFitted
    from recommender.index import CorpusIndex, ListSource
    threads = []

    class ThreadPages(SerialPages):
        def fitted_parts(self, directory, encoder, previous):
            threads.append(ThreadFitted(directory, encoder, previous))
            return threads[-1]
    source = ListSource(decls)
    threaded = CorpusIndex.build(source, FakeEncoder(), directory=tmp_path / "threaded",
                                 work=ThreadPages(source.hashed_declarations()))
    in_process = ensure_index(decls, FakeEncoder(), tmp_path / "in_process")
    assert _fitted_digests(threaded.path) == _fitted_digests(in_process.path)
    assert threads[0].cpu_s() > 0


@pytest.mark.slow
def test_one_shot_recommend_imports_no_sklearn_nor_office_readers(tmp_path):
    """The one-shot CLI pays only for what the command needs (index already built); the command
    that builds the index imports neither scikit-learn (a forked process fits with it) nor scipy
    (the BM25 files are written without bm25s)."""
    env = dict(os.environ, ZHIBIAO_HOME=str(tmp_path / "home"), PYTHONIOENCODING="utf-8")
    args = ["recommend", "--name", "道路养护", "--description", "对全区道路进行日常养护维修"]
    probe = ("import sys, runpy; sys.argv = ['zhibiao', *sys.argv[1:]]\n"
             "from api.cli import main\n"
             "code = main()\n"
             "heavy = sorted(m for m in ('sklearn', 'scipy', 'openpyxl', 'docx', 'pdfplumber', 'xlrd', 'fastapi')"
             " if m in sys.modules)\n"
             "print('HEAVY', heavy, file=sys.stderr); sys.exit(code)")
    first = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "索引已保存" in first.stderr and "HEAVY []" in first.stderr
    second = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "HEAVY []" in second.stderr
    assert second.stdout == first.stdout
