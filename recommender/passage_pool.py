"""Cutting and embedding the project texts of an index build, in worker processes when it pays.

Segmenting (jieba, pure Python) and the static encoder's own segmentation are most of an index
build's time; each text is cut and embedded on its own, so chunks can go to forked workers that
inherit the fitted segmenter and the loaded encoder (nothing is loaded twice, nothing pickled but
the texts and the results). A worker also counts the terms of its chunk (what BM25 keeps of them:
a small vocabulary of the chunk's own and the counts against it, as arrays), so the counting runs
in parallel and distinct terms travel back, not all the tokens. Chunks come back in the order
given and their vocabularies are merged in first-use order, so the BM25 vocabulary and the vector
rows are the same as a serial build's, bit for bit: the static encoder embeds one row at a time
(`models/encoders/static.py`), so a text gets the same vector in any chunk. A Ray build's actors
run the same `cut_and_encode_page` (`recommender.ray_build`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path

import numpy as np

from models.encoders import Encoder
from models.segment import Segmenter
from recommender.lexical import TermCounts, count_terms

MIN_TEXTS = 256      # fewer texts: a pool's start costs more than it saves
CHUNK = 64           # texts a worker takes at a time
AHEAD_PER_JOB = 4    # chunks in flight per worker: bounded memory, workers never idle
SERIAL_BATCH = 1024  # texts one encode call takes in-process (an encoder that batches keeps its batches)

_segmenter: Segmenter | None = None
_encoder: Encoder | None = None


def forkable(encoder: Encoder) -> bool:
    """Whether build work may go to forked children: the encoder says it is safe, and this process
    runs one thread. A server builds on a background thread while others serve; a child forked
    there inherits any lock another thread held at that moment (jieba's, logging's) and can hang
    on it, so such a build stays in-process."""
    return ("fork" in multiprocessing.get_all_start_methods() and getattr(encoder, "fork_safe", False)
            and threading.active_count() == 1)


def _start_worker(segmenter: Segmenter, encoder: Encoder) -> None:
    global _segmenter, _encoder  # inherited through fork, not pickled
    _segmenter, _encoder = segmenter, encoder


def cut_and_encode_page(texts: list[str], segmenter: Segmenter, encoder: Encoder) -> tuple[TermCounts, np.ndarray]:
    """One page of texts: their term counts (a vocabulary of their own, merged by the build with
    `TermCounts.extend_counts`) and their vectors. What a forked worker and a Ray worker run."""
    return count_terms(texts, segmenter), encoder.encode_passages(texts)


def _cut_and_encode(texts: list[str]) -> tuple[dict, np.ndarray]:
    terms, vectors = cut_and_encode_page(texts, _segmenter, _encoder)
    return terms.arrays(), vectors  # arrays through the pipe: the vocabulary's dict is rebuilt here


def _chunks(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while chunk := list(islice(it, size)):
        yield chunk


def cut_and_encode(texts: Iterable[str], segmenter: Segmenter, encoder: Encoder, *, expected: int,
                   jobs: int | None = None) -> Iterator[tuple[TermCounts, np.ndarray]]:
    """(term counts of each text, their vectors), chunk by chunk in the order given. `expected`: how
    many texts will come (decides whether workers pay); `jobs`: worker processes (default: cores)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or expected < MIN_TEXTS or not forkable(encoder):
        for chunk in _chunks(texts, SERIAL_BATCH):
            yield cut_and_encode_page(chunk, segmenter, encoder)
        return
    encoder.encode_passages([""])  # load the encoder here, so every worker inherits it loaded
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start_worker, initargs=(segmenter, encoder)) as pool:
        inflight: deque = deque()
        for chunk in _chunks(texts, CHUNK):
            inflight.append(pool.submit(_cut_and_encode, chunk))
            if len(inflight) >= jobs * AHEAD_PER_JOB:
                yield _received(inflight.popleft().result())
        while inflight:
            yield _received(inflight.popleft().result())


def _received(result: tuple[dict, np.ndarray]) -> tuple[TermCounts, np.ndarray]:
    return TermCounts.from_arrays(result[0]), result[1]


class TextSpool:
    """Texts written once and read back in order, from an unnamed file in `directory` (gone when
    closed, or when the process ends): an index build reads each declaration once, and the texts
    for cutting and embedding wait on disk, not in memory."""

    def __init__(self, directory: Path):
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", dir=directory)

    def add(self, text: str) -> None:
        self._file.write(json.dumps(text, ensure_ascii=False))  # one line each: a text may hold breaks
        self._file.write("\n")

    def texts(self) -> Iterator[str]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield json.loads(line)

    def close(self) -> None:
        self._file.close()
