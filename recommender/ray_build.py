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
        from corpus.ingest_pool import parse_one
        from recommender.index import project_text
        from recommender.naming import name_key
        parsed_rows, texts, names = [], [], []
        for path, known in zip(batch["path"], batch["known"]):
            parsed = parse_one(str(path), str(known) or None, self.bounds)
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
    logging.getLogger("ray.data").setLevel(logging.WARNING)  # per-dataset INFO lines drown the progress
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
                                      concurrency=max(1, width), num_cpus=1)
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
