"""Hostile inputs, generated (never committed as binaries): what issue 20 tried against the server.

- `cycle_pdf`: a 433-byte-class PDF whose page content is an indirect object that refers to
  another that refers back (`4 0 obj 5 0 R` / `5 0 obj 4 0 R`).
- `flate_bomb_pdf`: a PDF whose content stream is `mb` MB of Flate data inflating ~1,000×.
- `colliding_zip`: members `a.txt` then `a.txt/b.txt`, a repeated name, a nested archive.
- `digits_form`: a form header and a run of digits, the text that froze the server.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _page(contents: bytes) -> list[bytes]:
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + contents + b" >>"]


def cycle_pdf() -> bytes:
    return _pdf(_page(b"4 0 R") + [b"5 0 R", b"4 0 R"])


def flate_bomb(mb: float = 1.0) -> bytes:
    """A zlib stream of about `mb` MB that inflates about 1,000 times (spaces). Built from one
    compressed megabyte repeated: after a full flush a deflate block needs no history, so the
    same block bytes may follow each other; the checksum is the running Adler-32 of the whole."""
    chunk = b" " * (1 << 20)
    packer = zlib.compressobj(9)
    head = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    count = max(2, int(mb * (1 << 20) / len(block)))
    adler = zlib.adler32(chunk)
    for _ in range(count - 1):
        adler = zlib.adler32(chunk, adler)
    return head + block * (count - 1) + b"\x03\x00" + struct.pack(">I", adler)


def flate_bomb_pdf(mb: float = 1.0) -> bytes:
    """A PDF whose page content is `flate_bomb(mb)` (about a gigabyte once inflated)."""
    data = flate_bomb(mb)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return _pdf(_page(b"4 0 R") + [stream])


def colliding_zip(form: bytes) -> bytes:
    """A form as `a.txt`, then `a.txt/b.txt` (a file where a folder must go), `a.txt` again and
    a nested zip, then the form again as `ok/form.txt`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", form)
        archive.writestr("a.txt/b.txt", form)
        archive.writestr("a.txt", form)
        archive.writestr("inner.zip", b"PK\x05\x06" + b"\x00" * 18)
        archive.writestr("ok/form.txt", form)
    return out.getvalue()


HEADER = "一级指标\t二级指标\t三级指标\t指标值\n"


def digits_form(n: int = 20_000, char: str = "1") -> str:
    return HEADER + char * n
