"""The national indicator library: kinds of public project and the indicators each kind uses.

Data: one JSON file per sector in `data/` (format 1, described in data/README.md). Every file is
validated on load; a problem raises `LibraryError` naming the file, the kind and the field.
`load_library()` returns every kind of every file (cached); `library_files()` adds each file's
sector and cited sources. Matching a project to kinds lives in `models.library.kinds`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from corpus.framework import LEVEL2

DATA_DIR = Path(__file__).parent / "data"
FORMAT = 1
MEASURES = ("rate", "count", "amount", "money", "duration", "deadline", "state")
OPERATORS = (">=", "<=", "=", ">", "<", None)
# 财预〔2021〕101号: a target value rests on one of these standards.
BASIS_STANDARDS = ("计划标准", "行业标准", "历史标准", "其他标准")
TEMPLATE_MARK = "__"  # "≥__公里": the number comes from the project's own description
_KIND_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FILE_KEYS = {"format", "sector", "sources", "kinds"}
_KIND_KEYS = {"id", "name", "sector", "description", "keywords", "indicators"}
_INDICATOR_KEYS = {"level1", "level2", "name", "measure", "unit", "operator", "typical", "cues", "basis",
                   "from_description"}


class LibraryError(ValueError):
    """A library file is unusable; the message names the file, the kind and the field."""

    def __init__(self, file: str, message: str, kind: str | None = None, field_name: str | None = None):
        self.file, self.kind, self.field = file, kind, field_name
        where = file + (f": kind {kind!r}" if kind else "") + (f": field {field_name!r}" if field_name else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class LibraryIndicator:
    level1: str
    level2: str
    name: str
    target: str  # the typical target value ("typical" in the data files)
    unit: str | None
    measure: str = "count"
    operator: str | None = None
    cues: tuple[str, ...] = ()
    basis: str = ""
    from_description: bool = False  # the number is the project's own (target is a "≥__" template)

    @property
    def typical(self) -> str:
        return self.target

    @property
    def is_template(self) -> bool:
        return TEMPLATE_MARK in self.target


@dataclass(frozen=True)
class ProjectKind:
    id: str
    name: str
    description: str
    keywords: tuple[str, ...]
    indicators: tuple[LibraryIndicator, ...]
    sector: str = ""
    source_file: str = ""


@dataclass(frozen=True)
class Source:
    title: str
    where: str


@dataclass(frozen=True)
class LibraryFile:
    path: str
    sector: str
    sources: tuple[Source, ...]
    kinds: tuple[ProjectKind, ...] = field(default=())


@lru_cache(maxsize=4)
def library_files(path: Path = DATA_DIR) -> tuple[LibraryFile, ...]:
    """Every library file under `path` (a folder of *.json, or one file), validated."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise LibraryError(str(path), "no library files (*.json) found")
    out = [read_library_file(f) for f in files]
    seen: dict[str, str] = {}
    for lib in out:
        for kind in lib.kinds:
            if kind.id in seen:
                raise LibraryError(lib.path, f"duplicate kind id (also in {seen[kind.id]})", kind.id, "id")
            seen[kind.id] = lib.path
    return tuple(out)


@lru_cache(maxsize=4)
def load_library(path: Path = DATA_DIR) -> tuple[ProjectKind, ...]:
    return tuple(kind for lib in library_files(path) for kind in lib.kinds)


def read_library_file(path: Path) -> LibraryFile:
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise LibraryError(name, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise LibraryError(name, f"not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise LibraryError(name, "expected a JSON object with format, sector, sources, kinds")
    _no_unknown(name, data, _FILE_KEYS, None)
    if data.get("format") != FORMAT:
        raise LibraryError(name, f"expected format {FORMAT}, got {data.get('format')!r}", field_name="format")
    sector = _text(name, data, "sector", None)
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        raise LibraryError(name, "expected a non-empty list of {title, where}", field_name="sources")
    parsed_sources = []
    for n, src in enumerate(sources):
        if not isinstance(src, dict) or not all(isinstance(src.get(k), str) and src[k].strip()
                                                for k in ("title", "where")):
            raise LibraryError(name, f"source {n + 1}: expected non-empty title and where", field_name="sources")
        parsed_sources.append(Source(src["title"], src["where"]))
    kinds = data.get("kinds")
    if not isinstance(kinds, list) or not kinds:
        raise LibraryError(name, "expected a non-empty list of kinds", field_name="kinds")
    parsed = []
    ids: set[str] = set()
    for n, raw in enumerate(kinds):
        kind = _kind(name, raw, n)
        if kind.id in ids:
            raise LibraryError(name, "duplicate kind id", kind.id, "id")
        ids.add(kind.id)
        parsed.append(kind)
    return LibraryFile(name, sector, tuple(parsed_sources), tuple(parsed))


def _kind(file: str, raw: object, n: int) -> ProjectKind:
    label = f"#{n + 1}"
    if not isinstance(raw, dict):
        raise LibraryError(file, "expected an object", label)
    ident = raw.get("id")
    if not isinstance(ident, str) or not _KIND_ID.match(ident):
        raise LibraryError(file, f"expected a lower-case id like 'rural-road-construction', got {ident!r}",
                           label, "id")
    _no_unknown(file, raw, _KIND_KEYS, ident)
    name = _text(file, raw, "name", ident)
    sector = _text(file, raw, "sector", ident)
    description = _text(file, raw, "description", ident)
    keywords = raw.get("keywords")
    if not isinstance(keywords, list) or not keywords or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise LibraryError(file, "expected a non-empty list of non-empty strings", ident, "keywords")
    rows = raw.get("indicators")
    if not isinstance(rows, list) or not rows:
        raise LibraryError(file, "expected a non-empty list of indicators", ident, "indicators")
    indicators = tuple(_indicator(file, ident, row, i) for i, row in enumerate(rows))
    names = [i.name for i in indicators]
    dup = next((x for x in names if names.count(x) > 1), None)
    if dup:
        raise LibraryError(file, f"indicator name {dup!r} appears twice", ident, "indicators")
    return ProjectKind(ident, name, description, tuple(keywords), indicators, sector, file)


def _indicator(file: str, kind: str, row: object, i: int) -> LibraryIndicator:
    at = f"indicators[{i}]"
    if not isinstance(row, dict):
        raise LibraryError(file, "expected an object", kind, at)
    unknown = set(row) - _INDICATOR_KEYS
    if unknown:
        raise LibraryError(file, f"unknown field(s) {', '.join(sorted(unknown))}", kind, at)
    missing = (_INDICATOR_KEYS - {"from_description"}) - set(row)
    if missing:
        raise LibraryError(file, f"missing field(s) {', '.join(sorted(missing))}", kind, at)
    name = row["name"]
    if not isinstance(name, str) or not name.strip():
        raise LibraryError(file, "expected a non-empty indicator name", kind, f"{at}.name")
    at = f"{at} ({name})"
    level1, level2 = row["level1"], row["level2"]
    if level2 not in LEVEL2:
        raise LibraryError(file, f"unknown level2 {level2!r}", kind, f"{at}.level2")
    if LEVEL2[level2] != level1:
        raise LibraryError(file, f"level2 {level2!r} belongs under {LEVEL2[level2]!r}, not {level1!r}",
                           kind, f"{at}.level1")
    if level1 == "投入和管理":
        raise LibraryError(file, "the national library has no 投入和管理 rows", kind, f"{at}.level1")
    if row["measure"] not in MEASURES:
        raise LibraryError(file, f"expected one of {', '.join(MEASURES)}, got {row['measure']!r}",
                           kind, f"{at}.measure")
    unit = row["unit"]
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        raise LibraryError(file, "expected a unit string or null", kind, f"{at}.unit")
    if row["operator"] not in OPERATORS:
        raise LibraryError(file, f"expected one of >=, <=, =, >, < or null, got {row['operator']!r}",
                           kind, f"{at}.operator")
    typical = row["typical"]
    if not isinstance(typical, str) or not typical.strip():
        raise LibraryError(file, "expected a concrete target string", kind, f"{at}.typical")
    cues = row["cues"]
    if not isinstance(cues, list) or not all(isinstance(c, str) and c for c in cues):
        raise LibraryError(file, "expected a list of cue words", kind, f"{at}.cues")
    basis = row["basis"]
    if not isinstance(basis, str) or not basis.startswith(BASIS_STANDARDS):
        raise LibraryError(file, f"expected '<{'|'.join(BASIS_STANDARDS)}>: note'", kind, f"{at}.basis")
    from_description = row.get("from_description", False)
    if not isinstance(from_description, bool):
        raise LibraryError(file, "expected true or false", kind, f"{at}.from_description")
    if TEMPLATE_MARK in typical and not from_description:
        raise LibraryError(file, "a '__' template needs from_description: true", kind, f"{at}.from_description")
    return LibraryIndicator(level1, level2, name, typical, unit, row["measure"], row["operator"], tuple(cues),
                            basis, from_description)


def _text(file: str, raw: dict, key: str, kind: str | None) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LibraryError(file, "expected a non-empty string", kind, key)
    return value


def _no_unknown(file: str, raw: dict, allowed: set[str], kind: str | None) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise LibraryError(file, f"unknown field(s) {', '.join(sorted(unknown))}", kind)
