"""How well the reader recovers real indicator tables: `zhibiao evaluate parse --cases FILE`.

Each case (the `../shared/fieldforms/cases.jsonl` format) names a source text and the rows a
person checked by hand. A case row is *recovered* when the reader gives a row with the same name
and value; *precision* is the share of the reader's rows that match a case row. Names are
compared after dropping spaces (cell wraps), ★ and `*` marks and colons (an `指标1:` numbering
is compared: it is part of the name as printed); values
after folding `>=`/`≥` and full-width forms, and a value matches when equal, when ours only adds the
`=` that a 指标性质 cell states (a bare value means `=` too), or when the case holds only the
number of a split value (`3500` where the form's cells say `=`, `3500`, `米`).
Levels agree when the canonical (level1, level2) of the reader's row equals that of the case.

Renditions: each case is also written into every office format in three templates
(`evaluation.renditions`) and read back, to measure the office readers on the same rows.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from corpus import framework
from corpus.errors import InputError
from corpus.read import read
from corpus.read.interpret.labels import squash, strip_decoration
from corpus.targets import parse_target


def name_key(name: str | None) -> str:
    # a name's numbering ('指标1:') is part of the name as printed: the sealed scorer compares it too
    return squash(name).replace("★", "").lstrip("*").replace(":", "").strip(",.;、")


def value_key(value: str | None) -> str:
    text = squash(value)
    for a, b in ((">=", "≥"), ("<=", "≤"), ("＞", ">"), ("＜", "<"), ("＝", "="), ("％", "%")):
        text = text.replace(a, b)
    return text


def values_match(ours: str | None, case: str | None) -> bool:
    a, b = value_key(ours), value_key(case)
    if a == b:
        return True
    if not a or not b:
        return False
    if a.startswith("=") and a[1:] == b:  # '=' from a 指标性质 cell; a bare value means '=' too
        return True
    if re.fullmatch(r"\d+(\.\d+)?%?", b):  # the case kept only the number cell of a split value
        mine, theirs = parse_target(a), parse_target(b)
        return mine.value is not None and mine.value == theirs.value and \
            (theirs.unit is None or theirs.unit == mine.unit)
    return False


@dataclass
class CaseScore:
    id: str
    expected: int
    found: int
    matched: int
    levels_agree: int
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else (1.0 if not self.expected else 0.0)


def score_case(case: dict, indicators: list) -> CaseScore:
    expected = case["indicators"]
    used: set[int] = set()
    matched = agree = 0
    missed: list[str] = []
    for row in expected:
        hit = None
        for index, ind in enumerate(indicators):
            if index in used:
                continue
            if name_key(ind.name) == name_key(row["name"]) and values_match(ind.target.raw, row["value"]):
                hit = index
                break
        if hit is None:
            missed.append(f"{row['name']} = {row['value']}")
            continue
        used.add(hit)
        matched += 1
        ind = indicators[hit]
        want = framework.canonical(_strip(row.get("level1")), _strip(row.get("level2")))
        agree += (ind.level1, ind.level2) == want or (want[1] is None and ind.level1 == want[0])
    extra = [f"{i.name} = {i.target.raw}" for n, i in enumerate(indicators) if n not in used]
    return CaseScore(case["id"], len(expected), len(indicators), matched, agree, missed, extra)


def _strip(label: str | None) -> str | None:
    return strip_decoration(label) if label else None


def _scored(case: dict, path: Path) -> CaseScore:
    try:
        decls = read(path)
    except InputError as exc:
        score = score_case(case, [])
        score.error = exc.reason
        return score
    return score_case(case, decls[0].indicators if decls else [])


def evaluate_raw(cases: list[dict], raw_dir: Path) -> list[CaseScore]:
    return [_scored(case, raw_dir / f"{case['id']}.txt") for case in cases]


def evaluate_renditions(cases: list[dict], formats: tuple[str, ...], templates: tuple[str, ...]
                        ) -> dict[tuple[str, str], list[CaseScore]]:
    from evaluation.renditions import write_rendition

    results: dict[tuple[str, str], list[CaseScore]] = {}
    with tempfile.TemporaryDirectory(prefix="zhibiao-renditions-") as tmp:
        for fmt in formats:
            for template in templates:
                scores = []
                for case in cases:
                    path = Path(tmp) / f"{case['id']}-{template}.{fmt}"
                    write_rendition(case, fmt, template, path)
                    scores.append(_scored(case, path))
                results[(fmt, template)] = scores
    return results


def evaluate_text_families(cases: list[dict]) -> dict[tuple[str, str], list[CaseScore]]:
    """The cases written as flattened text in every family (`text_renditions`) and read back."""
    from evaluation.text_renditions import FAMILIES, write_text

    results: dict[tuple[str, str], list[CaseScore]] = {}
    with tempfile.TemporaryDirectory(prefix="zhibiao-text-") as tmp:
        for family in FAMILIES:
            for selfeval in (False, True):
                scores = []
                for case in cases:
                    path = Path(tmp) / f"{case['id']}.txt"
                    path.write_text(write_text(case, family, selfeval=selfeval), encoding="utf-8")
                    scores.append(_scored(case, path))
                results[(family, "selfeval" if selfeval else "plain")] = scores
    return results


def totals(scores: list[CaseScore]) -> dict[str, float]:
    expected = sum(s.expected for s in scores)
    found = sum(s.found for s in scores)
    matched = sum(s.matched for s in scores)
    agree = sum(s.levels_agree for s in scores)
    return {"forms": len(scores), "rows": expected, "read": found, "matched": matched,
            "recall": round(matched / expected, 3) if expected else 1.0,
            "precision": round(matched / found, 3) if found else 0.0,
            "levels_agree": round(agree / matched, 3) if matched else 0.0}


def load_cases(path: Path) -> list[dict]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"line {number} is not JSON ({exc.msg})") from None
        if not isinstance(case, dict) or "id" not in case or not isinstance(case.get("indicators"), list):
            raise InputError(path, f"line {number}: expected an object with 'id' and 'indicators'")
        cases.append(case)
    return cases


def evaluate_generated(n: int, seed: int = 0, formats: tuple[str, ...] = ("txt",), *, value_traits: bool = True
                       ) -> tuple[list[tuple[dict[str, str], CaseScore]], dict]:
    """Random forms (`evaluation.generate_forms`) written in each format and read back: per form
    its traits and its score. Office formats reuse the renditions' writers on the form's grid.
    `value_traits=False`: the forms as drawn before the traits 值形状 / 名称同标签 (tests pinned on them)."""
    from evaluation.generate_forms import generate

    forms = generate(n, seed, value_traits=value_traits)
    results: list[tuple[dict[str, str], CaseScore]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="zhibiao-generated-") as tmp:
        if "webtext" in formats:
            results += _web_round_trip(forms, seed, Path(tmp), notes)
        if "webhtml" in formats:
            results += _web_pages_as_html(forms, seed, Path(tmp))
        if "pdftext" in formats:
            from evaluation.pdf_layer import available_engines
            engines, missing = available_engines()
            notes += missing
        for form in forms:
            for fmt in (f for f in formats if f not in ("webtext", "webhtml")):
                if fmt == "pdftext":
                    results += _pdf_text_layers(form, Path(tmp), engines)
                    continue
                path = Path(tmp) / f"{form.id}.{fmt}"
                if fmt == "txt":
                    path.write_text(form.text, encoding="utf-8")
                else:
                    from evaluation.renditions import write_grid
                    write_grid(form.title, form.grid, fmt, path)
                traits = dict(form.traits)
                traits["格式"] = fmt
                results.append((traits, _scored(form.case(), path)))
    return results, {"forms": n, "seed": seed, "formats": list(formats), "notes": notes}


def _web_round_trip(forms, seed: int, tmp: Path, notes: list[str]) -> list[tuple[dict[str, str], CaseScore]]:
    """Each form as a web page (`evaluation.web_pages`), its text as each engine gives it, read back as
    text; a missing engine (chromium) is skipped with a note."""
    from evaluation.web_pages import ENGINES, missing_engine, page_html, page_texts

    pages = [page_html(form, seed) for form in forms]
    results = []
    for engine in ENGINES:
        why = missing_engine(engine)
        if why:
            notes.append(why)
            continue
        for form, (_, page_traits), text in zip(forms, pages, page_texts([h for h, _ in pages], engine)):
            path = tmp / f"{form.id}-{engine}.txt"
            path.write_text(text, encoding="utf-8")
            traits = {**form.traits, **page_traits, "格式": f"webtext:{engine}"}
            results.append((traits, _scored(form.case(), path)))
    return results


def _web_pages_as_html(forms, seed: int, tmp: Path) -> list[tuple[dict[str, str], CaseScore]]:
    """The same web pages (`evaluation.web_pages`) saved as .html and read by our own HTML reader."""
    from evaluation.web_pages import page_html

    results = []
    for form in forms:
        html, page_traits = page_html(form, seed)
        path = tmp / f"{form.id}-page.html"
        path.write_text(html, encoding="utf-8")
        results.append(({**form.traits, **page_traits, "格式": "webhtml"}, _scored(form.case(), path)))
    return results


# the traits of a generated form that its grid keeps (the others are how its text was printed)
GRID_TRAITS = ("标签体系", "层级列", "标签后缀", "标签编号", "标签分值", "必填标注", "字间空格", "附加列", "值列",
               "值写法", "拆分顺序", "表头", "定性值", "指标编号", "解释列表头", "中期年度并列", "项目列在前", "值形状",
               "名称同标签")


def _pdf_text_layers(form, tmp: Path, engines: tuple[str, ...]) -> list[tuple[dict[str, str], CaseScore]]:
    """The form drawn as a ruled PDF (`evaluation.pdf_layer`), its text layer taken out by each engine
    that runs here and read as the text it is (`zhibiao parse FILE.txt`)."""
    from evaluation.pdf_layer import texts

    layers, pdf_traits = texts(form, tmp, engines)
    out = []
    for engine, text in layers.items():
        path = tmp / f"{form.id}-{engine}.txt"
        path.write_text(text, encoding="utf-8")
        traits = {t: form.traits[t] for t in GRID_TRAITS if t in form.traits}
        traits.update(pdf_traits)
        traits["格式"] = f"pdftext·{engine}"
        out.append((traits, _scored(form.case(), path)))
    return out


def by_trait(results: list[tuple[dict[str, str], CaseScore]]) -> list[tuple[str, str, dict[str, float]]]:
    """(trait, value, totals) for every value of every trait, in trait order."""
    groups: dict[tuple[str, str], list[CaseScore]] = {}
    for traits, score in results:
        for trait, value in traits.items():
            groups.setdefault((trait, value), []).append(score)
    return [(t, v, totals(scores)) for (t, v), scores in sorted(groups.items())]


def by_trait_and_format(results: list[tuple[dict[str, str], CaseScore]]
                        ) -> list[tuple[str, str, str, dict[str, float]]]:
    """(trait, value, format, totals): each trait's figures apart for every format (or engine) the forms
    were written in, so that one weak engine does not hide how the others read a trait."""
    groups: dict[tuple[str, str, str], list[CaseScore]] = {}
    for traits, score in results:
        for trait, value in traits.items():
            if trait != "格式":
                groups.setdefault((trait, value, traits.get("格式", "")), []).append(score)
    return [(t, v, f, totals(scores)) for (t, v, f), scores in sorted(groups.items())]
