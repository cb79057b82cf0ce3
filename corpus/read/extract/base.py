"""What every office-format extractor shares: the protocol, the safety checks and the sniffing.

Safety checks run BEFORE a third-party reader sees the file: a zip container (.xlsx, .docx, .zip)
is judged from its central directory (member count, total uncompressed size, compression ratio per
member), which is safe to trust because Python's zipfile never inflates a member beyond the size the
directory declares (it stops and fails the CRC instead).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Protocol

from corpus.errors import InputError
from corpus.read.document import Document, Limits

# Members smaller than this are never called bombs: styles.xml of a real workbook compresses 100:1.
BOMB_MIN_MEMBER_BYTES = 1 << 20

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


class Extractor(Protocol):
    """One file format: `formats` are the suffixes it reads (with the dot, lower case)."""

    formats: tuple[str, ...]

    def extract(self, path: Path, *, limits: Limits) -> Document: ...


def check_size(path: Path, limits: Limits) -> int:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InputError(path, f"大小 {size:,} 字节，超过 {limits.max_bytes:,} 字节的上限"
                               "（ZHIBIAO_MAX_FILE_BYTES）")
    if size == 0:
        raise InputError(path, "是空文件（0 字节）")
    return size


def check_zip(path: Path, limits: Limits, what: str) -> list[zipfile.ZipInfo]:
    """Refuse a zip container that is damaged or would inflate beyond the limits; its members."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(path, glue("已损坏（", what, "被截断或已损坏：", zip_problem(exc), "）")) from None
    except (OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"已损坏（{zip_problem(exc)}）") from None
    if len(members) > limits.max_zip_members:
        raise InputError(path, glue(f"有 {len(members):,} 个 zip 成员，超过 "
                                    f"{limits.max_zip_members:,} 个的上限；应为", what))
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        raise InputError(path, f"解压后有 {total:,} 字节，超过 {limits.max_unzipped_bytes:,} 字节的上限"
                               "（疑似压缩炸弹）")
    for member in members:
        if member.file_size < BOMB_MIN_MEMBER_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_zip_ratio:
            raise InputError(path, f"成员 {member.filename!r} 的压缩比为 {ratio:,.0f}:1"
                                   f"（{member.file_size:,} 字节），超过 {limits.max_zip_ratio:,.0f}:1 "
                                   "的上限（疑似压缩炸弹）")
    return members


# zipfile's own words for what is wrong, as a user reads them (unknown ones: the library's name).
_ZIP_PROBLEMS = (
    ("File is not a zip file", "不是 zip 文件"), ("Truncated file header", "文件头被截断"),
    ("Bad magic number", "文件头标记错误"), ("Bad CRC-32", "CRC 校验失败"),
    ("span multiple disks", "不支持分卷压缩包"), ("Corrupt extra field", "扩展字段已损坏"),
    ("Error -3 while decompressing", "压缩数据已损坏"), ("Compressed file ended", "压缩数据被截断"),
)


def zip_problem(exc: BaseException) -> str:
    """What zipfile (or zlib, or the OS) said about a damaged archive, in Chinese."""
    text = str(exc)
    for english, chinese in _ZIP_PROBLEMS:
        if english in text:
            return chinese
    if isinstance(exc, EOFError):
        return "文件意外结束"
    return "zipfile 读取时出错"


_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z0-9.]")


def glue(*parts: str) -> str:
    """Join Chinese and Latin parts with a space where they meet ("不是" + ".xlsx 工作簿" →
    "不是 .xlsx 工作簿"), as Chinese text is set; none before or after Chinese punctuation."""
    out = ""
    for part in parts:
        if out and part and ((_CJK.match(out[-1]) and _LATIN.match(part[0]))
                             or (_LATIN.match(out[-1]) and _CJK.match(part[0]))):
            out += " "
        out += part
    return out


# What a file really is, judged from its first bytes and, for zips, its member names.
KIND_NAMES = {
    "xlsx": ".xlsx 工作簿", "docx": ".docx 文档", "zip": "zip 压缩包",
    "xls": ".xls 工作簿", "doc": "旧版 Word 文档（.doc）", "ole": "OLE 复合文档",
    "ole_damaged": "已损坏的 OLE 复合文档",
    "encrypted": "有密码保护的 Office 文件", "pdf": "PDF", "html": "HTML 网页",
    "xmlss": "Excel 2003 XML 表格", "rtf": "RTF 文档",
    "text": "文本文件", "empty": "空文件", "binary": "未知类型的二进制数据",
}

# What to do about a kind that is readable by Excel/Word but not by us.
KIND_HINTS = {"xmlss": "请另存为 .xlsx", "rtf": "请另存为 .docx", "doc": "请另存为 .docx"}


def sniff(path: Path) -> str:
    """One of KIND_NAMES' keys. Never raises for a readable file."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = _as_text(head)
    if text is None:
        return "binary"
    lowered = text.lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered and "<html" not in lowered:
        return "xmlss"
    if any(tag in lowered for tag in ("<html", "<table", "<!doctype html", "<body", "<meta")):
        return "html"
    return "text"


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"  # damaged: check_zip says how
    if "xl/workbook.xml" in names or any(n.startswith("xl/worksheets/") for n in names):
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


def _sniff_ole(path: Path) -> str:
    try:
        import olefile
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception:  # noqa: BLE001 - olefile raises several types for a cut or corrupt file
        return "ole_damaged"
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        return "encrypted"  # an encrypted .xlsx / .docx is an OLE container around the package
    if "Workbook" in streams or "Book" in streams:
        return "encrypted" if _ole_encrypted(path) else "xls"
    if "WordDocument" in streams:
        return "encrypted" if _ole_encrypted(path) else "doc"
    return "ole"


def _ole_encrypted(path: Path) -> bool:
    try:
        import msoffcrypto
        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # noqa: BLE001 - msoffcrypto does not know every variant; assume clear
        return False


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            # the 4 KiB cut can split a multi-byte character: retry without the last bytes
            try:
                return head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
    return None


class CellBudget:
    """The document-wide cell and character allowance (Limits.max_cells, max_chars)."""

    def __init__(self, limits: Limits):
        self.cells_left = limits.max_cells
        self.chars_left = limits.max_chars
        self.cells_cut = False
        self.chars_cut = False

    def take_cells(self, n: int) -> bool:
        if n > self.cells_left:
            self.cells_cut = True
            return False
        self.cells_left -= n
        return True

    def text(self, text: str) -> str:
        if len(text) <= self.chars_left:
            self.chars_left -= len(text)
            return text
        self.chars_cut = True
        kept, self.chars_left = text[:self.chars_left], 0
        return kept

    def report(self, doc: Document, limits: Limits) -> None:
        if self.cells_cut:
            doc.warn("cells_cut", f"超过 {limits.max_cells:,} 个单元格，其余未读取")
        if self.chars_cut:
            doc.warn("text_cut", f"超过 {limits.max_chars:,} 个字符，其余未读取")
