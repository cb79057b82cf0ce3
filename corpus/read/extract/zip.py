"""A .zip of forms → its members, checked against zip bombs and path traversal.

The central directory is judged first (`check_zip`: member count, total size, ratio per member);
then each member is copied out in chunks while the bytes actually written are counted, so a
member that inflates beyond what the directory declared is refused too. Names that would escape
the target folder (absolute, `..`) are skipped, as are folders, macOS metadata and nested
archives. Names stored in GBK by Windows zip tools (no UTF-8 flag) are decoded as GB18030.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from corpus.errors import InputError
from corpus.read.document import Limits
from corpus.read.extract.base import check_size, check_zip, zip_problem

_CHUNK = 1 << 16
_UTF8_FLAG = 0x800


@dataclass
class Unpacked:
    files: list[Path] = field(default_factory=list)      # extracted members, in archive order
    names: list[str] = field(default_factory=list)       # their names inside the archive
    skipped: list[str] = field(default_factory=list)     # "name: why" for members left out


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it (GBK names from Windows tools repaired)."""
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        try:
            return name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return name
    return name


def safe_relative(name: str) -> PurePosixPath | None:
    """The member's path below the target folder, or None if it would escape it."""
    normalised = name.replace("\\", "/")
    path = PurePosixPath(normalised)
    if normalised.startswith("/") or (path.parts and ":" in path.parts[0]):
        return None  # absolute, or a Windows drive (C:/...)
    if any(part == ".." for part in path.parts) or not path.parts:
        return None
    return PurePosixPath(*[p for p in path.parts if p not in ("", ".")])


def unpack_zip(path: Path, dest: Path, *, limits: Limits = Limits()) -> Unpacked:
    """Extract the usable members of `path` below `dest` (which must exist)."""
    check_size(path, limits)
    members = check_zip(path, limits, "zip 压缩包")
    result = Unpacked()
    written_total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in members:
                name = member_name(info)
                reason = _skip_reason(info, name)
                relative = safe_relative(name) if reason is None else None
                if reason is None and relative is None:
                    reason = "路径不安全（绝对路径或含 ..）"
                if reason:
                    result.skipped.append(f"{name}: {reason}")
                    continue
                target = dest.joinpath(*relative.parts)
                if target.exists():
                    result.skipped.append(f"{name}: 与前面的成员重名")
                    continue
                try:  # 'a.txt' then 'a.txt/b.txt': a folder where a member file already is
                    target.parent.mkdir(parents=True, exist_ok=True)
                    sink = target.open("wb")
                except OSError:
                    result.skipped.append(f"{name}: 路径与前面的成员冲突（同名的文件和文件夹）")
                    continue
                written = 0
                with archive.open(info) as source, sink:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        written_total += len(chunk)
                        if written > info.file_size or written_total > limits.max_unzipped_bytes:
                            raise InputError(path, f"成员 {name!r} 解压后超过其声明的大小或大小上限"
                                                   "（疑似压缩炸弹）")
                        sink.write(chunk)
                result.files.append(target)
                result.names.append(name)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # bad CRC, cut or corrupt data
        raise InputError(path, f"已损坏（{zip_problem(exc)}）") from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted members, unknown compression
        why = "成员有密码保护" if "encrypted" in str(exc) else "压缩方式不受支持"
        raise InputError(path, f"无法解压（{why}）；应为未加密的申报表压缩包") from None
    return result


def _skip_reason(info: zipfile.ZipInfo, name: str) -> str | None:
    if info.is_dir():
        return "文件夹"
    base = PurePosixPath(name.replace("\\", "/")).name
    if name.startswith("__MACOSX/") or base.startswith("._") or base in (".DS_Store", "Thumbs.db"):
        return "系统元数据"
    if base.lower().endswith((".zip", ".rar", ".7z", ".tar", ".gz")):
        return "嵌套的压缩包（请先解压）"
    return None
