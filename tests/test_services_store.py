"""The server's services over the store-backed engine: nothing loads the corpus as objects, and
the library, the declaration listing, the stats and the review answer what the list-based code
answered (the reference implementations below are the previous ones, over a list)."""

from __future__ import annotations

import copy
import time
from collections import Counter

import pytest

from api.services import ServiceHolder, Services
from api.settings import Settings
from corpus.store import CorpusStore, sample_declarations
from evaluation.bench import synthetic
from evaluation.loo_review import LeaveOneOutReviewer, ListReviewer
from evaluation.report import QualityReport
from recommender.naming import merge_key

GENERATED = 300

pytestmark = pytest.mark.usefixtures("no_whole_corpus")  # tests/conftest.py


def old_library(engine, decls) -> list[dict]:
    groups: dict[str, list] = {}
    for decl in decls:
        for ind in decl.indicators:
            groups.setdefault(merge_key(ind.name), []).append((decl, ind))
    out = []
    for rows in groups.values():
        names = Counter(ind.name for _, ind in rows)
        (level1, level2), _ = Counter(engine.level_of(ind) for _, ind in rows).most_common(1)[0]
        values = Counter(ind.target.raw or "（空）" for _, ind in rows)
        out.append({"name": names.most_common(1)[0][0], "level1": level1, "level2": level2,
                    "frequency": len({d.id for d, _ in rows}), "declarations": sorted({d.id for d, _ in rows}),
                    "agencies": sorted({d.agency for d, _ in rows if d.agency}),
                    "observed_values": [{"value": v, "count": n} for v, n in values.most_common()]})
    out.sort(key=lambda e: (-e["frequency"], e["name"]))
    return out


def old_listing(decls, agency=None, year=None, q="") -> tuple[int, list[dict]]:
    rows = [d for d in decls if (not agency or d.agency == agency) and (year is None or d.year == year)
            and (not q or q in (d.project_name or "") or q in (d.texts.get("overview") or ""))]
    return len(rows), [{"id": d.id, "project_name": d.project_name, "agency": d.agency, "year": d.year,
                        "indicators": len(d.indicators), "layout": d.source.layout} for d in rows[:100]]


def without_totals(items: list[dict]) -> list[dict]:
    return [{k: v for k, v in i.items() if k != "distinct_values"} for i in items]


@pytest.fixture(scope="module")
def samples_home(tmp_path_factory):
    return tmp_path_factory.mktemp("samples-home")


@pytest.fixture(scope="module")
def samples(samples_home):
    return Services.load(Settings(home=samples_home, encoder="tfidf"))


def test_samples_counts_and_library(samples):
    decls = sample_declarations()
    assert samples.declarations == 22 and samples.indicators == 306
    assert "bundled sample corpus" in samples.origin
    total, items = samples.library.query(limit=500)
    assert total == 219
    assert without_totals(items) == old_library(samples.engine, decls)
    total, items = samples.library.query(q="满意度", level1="满意度", limit=5)
    assert [i["name"] for i in items] == [e["name"] for e in old_library(samples.engine, decls)
                                          if "满意度" in e["name"] and e["level1"] == "满意度"][:5]
    paged = samples.library.query(limit=10, offset=10)[1]
    assert without_totals(paged) == old_library(samples.engine, decls)[10:20]


def test_samples_listing(samples):
    decls = sample_declarations()
    for query in ({"agency": "上海市经济信息中心"}, {"year": 2023}, {"q": "智慧微菜场"}, {"q": "菜场", "year": 2019},
                  {}, {"agency": "没有这个单位"}):
        assert samples.listing.query(**query) == old_listing(decls, **query)
    assert samples.listing.query(agency="上海市经济信息中心")[0] == 7
    assert samples.listing.query(year=2023)[0] == 4
    overview = next(d.texts["overview"] for d in decls if d.texts.get("overview"))[5:15]
    assert samples.listing.query(q=overview) == old_listing(decls, q=overview)


def test_samples_stats_equal_the_quality_report_and_are_cached(samples, samples_home, monkeypatch):
    expected = QualityReport(sample_declarations(), samples.reviewer.assessor).build().tables()
    stats = samples.stats()
    for key in ("agencies", "years", "agency_years"):
        assert stats[key] == expected[key]
    agencies = {row["group"]: row for row in stats["agencies"]}
    assert agencies["上海市经济信息中心"]["indicators"] == 135 and agencies["上海市经济信息中心"]["vague"] == 76
    # a restart reads the file written beside the index
    import evaluation.table_report as table_report
    monkeypatch.setattr(table_report, "table_stats", lambda *a, **k: pytest.fail("stats computed again"))
    again = Services.load(Settings(home=samples_home, encoder="tfidf"))
    assert again.stats() == stats


def test_reviewer_of_engine_reviews_like_the_list_reviewer(samples):
    """Left out of the classifier too, the engine's review of a corpus form is the list's (both in
    evaluation/loo_review.py); the product's reviewer reads the saved classifier (test_fitted_load)."""
    decls = sample_declarations()
    listed = ListReviewer(decls).fit()
    left_out = LeaveOneOutReviewer.of_engine(samples.engine).fit()
    for decl in decls[:3] + decls[-2:]:
        assert left_out.review(decl).to_dict() == listed.review(decl).to_dict()


@pytest.fixture(scope="module")
def generated_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("generated-home")
    sources = sample_declarations()
    last = copy.deepcopy(next(d for d in sources if d.year and d.agency))
    last.id, last.year = "last-year-1", last.year - 1
    last.indicators[0].target.actual = "100%"
    with CorpusStore(home / "corpus.sqlite3") as store:
        store.add_declarations([*synthetic(sources, GENERATED), last], source="synthetic")
    return home


@pytest.fixture(scope="module")
def generated(generated_home):
    return Services.load(Settings(home=generated_home, encoder="tfidf"))


@pytest.mark.slow
def test_generated_store(generated, generated_home):
    with CorpusStore(generated_home / "corpus.sqlite3") as store:
        decls = list(store.iter_declarations())
    assert generated.declarations == GENERATED + 1
    assert generated.indicators == sum(len(d.indicators) for d in decls)
    assert generated.origin.startswith("store ")
    assert generated.corpus_hash.startswith("store:")
    total, items = generated.library.query(limit=500)
    reference = old_library(generated.engine, decls)
    assert total == len(reference)
    assert [{**i, "declarations": None} for i in without_totals(items)] == \
        [{**e, "declarations": None, "observed_values": e["observed_values"][:50]} for e in reference[:500]]
    assert [i["distinct_values"] for i in items] == [len(e["observed_values"]) for e in reference[:500]]
    for item, entry in zip(items, reference):  # ids: all of them up to 100, else 100 of them
        assert set(item["declarations"]) <= set(entry["declarations"])
        assert len(item["declarations"]) == min(100, entry["frequency"])
        if entry["frequency"] <= 100:
            assert item["declarations"] == entry["declarations"]
    for query in ({"agency": decls[0].agency}, {"year": decls[0].year}, {"q": "（合成7）"},
                  {"q": (decls[0].texts.get("overview") or "项目")[3:9]}):
        assert generated.listing.query(**query) == old_listing(decls, **query)
    assert generated.listing.query(q="（合成7）")[0] == 1
    expected = QualityReport(decls, generated.reviewer.assessor).build().tables()
    stats = generated.stats()
    assert [stats[k] for k in ("agencies", "years", "agency_years")] == \
        [expected[k] for k in ("agencies", "years", "agency_years")]
    # last year's form of a project, found in the tables and fetched by id
    this_year = next(d for d in sample_declarations() if d.project_name == decls[-1].project_name
                     and d.agency == decls[-1].agency and d.year == decls[-1].year + 1)
    assert generated.reviewer.previous(this_year).id == "last-year-1"
    assert ListReviewer(decls).fit().previous(this_year).id == "last-year-1"
    assert LeaveOneOutReviewer.of_engine(generated.engine).fit().review(decls[5]).to_dict() == \
        ListReviewer(decls).fit().review(decls[5]).to_dict()


@pytest.mark.slow
def test_another_worker_notices_a_new_index(tmp_path):
    home = tmp_path / "home"
    with CorpusStore(home / "corpus.sqlite3") as store:
        store.add_declarations(synthetic(sample_declarations(), 30), source="first")
    settings = Settings(home=home, encoder="tfidf")
    receiving, other = ServiceHolder(settings), ServiceHolder(settings)
    receiving.load()
    other.load()
    assert other.current.declarations == 30
    with CorpusStore(home / "corpus.sqlite3") as store:
        store.add_declarations(_renamed(synthetic(sample_declarations(), 5, seed=1), "more"), source="second")
    receiving.rebuild_in_background()
    _wait(lambda: not receiving.rebuilding)
    assert receiving.current.declarations == 35
    other._checked = 0.0
    other.check_index()
    _wait(lambda: not other.rebuilding)
    assert other.current.declarations == 35
    assert other.current.corpus_hash == receiving.current.corpus_hash
    other._checked = 0.0
    other.check_index()  # nothing moved: no reload
    assert not other.rebuilding


def _renamed(decls, prefix: str):
    for decl in decls:
        decl.id = f"{prefix}-{decl.id}"
        yield decl


def _wait(done, limit: float = 120.0) -> None:
    deadline = time.time() + limit
    while not done() and time.time() < deadline:
        time.sleep(0.1)
    assert done()
