"""Kind accuracy: does `match_kinds` put a project in the kind a budget officer would?

Cases are JSON objects with `project_name`, `description` and an expected kind id, either in the
case (`kind_id` or `expected_kind`) or given by case `id` in `expected`. Two sets exist:
- the 26 field forms (`../shared/fieldforms/cases.jsonl`); their expected kinds are
  FIELD_FORM_KINDS below, assigned by hand from each form's sector, name and content;
- one description per kind written by us (tests/data/kind_descriptions.jsonl: `kind_id`,
  `project_name`, `description`), none drawn from the field forms;
- a paraphrased set written after the library in officers' own wording
  (tests/data/kind_descriptions_paraphrased.jsonl, 58 kinds).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from models.library import load_library
from models.library.kinds import match_kinds, matcher

# Expected kind per field form (cases.jsonl `id`), assigned by hand from the form's own content.
FIELD_FORM_KINDS = {
    "A-001": "rural-tourism-industry",      # 扶贫/乡村旅游: visitors and village income from a poverty-relief base
    "A-002": "asset-income-poverty",        # 资产收益扶贫: co-operatives repay and pay dividends
    "A-003": "sanitation-cleaning",         # 环卫: cleaning and disinfection by an outsourced company
    "A-004": "agri-processing-facilities",  # cold store and processing workshop in an industrial park
    "A-005": "road-bridge-construction",    # orchard roads, 2 km + 2 km of concrete
    "A-006": "livestock-infrastructure",    # breeding farm sheds, feed store, epidemic-prevention room
    "A-007": "planting-breeding-subsidy",   # 特色种养殖补贴到户
    "A-008": "pipeline-renovation",         # 瓶改管 gas pipes
    "A-009": "greening",                    # village greening along 3500 m of road
    "A-010": "afforestation",               # water-conservation forest, 8万亩 营造林
    "A-011": "agri-processing-facilities",  # drying house and yards of a processing park
    "A-012": "rural-living-environment",    # 人居环境综合整治示范村
    "A-013": "small-water-works",           # 7 small water works
    "A-014": "flood-damage-repair",         # 水毁修复
    "A-015": "rural-housing-renovation",    # 农村危房改造
    "A-016": "weather-modification",        # 人工增雨飞机作业
    "A-017": "road-bridge-construction",    # 普通省道 32.1 km
    "A-018": "rural-living-environment",    # 美丽乡村, 改厕, 村庄清洁
    "A-019": "forest-farm-wildlife",        # 国有林场 wildlife shelter
    "A-020": "afforestation",               # 林业局: 造林, 森林经营, 病虫害防治 (afforestation dominates)
    "A-021": "afforestation",               # 退耕还林 working funds
    "A-022": "work-relief",                 # 以工代赈 river works (river-management is the second kind)
    "A-023": "manure-nonpoint-pollution",   # 畜禽粪污资源化利用
    "A-024": "grain-reserve",               # 县级储备粮
    "A-025": "seed-breeding",               # 马铃薯原种繁育
    "A-026": "forest-pest-control",         # 林业有害生物防治
}


class KindCasesError(ValueError):
    """A kind-cases file that cannot be read; the message names the file, line and field."""


def load_kind_cases(path: Path) -> list[dict]:
    """JSONL cases (cases.jsonl or kind_descriptions.jsonl format)."""
    path = Path(path)
    if not path.is_file():
        raise KindCasesError(f"{path}: no such file (expected JSONL, one case per line)")
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KindCasesError(f"{path}: line {n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise KindCasesError(f"{path}: line {n}: expected a JSON object")
        for key in ("project_name", "description"):
            if not isinstance(row.get(key, ""), str):
                raise KindCasesError(f"{path}: line {n}: field {key!r} must be a string")
        if not row.get("project_name") and not row.get("description"):
            raise KindCasesError(f"{path}: line {n}: expected project_name or description")
        cases.append(row)
    return cases


def evaluate_kinds(cases: Iterable[Mapping], expected: Mapping[str, str] | None = None, *,
                   top: int = 3) -> dict:
    """Per case expected vs matched kinds, and top-1 / top-k accuracy over cases with an expectation.

    `expected` maps case id → kind id (FIELD_FORM_KINDS for the field forms); a case's own
    `kind_id` / `expected_kind` wins. Unknown expected kind ids are reported, never silently counted."""
    known = {k.id for k in load_library()}
    matcher()  # fit before timing
    expected = expected or {}
    rows, hits1, hitsk, scored, elapsed = [], 0, 0, 0, 0.0
    for n, case in enumerate(cases, 1):
        ident = str(case.get("id") or case.get("kind_id") or n)
        want = case.get("kind_id") or case.get("expected_kind") or expected.get(ident)
        if want is not None and want not in known:
            raise KindCasesError(f"case {ident}: expected kind {want!r} is not in the library")
        start = time.perf_counter()
        got = match_kinds(case.get("project_name") or "", case.get("description") or "", top=top)
        elapsed += time.perf_counter() - start
        ids = [m.kind_id for m in got]
        row = {"id": ident, "project_name": case.get("project_name", ""), "sector": case.get("sector"),
               "expected": want, "got": [{"kind_id": m.kind_id, "name": m.name, "score": m.score} for m in got]}
        if want is not None:
            scored += 1
            row["top1"] = bool(ids) and ids[0] == want
            row[f"top{top}"] = want in ids
            hits1 += row["top1"]
            hitsk += row[f"top{top}"]
        rows.append(row)
    return {"cases": rows, "total": len(rows), "evaluated": scored,
            "accuracy_top1": round(hits1 / scored, 4) if scored else None,
            f"accuracy_top{top}": round(hitsk / scored, 4) if scored else None,
            "ms_per_case": round(1000 * elapsed / len(rows), 3) if rows else None}
