"""Shared by the hardening, fuzz and schemathesis tests: one set of services (tfidf encoder,
bundled samples) built once per process, and apps over it with their own home folder."""

from __future__ import annotations

import functools
import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

from api.app import create_app
from api.services import ServiceHolder, Services
from api.settings import Settings

TOKEN = "hardening-token"
SHARED = Path(__file__).resolve().parents[2] / "shared"
# the reused index of this checkout: two checkouts on one machine (each its own code and index
# format) must not build into, and swap, the same folder under each other's running tests
HARDENING_HOME = Path(tempfile.gettempdir()) / (
    "zhibiao-hardening-index-" + hashlib.sha256(str(Path(__file__).resolve().parent).encode()).hexdigest()[:12])
FIELD_FORMS = sorted((SHARED / "fieldforms" / "raw").glob("*.txt"))


@functools.lru_cache(maxsize=1)
def services() -> Services:
    """Built once per process; the tfidf index is kept in a temp folder across runs (it is
    rebuilt there whenever the corpus or the code's format changes). The first review fits
    lazily-built parts of the reviewer (seconds), so it is done here, not inside a timed test."""
    home = HARDENING_HOME
    loaded = Services.load(Settings(home=home, encoder="tfidf"))
    from api.validate import declaration_from_dict
    outside = declaration_from_dict({"indicators": [{"name": "读者满意度", "target": {"raw": "较满意"}}]},
                                    ident="warm-up-1", file="warm-up.json")
    loaded.reviewer.review(outside)  # a form outside the corpus: the shared level classifier
    return loaded


def make_app(home: Path, *, token: str | None = TOKEN, rebuild: bool = False, **settings):
    """An app over the shared services. Without `rebuild`, an ingest stores its files but the
    index is not rebuilt (the tests here check the edge, not the swap: test_api does that)."""
    config = Settings(home=home, encoder="tfidf", admin_token=token, **settings)
    holder = ServiceHolder(config)
    holder.current = services()
    if not rebuild:
        holder.rebuild_in_background = lambda: True
    return create_app(config, holder=holder)


def bomb_xlsx(rows: int) -> bytes:
    """A valid .xlsx whose first sheet holds `rows` identical rows (inline strings): under 1 MB
    compressed, hundreds of MB of XML once opened. Written directly as XML for speed."""
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>'
                     for h in ("项目名称", "一级指标", "二级指标", "三级指标", "指标值"))
    row = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>'
                  for v in ("炸弹项目", "产出", "数量", "讲座场次", "≥48场"))
    body = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row>{header}</row>' + f"<row>{row}</row>" * rows + "</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml",
                      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                      '<Default Extension="xml" ContentType="application/xml"/>'
                      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      '</Types>')
        book.writestr("_rels/.rels",
                      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                      '</Relationships>')
        book.writestr("xl/workbook.xml",
                      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                      '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels",
                      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                      '</Relationships>')
        book.writestr("xl/worksheets/sheet1.xml", body)
    return out.getvalue()
