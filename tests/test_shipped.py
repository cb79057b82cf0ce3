"""The shipped corpus-independent models (`models.shipped`): what a fit gives, loaded without
fitting, refused when they were fitted on other inputs than those installed."""

import hashlib
import json
import shutil

import pytest

from models import shipped
from models.shipped import SHIPPED_DIR, ShippedMismatch


def _digests(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_the_shipped_models_are_what_a_fit_gives(tmp_path):
    """Fails after a change of the labels, the library or the fitting code until `python -m
    models.shipped` (`make shipped`) has written them again."""
    made = shipped.make(tmp_path / "shipped")
    assert _digests(made) == _digests(SHIPPED_DIR)


def test_the_shipped_models_load_without_fitting(monkeypatch):
    from models.charlinear import CharLogistic
    from models.library.kinds import KindMatcher

    def refuse(*args, **kwargs):
        raise AssertionError("loading must not fit anything")
    monkeypatch.setattr(CharLogistic, "fit", refuse)
    monkeypatch.setattr(KindMatcher, "fit", refuse)
    assessor = shipped.load_vagueness()
    assert assessor.assess("服务对象满意度", "较满意").vague
    assert not assessor.assess("培训人数", "≥200人").vague
    assert shipped.load_kinds().match("农村公路养护", "养护农村公路，提高路况优良率", top=1)[0].kind_id


def test_a_part_fitted_on_other_inputs_is_refused(tmp_path):
    """The manifest records the hash of what each part learned from; another hash, a missing
    manifest or missing files: refused in one Chinese line that says how to make them again."""
    copy = tmp_path / "shipped"
    shutil.copytree(SHIPPED_DIR, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parts"] == shipped.current_inputs()
    stale = {**manifest, "parts": {**manifest["parts"], "vagueness": {"labels": "0" * 16}}}
    (copy / "manifest.json").write_text(json.dumps(stale), encoding="utf-8")
    with pytest.raises(ShippedMismatch, match="随包模型 vagueness 由另一版数据拟合.*python -m models.shipped"):
        shipped.load_vagueness(copy)
    assert shipped.load_kinds(copy).kinds  # the other part's inputs are unchanged: still loaded
    shutil.rmtree(copy / "kinds")
    with pytest.raises(ShippedMismatch, match="kinds 的文件缺失"):
        shipped.load_kinds(copy)
    (copy / "manifest.json").unlink()
    with pytest.raises(ShippedMismatch, match="随包模型清单缺失或损坏"):
        shipped.part_path("vagueness", copy)


def test_a_build_copies_the_shipped_parts_and_fits_them_itself_when_they_do_not_match(seed_decls, tmp_path,
                                                                                       monkeypatch):
    """An index's vagueness model and kind matcher are the package's files; when those were fitted
    on other labels (nobody ran `python -m models.shipped`), the build fits its own: the same bytes."""
    from models.encoders.fake import FakeEncoder
    from recommender.index import ensure_index
    decls = list(seed_decls.values())
    copied = ensure_index(decls, FakeEncoder(), tmp_path / "copied").path / "fitted"
    with_kinds = tmp_path / "kinds"
    shipped.copy_part("kinds", with_kinds)
    assert _digests(copied / "vagueness") == _digests(SHIPPED_DIR / "vagueness")
    assert _digests(copied / "kinds") == _digests(with_kinds)
    monkeypatch.setattr(shipped, "current_inputs", lambda: {"vagueness": {"labels": "1" * 16},
                                                           "kinds": {"library": "1" * 16}})
    with pytest.raises(ShippedMismatch):
        shipped.part_path("vagueness")
    fitted = ensure_index(decls, FakeEncoder(), tmp_path / "fitted").path / "fitted"
    for part in ("vagueness", "kinds"):
        assert _digests(fitted / part) == _digests(copied / part)
