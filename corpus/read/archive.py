"""A .zip of form files: every member read as a file of its own, with zip-bomb checks first."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from corpus.errors import InputError
from corpus.read.document import Limits
from corpus.schema import Declaration


def read_zip(path: Path, *, limits: Limits,
             reader: Callable[..., list[Declaration]]) -> list[Declaration]:
    if path.stat().st_size > limits.max_bytes:
        raise InputError(path, f"is {path.stat().st_size:,} bytes; at most {limits.max_bytes:,}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(path, f"is not a readable .zip archive ({exc})") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > limits.max_zip_members:
            raise InputError(path, f"holds {len(members)} files; at most {limits.max_zip_members}")
        total = sum(m.file_size for m in members)
        if total > limits.max_unzipped_bytes:
            raise InputError(path, f"unpacks to {total:,} bytes; at most {limits.max_unzipped_bytes:,}")
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.max_zip_ratio and member.file_size > 1_000_000:
                raise InputError(path, f"member '{member.filename}' compresses {ratio:.0f}:1 "
                                       "(a zip bomb?); refused")
        decls: list[Declaration] = []
        errors: list[str] = []
        with tempfile.TemporaryDirectory(prefix="zhibiao-zip-") as tmp:
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/")).name
                if not name or name.startswith(".") or member.filename.startswith("__MACOSX"):
                    continue
                target = Path(tmp) / name
                with archive.open(member) as source:
                    data = source.read(limits.max_bytes + 1)
                if len(data) > limits.max_bytes:
                    errors.append(f"{member.filename}: larger than {limits.max_bytes:,} bytes")
                    continue
                target.write_bytes(data)
                try:
                    for decl in reader(target, limits=limits):
                        decl.source.file = f"{path.name}/{member.filename}"
                        decls.append(decl)
                except InputError as exc:
                    errors.append(f"{member.filename}: {exc.reason}")
        if not decls:
            detail = "; ".join(errors[:3]) or "it holds no form file"
            raise InputError(path, f"no declaration could be read from the archive ({detail})")
        for decl in decls:
            for error in errors:
                decl.warn("zip_member_skipped", error)
        return decls
