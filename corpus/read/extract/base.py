"""What every office-format extractor shares: the protocol, the safety checks and the sniffing.

Safety checks run BEFORE a third-party reader sees the file: a zip container (.xlsx, .docx, .zip)
is judged from its central directory (member count, total uncompressed size, compression ratio per
member), which is safe to trust because Python's zipfile never inflates a member beyond the size the
directory declares (it stops and fails the CRC instead).
"""

from __future__ import annotations

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
        raise InputError(path, f"is {size:,} bytes, larger than the limit of {limits.max_bytes:,} bytes")
    if size == 0:
        raise InputError(path, "is empty (0 bytes)")
    return size


def check_zip(path: Path, limits: Limits, what: str) -> list[zipfile.ZipInfo]:
    """Refuse a zip container that is damaged or would inflate beyond the limits; its members."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"is damaged (the {what} is truncated or corrupt: {exc})") from None
    except (OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"is damaged ({type(exc).__name__}: {exc})") from None
    if len(members) > limits.max_zip_members:
        raise InputError(path, f"has {len(members):,} zip members, more than the limit of "
                               f"{limits.max_zip_members:,}; expected a {what}")
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        raise InputError(path, f"would unpack to {total:,} bytes, more than the limit of "
                               f"{limits.max_unzipped_bytes:,} (a zip bomb?)")
    for member in members:
        if member.file_size < BOMB_MIN_MEMBER_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_zip_ratio:
            raise InputError(path, f"member {member.filename!r} is compressed {ratio:,.0f}:1 "
                                   f"({member.file_size:,} bytes), more than the limit of "
                                   f"{limits.max_zip_ratio:,.0f}:1 (a zip bomb?)")
    return members


# What a file really is, judged from its first bytes and, for zips, its member names.
KIND_NAMES = {
    "xlsx": "an .xlsx workbook", "docx": "a .docx document", "zip": "a zip archive",
    "xls": "an .xls workbook", "doc": "an old Word .doc document", "ole": "an OLE compound file",
    "ole_damaged": "a damaged OLE compound file",
    "encrypted": "a password-protected office file", "pdf": "a PDF", "html": "an HTML page",
    "xmlss": "an Excel 2003 XML spreadsheet", "rtf": "an RTF document",
    "text": "text", "empty": "an empty file", "binary": "binary data of an unknown kind",
}

# What to do about a kind that is readable by Excel/Word but not by us.
KIND_HINTS = {"xmlss": "save it as .xlsx", "rtf": "save it as .docx", "doc": "save it as .docx"}


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
            doc.warn("cells_cut", f"more than {limits.max_cells:,} cells; the rest was not read")
        if self.chars_cut:
            doc.warn("text_cut", f"more than {limits.max_chars:,} characters; the rest was not read")
