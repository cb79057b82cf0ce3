"""Vectors computed ahead of the index build, in shards (one per parallel task of a distributed
ingest, `recommender.ray_build`), looked up by the hash of the text they embed.

A shard is two arrays in a folder: `<name>.keys.npy` (uint64, h64 of the text) and
`<name>.vectors.npy` (float32 rows). The merge step (`recommender.index` build) takes a
project's or an indicator name's vector from the shards when its text was embedded there, and
embeds only the rest; an encoder whose vectors depend on the corpus (tfidf) ignores shards.
Keyed by text, not declaration id: the store may rename a declaration whose id is taken.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np

from recommender.tables import h64
from recommender.vector_file import NpyRows

KINDS = ("projects", "names")


def text_keys(texts: list[str]) -> np.ndarray:
    return np.fromiter((h64(t) for t in texts), dtype=np.uint64, count=len(texts))


def write_shard(folder: Path, kind: str, texts: list[str], vectors: np.ndarray) -> Path:
    """One shard of `kind` (projects | names); written to a temporary name, then renamed."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{kind}-{uuid.uuid4().hex[:12]}"
    for part, array in (("vectors", np.asarray(vectors, dtype=np.float32)), ("keys", text_keys(texts))):
        temp = folder / f".{name}.{part}.npy"
        np.save(temp, array)
        temp.rename(folder / f"{name}.{part}.npy")
    return folder / name


class ShardVectors:
    """Every shard of one kind in a folder: one sorted key array (8 bytes a text) in memory, the
    vectors read from disk as looked up (`recommender.vector_file.NpyRows`: not mapped, so a merge
    over a million rows does not keep them resident)."""

    def __init__(self, folder: Path, kind: str):
        self.vectors: list[NpyRows] = []
        keys, where = [], []
        for n, path in enumerate(sorted(Path(folder).glob(f"{kind}-*.keys.npy"))):
            shard_keys = np.load(path)
            self.vectors.append(NpyRows(Path(str(path).replace(".keys.npy", ".vectors.npy"))))
            keys.append(shard_keys)
            where.append(np.stack([np.full(len(shard_keys), n, dtype=np.int64),
                                   np.arange(len(shard_keys), dtype=np.int64)], axis=1))
        all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
        order = np.argsort(all_keys, kind="stable")
        self.keys = all_keys[order]
        self.where = (np.concatenate(where) if where else np.zeros((0, 2), dtype=np.int64))[order]

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, texts: list[str], dim: int) -> tuple[np.ndarray, np.ndarray]:
        """(found: bool per text, vectors: rows for the found ones, zeros elsewhere)."""
        out = np.zeros((len(texts), dim), dtype=np.float32)
        if not len(self.keys) or not texts:
            return np.zeros(len(texts), dtype=bool), out
        wanted = text_keys(texts)
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        found = self.keys[at] == wanted
        hits = np.flatnonzero(found)
        shard_of, row_of = self.where[at[hits], 0], self.where[at[hits], 1]
        for shard in np.unique(shard_of):  # one read per shard a batch of texts touches
            mine = shard_of == shard
            out[hits[mine]] = self.vectors[int(shard)][row_of[mine]]
        return found, out


def embed_with(shards: ShardVectors | None, encoder, texts: list[str]) -> np.ndarray:
    """Vectors of `texts`: from the shards where there, from the encoder for the rest."""
    if shards is None:
        return encoder.encode_passages(texts)
    found, vectors = shards.lookup(texts, int(encoder.dim))
    missing = np.flatnonzero(~found)
    if len(missing):
        vectors[missing] = encoder.encode_passages([texts[i] for i in missing])
    return vectors


class ShardPassages:
    """An encoder's `encode_passages` through the shards, for the build's cut-and-embed step: what a
    Ray build embedded is looked up, the rest encoded. Not fork-safe: the build stays in-process."""

    fork_safe = False

    def __init__(self, shards: ShardVectors, encoder):
        self.shards, self.encoder = shards, encoder

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return embed_with(self.shards, self.encoder, list(texts))
