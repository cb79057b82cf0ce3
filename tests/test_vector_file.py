"""Row files of an index build written and read without memory maps (recommender.vector_file):
the same bytes as numpy's own .npy, rows read back exactly, whatever order they are asked in."""

from __future__ import annotations

import numpy as np
import pytest

import recommender.vector_file as vector_file
from recommender.vector_file import NpyRows, NpyWriter


def test_written_in_pieces_reads_back_as_numpy_saves_it(tmp_path, monkeypatch):
    rows = np.arange(1000 * 8, dtype=np.float32).reshape(1000, 8)
    with NpyWriter(tmp_path / "v.npy", 1000, 8) as writer:
        writer.write(rows[:300])
        writer.write(rows[300:])
    np.save(tmp_path / "numpy.npy", rows)
    assert (tmp_path / "v.npy").read_bytes() == (tmp_path / "numpy.npy").read_bytes()
    read = NpyRows(tmp_path / "v.npy")
    assert read.shape == (1000, 8) and len(read) == 1000
    assert read[10:12].tolist() == rows[10:12].tolist()
    monkeypatch.setattr(vector_file, "CHUNK_ROWS", 64)  # several chunks, and rows far apart
    for wanted in ([999, 5, 3, 500, 5], list(range(999, 0, -7)), list(range(0, 1000, 2))):
        assert read[np.array(wanted)].tolist() == rows[wanted].tolist()
    assert [start for start, _ in read.chunks(400)] == [0, 400, 800]
    assert np.asarray(read).tolist() == rows.tolist()


def test_a_writer_refuses_more_or_fewer_rows_than_declared(tmp_path):
    writer = NpyWriter(tmp_path / "v.npy", 2, 4)
    with pytest.raises(ValueError, match="more rows than the 2 declared"):
        writer.write(np.zeros((3, 4)))
    writer.write(np.zeros((1, 4)))
    with pytest.raises(ValueError, match="1 rows written, 2 declared"):
        writer.close()


def test_the_rewrite_median_is_the_upper_middle_of_the_values_counted():
    from collections import Counter

    from recommender.rewrite import _median
    assert _median(Counter([3.0, 1.0, 2.0])) == 2.0
    assert _median(Counter([1.0, 1.0, 2.0, 3.0])) == 2.0
    assert _median(Counter({90.0: 5, 95.0: 4})) == 90.0


def test_an_appended_file_is_the_file_np_save_writes(tmp_path):
    """A build's term counts are appended page by page to a file whose length is known only at the
    end: the same bytes as `np.save` of the whole array (the index's files do not change)."""
    from recommender.vector_file import NpyAppender
    for length in (0, 1, 70, 12345):
        values = np.arange(length, dtype=np.int32) * 7 - 3
        appended = NpyAppender(tmp_path / f"a{length}.npy", np.int32)
        for start in range(0, length, 1000):
            appended.extend(values[start:start + 1000])
        assert len(appended) == length
        appended.close()
        np.save(tmp_path / f"s{length}.npy", values)
        assert (tmp_path / f"a{length}.npy").read_bytes() == (tmp_path / f"s{length}.npy").read_bytes()
