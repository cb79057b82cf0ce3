"""What an index build fits once, and loading only reads.

Saved under `<index>/fitted/` in the artefact habits (JSON + .npy, never pickle), each part with
its own manifest:

    segmenter/      the jieba dictionary with the corpus's words added (models.segment)
    vagueness/      the target assessor's model, trained on our seed labels (models.vagueness): a
                    copy of the package's (models.shipped), as it depends on no corpus
    levels/         the level classifier, trained on the corpus's labelled rows (models.levels)
    kinds/          the kind matcher's cue words and TF-IDF (models.library.kinds): the package's too
    kind_vectors.npy, library_vectors.npy + library_names.json   the encoder's vectors of the
                    library's kinds and indicator names
    library_numbers.json   library entries whose typical value is a number the assessor accepts

The index manifest records `knowledge()`: hashes of the label files, the library data and the
vocabulary (a change of any makes the index outdated, so it is rebuilt) and the recommender's tuning
constants at build time (a record of what the figures were measured with).
"""

from __future__ import annotations

import importlib
import logging
import json
import multiprocessing
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from corpus.vocab import VOCAB_DIR
from models.encoders import Encoder
from models.levels import LevelClassifier, fit_pairs
from models.library import DATA_DIR as LIBRARY_DIR
from models.library import ProjectKind, load_library
from models.library.kinds import KindMatcher
from models.segment import Segmenter
from models.shipped import ShippedMismatch, copy_part, file_hash
from models.vagueness import TRAINING_FILES, TargetAssessor
from recommender.fit import value_fits
from recommender.quantify import entry_target, is_template
from recommender.passage_pool import forkable

FITTED = "fitted"
# modules whose module-level numeric constants steer a recommendation or a review: recorded in
# the manifest at build time (imported by name because they sit above the index)
TUNED_MODULES = ("recommender.recommend", "recommender.compose", "recommender.kind_match", "recommender.merge",
                 "recommender.review", "recommender.tables", "recommender.lexical", "models.library.kinds")


def data_hashes() -> dict[str, str]:
    """Hashes of what the fitted parts learn from besides the corpus: compared on every load (the
    vocabulary too: the vagueness model's rules read its vague words, the level tables its labels)."""
    # (models.shipped's hash of a part's inputs, so that an index and the shipped models agree)
    return {"labels": file_hash(list(TRAINING_FILES)), "library": file_hash(sorted(LIBRARY_DIR.glob("*.json"))),
            "vocabulary": file_hash(sorted(VOCAB_DIR.glob("*.json")))}


def tuning_constants() -> dict[str, dict[str, float]]:
    from recommender.settings import DEFAULT  # the fitted thresholds and weights (a frozen object, not module constants)
    out = {"recommender.settings": DEFAULT.as_dict()}
    for name in TUNED_MODULES:
        module = importlib.import_module(name)
        out[name] = {k: v for k, v in sorted(vars(module).items())
                     if k.isupper() and isinstance(v, (int, float)) and not isinstance(v, bool)}
    return out


def knowledge() -> dict:
    return {**data_hashes(), "tuning": tuning_constants()}


def kind_text(kind: ProjectKind) -> str:
    return f"{kind.name}：{getattr(kind, 'description', '') or ''}"


LIBRARY_PARTS = ("vagueness", "kinds", "kind_vectors.npy", "library_vectors.npy", "library_names.json",
                 "library_numbers.json")  # what depends on the labels, the library and the encoder only
LEVEL_PAIRS = ".level_pairs.json"  # the rows handed to the fitting process, removed once fitted


class FittedParts:
    """What an index build fits with scikit-learn: the level classifier (from the corpus's labelled
    rows) and the library parts (from the labels, the library and the encoder only: copied from
    `previous` when its knowledge is the same).

    When the encoder allows it, one forked process fits them all while the build reads, cuts and
    embeds the corpus: scikit-learn's import alone takes ~1.5 s, and paid there it is off the
    build's path (the build's own process never imports it; its workers, forked later, inherit
    nothing of it). The build hands over the rows (`start_levels`) and goes on; it takes the
    classifier (`levels()`) only when its tables need it. The process fits the library parts, and
    the classifier before the next of them as soon as the rows have come. Otherwise everything is
    fitted here. `wait()` before the index is complete."""

    def __init__(self, directory: Path, encoder: Encoder, previous: Path | None = None):
        self.out, self.encoder, self._process, self._conn = directory / FITTED, encoder, None, None
        self.out.mkdir(parents=True, exist_ok=True)
        self._library_done = False
        self._levels: LevelClassifier | None = None
        if previous is not None and _same_knowledge(previous):
            _copy_library_parts(previous, self.out)
            self._library_done = True
        if forkable(encoder):
            # a fork-safe encoder is stateless (an encoder fitted on the corpus embeds after its fit: in wait)
            encoder.encode_passages([""])  # loaded here: the build needs it too, and the child inherits it
            self._conn, child_end = multiprocessing.get_context("fork").Pipe()
            self._process = multiprocessing.get_context("fork").Process(
                target=_fit_in_child, args=(self.out, encoder, child_end, not self._library_done),
                name="zhibiao-fit", daemon=True)
            self._process.start()
            child_end.close()

    def start_levels(self, names: list[str], labels: list[str]) -> None:
        """Have the level classifier fitted on (name, level2) pairs (saved under fitted/levels)."""
        if self._conn is not None:
            # a file, not the pipe: a write larger than the pipe's buffer would wait for the process
            # to read it, and JSON, not pickle: names and labels are strings
            (self.out / LEVEL_PAIRS).write_text(json.dumps([names, labels], ensure_ascii=False), encoding="utf-8")
            try:
                self._conn.send_bytes(b"pairs")
                return
            except OSError:  # the process is gone: fitted below
                pass
        self._levels = _fit_levels(self.out, names, labels)

    def levels(self) -> LevelClassifier:
        """The classifier `start_levels` had fitted (fitted here if the process failed)."""
        if self._levels is None:
            try:
                if self._conn.recv_bytes() == b"ok":
                    self._levels = LevelClassifier.load(self.out / "levels")
            except (EOFError, OSError):  # the process failed: fitted here, where an error is seen
                pass
            if self._levels is None:
                names, labels = json.loads((self.out / LEVEL_PAIRS).read_text(encoding="utf-8"))
                self._levels = _fit_levels(self.out, names, labels)
        (self.out / LEVEL_PAIRS).unlink(missing_ok=True)
        return self._levels

    def wait(self) -> None:
        if self._process is not None:
            if self._conn is not None:
                self._conn.close()
            self._process.join()
            self._library_done = self._library_done or self._process.exitcode == 0
            self._process = self._conn = None
        if not self._library_done:
            for part in LIBRARY_PARTS:  # fitted again here, so an error is raised where it is seen
                path = self.out / part
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            fit_library_parts(self.out, self.encoder)
            self._library_done = True


class ThreadFitted:
    """`FittedParts` on one thread of this process, for a build whose page work runs in other
    processes and which may not fork (a Ray build's driver: Ray's own threads run in it). The thread
    is started when the build has its first page (`begin`: the workers are up, so it does not slow
    their start); it imports scikit-learn and fits the library parts while the pages come, and the
    level classifier as soon as its rows have come (`start_levels`), before any later part.

    Why not a process of its own (a Ray actor did this before): its start (~0.5 CPU s), the encoder
    loaded a second time, the classifier's rows (178,000 names and labels at 20,000 forms)
    serialised to it and the files sent back; on a machine whose cores the page workers fill, that
    CPU was taken from them. `cpu_s()`: the CPU seconds the thread has used, for the build's account."""

    def __init__(self, directory: Path, encoder: Encoder, previous: Path | None = None):
        from concurrent.futures import ThreadPoolExecutor
        self.out, self.encoder = directory / FITTED, encoder
        self.out.mkdir(parents=True, exist_ok=True)
        self._library_needed = not (previous is not None and _same_knowledge(previous))
        if not self._library_needed:
            _copy_library_parts(previous, self.out)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhibiao-fit")
        self._begun = False
        self._library = self._levels = None
        self._clock: int | None = None
        self._cpu_at_end = 0.0

    def begin(self) -> None:
        """Start the thread's work: scikit-learn's import, then the library parts."""
        if self._begun:
            return
        self._begun = True
        self._clock = self._pool.submit(_thread_clock).result()
        self._pool.submit(_import_fitting_libraries)
        if self._library_needed:
            self._library = self._pool.submit(_on_one_thread, fit_library_parts, self.out, self.encoder)

    def start_levels(self, names: list[str], labels: list[str]) -> None:
        self.begin()
        self._levels = self._pool.submit(_on_one_thread, _fit_levels, self.out, names, labels)

    def levels(self) -> LevelClassifier:
        return self._levels.result()

    def wait(self) -> None:
        self.begin()
        if self._library is not None:
            self._library.result()
        self._pool.submit(lambda: None).result()  # every part done: the thread's CPU is final
        self._cpu_at_end = self.cpu_s()
        self._clock = None
        self._pool.shutdown()

    def cpu_s(self) -> float:
        if self._clock is None:
            return self._cpu_at_end
        import time
        return time.clock_gettime(self._clock)


def _thread_clock() -> int | None:
    """The CPU clock of the calling thread, readable from any thread while it lives (Linux)."""
    import threading
    import time
    try:
        return time.pthread_getcpuclockid(threading.get_ident())
    except (AttributeError, OSError):
        return None


def _on_one_thread(fit, *args):
    """`fit(*args)` with the calling thread's numeric pools on one thread. The fits are small; a new
    thread starts at OpenMP's default count (every core), not at the driver's, and idle OpenMP and
    BLAS threads spin between the fit's many short calls, taking a core from the page workers (the
    pthreads BLAS pools, which a limit set from this thread did not reach, are limited by the
    driver itself: `recommender.threads.driver_threads`)."""
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=1):
        return fit(*args)


def _import_fitting_libraries() -> None:
    import sklearn.feature_extraction.text  # noqa: F401  (the level classifier's fit imports them)
    import sklearn.linear_model  # noqa: F401


def _copy_library_parts(previous: Path, out: Path) -> None:
    for part in LIBRARY_PARTS:
        source = previous / FITTED / part
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, out / part)


def _fit_levels(out: Path, names: list[str], labels: list[str]) -> LevelClassifier:
    classifier = fit_pairs(LevelClassifier(), names, labels)
    shutil.rmtree(out / "levels", ignore_errors=True)
    classifier.save(out / "levels")
    return classifier


def _fit_in_child(out: Path, encoder: Encoder, conn, library: bool) -> None:
    import sklearn.feature_extraction.text  # noqa: F401  (the fits below import them: paid here, in parallel)
    import sklearn.linear_model  # noqa: F401
    asked = False

    def levels_when_asked(wait: bool = False) -> None:
        # the build stops for the classifier once its tables need it, the library parts only at the
        # end: the rows, as soon as they have come, go before the library's next part
        nonlocal asked
        if asked or not (wait or conn.poll()):
            return
        asked = True
        try:
            ready = conn.recv_bytes() == b"pairs"
        except EOFError:  # the build fitted them itself or stopped
            ready = False
        if ready:
            _fit_levels(out, *json.loads((out / LEVEL_PAIRS).read_text(encoding="utf-8")))
            conn.send_bytes(b"ok")

    if library:
        fit_library_parts(out, encoder, between=levels_when_asked)
    levels_when_asked(wait=True)
    conn.close()


def fit_library_parts(out: Path, encoder: Encoder, between: Callable[[], None] = lambda: None) -> None:
    """The parts that depend on the labels, the library and the encoder only; `between` runs
    before each part (the fitting process answers the build's request there). The vagueness model
    and the kind matcher depend on no corpus and no encoder: copied from the package
    (`models.shipped`), fitted here only when the shipped ones were fitted on other inputs."""
    between()
    kinds = load_library()
    _shipped_or_fitted("vagueness", out, lambda: TargetAssessor().fit().save(out / "vagueness"))
    assessor = TargetAssessor.load(out / "vagueness")
    between()
    (out / "library_numbers.json").write_text(json.dumps(judge_library_numbers(kinds, assessor), ensure_ascii=False),
                                              encoding="utf-8")
    between()
    _shipped_or_fitted("kinds", out, lambda: KindMatcher.fit(kinds).save(out / "kinds"))
    between()
    np.save(out / "kind_vectors.npy", np.asarray(encoder.encode_passages([kind_text(k) for k in kinds])))
    names = sorted({i.name for k in kinds for i in k.indicators})
    between()
    np.save(out / "library_vectors.npy", np.asarray(encoder.encode_passages(names)))
    (out / "library_names.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")


def _shipped_or_fitted(part: str, out: Path, fit: Callable[[], None]) -> None:
    try:
        copy_part(part, out / part)
    except ShippedMismatch as exc:  # labels or library changed since `python -m models.shipped`: fit as before
        logging.getLogger("zhibiao").warning("%s；本次建索引自行拟合", exc)
        shutil.rmtree(out / part, ignore_errors=True)
        fit()


def save_fitted(directory: Path, segmenter: Segmenter, parts: FittedParts) -> None:
    """Save the segmenter and wait for the parts fitted beside the build."""
    out = directory / FITTED
    out.mkdir(parents=True, exist_ok=True)
    segmenter.save(out / "segmenter")
    parts.wait()


def _same_knowledge(previous: Path) -> bool:
    try:
        saved = json.loads((previous / "manifest.json").read_text(encoding="utf-8")).get("knowledge") or {}
    except (OSError, ValueError):
        return False
    current = data_hashes()
    return all(saved.get(k) == v for k, v in current.items()) and \
        all((previous / FITTED / part).exists() for part in LIBRARY_PARTS)


def judge_library_numbers(kinds: tuple[ProjectKind, ...], assessor: TargetAssessor) -> dict[str, list]:
    """level2 → [(kind position, entry position, typical value)] of the library entries whose typical
    value is a number the assessor accepts and that fits the entry's name (judged once, at build)."""
    rows = [(k, e, kind.indicators[e], entry_target(kind.indicators[e]))
            for k, kind in enumerate(kinds) for e in range(len(kind.indicators))]
    rows = [r for r in rows if r[3] and not is_template(r[3]) and any(ch.isdigit() for ch in r[3])]
    judged = assessor.assess_many([(entry.name, typical) for _, _, entry, typical in rows])
    out: dict[str, list] = {}
    for (k, e, entry, typical), assessment in zip(rows, judged):
        if not assessment.vague and value_fits(entry.name, typical)[0]:
            out.setdefault(entry.level2, []).append([k, e, typical])
    return out


@dataclass
class Fitted:
    """The fitted parts of an index, read (nothing trained)."""

    kinds: tuple[ProjectKind, ...]
    kind_matcher: KindMatcher
    kind_vectors: np.ndarray
    library_vectors: dict[str, np.ndarray]
    library_numbers: dict[str, list[tuple[object, object, str]]]

    @classmethod
    def load(cls, directory: Path) -> Fitted:
        out = directory / FITTED
        kinds = load_library()
        names = json.loads((out / "library_names.json").read_text(encoding="utf-8"))
        vectors = np.load(out / "library_vectors.npy")
        if len(names) != len(vectors):
            raise ValueError(f"{out}：指标库名称与向量行数不一致")
        saved = json.loads((out / "library_numbers.json").read_text(encoding="utf-8"))
        numbers = {level2: [(kinds[k].indicators[e], kinds[k], typical) for k, e, typical in rows]
                   for level2, rows in saved.items()}
        return cls(kinds, KindMatcher.load(out / "kinds", kinds), np.load(out / "kind_vectors.npy"),
                   dict(zip(names, vectors)), numbers)


def load_segmenter(directory: Path) -> Segmenter:
    return Segmenter.load(directory / FITTED / "segmenter")


def load_assessor(directory: Path) -> TargetAssessor:
    return TargetAssessor.load(directory / FITTED / "vagueness")


def load_levels(directory: Path) -> LevelClassifier:
    return LevelClassifier.load(directory / FITTED / "levels")
