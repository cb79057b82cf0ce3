"""A Ray build's driver runs its numeric libraries on as many threads as it has workers
(`recommender.threads`), and the faiss index, built on a thread of its own, takes the count of the
thread that builds the index (OpenMP would give a new thread its default). The Ray worker's own
one thread: `tests/test_ray_ingest.py`."""

import os

import faiss
from threadpoolctl import threadpool_info

from models.encoders.fake import FakeEncoder
from recommender import index as index_module
from recommender.index import CorpusIndex
from recommender.threads import THREAD_VARIABLES, driver_threads, thread_counts, threads_limited
from recommender.vectors import index_for


def _pools() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info()}


def test_threads_limited_sets_every_library_and_restores_them(seed_decls):
    before_env = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    before_faiss, before_pools = faiss.omp_get_max_threads(), _pools()
    with threads_limited(3):  # not a machine's default: 3 is seen only if it was set
        counts = thread_counts()
        assert counts["env"] == {name: "3" for name in THREAD_VARIABLES}
        assert counts["faiss"] == 3 and {n for _, n in counts["pools"]} == {3}
    assert {name: os.environ.get(name) for name in THREAD_VARIABLES} == before_env
    assert faiss.omp_get_max_threads() == before_faiss and _pools() == before_pools


def test_the_faiss_thread_of_a_build_takes_the_builders_thread_count(seed_decls, monkeypatch):
    seen = []

    class Counted:
        def __init__(self, size):
            self.real = index_for(size)

        def build(self, vectors):
            seen.append(faiss.omp_get_max_threads())
            return self.real.build(vectors)

    monkeypatch.setattr(index_module, "index_for", Counted)
    with threads_limited(3):
        CorpusIndex.build(list(seed_decls.values()), FakeEncoder())
    CorpusIndex.build(list(seed_decls.values()), FakeEncoder())
    assert seen == [3, faiss.omp_get_max_threads()]


def test_a_ray_drivers_openmp_pools_take_its_workers_and_its_own_blas_threads_one():
    """`driver_threads`: faiss and every OpenMP pool on the workers' count, the BLAS pools that run
    threads of their own (numpy's OpenBLAS, "pthreads") on one, also for one loaded later (the
    environment); everything as it was after."""
    before_env, before_faiss = os.environ.get("OPENBLAS_NUM_THREADS"), faiss.omp_get_max_threads()
    before = sorted((p["filepath"], p["num_threads"]) for p in threadpool_info())
    with driver_threads(3):
        pools = {(p.get("threading_layer") or p["internal_api"], p["num_threads"]) for p in threadpool_info()}
        assert ("pthreads", 1) in pools and {n for layer, n in pools if layer == "pthreads"} == {1}
        assert {n for layer, n in pools if layer != "pthreads"} == {3} and faiss.omp_get_max_threads() == 3
        assert os.environ["OPENBLAS_NUM_THREADS"] == "1" and os.environ["OMP_NUM_THREADS"] == "3"
    assert os.environ.get("OPENBLAS_NUM_THREADS") == before_env and faiss.omp_get_max_threads() == before_faiss
    assert sorted((p["filepath"], p["num_threads"]) for p in threadpool_info()) == before
