"""Encoders by name: `static-e5` (default: lookup table distilled from e5,
models/encoders/static.py), `e5-small-q4` (the teacher, multilingual-e5-small), `st:<path>`,
`tfidf`, `fake` (tests)."""

from __future__ import annotations

from models.encoders.base import Encoder
from models.errors import EncoderError

ENCODER_NAMES = ("e5-small-q4", "st:<path>", "tfidf", "fake", "static-e5")


def make_encoder(spec: str) -> Encoder:
    spec = (spec or "").strip()
    if spec == "e5-small-q4":
        from models.encoders.e5 import E5SmallQ4
        return E5SmallQ4()
    if spec.startswith("st:"):
        from pathlib import Path

        from models.encoders.st import SentenceTransformerEncoder
        path = Path(spec[3:]).expanduser()
        if not spec[3:] or not path.is_dir():
            raise EncoderError(f"编码器 {spec}：模型目录 {spec[3:]} 不存在"
                               "（应为 st:<本地 sentence-transformers 模型目录>）")
        return SentenceTransformerEncoder(path)
    if spec == "tfidf":
        from models.encoders.tfidf import TfidfEncoder
        return TfidfEncoder()
    if spec == "static-e5":
        from models.encoders.static import StaticEncoder
        return StaticEncoder()
    if spec == "fake":
        from models.encoders.fake import FakeEncoder
        return FakeEncoder()
    raise EncoderError(f"未知编码器 {spec}；可选：{'、'.join(ENCODER_NAMES)}")


__all__ = ["Encoder", "EncoderError", "make_encoder", "ENCODER_NAMES"]
