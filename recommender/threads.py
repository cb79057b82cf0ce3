"""How many threads a process's numeric libraries run on (BLAS through numpy, OpenMP in faiss and
scikit-learn, torch when loaded).

A Ray build's worker asks Ray for one CPU; left alone, its BLAS and OpenMP pools would start a
thread per core of the machine, and two workers on two cores would run four busy threads. So
each Ray worker runs its libraries on one thread (the environment Ray starts it with, set before
any library loads, and the pools already loaded limited in place), and the driver of a Ray build
its OpenMP pools (faiss) on as many as it has workers: a 1-worker build uses one core, a 2-worker
build two; its other BLAS pools stay on one (`driver_threads`).
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

# read by OpenBLAS, MKL, OpenMP (faiss, scikit-learn), Accelerate and numexpr when they load
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                    "NUMEXPR_NUM_THREADS")


def thread_env(threads: int) -> dict[str, str]:
    """The environment of a process whose libraries are to run on `threads` threads."""
    return {name: str(threads) for name in THREAD_VARIABLES}


def limit_threads(threads: int) -> None:
    """This process's libraries on `threads` threads from now on: the environment (for libraries
    not loaded yet), the pools already loaded (threadpoolctl), faiss's and torch's own counts."""
    from threadpoolctl import threadpool_limits
    os.environ.update(thread_env(threads))
    threadpool_limits(limits=threads)
    if "faiss" in sys.modules:
        sys.modules["faiss"].omp_set_num_threads(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


@contextmanager
def environment(changes: dict[str, str | None]):
    """os.environ with `changes` for a block (None removes a variable), as it was after."""
    saved = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            _set_variable(name, value)
        yield
    finally:
        for name, value in saved.items():
            _set_variable(name, value)


def _set_variable(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@contextmanager
def threads_limited(threads: int):
    """`limit_threads` for a block (a Ray build's driver), the previous counts restored after."""
    from threadpoolctl import threadpool_limits
    import faiss
    saved_faiss = faiss.omp_get_max_threads()
    torch = sys.modules.get("torch")
    saved_torch = torch.get_num_threads() if torch is not None else None
    try:
        with environment(thread_env(threads)), threadpool_limits(limits=threads):
            limit_threads(threads)
            yield
    finally:
        faiss.omp_set_num_threads(saved_faiss)
        if torch is not None:
            torch.set_num_threads(saved_torch)


@contextmanager
def driver_threads(threads: int):
    """A Ray build's driver: its OpenMP pools (faiss, which trains and fills the vector index on them,
    and the OpenMP build of OpenBLAS that faiss calls) on `threads` threads, one a worker; the BLAS
    pools that run their own threads (numpy's and scipy's OpenBLAS, "pthreads"), and any loaded
    later, on one. Nothing the driver does in those is large enough to gain from a second thread,
    and their idle threads spin: at 20,000 declarations the level classifier's fit (scikit-learn, on
    the driver's fitting thread) took 3.3–4.0 CPU s with them on two threads against 0.9 on one (the
    second thread spinning between its many small calls, taken from the page workers on two cores).
    They are limited from this thread: OpenBLAS's pthreads pools ignored a limit set on another
    thread in that measurement. The previous counts are restored after."""
    from threadpoolctl import ThreadpoolController
    with threads_limited(threads), environment({"OPENBLAS_NUM_THREADS": "1"}):
        with ThreadpoolController().select(threading_layer="pthreads").limit(limits=1):
            yield


def thread_counts() -> dict:
    """What this process's libraries run on now: the environment, each loaded pool (threadpoolctl),
    faiss's OpenMP count (faiss is loaded to ask it)."""
    import faiss
    from threadpoolctl import threadpool_info
    counts = {"env": {name: os.environ.get(name) for name in THREAD_VARIABLES},
              "pools": sorted({(pool["internal_api"], pool["num_threads"]) for pool in threadpool_info()}),
              "faiss": faiss.omp_get_max_threads()}
    if "torch" in sys.modules:
        counts["torch"] = sys.modules["torch"].get_num_threads()
    return counts
