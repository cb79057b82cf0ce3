"""Row arrays in `.npy` files written and read by an index build through plain file I/O, not
memory maps.

A memory-mapped file's pages count in the process's resident memory once they are touched, and
stay counted while the map lives: an index build that writes a million 256-d rows through
`open_memmap` and hands the map to faiss holds another gigabyte resident. Written with `write`
and read back in chunks with `readinto`, the same bytes pass through the page cache, which the
kernel frees under pressure, and the build holds one chunk at a time. The files are ordinary
`.npy` files: a server still opens them memory-mapped (`np.load(..., mmap_mode="r")`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CHUNK_ROWS = 50_000  # rows read at a time (~50 MB of 256-d float32)
SPARSE = 16  # rows wanted fewer than one in this many of those they span: read one by one


class NpyWriter:
    """Rows appended in order into a `.npy` file of a shape known in advance (float32 unless told)."""

    def __init__(self, path: Path, rows: int, dim: int | None, *, dtype=np.float32):
        """`dim` None: a 1-d array of `rows` items."""
        self.path, self.written, self.dtype = Path(path), 0, np.dtype(dtype)
        self.shape = (int(rows),) if dim is None else (int(rows), int(dim))
        self._file = open(self.path, "wb")
        np.lib.format.write_array_header_1_0(
            self._file, {"descr": np.lib.format.dtype_to_descr(self.dtype),
                         "fortran_order": False, "shape": self.shape})

    def write(self, rows: np.ndarray) -> None:
        rows = np.ascontiguousarray(rows, dtype=self.dtype).reshape(-1, *self.shape[1:])
        if self.written + len(rows) > self.shape[0]:
            raise ValueError(f"{self.path}: more rows than the {self.shape[0]} declared")
        self._file.write(rows.tobytes())
        self.written += len(rows)

    def close(self) -> None:
        self._file.close()
        if self.written != self.shape[0]:
            raise ValueError(f"{self.path}: {self.written} rows written, {self.shape[0]} declared")

    def __enter__(self) -> NpyWriter:
        return self

    def __exit__(self, kind, *rest) -> None:
        if kind is None:
            self.close()
        else:
            self._file.close()


class NpyAppender:
    """A 1-d `.npy` file of a length not known in advance (a build's term counts, appended page by
    page instead of held): the header is written for the longest length first and rewritten with
    the real one at close; numpy pads a header to a fixed size whatever its length's digits, so the
    file is the one `np.save` writes of the same array."""

    LONGEST = 10 ** 15

    def __init__(self, path: Path, dtype):
        self.path, self.dtype, self.written = Path(path), np.dtype(dtype), 0
        self._file = open(self.path, "wb")
        self._header = self._write_header(self.LONGEST)

    def _write_header(self, length: int) -> int:
        start = self._file.tell()
        np.lib.format.write_array_header_1_0(
            self._file, {"descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False,
                         "shape": (int(length),)})
        return self._file.tell() - start

    def extend(self, values) -> None:
        if not hasattr(values, "__len__"):  # an iterator (`TermCounts.add_counted`'s map)
            values = list(values)
        values = np.ascontiguousarray(values, dtype=self.dtype)
        self._file.write(values.tobytes())
        self.written += len(values)

    def frombytes(self, data: bytes) -> None:
        self.extend(np.frombuffer(data, dtype=self.dtype))

    def __len__(self) -> int:
        return self.written

    def close(self) -> None:
        if self._file.closed:
            return
        self._file.seek(0)
        if self._write_header(self.written) != self._header:
            raise ValueError(f"{self.path}: npy header changed size")
        self._file.close()


class NpyRows:
    """A 2-d (or 1-d) `.npy` file's rows, read on demand: `rows[a:b]`, `rows[index_array]`, `len`, `shape`,
    and `np.asarray(rows)` (the whole array: for the small indexes only)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with open(self.path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)
            shape, fortran, dtype = read_header(handle)
            self._offset = handle.tell()
        if fortran or len(shape) not in (1, 2):
            raise ValueError(f"{self.path}: not a 1-d or 2-d C-ordered array")
        self.shape, self.dtype = tuple(shape), np.dtype(dtype)
        self._row_bytes = (self.shape[1] if len(self.shape) == 2 else 1) * self.dtype.itemsize

    def __len__(self) -> int:
        return self.shape[0]

    def _read(self, handle, start: int, stop: int) -> np.ndarray:
        out = np.empty((max(0, stop - start), *self.shape[1:]), dtype=self.dtype)
        handle.seek(self._offset + start * self._row_bytes)
        handle.readinto(memoryview(out).cast("B"))
        return out

    def __getitem__(self, key) -> np.ndarray:
        with open(self.path, "rb") as handle:
            if isinstance(key, slice):
                start, stop, step = key.indices(self.shape[0])
                if step != 1:
                    raise ValueError("NpyRows: a slice with a step is not supported")
                return self._read(handle, start, stop)
            wanted = np.asarray(key, dtype=np.int64)
            order = np.argsort(wanted, kind="stable")
            ranked = wanted[order]
            out = np.empty((len(wanted), *self.shape[1:]), dtype=self.dtype)
            if len(wanted) and len(wanted) * SPARSE < int(ranked[-1] - ranked[0]) + 1:
                for n in order:  # few rows far apart: one read each (a shard look-up)
                    out[n] = self._read(handle, int(wanted[n]), int(wanted[n]) + 1)[0]
                return out
            at = 0
            while at < len(order):  # a chunk read from the lowest row still wanted covers all within it
                start = int(ranked[at])
                stop = min(self.shape[0], start + CHUNK_ROWS)
                block = self._read(handle, start, stop)
                end = int(np.searchsorted(ranked, stop))
                out[order[at:end]] = block[ranked[at:end] - start]
                at = end
            return out

    def chunks(self, size: int = CHUNK_ROWS):
        """(first row, rows) in order, `size` rows at a time."""
        for start in range(0, self.shape[0], size):
            yield start, self[start:start + size]

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        whole = self[0:self.shape[0]]
        return whole if dtype is None else whole.astype(dtype, copy=False)
