"""An index build's per-declaration work, page by page, in parallel workers; merged in store order.

What a build reads from each declaration depends on nothing but the declaration: its row columns
in the corpus tables (`recommender.tables.Rows`), the dictionary words it adds, its rewrite tallies
(`recommender.rewrite.CorpusTallies`) and its project text; once every page's words have made the
dictionary, its text's term counts and vector. So a page of the store (`Store.data_page`, keyset
paging in store order) is read by a worker — a forked process of the plain build
(`ForkedPages`) or a Ray actor (`recommender.ray_build`) — and travels back as named numpy
arrays; the build (`recommender.index`) only concatenates and reduces: code tables and
vocabularies interned in first-use order page after page, tallies added, word sets united. Pages
merged in store order give every index file of one serial pass, byte for byte
(`tests/test_ray_ingest.py`, `tests/test_build_pages.py`).
"""

from __future__ import annotations

import json
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from corpus.schema import Declaration
from models.encoders import Encoder
from models.segment import Segmenter, add_declaration_words
from recommender.lexical import TermCounts
from recommender.passage_pool import cut_and_encode
from recommender.project_text import project_text
from recommender.rewrite import CorpusTallies
from recommender.tables import Rows, from_json_array, h64, json_array

PAGE = 2000          # declarations a worker reads at once: ~10 MB of JSON, a few MB of arrays back
MIN_FORKED = 4000    # fewer declarations: forking costs more than two readers save
AHEAD_PER_JOB = 2    # pages in flight per worker: bounded memory, workers never idle


@dataclass
class DeclarationPage:
    """What one page of declarations gives the build before the dictionary is known."""

    rows: Rows
    words: list[str]       # dictionary words the page adds (sorted)
    tallies: CorpusTallies
    texts: list[str]       # project texts, in row order

    def arrays(self) -> dict[str, np.ndarray]:
        return {**self.rows.arrays(), "words": json_array(self.words), "tallies": json_array(self.tallies.to_json()),
                "texts": json_array(self.texts)}

    @classmethod
    def from_arrays(cls, arrays) -> DeclarationPage:
        return cls(Rows.from_arrays(arrays), from_json_array(arrays["words"]),
                   CorpusTallies.from_json(from_json_array(arrays["tallies"])), from_json_array(arrays["texts"]))


def read_page(hashed: Iterable[tuple[Declaration, int]]) -> DeclarationPage:
    """(declaration, content hash) pairs, in order → their page."""
    rows, words, tallies, texts = Rows(), set(), CorpusTallies(), []
    for decl, content_hash in hashed:
        rows.add(decl, content_hash)
        add_declaration_words(decl, words)
        tallies.add(decl)
        texts.append(project_text(decl))
    return DeclarationPage(rows, sorted(words), tallies, texts)


def read_stored(id_data: Iterable[tuple[str, str]]) -> DeclarationPage:
    """A page of (id, stored JSON) rows; the content hash is the stored JSON's, as `StoreSource` gives it."""
    return read_page((Declaration.from_dict(json.loads(data)), h64(data)) for _, data in id_data)


def read_store_page(location: str, after: str, limit: int) -> DeclarationPage:
    """A worker's share: opens the store itself (a file, or the PostgreSQL server) and reads a page."""
    from corpus.stores import make_store
    with make_store(location) as store:
        return read_stored(store.data_page(after, limit))


def store_location(store) -> str:
    """What another process opens: the file path, or the full URL (with its password) of PostgreSQL."""
    return getattr(store, "url", None) or store.location


class MergedPages:
    """The pages merged in order: the rows, the words, the tallies; each page's texts handed on."""

    def __init__(self, rows: Rows, words: set[str]):
        self.rows, self.words, self.tallies = rows, words, CorpusTallies()

    def add(self, page: DeclarationPage) -> list[str]:
        self.rows.extend_rows(page.rows)
        self.words.update(page.words)
        self.tallies.merge(page.tallies)
        return page.texts


class SerialPages:
    """The build's work in its own process: a list of declarations, an update, an encoder that may
    not be forked, a build on a server's thread."""

    def __init__(self, hashed: Iterable[tuple[Declaration, int]]):
        self.hashed = hashed

    def pages(self) -> Iterator[DeclarationPage]:
        page: list = []
        for pair in self.hashed:
            page.append(pair)
            if len(page) == PAGE:
                yield read_page(page)
                page = []
        if page:
            yield read_page(page)

    def cut_and_encode(self, texts: Iterable[str], segmenter: Segmenter, encoder, expected: int
                       ) -> Iterator[tuple[TermCounts, np.ndarray]]:
        return cut_and_encode(texts, segmenter, encoder, expected=expected)

    def fitted_parts(self, directory, encoder: Encoder, previous):
        """Who fits the level classifier and the library parts (`recommender.fitted.FittedParts`: a
        forked process beside the build when it may fork, else this one)."""
        from recommender.fitted import FittedParts
        return FittedParts(directory, encoder, previous)


def _read_in_child(location: str, after: str, limit: int) -> dict[str, np.ndarray]:
    return read_store_page(location, after, limit).arrays()


class ForkedPages(SerialPages):
    """A first build of a store in forked workers: each reads its page from the store itself (the
    parent sends page starts, not rows); the cut-and-embed step forks its own workers after."""

    def __init__(self, store, jobs: int):
        self.store, self.jobs = store, jobs

    def pages(self) -> Iterator[DeclarationPage]:
        location, starts = store_location(self.store), self.store.page_starts(PAGE)
        with ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            inflight: deque = deque()
            for after in starts:
                inflight.append(pool.submit(_read_in_child, location, after, PAGE))
                if len(inflight) >= self.jobs * AHEAD_PER_JOB:
                    yield DeclarationPage.from_arrays(inflight.popleft().result())
            while inflight:
                yield DeclarationPage.from_arrays(inflight.popleft().result())
