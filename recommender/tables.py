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
from array import array
from pathlib import Path

import numpy as np

from corpus import framework
from corpus.schema import Target
from corpus.targets import parse_target

TRAIN_DECLARATIONS = 20_000  # the level classifier learns from the labelled rows of this many forms
NO = -1
TARGET_KINDS = ("quantitative", "relative", "deadline", "qualitative", "placeholder", "missing")
FIND_CACHE = 20_000  # strings a StringTable remembers, each way (row → text, text → row): ≤ ~8 MB a table
COMMON_TOP = 8     # merge keys kept per class for framework fill (exclusions rarely reach the 8th)
COMMON_ROWS = 160  # their first indicator rows (framework fill lists 100, exclusions drop a few)


def h64(text: str) -> int:
    """A stable 64-bit hash of a string (lookups by id or name without a Python dict)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def save_strings(directory: Path, name: str, strings, *, lookup: bool = False) -> None:
    """`strings`: a list of str or a `Strings` buffer."""
    if isinstance(strings, Strings):
        data = np.frombuffer(bytes(strings.buffer), dtype=np.uint8)
        offsets = np.frombuffer(strings.offsets, dtype=np.int64).copy()
    else:
        encoded = [s.encode("utf-8") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:]) if encoded else None
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    np.save(directory / f"{name}.bytes.npy", data)
    np.save(directory / f"{name}.offsets.npy", offsets)
    if lookup:
        hashes = np.array([h64(s) for s in strings], dtype=np.uint64)
        order = np.argsort(hashes, kind="stable").astype(np.int64)
        np.save(directory / f"{name}.hash.npy", hashes[order])
        np.save(directory / f"{name}.order.npy", order)


def remembered(memo: dict, key, make):
    """`memo[key]`, made by `make()` the first time; the memo is emptied when it holds FIND_CACHE
    entries (a long-running server meets endless new names and values)."""
    try:
        return memo[key]
    except KeyError:
        if len(memo) >= FIND_CACHE:
            memo.clear()
        value = memo[key] = make()
        return value


def decl_rows_of(offsets: np.ndarray, indicator_rows: np.ndarray) -> np.ndarray:
    """The declaration row of each indicator row (CSR offsets)."""
    return np.searchsorted(offsets, indicator_rows, side="right") - 1


def mapped(path: Path) -> np.ndarray:
    """A memory-mapped array as a plain ndarray view (np.memmap's per-slice overhead is 10x)."""
    return np.load(path, mmap_mode="r").view(np.ndarray)


class StringTable:
    """Strings saved by `save_strings`, memory-mapped; `find` by hash when saved with lookup."""

    def __init__(self, directory: Path, name: str):
        self._bytes = mapped(directory / f"{name}.bytes.npy")
        self._offsets = mapped(directory / f"{name}.offsets.npy")
        hashes = directory / f"{name}.hash.npy"
        self._hashes = mapped(hashes) if hashes.exists() else None
        self._order = mapped(directory / f"{name}.order.npy") if hashes.exists() else None
        self._read: dict[int, str] = {}  # decoded rows: a query reads the same names and values often
        self._found: dict[str, int | None] = {}  # find's answers: a query looks up the same few hundred
        # names again and again, each a binary search over a memory-mapped array and a decode

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> str:
        return remembered(self._read, i, lambda: self._decode(i))

    def _decode(self, i: int) -> str:
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        return bytes(self._bytes[start:end]).decode("utf-8")

    def __iter__(self):  # the whole table, read straight (not through the bounded memo)
        return (self._decode(i) for i in range(len(self)))

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def find(self, text: str) -> int | None:
        return remembered(self._found, text, lambda: self._search(text))

    def _search(self, text: str) -> int | None:
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


class Strings:
    """Strings appended one by one into one UTF-8 buffer (ids and project names of every form)."""

    def __init__(self):
        self.buffer = bytearray()
        self.offsets = array("q", [0])

    def append(self, text: str) -> None:
        self.buffer += text.encode("utf-8")
        self.offsets.append(len(self.buffer))

    def extend(self, texts) -> None:
        for text in texts:
            self.append(text)

    def extend_strings(self, later: Strings) -> None:
        """Append another buffer's strings (offsets shifted), without decoding them."""
        shift = len(self.buffer)
        self.buffer += later.buffer
        self.offsets.frombytes((np.frombuffer(later.offsets, dtype=np.int64)[1:] + shift).tobytes())

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        return {f"{name}.bytes": np.frombuffer(bytes(self.buffer), dtype=np.uint8),
                f"{name}.offsets": np.frombuffer(self.offsets, dtype=np.int64)}

    @classmethod
    def from_arrays(cls, arrays, name: str) -> Strings:
        strings = cls()
        strings.buffer = bytearray(np.asarray(arrays[f"{name}.bytes"], dtype=np.uint8).tobytes())
        strings.offsets = array("q", np.asarray(arrays[f"{name}.offsets"], dtype=np.int64).tobytes())
        return strings

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.buffer[self.offsets[i]:self.offsets[i + 1]].decode("utf-8")

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def json_array(value) -> np.ndarray:
    """A JSON-able value as a uint8 array (strings travel between processes as arrays, not pickles)."""
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def from_json_array(data: np.ndarray):
    return json.loads(np.asarray(data, dtype=np.uint8).tobytes().decode("utf-8"))


class Codes:
    """Distinct strings in first-use order (after `first`) and the code of every occurrence
    (int32, -1 for None): a column of a million forms costs 4 bytes a row, not a Python string."""

    def __init__(self, first=()):
        self.table: dict = {x: n for n, x in enumerate(first)}
        self.codes = array("i")

    def code(self, x) -> int:
        if x is None:
            return NO
        code = self.table.get(x)
        if code is None:
            code = self.table[x] = len(self.table)
        return code

    def add(self, x) -> None:
        self.codes.append(self.code(x))

    def extend_mapped(self, old_codes: np.ndarray, old_strings) -> np.ndarray:
        """Append codes of another table (`old_strings[old_code]`), interning in first-use order;
        returns the old codes whose strings were new here, in the order they were added."""
        old_codes = np.asarray(old_codes, dtype=np.int64)
        used = old_codes >= 0
        uniq, first = np.unique(old_codes[used], return_index=True)
        remap = np.full(int(uniq.max()) + 1 if len(uniq) else 1, NO, dtype=np.int32)
        added = []
        for code in uniq[np.argsort(first, kind="stable")].tolist():
            before = len(self.table)
            remap[code] = self.code(old_strings[code])
            if len(self.table) > before:
                added.append(code)
        self.codes.extend(np.where(used, remap[np.maximum(old_codes, 0)], NO).astype(np.int32).tolist())
        return np.array(added, dtype=np.int64)

    @property
    def strings(self) -> list:
        return list(self.table)

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        return {f"{name}.table": json_array(self.strings), f"{name}.codes": self.array()}

    @classmethod
    def from_arrays(cls, arrays, name: str) -> Codes:
        codes = cls(from_json_array(arrays[f"{name}.table"]))
        codes.codes = array("i", np.asarray(arrays[f"{name}.codes"], dtype=np.int32).tobytes())
        return codes

    def array(self) -> np.ndarray:
        return np.frombuffer(self.codes, dtype=np.int32).copy() if len(self.codes) else np.zeros(0, np.int32)


class ValueTargets:
    """Each distinct target value parsed once, in the values' first-use order (kind, operator,
    number, unit: the tables' value_* columns): parsed where the value is first read — a page's
    worker — so the build's merge only gathers. Incomplete after rows copied from a previous
    build's tables (an update): the tables then parse their values themselves."""

    def __init__(self):
        self.kinds = array("b")
        self.numbers = array("d")
        self.operators = Codes()
        self.units = Codes()
        self.complete = True

    def __len__(self) -> int:
        return len(self.kinds)

    def add(self, raw: str) -> None:
        t = parse_target(raw)
        self.kinds.append(TARGET_KINDS.index(t.kind) if t.kind in TARGET_KINDS else TARGET_KINDS.index("qualitative"))
        self.numbers.append(np.nan if t.value is None else t.value)
        self.operators.add(t.operator)
        self.units.add(t.unit)

    def extend_picked(self, later: ValueTargets, picks: np.ndarray) -> None:
        """Append the targets of `later`'s values at `picks` (those new here, in their order)."""
        self.complete = self.complete and later.complete
        self.kinds.extend(np.frombuffer(later.kinds, dtype=np.int8)[picks].tolist() if len(picks) else [])
        self.numbers.extend(np.frombuffer(later.numbers, dtype=np.float64)[picks].tolist() if len(picks) else [])
        for name in ("operators", "units"):
            codes: Codes = getattr(later, name)
            getattr(self, name).extend_mapped(codes.array()[picks] if len(picks) else np.zeros(0, np.int32),
                                              codes.strings)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"targets.kinds": np.frombuffer(self.kinds, dtype=np.int8),
                "targets.numbers": np.frombuffer(self.numbers, dtype=np.float64),
                "targets.complete": np.array([self.complete], dtype=bool),
                **self.operators.arrays("targets.operators"), **self.units.arrays("targets.units")}

    @classmethod
    def from_arrays(cls, arrays) -> ValueTargets:
        targets = cls()
        targets.kinds = array("b", np.asarray(arrays["targets.kinds"], dtype=np.int8).tobytes())
        targets.numbers = array("d", np.asarray(arrays["targets.numbers"], dtype=np.float64).tobytes())
        targets.complete = bool(arrays["targets.complete"][0])
        targets.operators = Codes.from_arrays(arrays, "targets.operators")
        targets.units = Codes.from_arrays(arrays, "targets.units")
        return targets


class Rows:
    """Row records of a corpus being indexed, in index row order, as coded columns (build time
    only; a million forms with 15 indicators each fit in a few hundred MB)."""

    def __init__(self):
        self.ids = Strings()
        self.project_names = Strings()
        self.hashes = array("Q")
        self.agencies = Codes()
        self.years = array("i")
        self.ind_counts = array("i")
        self.names = Codes()
        self.values = Codes()
        self.level1 = Codes(framework.LEVEL1)
        self.level2 = Codes(framework.LEVEL2)
        self.labelled = array("b")
        self.targets = ValueTargets()  # of self.values' strings, in their order

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, decl, content_hash: int) -> None:
        self.ids.append(decl.id)
        self.project_names.append(decl.project_name or "")
        self.hashes.append(content_hash)
        self.agencies.add(decl.agency or None)
        self.years.append(int(decl.year or 0))
        self.ind_counts.append(len(decl.indicators))
        for ind in decl.indicators:
            self.names.add(ind.name)
            known = len(self.values.table)
            self.values.add(ind.target.raw)
            if len(self.values.table) > known:  # a value first seen: parsed here, once
                self.targets.add(ind.target.raw)
            self.level1.add(ind.level1)
            self.level2.add(ind.level2)
            self.labelled.append(1 if ind.level2 and not ind.inferred else 0)

    _STRINGS = ("ids", "project_names")
    _CODES = ("agencies", "names", "values", "level1", "level2")
    _NUMBERS = (("hashes", "Q", np.uint64), ("years", "i", np.int32), ("ind_counts", "i", np.int32),
                ("labelled", "b", np.int8))

    def arrays(self) -> dict[str, np.ndarray]:
        """Every column as a named array (a page of an index build travelling between processes)."""
        out: dict[str, np.ndarray] = {}
        for name in self._STRINGS:
            out.update(getattr(self, name).arrays(name))
        for name in self._CODES:
            out.update(getattr(self, name).arrays(name))
        for name, _, dtype in self._NUMBERS:
            out[name] = np.frombuffer(getattr(self, name), dtype=dtype)
        out.update(self.targets.arrays())
        return out

    @classmethod
    def from_arrays(cls, arrays) -> Rows:
        rows = cls()
        for name in cls._STRINGS:
            setattr(rows, name, Strings.from_arrays(arrays, name))
        for name in cls._CODES:
            setattr(rows, name, Codes.from_arrays(arrays, name))
        for name, code, dtype in cls._NUMBERS:
            setattr(rows, name, array(code, np.asarray(arrays[name], dtype=dtype).tobytes()))
        rows.targets = ValueTargets.from_arrays(arrays)
        return rows

    def extend_rows(self, later: Rows) -> None:
        """Append the rows of a page read apart: codes remapped, new strings interned in their
        first-use order, so the result is the columns of one pass over both."""
        for name in self._STRINGS:
            getattr(self, name).extend_strings(getattr(later, name))
        for name in self._CODES:
            codes: Codes = getattr(later, name)
            added = getattr(self, name).extend_mapped(codes.array(), codes.strings)
            if name == "values":
                self.targets.extend_picked(later.targets, added)
        for name, _, _ in self._NUMBERS:
            getattr(self, name).extend(getattr(later, name))

    def extend_from(self, tables: CorpusTables, rows: np.ndarray) -> None:
        """Copy rows of a previous build's tables (declarations unchanged since), column by column."""
        t = tables
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        self.ids.extend(t.ids[int(r)] for r in rows)
        self.project_names.extend(t.project_names[int(r)] for r in rows)
        self.hashes.extend(np.asarray(t.decl_hash)[rows].tolist())
        self.agencies.extend_mapped(np.asarray(t.decl_agency)[rows], t.agencies)
        self.years.extend(np.asarray(t.decl_year)[rows].tolist())
        starts, ends = np.asarray(t.ind_offsets)[rows], np.asarray(t.ind_offsets)[rows + 1]
        lengths = ends - starts
        self.ind_counts.extend(lengths.tolist())
        # positions of the kept indicator rows, in order
        first = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        where = first + np.arange(int(lengths.sum()))
        self.names.extend_mapped(np.asarray(t.ind_name)[where], t.names)
        self.values.extend_mapped(np.asarray(t.ind_value)[where], t.values)
        self.targets.complete = False  # the previous values are not parsed again here: the tables parse all
        self.level1.extend_mapped(np.asarray(t.ind_filed_level1)[where], t.levels1)
        self.level2.extend_mapped(np.asarray(t.ind_filed_level2)[where], t.levels2)
        self.labelled.extend(np.asarray(t.ind_labelled)[where].astype(np.int8).tolist())

    def training_pairs(self, declarations: int) -> tuple[list[str], list[str]]:
        """(name, level2) of the rows filed with a level in the first `declarations` forms."""
        end = int(sum(self.ind_counts[:declarations]))
        names, levels2 = self.names.strings, self.level2.strings
        name_codes, l2 = self.names.array()[:end], self.level2.array()[:end]
        ok = np.flatnonzero(np.frombuffer(self.labelled, dtype=np.int8)[:end] == 1)
        return [names[int(name_codes[i])] for i in ok], [levels2[int(l2[i])] for i in ok]


def _codes(items: list, first=()) -> tuple[list, np.ndarray]:
    """Distinct items in first-use order (after `first`) and each item's code (None → -1)."""
    codes = Codes(first)
    for x in items:
        codes.add(x)
    return codes.strings, codes.array()


def _value_targets(values: list[str], directory: Path, parsed: ValueTargets | None = None) -> dict:
    """Each distinct value parsed once (suggestions read these instead of re-parsing); `parsed`:
    the values' targets parsed already, where they were read (`ValueTargets`)."""
    kinds = list(TARGET_KINDS)
    if parsed is not None and parsed.complete and len(parsed) == len(values):
        columns = {"value_kind": np.frombuffer(parsed.kinds, dtype=np.int8).copy(),
                   "value_op": parsed.operators.array().astype(np.int8),
                   "value_num": np.frombuffer(parsed.numbers, dtype=np.float64).copy(),
                   "value_unit": parsed.units.array()}
        for name, arr in columns.items():
            np.save(directory / f"{name}.npy", arr)
        return {"target_kinds": kinds, "operators": parsed.operators.strings, "units": parsed.units.strings}
    operators, units = Codes(), Codes()
    kind = np.zeros(len(values), dtype=np.int8)
    operator = np.full(len(values), NO, dtype=np.int8)
    number = np.full(len(values), np.nan, dtype=np.float64)
    unit = np.full(len(values), NO, dtype=np.int32)
    for n, raw in enumerate(values):
        t = parse_target(raw)
        kind[n] = kinds.index(t.kind) if t.kind in kinds else kinds.index("qualitative")
        operator[n] = operators.code(t.operator)
        number[n] = np.nan if t.value is None else t.value
        unit[n] = units.code(t.unit)
    for name, arr in (("value_kind", kind), ("value_op", operator), ("value_num", number), ("value_unit", unit)):
        np.save(directory / f"{name}.npy", arr)
    return {"target_kinds": kinds, "operators": operators.strings, "units": units.strings}


def _common_keys(used2: np.ndarray, keys: np.ndarray) -> dict:
    """Per level2: the COMMON_TOP merge keys filed most under it (count, first use, the first
    COMMON_ROWS indicator rows), so framework fill reads a list instead of scanning the corpus."""
    out: dict[str, list] = {}
    have = used2 >= 0
    if not have.any():
        return out
    n_keys = int(keys.max()) + 1
    pairs = used2[have].astype(np.int64) * n_keys + keys[have]
    rows_of = np.flatnonzero(have)
    uniq, first, counts = np.unique(pairs, return_index=True, return_counts=True)
    for level in np.unique(uniq // n_keys).tolist():
        mine = np.flatnonzero(uniq // n_keys == level)
        order = mine[np.lexsort((first[mine], -counts[mine]))][:COMMON_TOP]
        entries = []
        for i in order.tolist():
            key = int(uniq[i] % n_keys)
            at = rows_of[np.flatnonzero(pairs == uniq[i])[:COMMON_ROWS]]
            entries.append({"key": key, "count": int(counts[i]), "first": int(rows_of[first[i]]),
                            "rows": at.tolist()})
        out[str(level)] = entries
    return out


def build_tables(rows: Rows, directory: Path, *, classifier) -> list[str]:
    """Write the tables of `rows` into `directory`; returns the sorted name keys (vector rows).

    `classifier`: a fitted LevelClassifier-like object with `predict(names)`."""
    from recommender.naming import merge_key, name_key
    directory.mkdir(parents=True, exist_ok=True)
    n = len(rows)
    counts = np.frombuffer(rows.ind_counts, dtype=np.int32) if n else np.zeros(0, np.int32)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    agencies, agency_codes = rows.agencies.strings, rows.agencies.array()
    names, name_codes = rows.names.strings, rows.names.array()
    values, value_codes = rows.values.strings, rows.values.array()
    levels1, l1_codes = rows.level1.strings, rows.level1.array()
    levels2, l2_codes = rows.level2.strings, rows.level2.array()
    # merge keys and name keys per distinct name (first-use order follows the names')
    keys, key_of_name = _codes([merge_key(x) for x in names])
    key_codes = key_of_name[name_codes] if len(name_codes) else np.zeros(0, np.int32)
    name_key_of_name = [name_key(x) for x in names]
    name_keys = sorted(set(name_key_of_name) - {""})
    where = {k: i for i, k in enumerate(name_keys)}
    nk_of_name = np.array([where.get(k, NO) for k in name_key_of_name], dtype=np.int32)
    name_key_codes = nk_of_name[name_codes] if len(name_codes) else np.zeros(0, np.int32)

    # the classifier's level2 for every distinct name of a row filed without one
    unlabelled = np.unique(name_codes[l2_codes < 0]).tolist()
    pred_level2 = np.full(len(names), NO, dtype=np.int32)
    pred_conf = np.zeros(len(names), dtype=np.float64)
    for (label, confidence), code in zip(classifier.predict([names[c] for c in unlabelled]), unlabelled):
        if label not in levels2:
            levels2.append(label)
        pred_level2[code] = levels2.index(label)
        pred_conf[code] = confidence
    # level used for ranking (Engine.level_of): filed level2, else a confident prediction that fits
    # (decided once per distinct (name, filed level1), then spread over its rows)
    used1, used2 = l1_codes.copy(), l2_codes.copy()
    todo = np.flatnonzero(l2_codes < 0)
    if len(todo):
        width = len(levels1) + 1
        pairs = name_codes[todo].astype(np.int64) * width + (l1_codes[todo] + 1)
        uniq, inverse = np.unique(pairs, return_inverse=True)
        new1 = np.empty(len(uniq), dtype=np.int32)
        new2 = np.full(len(uniq), NO, dtype=np.int32)
        for u, pair in enumerate(uniq.tolist()):
            code, filed1 = pair // width, pair % width - 1
            new1[u] = filed1
            guess = int(pred_level2[code])
            if guess >= 0 and pred_conf[code] >= 0.4:
                parent = framework.LEVEL2[levels2[guess]]
                if filed1 < 0 or levels1[filed1] == parent:
                    if parent not in levels1:
                        levels1.append(parent)
                    new1[u], new2[u] = levels1.index(parent), guess
        used1[todo], used2[todo] = new1[inverse], new2[inverse]
        del pairs, uniq, inverse

    # declaration flags: uses the 投入和管理 class
    input_code = levels1.index("投入和管理")
    decl_of_row = np.repeat(np.arange(n, dtype=np.int32), counts) if n else np.zeros(0, np.int32)
    uses_input = np.zeros(n, dtype=np.uint8)
    uses_input[np.unique(decl_of_row[l1_codes == input_code])] = 1
    del decl_of_row

    # merge key → (value, count) in first-use order (the order a Counter over the corpus keeps)
    width = max(1, len(values))
    pairs = key_codes.astype(np.int64) * width + value_codes
    uniq, first, kv_counts = np.unique(pairs, return_index=True, return_counts=True)
    del pairs
    pair_key = uniq // width
    order = np.lexsort((first, pair_key))
    kv_key, kv_value, kv_count = pair_key[order], (uniq % width)[order], kv_counts[order]
    kv_offsets = np.searchsorted(kv_key, np.arange(len(keys) + 1)).astype(np.int64)
    del uniq, first, kv_counts, order, pair_key, kv_key

    arrays = {
        "decl_hash": np.frombuffer(rows.hashes, dtype=np.uint64).copy() if n else np.zeros(0, np.uint64),
        "decl_agency": agency_codes,
        "decl_year": np.frombuffer(rows.years, dtype=np.int32).copy() if n else np.zeros(0, np.int32),
        "decl_input": uses_input,
        "ind_offsets": offsets, "ind_name": name_codes, "ind_key": key_codes,
        "ind_name_key": name_key_codes, "ind_value": value_codes,
        "ind_filed_level1": l1_codes, "ind_filed_level2": l2_codes,
        "ind_level1": used1, "ind_level2": used2,
        "ind_labelled": np.frombuffer(rows.labelled, dtype=np.int8).astype(np.uint8),
        "kv_offsets": kv_offsets, "kv_value": kv_value.astype(np.int32), "kv_count": kv_count.astype(np.int64),
        "name_pred_level2": pred_level2, "name_pred_conf": pred_conf,
    }
    for name, arr in arrays.items():
        np.save(directory / f"{name}.npy", arr)
    parsed = _value_targets(values, directory, rows.targets)
    common = _common_keys(used2, key_codes)
    save_strings(directory, "ids", rows.ids, lookup=True)
    save_strings(directory, "project_names", rows.project_names)
    save_strings(directory, "names", names, lookup=True)
    save_strings(directory, "keys", keys, lookup=True)
    save_strings(directory, "values", values)
    save_strings(directory, "name_keys", name_keys, lookup=True)
    # agencies: per agency, forms and forms using 投入和管理 (agency_uses_input_management in O(1))
    forms = np.bincount(agency_codes[agency_codes >= 0], minlength=len(agencies))
    using = np.bincount(agency_codes[(agency_codes >= 0) & (uses_input == 1)], minlength=len(agencies))
    (directory / "codes.json").write_text(json.dumps({
        "agencies": agencies, "levels1": levels1, "levels2": levels2,
        "agency_forms": forms.tolist(), "agency_using": using.tolist(),
        "forms": n, "using": int(uses_input.sum()), "common": common, **parsed},
        ensure_ascii=False), encoding="utf-8")
    return name_keys


class CorpusTables:
    """The saved tables, memory-mapped. Row numbers are the index's project rows."""

    def __init__(self, directory: Path):
        d = Path(directory)
        for path in d.glob("*.npy"):
            stem = path.name[:-4]
            if "." not in stem:
                setattr(self, stem, mapped(path))
        self.ids = StringTable(d, "ids")
        self.project_names = StringTable(d, "project_names")
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
        self._common: dict[str, list] = codes.get("common", {})
        self._target_kinds = codes.get("target_kinds", [])
        self._operators = codes.get("operators", [])
        self._units = codes.get("units", [])
        self._targets: dict[int, tuple] = {}

    def __len__(self) -> int:
        return len(self.decl_hash)

    def row_of(self, ident: str) -> int | None:
        return self.ids.find(ident)

    def rows_of(self, idents) -> list[int]:
        return [r for r in (self.row_of(i) for i in idents) if r is not None]

    def project(self, row: int) -> tuple[str, str, str | None, int | None]:
        """(id, project name, agency, year) of a declaration row."""
        year = int(self.decl_year[row])
        return self.ids[row], self.project_names[row] or None, self.agency(row), year or None

    def indicator_rows(self, row: int) -> list[tuple[str, str, str | None, str | None]]:
        """(name, written value, level1, level2 as ranking uses them) of a declaration's indicators."""
        start, end = int(self.ind_offsets[row]), int(self.ind_offsets[row + 1])
        out = []
        for name, value, l1, l2 in zip(self.ind_name[start:end].tolist(), self.ind_value[start:end].tolist(),
                                       self.ind_level1[start:end].tolist(), self.ind_level2[start:end].tolist()):
            out.append((self.names[name], self.values[value], self.levels1[l1] if l1 >= 0 else None,
                        self.levels2[l2] if l2 >= 0 else None))
        return out

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

    # ---- values, parsed at index time -----------------------------------------------------------
    def key_code(self, key: str) -> int | None:
        return self.keys.find(key)

    def key_values(self, key_code: int, limit: int | None = None) -> tuple[list[int], list[int]]:
        """(value codes, how often each was written) of a merge key, in first-use order; with
        `limit`, only the `limit` most often written (a large corpus writes thousands of distinct
        amounts for one indicator; the rare ones barely move a weighted median)."""
        start, end = int(self.kv_offsets[key_code]), int(self.kv_offsets[key_code + 1])
        values, counts = self.kv_value[start:end], self.kv_count[start:end]
        if limit is not None and end - start > limit:
            keep = np.sort(np.argpartition(-counts, limit - 1)[:limit])  # first-use order kept
            values, counts = values[keep], counts[keep]
        return values.tolist(), counts.tolist()

    def key_uses(self, key_code: int) -> int:
        """How many indicator rows of the corpus use a merge key."""
        start, end = int(self.kv_offsets[key_code]), int(self.kv_offsets[key_code + 1])
        return int(self.kv_count[start:end].sum())

    def row_codes(self, row: int) -> tuple[list[int], list[int]]:
        """(merge key codes, value codes) of a declaration's indicators."""
        start, end = int(self.ind_offsets[row]), int(self.ind_offsets[row + 1])
        return self.ind_key[start:end].tolist(), self.ind_value[start:end].tolist()

    def value_target(self, code: int) -> Target:
        """The parsed target of a distinct value (parsed once at index time; a new object each time:
        callers may change theirs)."""
        return Target(*remembered(self._targets, code, lambda: self._target_fields(code)))

    def _target_fields(self, code: int) -> tuple:
        op, unit, number = int(self.value_op[code]), int(self.value_unit[code]), float(self.value_num[code])
        return (self.values[code], self._operators[op] if op >= 0 else None, None if number != number else number,
                self._units[unit] if unit >= 0 else None, self._target_kinds[int(self.value_kind[code])])

    def indicator_at(self, position: int) -> tuple[str, str]:
        """(name, written value) of one indicator row of the corpus."""
        return self.names[int(self.ind_name[position])], self.values[int(self.ind_value[position])]

    def most_common_rows(self, level2: str, exclude_rows: list[int], limit: int) -> list[tuple[int, int]]:
        """(declaration row, indicator row of the corpus) of the most common merge key filed under `level2`
        (ties: the key used first), at most `limit` of them; read from the list made at index time
        (the COMMON_TOP keys of each class, their counts less the excluded forms' rows)."""
        if level2 not in self.levels2:
            return []
        code = self.levels2.index(level2)
        entries = self._common.get(str(code), [])
        spans = [(int(self.ind_offsets[r]), int(self.ind_offsets[r + 1])) for r in exclude_rows]
        best = None
        for entry in entries:
            dropped = sum(int(np.count_nonzero((self.ind_key[a:b] == entry["key"]) & (self.ind_level2[a:b] == code)))
                          for a, b in spans)
            rank = (entry["count"] - dropped, -entry["first"])
            if entry["count"] - dropped > 0 and (best is None or rank > best[0]):
                best = (rank, entry)
        if best is None:
            return []
        chosen = [i for i in best[1]["rows"] if not any(a <= i < b for a, b in spans)][:limit]
        decl_rows = decl_rows_of(self.ind_offsets, np.array(chosen, dtype=np.int64))
        return [(int(d), int(i)) for d, i in zip(decl_rows, chosen)]
