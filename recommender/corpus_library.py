"""The corpus-wide indicator library (one entry per merge key), read from the corpus tables.

Per merge key: its commonest name, its commonest (level1, level2) as ranking uses them, in how
many declarations it is used, which agencies, which values. Computed once per index from the
memory-mapped tables in batches of declaration rows (numpy arrays, no Python object per row) and
saved beside the index (`derived/library/`, .npy + a names file searched with mmap), so a request
reads a page of entries, never the corpus. Ties are broken by first use, as a Counter over the
corpus in index row order would.
"""

from __future__ import annotations

import json
import mmap
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recommender.tables import decl_rows_of

BATCH_ROWS = 50_000       # declaration rows per batch while counting
IDS_SHOWN = 100           # declaration ids listed per entry (frequency gives the total)
VALUES_SHOWN = 50         # distinct values listed per entry (distinct_values gives the total)
EMPTY_VALUE = "（空）"
LIBRARY_VERSION = 1


def derived_dir(index_path: Path) -> Path:
    """Where results derived from one index version live (removed with that version)."""
    return Path(index_path) / "derived"


def save_atomically(directory: Path, files: dict[str, bytes | np.ndarray]) -> None:
    """Write `files` into a fresh sibling directory and rename it to `directory` (another worker
    may be writing the same thing: the first rename wins, the other is dropped)."""
    staging = directory.parent / f".{directory.name}.{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    for name, content in files.items():
        if isinstance(content, np.ndarray):
            np.save(staging / name, content)
        else:
            (staging / name).write_bytes(content)
    try:
        os.rename(staging, directory)
    except OSError:  # already there (another worker): keep theirs
        import shutil
        shutil.rmtree(staging, ignore_errors=True)


class PairCounts:
    """Counts of integer pairs (a, b), with the first indicator row each was seen at; batches are
    merged as sorted numpy arrays (16 bytes a distinct pair, no Python objects)."""

    def __init__(self, width: int):
        self.width = max(1, int(width))
        self.keys = np.zeros(0, np.int64)
        self.counts = np.zeros(0, np.int64)
        self.first = np.zeros(0, np.int64)

    def add(self, a: np.ndarray, b: np.ndarray, rows: np.ndarray) -> None:
        if not len(a):
            return
        pairs = a.astype(np.int64) * self.width + b.astype(np.int64)
        uniq, at, counts = np.unique(pairs, return_index=True, return_counts=True)
        keys = np.concatenate([self.keys, uniq])
        merged, inverse = np.unique(keys, return_inverse=True)
        total = np.zeros(len(merged), np.int64)
        np.add.at(total, inverse, np.concatenate([self.counts, counts]))
        first = np.full(len(merged), np.iinfo(np.int64).max, np.int64)
        np.minimum.at(first, inverse, np.concatenate([self.first, np.asarray(rows, np.int64)[at]]))
        self.keys, self.counts, self.first = merged, total, first

    def ranked(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(a, b, count, first) ordered by a, then count descending, then first use."""
        a, b = self.keys // self.width, self.keys % self.width
        order = np.lexsort((self.first, -self.counts, a))
        return a[order], b[order], self.counts[order], self.first[order]

    def top1(self, size: int, missing: int = -1) -> np.ndarray:
        """The commonest b of every a in range(size) (ties: first used)."""
        out = np.full(size, missing, np.int64)
        a, b, _, _ = self.ranked()
        if len(a):
            uniq, at = np.unique(a, return_index=True)
            out[uniq] = b[at]
        return out


@dataclass
class LibraryArrays:
    order: np.ndarray      # merge key codes in display order (frequency desc, name)
    frequency: np.ndarray  # per key code: declarations using it
    name: np.ndarray       # per key code: commonest name code
    level1: np.ndarray     # per key code: commonest level1 code (-1 none)
    level2: np.ndarray
    key_rows: np.ndarray   # indicator rows sorted by key (CSR with key_offsets)
    key_offsets: np.ndarray


def compute_library(tables) -> tuple[LibraryArrays, list[str]]:
    """Per-key aggregates of the whole corpus, batch by batch; and the display names in order."""
    n_keys = len(tables.keys)
    offsets = np.asarray(tables.ind_offsets)
    frequency = np.zeros(n_keys, np.int64)
    names = PairCounts(len(tables.names))
    width2 = len(tables.levels2) + 1
    levels = PairCounts((len(tables.levels1) + 1) * width2)
    for start in range(0, len(tables), BATCH_ROWS):
        end = min(len(tables), start + BATCH_ROWS)
        a, b = int(offsets[start]), int(offsets[end])
        if a == b:
            continue
        rows = np.arange(a, b, dtype=np.int64)
        keys = np.asarray(tables.ind_key[a:b], np.int64)
        decls = decl_rows_of(offsets, rows)
        used = np.unique(keys * (len(tables) + 1) + decls) // (len(tables) + 1)
        frequency += np.bincount(used, minlength=n_keys)
        names.add(keys, np.asarray(tables.ind_name[a:b]), rows)
        pair = (np.asarray(tables.ind_level1[a:b], np.int64) + 1) * width2 + np.asarray(tables.ind_level2[a:b]) + 1
        levels.add(keys, pair, rows)
    name = names.top1(n_keys)
    level = levels.top1(n_keys, missing=0)
    display = [tables.names[int(c)] if c >= 0 else "" for c in name.tolist()]
    order = sorted(range(n_keys), key=lambda k: (-int(frequency[k]), display[k]))
    key_rows = np.argsort(np.asarray(tables.ind_key), kind="stable")
    key_rows = key_rows.astype(np.int32 if len(key_rows) < 2**31 else np.int64)
    key_offsets = np.searchsorted(np.asarray(tables.ind_key)[key_rows], np.arange(n_keys + 1)).astype(np.int64) \
        if len(key_rows) else np.zeros(n_keys + 1, np.int64)
    arrays = LibraryArrays(np.array(order, np.int64), frequency, name, level // width2 - 1, level % width2 - 1,
                           key_rows, key_offsets)
    return arrays, [display[k] for k in order]


class IndicatorLibrary:
    """The library of one index version: built (or read back) on first use, then paged per request."""

    def __init__(self, tables, index_path: Path):
        self.tables = tables
        self.directory = derived_dir(index_path) / f"library-v{LIBRARY_VERSION}"
        self._lock = threading.Lock()
        self._arrays: LibraryArrays | None = None
        self._text: mmap.mmap | None = None
        self._line_starts: np.ndarray | None = None

    def _ready(self) -> LibraryArrays:
        with self._lock:
            if self._arrays is None:
                if not (self.directory / "done.json").exists():
                    arrays, names = compute_library(self.tables)
                    text = "\n".join(n.replace("\n", " ") for n in names).encode("utf-8") + b"\n"
                    files = {f"{k}.npy": getattr(arrays, k) for k in LibraryArrays.__dataclass_fields__}
                    save_atomically(self.directory, {**files, "names.txt": text,
                                                     "done.json": json.dumps({"keys": len(names)}).encode()})
                d = self.directory
                self._arrays = LibraryArrays(*(np.load(d / f"{k}.npy", mmap_mode="r")
                                               for k in LibraryArrays.__dataclass_fields__))
                with open(d / "names.txt", "rb") as f:
                    self._text = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if f.seek(0, 2) else None
                self._line_starts = self._starts()
            return self._arrays

    def _starts(self) -> np.ndarray:
        """Byte offset of each display line (computed from the mmapped text, kept as one array)."""
        if self._text is None:
            return np.zeros(1, np.int64)
        data = np.frombuffer(self._text, dtype=np.uint8)
        ends = np.flatnonzero(data == 10)
        return np.concatenate([[0], ends + 1]).astype(np.int64)

    def _matching(self, q: str) -> np.ndarray:
        """Display positions whose name contains q (a byte search over the mmapped names)."""
        if self._text is None or "\n" in q:
            return np.zeros(0, np.int64)
        needle, found, at = q.encode("utf-8"), [], 0
        starts = self._line_starts
        while (at := self._text.find(needle, at)) >= 0:
            line = int(np.searchsorted(starts, at, side="right")) - 1
            found.append(line)
            at = int(starts[line + 1])  # the next line
        return np.array(found, np.int64)

    def query(self, *, q: str = "", level1: str | None = None, level2: str | None = None,
              limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
        """(matching entries, the page of them) in display order."""
        a = self._ready()
        t = self.tables
        positions = self._matching(q) if q else np.arange(len(a.order), dtype=np.int64)
        keys = np.asarray(a.order)[positions] if len(positions) else np.zeros(0, np.int64)
        for wanted, codes, names in ((level1, a.level1, t.levels1), (level2, a.level2, t.levels2)):
            if wanted:
                code = names.index(wanted) if wanted in names else -2
                keys = keys[np.asarray(codes)[keys] == code]
        return len(keys), [self.entry(int(k)) for k in keys[offset:offset + limit]]

    def entry(self, key: int) -> dict:
        a, t = self._arrays, self.tables
        rows = np.asarray(a.key_rows[int(a.key_offsets[key]):int(a.key_offsets[key + 1])], np.int64)
        decls = np.unique(decl_rows_of(np.asarray(t.ind_offsets), rows))
        agency_codes = np.unique(np.asarray(t.decl_agency)[decls])
        l1, l2 = int(a.level1[key]), int(a.level2[key])
        return {"name": t.names[int(a.name[key])] if a.name[key] >= 0 else "",
                "level1": t.levels1[l1] if l1 >= 0 else None, "level2": t.levels2[l2] if l2 >= 0 else None,
                "frequency": int(a.frequency[key]),
                "declarations": sorted(t.ids[int(r)] for r in decls[:IDS_SHOWN]),
                "agencies": sorted(t.agencies[int(c)] for c in agency_codes if c >= 0),
                **self._values(key)}

    def _values(self, key: int) -> dict:
        codes, counts = self.tables.key_values(key)
        merged: dict[str, int] = {}
        for code, count in zip(codes, counts):
            value = (self.tables.values[code] if code >= 0 else "") or EMPTY_VALUE
            merged[value] = merged.get(value, 0) + count
        ranked = sorted(merged.items(), key=lambda vc: -vc[1])  # stable: first use breaks ties
        return {"observed_values": [{"value": v, "count": n} for v, n in ranked[:VALUES_SHOWN]],
                "distinct_values": len(ranked)}
