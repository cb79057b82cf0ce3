"""Ingest and index build on Ray (`zhibiao ingest --engine ray [--address auto|ray://HOST:PORT]`).

Ray Data streams the file list through parallel tasks (actors, one encoder loaded each): each
reads and parses its files (`corpus.ingest_pool.parse_one`, the plain ingest's reader) and
embeds the declarations' project texts and indicator names. The driver writes every file to the
store (one writer; the store's own rules: whole files, content-hash aliases) and each returned
batch's vectors to a shard (`recommender.shards`). A first index is then built by page actors
(`ray_build_index`: they read, cut and embed pages of the store; the driver merges); an update
of an index already there is built the plain way (`ensure_index`), taking the new declarations'
vectors from the shards instead of embedding again. The result is the same store and the same
index as `zhibiao ingest` followed by an index build.
Vectors travel back to the driver, so the cluster needs no shared file system.

Ray is an optional extra (`pip install -e '.[ray]'`); nothing imports this module unless asked.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from corpus.errors import StoreError
from corpus.ingest_pool import Bounds, Parsed, StoredDeclaration
from corpus.store import form_files
from corpus.store_protocol import FileResult, Store

BATCH_FILES = 32  # files per task batch: small enough to spread a few hundred files over workers


def _parsed_to_json(parsed: Parsed) -> str:
    return json.dumps(asdict(parsed), ensure_ascii=False)


def _parsed_from_json(text: str) -> Parsed:
    data = json.loads(text)
    decls = data.pop("declarations")
    if decls is not None:
        decls = [StoredDeclaration(**{**d, "indicators": [tuple(r) for r in d["indicators"]]}) for d in decls]
    return Parsed(**data, declarations=decls)


class ParseAndEmbed:
    """A Ray Data actor: the encoder is loaded once, then batches of files stream through."""

    def __init__(self, encoder_spec: str, bounds: dict, embed: bool = True):
        from models.encoders import make_encoder
        from recommender.index import _stateless
        from recommender.threads import limit_threads
        limit_threads(1)
        self.encoder = make_encoder(encoder_spec)
        # a corpus-fitted encoder embeds at the merge; a first index is embedded by the build's own
        # page workers (`ray_build_index`), so embedding here too would embed every text twice
        self.embeds = embed and _stateless(self.encoder)
        self.bounds = Bounds(**bounds)

    def __call__(self, batch: dict) -> dict:
        from corpus.ingest_pool import parse_files
        from recommender.index import project_text
        from recommender.naming import name_key
        parsed_rows, texts, names = [], [], []
        # read in a bounded child (the plain ingest's pool: memory cap, per-file deadline, a file
        # that kills its reader fails alone); the actor itself is never capped or interrupted, and
        # the child comes from a fork server: forked from the actor it would inherit Ray's mappings
        tasks = [(str(path), str(known) or None) for path, known in zip(batch["path"], batch["known"])]
        for parsed in parse_files(tasks, jobs=1, bounds=self.bounds, start="forkserver"):
            parsed_rows.append(_parsed_to_json(parsed))
            for stored in (parsed.declarations or ()) if self.embeds else ():
                from corpus.schema import Declaration
                decl = Declaration.from_dict(json.loads(stored.data))
                texts.append(project_text(decl))
                names.extend(name_key(i.name) for i in decl.indicators)
        names = sorted(set(names) - {""})
        dim = int(self.encoder.dim) if self.embeds else 0
        text_vectors = self.encoder.encode_passages(texts) if self.embeds and texts else np.zeros((0, dim))
        name_vectors = self.encoder.encode_passages(names) if self.embeds and names else np.zeros((0, dim))
        # one row per file; the batch's vectors ride on its first row (Ray keeps a batch's rows together)
        empty = [""] * (len(parsed_rows) - 1)
        return {"key": batch["key"], "parsed": parsed_rows,
                "texts": [json.dumps(texts, ensure_ascii=False)] + empty,
                "vectors": [np.asarray(text_vectors, dtype=np.float32).tobytes()] + [b""] * len(empty),
                "names": [json.dumps(names, ensure_ascii=False)] + empty,
                "name_vectors": [np.asarray(name_vectors, dtype=np.float32).tobytes()] + [b""] * len(empty)}


@dataclass
class RayIngest:
    results: list[FileResult]
    shards: int
    index_path: str | None


def start_ray(address: str | None, workers: int) -> None:
    """Join a cluster (`auto`, `ray://HOST:PORT`) or start a local one with `workers` CPUs."""
    try:
        import ray
    except ImportError:
        raise StoreError("--engine ray 需要 Ray：pip install -e '.[ray]'（或 pip install 'ray[data]'）") from None
    if ray.is_initialized():
        return
    import logging
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # per-dataset INFO lines drown the progress
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # a local cluster of this user; a remote one sets its own
    options = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    try:
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(num_cpus=workers, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise StoreError(f"无法连接 Ray 集群 {address or '（本机）'}：{str(exc).strip()[:200]}") from None


def ray_ingest(store: Store, paths: Iterable[str | Path], *, encoder_spec: str, index_root: Path,
               workers: int | None = None, address: str | None = None, bounds: Bounds | None = None,
               build_index: bool = True, on_file: Callable[[int, int, FileResult], None] | None = None,
               say: Callable[[str], None] = lambda m: None) -> RayIngest:
    import ray

    from models.encoders import make_encoder
    from recommender.index import _stateless, ensure_index, index_link
    from recommender.shards import write_shard
    bounds = bounds if bounds is not None else Bounds()
    start_ray(address, workers or os.cpu_count() or 1)
    encoder = make_encoder(encoder_spec)
    # a first index of a stateless encoder is built by page workers that embed every text
    # themselves; the shards are for an update (`ensure_index` takes the new texts' vectors there)
    first_build = _stateless(encoder) and not (index_link(Path(index_root), encoder) / "manifest.json").exists()
    embed = build_index and not first_build
    files, seen = [], set()
    for path in form_files(paths):
        key = str(Path(path).resolve())
        if key not in seen:
            seen.add(key)
            files.append({"path": str(path), "key": key, "known": store.stored_digest(key) or ""})
    results: list[FileResult] = []
    shard_dir = Path(index_root) / f".shards-{uuid.uuid4().hex[:8]}"
    shards = 0
    try:
        if files:
            context = ray.data.DataContext.get_current()
            context.execution_options.preserve_order = True  # files stored in the order given
            context.enable_progress_bars = False
            width = max(1, workers or int(ray.cluster_resources().get("CPU", 1)))
            blocks = min(len(files), max(width, min(len(files) // BATCH_FILES, 4 * width)))  # every worker gets some
            data = ray.data.from_items(files, override_num_blocks=blocks)
            parsed = data.map_batches(ParseAndEmbed, batch_size=BATCH_FILES, batch_format="numpy",
                                      fn_constructor_kwargs={"encoder_spec": encoder_spec, "bounds": asdict(bounds),
                                                             "embed": embed},
                                      compute=ray.data.ActorPoolStrategy(size=width), **worker_options(1))
            with store.writer() as put:
                for batch in parsed.iter_batches(batch_size=None, batch_format="numpy"):
                    for n, key in enumerate(batch["key"]):
                        result = put(_parsed_from_json(str(batch["parsed"][n])), str(key))
                        results.append(result)
                        if on_file:
                            on_file(len(results), len(files), result)
                        if batch["texts"][n]:
                            shards += _save_shards(shard_dir, batch, n, int(encoder.dim), write_shard)
        index_path = None
        if build_index and store.count():
            if first_build:
                # a first build: the page actors read, cut and embed; the driver merges
                index_path = ray_build_index(store, encoder_spec=encoder_spec, index_root=Path(index_root),
                                             workers=workers, address=address, say=say).index_path
            else:  # an update: the new declarations' vectors come from this ingest's shards
                say("合并各分片的向量，建立索引")
                index_path = str(ensure_index(store, encoder, Path(index_root), say=say, shards=shard_dir).path)
        return RayIngest(results, shards, index_path)
    finally:
        shutil.rmtree(shard_dir, ignore_errors=True)


def _save_shards(folder: Path, batch: dict, n: int, dim: int, write_shard) -> int:
    written = 0
    for kind, texts_col, vectors_col in (("projects", "texts", "vectors"), ("names", "names", "name_vectors")):
        texts = json.loads(str(batch[texts_col][n]))
        raw = batch[vectors_col][n]
        if texts and len(raw):
            vectors = np.frombuffer(raw, dtype=np.float32).reshape(len(texts), dim)
            write_shard(folder, kind, texts, vectors)
            written += 1
    return written


# ---- index build from a store already filled (the national archive: `zhibiao corpus index --engine ray`)
def _cpu_s() -> float:
    """CPU seconds this process has used, every thread (a loaded machine stretches wall-clock
    time; the CPU a stage takes is what it would take on a free core)."""
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    import resource
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class PageWorker:
    """A Ray actor of the index build: it opens the store itself (a shared file or the PostgreSQL
    server), reads pages of it (`recommender.build_pages`: row columns, words, tallies, texts) and
    embeds their indicator names; once the build has made the dictionary, it cuts and embeds the
    project texts of the pages it read (term counts and vectors). Everything goes back as numpy
    arrays. The texts stay here between the two steps, in an unnamed file of the worker's own (gone
    with it): the driver needs none of them, so they never travel to it and back, and it decodes,
    spools and sends no text (on a cluster, the worker's own disk)."""

    def __init__(self, location: str, encoder_spec: str):
        import tempfile
        import time

        from models.encoders import make_encoder
        from recommender.threads import limit_threads
        limit_threads(1)  # a worker is a core
        # what its calls use, loaded now: the build counts the workers' start apart from their pages
        import recommender.build_pages  # noqa: F401
        import recommender.naming  # noqa: F401
        import recommender.passage_pool  # noqa: F401
        self.location = location
        self.encoder = make_encoder(encoder_spec)
        self.encoder.encode_passages([""])  # an encoder that loads lazily loads here
        self.segmenter = None
        self.kept = tempfile.TemporaryFile(prefix="zhibiao-texts-")
        self.kept_pages: dict[int, tuple[int, int]] = {}  # page number → (offset, bytes) in `kept`
        self.ready_at = time.time()

    def ready(self) -> tuple[float, float, float]:
        """(peak RSS MB, CPU seconds its start took, when it was ready: `time.time()`)."""
        return _peak_rss_mb(), _cpu_s(), self.ready_at

    def cpu(self) -> float:
        return _cpu_s()

    def threads(self) -> dict:
        """The thread counts its numeric libraries run on (`recommender.threads.thread_counts`)."""
        from recommender.threads import thread_counts
        return thread_counts()

    def read(self, number: int, after: str, limit: int) -> dict:
        """Page `number` of the build (the `limit` declarations after `after`); its texts kept here."""
        from recommender.build_pages import read_store_page
        from recommender.naming import name_key
        from recommender.tables import json_array
        page = read_store_page(self.location, after, limit)
        self._keep(number, page.texts)
        page.texts = []  # kept: cut here once the dictionary is known (`cut_page`)
        names = sorted({name_key(n) for n in page.rows.names.strings} - {""})
        vectors = self.encoder.encode_passages(names) if names else np.zeros((0, int(self.encoder.dim)))
        return {**page.arrays(), "name_keys": json_array(names),
                "name_vectors": np.asarray(vectors, dtype=np.float32), "rss_mb": _peak_rss_mb()}

    def _keep(self, number: int, texts: list[str]) -> None:
        data = json.dumps(texts, ensure_ascii=False).encode("utf-8")
        self.kept.seek(0, os.SEEK_END)
        self.kept_pages[number] = (self.kept.tell(), len(data))
        self.kept.write(data)

    def _kept_texts(self, number: int) -> list[str]:
        if number not in self.kept_pages:
            raise StoreError(f"Ray 工作进程没有第 {number} 页的项目文本（该页不是它读取的）")
        offset, size = self.kept_pages.pop(number)
        self.kept.seek(offset)
        return json.loads(self.kept.read(size).decode("utf-8"))

    def use_words(self, words: list[str]) -> float:
        """Fit the build's segmenter (the same words give the same dictionary as the driver's)."""
        from models.segment import Segmenter
        self.segmenter = Segmenter(extra_words=words).fit()
        return _peak_rss_mb()

    def cut_page(self, number: int) -> dict:
        """The term counts and vectors of the texts of page `number`, which this worker read."""
        from recommender.passage_pool import cut_and_encode_page
        terms, vectors = cut_and_encode_page(self._kept_texts(number), self.segmenter, self.encoder)
        return {**terms.arrays(), "vectors": np.asarray(vectors, dtype=np.float32), "rss_mb": _peak_rss_mb()}


class RayPages:
    """The build's page work on Ray actors (`recommender.index` build's `work`): page n is read,
    and later cut and embedded, by the same worker (`actor_of`), which keeps its texts between the
    two; pages come back in store order, the name vectors go to shards; a thread of the driver,
    started once the first page has come (the workers have started: it does not slow their start),
    fits the build's models (`recommender.fitted.ThreadFitted`). The calls of each step are made as
    soon as they can be (the reads with the workers, the cuts with the dictionary's words), so a
    worker never waits on the driver's own preparations."""

    tables_beside_cut = True  # the workers cut and embed: the driver writes the tables meanwhile
    keeps_texts = True        # the texts stay with the workers: the driver spools none

    def __init__(self, actors: list, readiness: list, store, shard_dir: Path, dim: int, say: Callable[[str], None]):
        self.actors, self.readiness, self.store, self.shard_dir, self.dim, self.say = \
            actors, readiness, store, shard_dir, dim, say
        self.fitted = None  # recommender.fitted.ThreadFitted, once the build asks for it
        self.worker_rss = 0.0
        self.read_s = self.cut_s = 0.0
        self.ready_at = 0.0  # when the last worker was ready (`time.time()`)
        self.driver_cpu_s = 0.0  # the driver's CPU while the workers read and cut (merging what comes), every thread
        self.fitting_cpu_s = 0.0  # of which the fitting thread's
        self.page_count = 0
        self._words_used: list = []
        self._reads: _InOrder | None = None  # the read calls, made when the workers are made
        self._reading_since = 0.0
        self._cuts: _InOrder | None = None  # the cut calls, made with the words

    def actor_of(self, number: int):
        return self.actors[number % len(self.actors)]

    def start_reading(self) -> None:
        """The read calls, made now: they queue on the workers behind their start, so that each
        reads its first pages as soon as it is up, while the driver still opens the build."""
        import time

        from recommender.build_pages import PAGE
        if self._reads is not None:
            return
        self._reading_since = time.time()
        starts = self.store.page_starts(PAGE)
        self.page_count = len(starts)
        read = lambda number, after: self.actor_of(number).read.remote(number, after, PAGE)  # noqa: E731
        self._reads = _InOrder(read, starts, len(self.actors))

    def pages(self):
        import time

        import ray

        from recommender.build_pages import DeclarationPage
        from recommender.shards import write_shard
        from recommender.tables import from_json_array
        done, total = 0, self.store.count()
        cpu, fitting = _cpu_s(), self._fitting_cpu()
        self.start_reading()
        for arrays in self._reads:
            if self.fitted is not None:
                self.fitted.begin()  # the workers are up: the fitting thread starts (once)
            names = from_json_array(arrays["name_keys"])
            if names:
                write_shard(self.shard_dir, "names", names, arrays["name_vectors"])
            self.worker_rss = max(self.worker_rss, float(arrays["rss_mb"]))
            page = DeclarationPage.from_arrays(arrays)
            done += len(page.rows)
            self.say(f"已读取 {done}/{total} 份申报表（Ray）")
            yield page
        # the reading is timed from the last worker's start (the first pages wait for it: that is
        # the workers' start, counted apart)
        self.ready_at = max(r[2] for r in ray.get(self.readiness))
        self.read_s = time.time() - max(self._reading_since, self.ready_at)
        self.driver_cpu_s += _cpu_s() - cpu
        self.fitting_cpu_s += self._fitting_cpu() - fitting

    def _fitting_cpu(self) -> float:
        return self.fitted.cpu_s() if self.fitted is not None else 0.0

    def use_words(self, words: list[str]) -> None:
        """The dictionary's words to every worker, and their first pages to cut: they fit their
        segmenters and start cutting while the driver fits its own and prepares the merge."""
        import ray
        shared = ray.put(list(words))  # once in the object store, not once per actor
        self._words_used = [actor.use_words.remote(shared) for actor in self.actors]
        self._cuts = _InOrder(lambda number, _: self.actor_of(number).cut_page.remote(number),
                              range(self.page_count), len(self.actors))

    def cut_and_encode(self, texts, segmenter, encoder, expected: int):
        """Each page's term counts and vectors, in order, from the worker that read it (`texts`:
        None, the workers have them)."""
        import time

        import ray

        from recommender.lexical import TermCounts
        started, cpu, fitting = time.perf_counter(), _cpu_s(), self._fitting_cpu()
        if self._cuts is None:
            self.use_words(segmenter.extra_words)
        for arrays in self._cuts:
            self.worker_rss = max(self.worker_rss, float(arrays["rss_mb"]))
            yield TermCounts.from_arrays(arrays), arrays["vectors"]
        self.worker_rss = max([self.worker_rss] + ray.get(self._words_used))
        self.cut_s = time.perf_counter() - started
        self.driver_cpu_s += _cpu_s() - cpu
        self.fitting_cpu_s += self._fitting_cpu() - fitting

    def fitted_parts(self, directory: Path, encoder, previous):
        """The level classifier and the library parts, fitted on a thread of the driver
        (`ThreadFitted`), started with the first page."""
        from recommender.fitted import ThreadFitted
        self.fitted = ThreadFitted(directory, encoder, previous)
        return self.fitted


AHEAD_PER_ACTOR = 2  # calls queued on each actor: it never waits for the driver, and the driver
# holds a bounded number of pages (items are taken from their iterator only as calls are made)


class _InOrder:
    """`call(n, item)` for the n-th item (a Ray call on the actor it chooses: pages go to the
    actors in turn, and are of equal size, so turns keep them equally busy), AHEAD_PER_ACTOR calls
    per actor in flight from the moment it is made (the workers start before anyone iterates);
    iterated, the results in the order of the items."""

    def __init__(self, call, items, actors: int):
        self.call, self.items, self.limit = call, enumerate(items), AHEAD_PER_ACTOR * actors
        self.inflight: deque = deque()
        self._fill()

    def _fill(self) -> None:
        while len(self.inflight) < self.limit:
            following = next(self.items, None)
            if following is None:
                return
            self.inflight.append(self.call(*following))

    def __iter__(self):
        import ray
        while self.inflight:
            result = ray.get(self.inflight.popleft())
            self._fill()
            yield result


@dataclass
class RayBuild:
    index_path: str
    start_s: float    # Ray started (or joined)
    actors_s: float   # the page workers started (the last one ready): process, imports, encoder loaded;
    # the driver opens the build meanwhile (its modules, the store's page starts)
    read_s: float     # pages read on the workers (names embedded), merged as they come; from the last one's start
    cut_s: float      # texts cut and embedded on the workers, counts merged and vectors written as they come
    merge_s: float    # the rest, in the driver: dictionary, tables, BM25 arrays, faiss, fitted models
    driver_rss_mb: float
    worker_rss_mb: float
    workers: int = 0  # page workers (one CPU and one thread each)
    # CPU seconds (what each part takes on a free core, whatever the machine's load):
    actors_cpu_s: float = 0.0        # the slowest page worker's start
    worker_cpu_s: float = 0.0        # every page worker's reading, cutting and embedding, summed
    driver_pages_cpu_s: float = 0.0  # the driver's merging and tables while the workers read and cut
    driver_rest_cpu_s: float = 0.0   # the driver's rest from the workers' creation (its opening of the build
    # while they start, jieba's tag table, its faiss threads included)
    worker_cpu_each: tuple = ()      # each page worker's reading, cutting and embedding (its start left out)
    fitter_cpu_s: float = 0.0        # the fitting thread of the driver (left out of the driver's two figures
    # above; on a machine whose cores the page workers fill, it takes this from them)


def worker_options(cpus: float) -> dict:
    """A Ray worker of a build: `cpus` CPUs asked for. Its numeric libraries run on one thread,
    set by the worker itself when it starts (`recommender.threads.limit_threads`: the environment
    for what loads later, the pools loaded already), not by a runtime environment of its own: a
    worker of Ray's default environment may be one Ray started ahead, with Ray already loaded."""
    return {"num_cpus": cpus}


def ray_build_index(store: Store, *, encoder_spec: str, index_root: Path, workers: int | None = None,
                    address: str | None = None, say: Callable[[str], None] = lambda m: None) -> RayBuild:
    """Build and publish the index with Ray actors doing the per-declaration work (reading pages of
    the store, cutting and embedding texts); the driver merges the pages in store order and writes
    the index: the same files as the plain build. An index already there is loaded or updated the
    plain way (an update reads only the new declarations), as is an encoder fitted on the corpus.
    `workers`: page workers, one CPU each (a local Ray is started with that many CPUs; on a
    cluster, `None` takes every CPU it has). The driver's OpenMP pools (faiss) run on as many threads
    (`recommender.threads.driver_threads`)."""
    import threading
    import time

    import ray

    from models.encoders import make_encoder
    from models.segment import pos_tokenizer
    from recommender.build_pages import store_location
    from recommender.index import CorpusIndex, _stateless, ensure_index, index_link
    from recommender.threads import driver_threads
    encoder = make_encoder(encoder_spec)
    started = time.perf_counter()
    link = index_link(Path(index_root), encoder)
    if (link / "manifest.json").exists() or not _stateless(encoder) or not store.count():
        index = ensure_index(store, encoder, Path(index_root), say=say)
        return RayBuild(str(index.path), 0.0, 0.0, 0.0, 0.0, round(time.perf_counter() - started, 1), _peak_rss_mb(), 0.0)
    start_ray(address, workers or os.cpu_count() or 1)
    start_s = time.perf_counter() - started
    width = max(1, workers or int(ray.cluster_resources().get("CPU", 1)))
    # jieba's tag table, which the driver's measures need after the pages, loads while it waits on them
    tagger = threading.Thread(target=pos_tokenizer, name="zhibiao-tagger", daemon=True)
    tagger.start()
    actor_class = ray.remote(**worker_options(1))(PageWorker)
    created = time.time()
    actors = [actor_class.remote(store_location(store), encoder_spec) for _ in range(width)]
    # not waited for: the first pages' read calls queue on the workers behind `ready` at once
    # (`RayPages.start_reading`), and the driver opens the build (its modules, the store's
    # fingerprint) while the workers start and read
    readiness = [actor.ready.remote() for actor in actors]
    shard_dir = Path(index_root) / f".shards-{uuid.uuid4().hex[:8]}"
    try:
        work = RayPages(actors, readiness, store, shard_dir, int(encoder.dim), say)
        work.start_reading()
        driver_cpu = _cpu_s()
        with driver_threads(width):
            index = ensure_index(store, encoder, Path(index_root), say=say, shards=shard_dir, work=work)
        del index
        ready = ray.get(readiness)
        worker_rss, actors_cpu = max(r[0] for r in ready), max(r[1] for r in ready)
        actors_s = max(r[2] for r in ready) - created
        rest = time.perf_counter() - started - start_s - actors_s - work.read_s - work.cut_s
        # the fitting thread's CPU is counted apart from the driver's own, in the pages and after them
        fitting = work.fitted.cpu_s() if work.fitted is not None else 0.0
        pages_cpu = work.driver_cpu_s - work.fitting_cpu_s
        rest_cpu = _cpu_s() - driver_cpu - work.driver_cpu_s - (fitting - work.fitting_cpu_s)
        each = [cpu - r[1] for cpu, r in zip(ray.get([actor.cpu.remote() for actor in actors]), ready)]
        return RayBuild(str(CorpusIndex.load(link, encoder).path), round(start_s, 1), round(actors_s, 1),
                        round(work.read_s, 1), round(work.cut_s, 1), round(rest, 1), _peak_rss_mb(),
                        max(worker_rss, work.worker_rss), width, round(actors_cpu, 1), round(sum(each), 1),
                        round(pages_cpu, 1), round(rest_cpu, 1), tuple(round(c, 1) for c in each),
                        round(fitting, 1))
    finally:
        for actor in actors:
            ray.kill(actor)
        shutil.rmtree(shard_dir, ignore_errors=True)
