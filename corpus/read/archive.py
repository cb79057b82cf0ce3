"""A .zip of form files: every member read as a file of its own (the zip-bomb checks and the
unpacking are `extract.zip`'s), errors of single members kept as warnings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corpus.errors import InputError
from corpus.read.document import Limits
from corpus.schema import Declaration


def read_zip(path: Path, *, limits: Limits,
             reader: Callable[..., list[Declaration]]) -> list[Declaration]:
    from corpus.read.extract import open_zip

    decls: list[Declaration] = []
    errors: list[str] = []
    with open_zip(path, limits=limits) as unpacked:
        errors += [f"压缩包 {path.name} 的成员 {skipped}" for skipped in unpacked.skipped]
        for name, member in zip(unpacked.names, unpacked.files):
            try:
                for decl in reader(member, limits=limits):
                    decl.source.file = f"{path.name}/{name}"
                    decls.append(decl)
            except InputError as exc:
                errors.append(f"压缩包 {path.name} 的成员 {name}: {exc.reason}")
    if not decls:
        detail = "；".join(errors[:3]) or "其中没有申报表文件"
        raise InputError(path, f"压缩包中没有读出任何申报表（{detail}）")
    for decl in decls:
        for error in errors:
            decl.warn("zip_member_skipped", error)
    return decls
