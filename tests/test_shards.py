"""Vectors embedded ahead in shards are taken by the merge step; only the rest is embedded."""

from __future__ import annotations

import numpy as np

from recommender.shards import ShardVectors, embed_with, write_shard


class CountingEncoder:
    dim = 3

    def __init__(self):
        self.seen: list[str] = []

    def encode_passages(self, texts):
        self.seen += texts
        return np.array([[len(t), 0, 1] for t in texts], dtype=np.float32)


def test_shard_vectors_are_found_by_text_and_the_rest_is_embedded(tmp_path):
    write_shard(tmp_path, "projects", ["甲项目", "乙项目"], np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32))
    write_shard(tmp_path, "projects", ["丙"], np.array([[7, 8, 9]], dtype=np.float32))
    write_shard(tmp_path, "names", ["甲项目"], np.array([[0, 0, 0]], dtype=np.float32))
    shards = ShardVectors(tmp_path, "projects")
    assert len(shards) == 3
    encoder = CountingEncoder()
    vectors = embed_with(shards, encoder, ["丙", "丁丁", "甲项目"])
    assert vectors.tolist() == [[7, 8, 9], [2, 0, 1], [1, 2, 3]]
    assert encoder.seen == ["丁丁"]
    assert embed_with(ShardVectors(tmp_path / "none", "projects"), encoder, ["乙项目"]).tolist() == [[3, 0, 1]]
    assert embed_with(None, encoder, ["乙项目"]).tolist() == [[3, 0, 1]]
