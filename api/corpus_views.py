"""The declaration listing of `GET /v1/declarations`, bounded per request.

Filters by agency and year on the memory-mapped corpus tables (index row order); a text query
matches project names by a byte search over the tables' mmapped names, and overviews by one SQL
pass over the store (only the matching ids come back). A request materialises its page only
(`limit` rows, at most 500): layouts of that page come from the store by id.
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np

from recommender.index import ListSource


def _mapped_bytes(path: Path) -> tuple[mmap.mmap | None, int]:
    """The raw data of a 1-D uint8 .npy file as an mmap, and where the data starts."""
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            np.lib.format.read_array_header_1_0(f)
        else:
            np.lib.format.read_array_header_2_0(f)
        start = f.tell()
        if f.seek(0, 2) <= start:
            return None, start
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ), start


class DeclarationListing:
    def __init__(self, engine):
        self.engine = engine
        self.tables = engine.tables
        self._agency = {a: i for i, a in enumerate(self.tables.agencies)}
        folder = Path(engine.index.path) / "tables"
        self._names, self._start = _mapped_bytes(folder / "project_names.bytes.npy")
        self._name_offsets = np.load(folder / "project_names.offsets.npy", mmap_mode="r")

    # ---- text matches ---------------------------------------------------------------------
    def _name_rows(self, q: str) -> set[int]:
        if self._names is None:
            return set()
        needle, rows, at = q.encode("utf-8"), set(), self._start
        offsets = self._name_offsets
        while (at := self._names.find(needle, at)) >= 0:
            row = int(np.searchsorted(offsets, at - self._start, side="right")) - 1
            end = int(offsets[row + 1]) + self._start
            if at + len(needle) <= end:
                rows.add(row)
                at = end
            else:  # spans two names: keep looking inside the next one
                at += 1
        return rows

    def _store(self):
        return self.engine.decls.thread_store()

    def _overview_rows(self, q: str, agency: str | None, year: int | None) -> set[int]:
        source = self.engine.source
        if isinstance(source, ListSource):
            return {self.tables.row_of(d.id) for d in source.decls if q in (d.texts.get("overview") or "")} - {None}
        ids = self._store().ids_with_overview(q, agency, year)
        return {r for r in (self.tables.row_of(i) for i in ids) if r is not None}

    def _layouts(self, ids: list[str]) -> dict[str, str | None]:
        source = self.engine.source
        if isinstance(source, ListSource):
            found = source.get_many(ids)
            return {i: d.source.layout for i, d in found.items()}
        return self._store().layouts(ids)

    # ---- the listing ----------------------------------------------------------------------
    def query(self, *, agency: str | None = None, year: int | None = None, q: str = "",
              limit: int = 100, offset: int = 0) -> tuple[int, list[dict]]:
        t = self.tables
        mask = np.ones(len(t), dtype=bool)
        if agency:
            code = self._agency.get(agency)
            mask &= (np.asarray(t.decl_agency) == code) if code is not None else False
        if year is not None:
            mask &= np.asarray(t.decl_year) == year
        if q:
            matched = self._name_rows(q) | self._overview_rows(q, agency, year)
            hit = np.zeros(len(t), dtype=bool)
            hit[np.fromiter(matched, dtype=np.int64, count=len(matched))] = True
            mask &= hit
        rows = np.flatnonzero(mask)
        page = rows[offset:offset + limit].tolist()
        offsets = np.asarray(t.ind_offsets)
        ids = [t.ids[r] for r in page]
        layouts = self._layouts(ids) if ids else {}
        items = []
        for row, ident in zip(page, ids):
            _, name, agency_name, year_value = t.project(row)
            items.append({"id": ident, "project_name": name, "agency": agency_name, "year": year_value,
                          "indicators": int(offsets[row + 1] - offsets[row]), "layout": layouts.get(ident)})
        return len(rows), items
