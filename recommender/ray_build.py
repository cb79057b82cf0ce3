"""Ingest and index build on Ray (`zhibiao ingest --engine ray [--address auto|ray://HOST:PORT]`).

Ray Data streams the file list through parallel tasks (actors, one encoder loaded each): each
reads and parses its files (`corpus.ingest_pool.parse_one`, the plain ingest's reader) and
embeds the declarations' project texts and indicator names. The driver writes every file to the
store (one writer; the store's own rules: whole files, content-hash aliases) and each returned
batch's vectors to a shard (`recommender.shards`); one merge step then builds the index the
plain way (`ensure_index`), taking vectors from the shards instead of embedding again. The
result is the same store and the same index as `zhibiao ingest` followed by an index build.
Vectors travel back to the driver, so the cluster needs no shared file system.

Ray is an optional extra (`pip install -e '.[ray]'`); nothing imports this module unless asked.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
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

    def __init__(self, encoder_spec: str, bounds: dict):
        from models.encoders import make_encoder
        from recommender.index import _stateless
        self.encoder = make_encoder(encoder_spec)
        self.embeds = _stateless(self.encoder)  # a corpus-fitted encoder embeds at the merge
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
            for stored in parsed.declarations or ():
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
               workers: int = 2, address: str | None = None, bounds: Bounds | None = None,
               build_index: bool = True, on_file: Callable[[int, int, FileResult], None] | None = None,
               say: Callable[[str], None] = lambda m: None) -> RayIngest:
    import ray

    from models.encoders import make_encoder
    from recommender.index import ensure_index
    from recommender.shards import write_shard
    bounds = bounds if bounds is not None else Bounds()
    start_ray(address, workers)
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
            width = int(ray.cluster_resources().get("CPU", workers)) if address else workers
            blocks = min(len(files), max(width, min(len(files) // BATCH_FILES, 4 * width)))  # every worker gets some
            data = ray.data.from_items(files, override_num_blocks=blocks)
            parsed = data.map_batches(ParseAndEmbed, batch_size=BATCH_FILES, batch_format="numpy",
                                      fn_constructor_kwargs={"encoder_spec": encoder_spec, "bounds": asdict(bounds)},
                                      compute=ray.data.ActorPoolStrategy(size=max(1, width)), num_cpus=1)
            encoder = make_encoder(encoder_spec)
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
            say("合并各分片的向量，建立索引")
            index = ensure_index(store, make_encoder(encoder_spec), Path(index_root), say=say, shards=shard_dir)
            index_path = str(index.path)
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
SLICE = 2000  # declarations a task embeds: ~3 MB of vectors back to the driver; a page by id (keyset)


def _peak_rss_mb() -> float:
    import resource
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class EmbedSlice:
    """A Ray Data actor: opens the store itself (a shared file or the PostgreSQL server), embeds a
    slice of declarations and their indicator names, and says how much memory it peaked at."""

    def __init__(self, location: str, encoder_spec: str):
        from models.encoders import make_encoder
        self.location = location  # opened per call: Ray may call from another thread than this one
        self.encoder = make_encoder(encoder_spec)

    def __call__(self, batch: dict) -> dict:
        from corpus.schema import Declaration
        from corpus.stores import make_store
        from recommender.index import project_text
        from recommender.naming import name_key
        out = {"texts": [], "vectors": [], "names": [], "name_vectors": [], "rss_mb": []}
        for after, limit in zip(batch["after"], batch["limit"]):
            texts, names = [], set()
            with make_store(self.location) as store:
                rows = store.id_data_page(str(after), int(limit))
            for _, data in rows:
                decl = Declaration.from_dict(json.loads(data))
                texts.append(project_text(decl))
                names.update(name_key(i.name) for i in decl.indicators)
            names = sorted(names - {""})
            out["texts"].append(json.dumps(texts, ensure_ascii=False))
            out["vectors"].append(np.asarray(self.encoder.encode_passages(texts), dtype=np.float32).tobytes()
                                  if texts else b"")
            out["names"].append(json.dumps(names, ensure_ascii=False))
            out["name_vectors"].append(np.asarray(self.encoder.encode_passages(names), dtype=np.float32).tobytes()
                                       if names else b"")
            out["rss_mb"].append(_peak_rss_mb())
        return out


@dataclass
class RayBuild:
    index_path: str
    embed_s: float
    merge_s: float
    driver_rss_mb: float
    worker_rss_mb: float


def ray_build_index(store: Store, *, encoder_spec: str, index_root: Path, workers: int = 2,
                    address: str | None = None, say: Callable[[str], None] = lambda m: None) -> RayBuild:
    """Embed the store's declarations in parallel Ray tasks (shards back to the driver), then
    build and publish the index in one merge step that takes the shards' vectors."""
    import time

    import ray

    from models.encoders import make_encoder
    from recommender.index import _stateless, ensure_index
    from recommender.shards import write_shard
    start_ray(address, workers)
    encoder = make_encoder(encoder_spec)
    shard_dir = Path(index_root) / f".shards-{uuid.uuid4().hex[:8]}"
    started, worker_rss = time.perf_counter(), 0.0
    try:
        total = store.count()
        if _stateless(encoder) and total:
            context = ray.data.DataContext.get_current()
            context.enable_progress_bars = False
            slices = [{"after": after, "limit": SLICE} for after in store.id_page_starts(SLICE)]
            width = int(ray.cluster_resources().get("CPU", workers)) if address else workers
            data = ray.data.from_items(slices, override_num_blocks=min(len(slices), 4 * width))
            embedded = data.map_batches(EmbedSlice, batch_size=1, batch_format="numpy",
                                        fn_constructor_kwargs={"location": _location_of(store),
                                                               "encoder_spec": encoder_spec},
                                        compute=ray.data.ActorPoolStrategy(size=max(1, width)), num_cpus=1)
            done = 0
            for batch in embedded.iter_batches(batch_size=None, batch_format="numpy"):
                for n in range(len(batch["texts"])):
                    _save_shards(shard_dir, batch, n, int(encoder.dim), write_shard)
                    done += len(json.loads(str(batch["texts"][n])))
                    worker_rss = max(worker_rss, float(batch["rss_mb"][n]))
                say(f"已向量化 {done}/{total} 份申报表（Ray）")
        embed_s = time.perf_counter() - started
        say("合并各分片的向量，建立索引")
        index = ensure_index(store, encoder, Path(index_root), say=say, shards=shard_dir)
        return RayBuild(str(index.path), round(embed_s, 1), round(time.perf_counter() - started - embed_s, 1),
                        _peak_rss_mb(), worker_rss)
    finally:
        shutil.rmtree(shard_dir, ignore_errors=True)


def _location_of(store: Store) -> str:
    """What another process opens: the file path, or the full URL (with its password) of PostgreSQL."""
    return getattr(store, "url", None) or store.location
