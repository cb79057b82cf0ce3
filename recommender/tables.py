"""Corpus tables: the per-declaration and per-indicator data ranking needs, as compact arrays.

Built at index time (`build_tables`) and saved in the index directory as .npy files (strings as
UTF-8 bytes + offsets, small code lists as JSON; never pickle); loaded with
`np.load(mmap_mode='r')`, so a million declarations cost page cache, not Python objects.

Per declaration row: id, content hash, agency code, year, uses-投入和管理 flag.
Per indicator row (CSR by declaration, `ind_offsets`): merge-key id, indicator-name id,
name-key id (row of the index's name vectors), value-string id, level1/level2 codes as filed and
as used (two-level tables get the classifier's level2, computed here, so loading trains nothing),
and whether the level was read from the layout (the classifier's training rows).
Per merge key: how often each value was written for it, in first-use order (`kv_*`).
Per distinct indicator name: the classifier's level2 and confidence (`name_pred_*`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import framework

TRAIN_DECLARATIONS = 20_000  # the level classifier learns from the labelled rows of this many forms
NO = -1


def h64(text: str) -> int:
    """A stable 64-bit hash of a string (lookups by id or name without a Python dict)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def save_strings(directory: Path, name: str, strings: list[str], *, lookup: bool = False) -> None:
    data = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in data], out=offsets[1:]) if data else None
    np.save(directory / f"{name}.bytes.npy", np.frombuffer(b"".join(data), dtype=np.uint8))
    np.save(directory / f"{name}.offsets.npy", offsets)
    if lookup:
        hashes = np.array([h64(s) for s in strings], dtype=np.uint64)
        order = np.argsort(hashes, kind="stable").astype(np.int64)
        np.save(directory / f"{name}.hash.npy", hashes[order])
        np.save(directory / f"{name}.order.npy", order)


def _mapped(path: Path) -> np.ndarray:
    """A memory-mapped array as a plain ndarray view (np.memmap's per-slice overhead is 10x)."""
    return np.load(path, mmap_mode="r").view(np.ndarray)


class StringTable:
    """Strings saved by `save_strings`, memory-mapped; `find` by hash when saved with lookup."""

    def __init__(self, directory: Path, name: str):
        self._bytes = _mapped(directory / f"{name}.bytes.npy")
        self._offsets = _mapped(directory / f"{name}.offsets.npy")
        hashes = directory / f"{name}.hash.npy"
        self._hashes = _mapped(hashes) if hashes.exists() else None
        self._order = _mapped(directory / f"{name}.order.npy") if hashes.exists() else None

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> str:
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        return bytes(self._bytes[start:end]).decode("utf-8")

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def find(self, text: str) -> int | None:
        if self._hashes is None or not len(self._hashes):
            return None
        h = np.uint64(h64(text))
        at = int(np.searchsorted(self._hashes, h))
        while at < len(self._hashes) and self._hashes[at] == h:
            row = int(self._order[at])
            if self[row] == text:
                return row
            at += 1
        return None


@dataclass
class Rows:
    """Row records of a corpus being indexed, in index row order (plain lists; build time only)."""
    ids: list[str]
    hashes: list[int]
    agencies: list[str | None]
    years: list[int]
    ind_counts: list[int]
    names: list[str]           # per indicator row, raw name
    keys: list[str]            # merge key
    name_keys: list[str]       # name_key (the index's name vectors)
    values: list[str]
    level1: list[str | None]
    level2: list[str | None]
    labelled: list[bool]

    @classmethod
    def empty(cls) -> Rows:
        return cls([], [], [], [], [], [], [], [], [], [], [], [])

    def add(self, decl, content_hash: int) -> None:
        from recommender.index import name_key
        from recommender.merge import merge_key
        self.ids.append(decl.id)
        self.hashes.append(content_hash)
        self.agencies.append(decl.agency or None)
        self.years.append(int(decl.year or 0))
        self.ind_counts.append(len(decl.indicators))
        for ind in decl.indicators:
            self.names.append(ind.name)
            self.keys.append(merge_key(ind.name))
            self.name_keys.append(name_key(ind.name))
            self.values.append(ind.target.raw)
            self.level1.append(ind.level1)
            self.level2.append(ind.level2)
            self.labelled.append(bool(ind.level2 and not ind.inferred))

    def extend_from(self, tables: CorpusTables, rows: np.ndarray) -> None:
        """Copy rows of a previous build's tables (a declaration unchanged since)."""
        t = tables
        for row in rows:
            row = int(row)
            self.ids.append(t.ids[row])
            self.hashes.append(int(t.decl_hash[row]))
            code = int(t.decl_agency[row])
            self.agencies.append(t.agencies[code] if code >= 0 else None)
            self.years.append(int(t.decl_year[row]))
            start, end = int(t.ind_offsets[row]), int(t.ind_offsets[row + 1])
            self.ind_counts.append(end - start)
            for i in range(start, end):
                self.names.append(t.names[int(t.ind_name[i])])
                self.keys.append(t.keys[int(t.ind_key[i])])
                self.name_keys.append(t.name_keys[int(t.ind_name_key[i])])
                self.values.append(t.values[int(t.ind_value[i])])
                a, b = int(t.ind_filed_level1[i]), int(t.ind_filed_level2[i])
                self.level1.append(t.levels1[a] if a >= 0 else None)
                self.level2.append(t.levels2[b] if b >= 0 else None)
                self.labelled.append(bool(t.ind_labelled[i]))


def _codes(items: list, first=()) -> tuple[list, np.ndarray]:
    """Distinct items in first-use order (after `first`) and each item's code (None → -1)."""
    table: dict = {x: n for n, x in enumerate(first)}
    codes = np.empty(len(items), dtype=np.int32)
    for n, x in enumerate(items):
        if x is None:
            codes[n] = NO
            continue
        code = table.get(x)
        if code is None:
            code = table[x] = len(table)
        codes[n] = code
    return list(table), codes


def build_tables(rows: Rows, directory: Path, *, classifier) -> list[str]:
    """Write the tables of `rows` into `directory`; returns the sorted name keys (vector rows).

    `classifier`: a fitted LevelClassifier-like object with `predict(names)`."""
    directory.mkdir(parents=True, exist_ok=True)
    n = len(rows.ids)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(rows.ind_counts, out=offsets[1:]) if n else None
    agencies, agency_codes = _codes(rows.agencies)
    names, name_codes = _codes(rows.names)
    keys, key_codes = _codes(rows.keys)
    values, value_codes = _codes(rows.values)
    levels1, l1_codes = _codes(rows.level1, framework.LEVEL1)
    levels2, l2_codes = _codes(rows.level2, framework.LEVEL2)
    name_keys = sorted(set(rows.name_keys) - {""})
    where = {k: i for i, k in enumerate(name_keys)}
    name_key_codes = np.array([where.get(k, NO) for k in rows.name_keys], dtype=np.int32)

    # the classifier's level2 for every distinct name of a row filed without one
    unlabelled = sorted({int(c) for c, l2 in zip(name_codes, l2_codes) if l2 < 0})
    pred_level2 = np.full(len(names), NO, dtype=np.int32)
    pred_conf = np.zeros(len(names), dtype=np.float64)
    for (label, confidence), code in zip(classifier.predict([names[c] for c in unlabelled]), unlabelled):
        if label not in levels2:
            levels2.append(label)
        pred_level2[code] = levels2.index(label)
        pred_conf[code] = confidence
    # level used for ranking (Engine.level_of): filed level2, else a confident prediction that fits
    used1, used2 = l1_codes.copy(), l2_codes.copy()
    for i in np.flatnonzero(l2_codes < 0):
        code = int(name_codes[i])
        guess = int(pred_level2[code])
        if guess >= 0 and pred_conf[code] >= 0.4:
            parent = framework.LEVEL2[levels2[guess]]
            if l1_codes[i] < 0 or levels1[l1_codes[i]] == parent:
                if parent not in levels1:
                    levels1.append(parent)
                used1[i], used2[i] = levels1.index(parent), guess

    # declaration flags: uses the 投入和管理 class
    input_code = levels1.index("投入和管理")
    decl_of_row = np.repeat(np.arange(n, dtype=np.int64), rows.ind_counts) if n else np.zeros(0, np.int64)
    uses_input = np.zeros(n, dtype=np.uint8)
    uses_input[np.unique(decl_of_row[l1_codes == input_code])] = 1

    # merge key → (value, count) in first-use order (the order a Counter over the corpus keeps)
    pairs = key_codes.astype(np.int64) * max(1, len(values)) + value_codes
    uniq, first, counts = np.unique(pairs, return_index=True, return_counts=True)
    pair_key = uniq // max(1, len(values))
    order = np.lexsort((first, pair_key))
    kv_key, kv_value, kv_count = pair_key[order], (uniq % max(1, len(values)))[order], counts[order]
    kv_offsets = np.searchsorted(kv_key, np.arange(len(keys) + 1)).astype(np.int64)

    arrays = {
        "decl_hash": np.array(rows.hashes, dtype=np.uint64), "decl_agency": agency_codes,
        "decl_year": np.array(rows.years, dtype=np.int32), "decl_input": uses_input,
        "ind_offsets": offsets, "ind_name": name_codes, "ind_key": key_codes,
        "ind_name_key": name_key_codes, "ind_value": value_codes,
        "ind_filed_level1": l1_codes, "ind_filed_level2": l2_codes,
        "ind_level1": used1, "ind_level2": used2,
        "ind_labelled": np.array(rows.labelled, dtype=np.uint8),
        "kv_offsets": kv_offsets, "kv_value": kv_value.astype(np.int32), "kv_count": kv_count.astype(np.int64),
        "name_pred_level2": pred_level2, "name_pred_conf": pred_conf,
    }
    for name, array in arrays.items():
        np.save(directory / f"{name}.npy", array)
    save_strings(directory, "ids", rows.ids, lookup=True)
    save_strings(directory, "names", names, lookup=True)
    save_strings(directory, "keys", keys, lookup=True)
    save_strings(directory, "values", values)
    save_strings(directory, "name_keys", name_keys, lookup=True)
    # agencies: per agency, forms and forms using 投入和管理 (agency_uses_input_management in O(1))
    forms = np.bincount(agency_codes[agency_codes >= 0], minlength=len(agencies))
    using = np.bincount(agency_codes[(agency_codes >= 0) & (uses_input == 1)], minlength=len(agencies))
    # the most common merge key of each level2 over the whole corpus (framework fill, no exclusions)
    (directory / "codes.json").write_text(json.dumps({
        "agencies": agencies, "levels1": levels1, "levels2": levels2,
        "agency_forms": forms.tolist(), "agency_using": using.tolist(),
        "forms": n, "using": int(uses_input.sum())}, ensure_ascii=False), encoding="utf-8")
    return name_keys


class CorpusTables:
    """The saved tables, memory-mapped. Row numbers are the index's project rows."""

    def __init__(self, directory: Path):
        d = Path(directory)
        for path in d.glob("*.npy"):
            stem = path.name[:-4]
            if "." not in stem:
                setattr(self, stem, _mapped(path))
        self.ids = StringTable(d, "ids")
        self.names = StringTable(d, "names")
        self.keys = StringTable(d, "keys")
        self.values = StringTable(d, "values")
        self.name_keys = StringTable(d, "name_keys")
        codes = json.loads((d / "codes.json").read_text(encoding="utf-8"))
        self.agencies: list[str] = codes["agencies"]
        self.levels1: list[str] = codes["levels1"]
        self.levels2: list[str] = codes["levels2"]
        self._agency_code = {a: i for i, a in enumerate(self.agencies)}
        self._agency_forms = codes["agency_forms"]
        self._agency_using = codes["agency_using"]
        self._forms, self._using = codes["forms"], codes["using"]

    def __len__(self) -> int:
        return len(self.decl_hash)

    def row_of(self, ident: str) -> int | None:
        return self.ids.find(ident)

    def rows_of(self, idents) -> list[int]:
        return [r for r in (self.row_of(i) for i in idents) if r is not None]

    def agency(self, row: int) -> str | None:
        code = int(self.decl_agency[row])
        return self.agencies[code] if code >= 0 else None

    def keyed_values(self, row: int) -> list[tuple[str, str]]:
        start, end = int(self.ind_offsets[row]), int(self.ind_offsets[row + 1])
        return [(self.keys[k], self.values[v]) for k, v in
                zip(self.ind_key[start:end].tolist(), self.ind_value[start:end].tolist())]

    def value_counts(self, key: str) -> dict[str, int] | None:
        code = self.keys.find(key)
        if code is None:
            return None
        start, end = int(self.kv_offsets[code]), int(self.kv_offsets[code + 1])
        return {self.values[v]: c for v, c in zip(self.kv_value[start:end].tolist(), self.kv_count[start:end].tolist())}

    def predicted_level(self, name: str) -> tuple[str, float] | None:
        code = self.names.find(name)
        if code is None or self.name_pred_level2[code] < 0:
            return None
        return self.levels2[int(self.name_pred_level2[code])], float(self.name_pred_conf[code])

    def uses_input_management(self, agency: str | None, exclude_rows: list[int]) -> tuple[int, int]:
        """(forms, forms using 投入和管理) of an agency (None: the whole corpus), minus excluded rows."""
        if agency is None:
            forms, using = self._forms, self._using
            dropped = exclude_rows
        else:
            code = self._agency_code.get(agency)
            if code is None:
                return 0, 0
            forms, using = self._agency_forms[code], self._agency_using[code]
            dropped = [r for r in exclude_rows if int(self.decl_agency[r]) == code]
        return forms - len(dropped), using - sum(int(self.decl_input[r]) for r in dropped)

    def most_common_rows(self, level2: str, exclude_rows: list[int], limit: int) -> list[tuple[int, int]]:
        """(declaration row, indicator position) of the most common merge key filed under `level2`
        (ties: the key used first), at most `limit` of them."""
        if level2 not in self.levels2:
            return []
        mask = np.asarray(self.ind_level2) == self.levels2.index(level2)
        if exclude_rows:
            for row in exclude_rows:
                mask[int(self.ind_offsets[row]):int(self.ind_offsets[row + 1])] = False
        where = np.flatnonzero(mask)
        if not len(where):
            return []
        keys = np.asarray(self.ind_key)[where]
        uniq, first, counts = np.unique(keys, return_index=True, return_counts=True)
        best = counts.max()
        top = uniq[np.argmin(np.where(counts == best, first, np.iinfo(np.int64).max))]
        chosen = where[keys == top][:limit]
        decl_rows = np.searchsorted(np.asarray(self.ind_offsets), chosen, side="right") - 1
        return [(int(d), int(i - self.ind_offsets[d])) for d, i in zip(decl_rows, chosen)]
