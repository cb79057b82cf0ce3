"""The agency / year quality aggregates of `evaluation.report.QualityReport`, from the corpus tables.

Same numbers as `QualityReport(decls).build().tables()["agencies" | "years" | "agency_years"]`,
without holding the corpus: every judgement there depends on an indicator's (name, value) pair
only, so each distinct pair is assessed once (batch by batch, with a bounded cache) and the rest is
counting over the memory-mapped tables in batches of declaration rows. The result is cached as JSON
beside the index (`derived/stats-v<N>.json`), so a restart reads it.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np

from corpus import framework
from evaluation.report import LEVEL2_ORDER, UNKNOWN, Group, flat_groups, wilson
from recommender.corpus_library import PairCounts, derived_dir
from recommender.tables import decl_rows_of

STATS_VERSION = 1
BATCH_ROWS = 20_000
PAIR_CACHE = 500_000  # assessed (name, value) pairs kept between batches
COVERAGE = LEVEL2_ORDER + list(framework.LEVEL1)


class _Pairs:
    """vague / fits of distinct (name code, value code) pairs, assessed once while cached."""

    def __init__(self, tables, assessor):
        from models.vagueness import load_training_labels
        items, labels = load_training_labels()
        self.labelled = dict(zip(items, labels))
        self.tables, self.assessor = tables, assessor
        self.cache: dict[int, tuple[bool, bool]] = {}
        self.width = len(tables.values) + 1

    def judge(self, names: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from recommender.fit import value_fits
        codes = names.astype(np.int64) * self.width + (values.astype(np.int64) + 1)
        uniq, inverse = np.unique(codes, return_inverse=True)
        todo = [c for c in uniq.tolist() if c not in self.cache]
        if len(self.cache) + len(todo) > PAIR_CACHE:
            self.cache.clear()
            todo = uniq.tolist()
        pairs = [(self.tables.names[c // self.width],
                  self.tables.values[c % self.width - 1] if c % self.width else None) for c in todo]
        for code, pair, a in zip(todo, pairs, self.assessor.assess_many(pairs) if pairs else []):
            self.cache[code] = (bool(self.labelled.get(pair, a.vague)), bool(value_fits(*pair)[0]))
        judged = np.array([self.cache[c] for c in uniq.tolist()], dtype=bool).reshape(-1, 2)
        return judged[inverse, 0], judged[inverse, 1]


def _class_codes(tables) -> tuple[np.ndarray, np.ndarray]:
    """Coverage column (index into COVERAGE, -1 none) of each filed level2 / level1 code."""
    l2 = np.array([COVERAGE.index(x) if x in COVERAGE else -1 for x in tables.levels2] + [-1], np.int64)
    l1 = np.array([COVERAGE.index(x) if x in COVERAGE else -1 for x in tables.levels1] + [-1], np.int64)
    return l1, l2


def table_stats(tables, assessor, *, progress: Callable[[int, int], None] = lambda n, total: None) -> dict:
    """{"agencies", "years", "agency_years"}: rows as `QualityReport.tables()` gives them."""
    n = len(tables)
    offsets = np.asarray(tables.ind_offsets)
    agency = np.asarray(tables.decl_agency, np.int64)
    year = np.asarray(tables.decl_year, np.int64)
    # group codes: agency code + 1 (0 = unknown); year values; agency × year
    years = sorted(set(np.unique(year).tolist()))
    year_code = np.searchsorted(np.array(years, np.int64), year) if n else np.zeros(0, np.int64)
    groupings = {"agencies": agency + 1, "years": year_code,
                 "agency_years": (agency + 1) * max(1, len(years)) + year_code}
    sizes = {"agencies": len(tables.agencies) + 1, "years": max(1, len(years)),
             "agency_years": (len(tables.agencies) + 1) * max(1, len(years))}
    sums = {g: {k: np.zeros(sizes[g], np.int64) for k in ("decls", "indicators", "vague", "score")}
            for g in groupings}
    coverage = {g: np.zeros((sizes[g], len(COVERAGE)), np.int64) for g in groupings}
    names = {g: PairCounts(len(tables.names)) for g in groupings}
    vague_values = {g: PairCounts(len(tables.values) + 1) for g in groupings}
    pairs = _Pairs(tables, assessor)
    l1_cov, l2_cov = _class_codes(tables)
    for start in range(0, n, BATCH_ROWS):
        end = min(n, start + BATCH_ROWS)
        a, b = int(offsets[start]), int(offsets[end])
        rows = np.arange(a, b, dtype=np.int64)
        decl = decl_rows_of(offsets, rows) if b > a else np.zeros(0, np.int64)
        name_codes = np.asarray(tables.ind_name[a:b], np.int64)
        value_codes = np.asarray(tables.ind_value[a:b], np.int64)
        vague, fits = pairs.judge(name_codes, value_codes) if b > a else (np.zeros(0, bool),) * 2
        local = decl - start
        count = np.diff(offsets[start:end + 1])
        vague_n = np.bincount(local, weights=vague, minlength=end - start).astype(np.int64)
        good_n = np.bincount(local, weights=(~vague) & fits, minlength=end - start)  # measurable
        score = np.round(100 * good_n / np.maximum(count, 1)).astype(np.int64)
        # classes of each declaration (filed level2, else level1)
        f2 = np.asarray(tables.ind_filed_level2[a:b], np.int64)
        f1 = np.asarray(tables.ind_filed_level1[a:b], np.int64)
        column = np.where(f2 >= 0, l2_cov[f2], np.where(f1 >= 0, l1_cov[f1], -1))
        have = column >= 0
        present = np.unique(local[have] * len(COVERAGE) + column[have])
        for g, codes in groupings.items():
            group = codes[start:end]
            s = sums[g]
            np.add.at(s["decls"], group, 1)
            np.add.at(s["indicators"], group, count)
            np.add.at(s["vague"], group, vague_n)
            np.add.at(s["score"], group, score)
            np.add.at(coverage[g], (group[present // len(COVERAGE)], present % len(COVERAGE)), 1)
            names[g].add(group[local], name_codes, rows)
            vague_values[g].add(group[local][vague], value_codes[vague] + 1, rows[vague])
        progress(end, n)
    out = {}
    for g in groupings:
        out[g] = _rows(g, tables, years, sums[g], coverage[g], names[g], vague_values[g])
    return out


def _label(grouping: str, code: int, tables, years: list[int]) -> str:
    width = max(1, len(years))

    def agency(c: int) -> str:
        return tables.agencies[c - 1] if c > 0 else UNKNOWN

    def year(c: int) -> str:
        return str(years[c] or UNKNOWN)

    if grouping == "agencies":
        return agency(code)
    if grouping == "years":
        return year(code)
    return f"{agency(code // width)} · {year(code % width)}"


def _top(counts: PairCounts, strings, size: int, shift: int = 0) -> dict[int, list[tuple[str, int]]]:
    a, b, c, _ = counts.ranked()
    out: dict[int, list[tuple[str, int]]] = {}
    for group, code, count in zip(a.tolist(), b.tolist(), c.tolist()):
        mine = out.setdefault(group, [])
        if len(mine) < size:
            value = strings[code - shift] if code - shift >= 0 else None
            mine.append((value, count))
    return out


def _rows(grouping, tables, years, s, coverage, names, vague_values) -> list[dict]:
    top_names = _top(names, tables.names, 5)
    top_vague = _top(vague_values, tables.values, 5, shift=1)
    groups = []
    for code in np.flatnonzero(s["decls"]).tolist():
        members, indicators, vague = int(s["decls"][code]), int(s["indicators"][code]), int(s["vague"][code])
        low, high = wilson(vague, indicators)
        cover = {c: round(int(coverage[code, i]) / members, 3) for i, c in enumerate(COVERAGE)}
        groups.append(Group(_label(grouping, code, tables, years), members, indicators,
                            round(indicators / members, 2), vague,
                            round(vague / indicators, 3) if indicators else 0.0, round(low, 3), round(high, 3),
                            round(int(s["score"][code]) / members, 1), cover,
                            top_vague.get(code, []), top_names.get(code, [])))
    groups.sort(key=lambda g: g.group)
    return flat_groups(groups)


def cached_stats(tables, assessor, index_path: Path, corpus_hash: str) -> dict:
    """`table_stats` once per index version: read from `derived/stats-v<N>.json` when there."""
    path = derived_dir(index_path) / f"stats-v{STATS_VERSION}.json"
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("corpus_hash") == corpus_hash:
            return saved
    stats = {"corpus_hash": corpus_hash, **table_stats(tables, assessor)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}"
        temp.write_text(json.dumps(stats, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, path)
    except OSError:  # a replica's index is mounted read-only: computed again per process, not kept
        pass
    return stats
