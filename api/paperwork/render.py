"""PDFs from the record, by Typst: a template of this package given the document's data
as JSON (``sys.inputs.data``), so no text of the record is ever read as markup.

Why Typst: measured here (a 200-name list, Vietnamese), WeasyPrint from Jinja HTML took
1.1–1.3 s a document through the machine's Pango, Typst 0.02–0.06 s, self-contained (a
pip wheel, no system library). The fonts are this package's own copy of DejaVu Serif
(Bitstream Vera licence, ``fonts/LICENSE-DejaVu.txt``, which allows shipping it), and the
machine's are ignored: a fresh machine renders the same document, every Vietnamese letter
embedded.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typst

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
FONTS = HERE / "fonts"
DOCUMENTS = ("decision", "proposal", "minutes")
MEDIA_TYPE = "application/pdf"


def render(document: str, data: dict[str, Any], at: datetime | None = None) -> bytes:
    """The PDF of ``document`` (one of ``DOCUMENTS``) filled with ``data``. ``at``: the
    creation time it states (the record's), so the same record gives the same bytes."""
    if document not in DOCUMENTS:
        raise ValueError(f"no paperwork template {document!r}")
    pdf = typst.compile(
        str(TEMPLATES / f"{document}.typ"), root=str(TEMPLATES), font_paths=[str(FONTS)],
        ignore_system_fonts=True, sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        timestamp=int(at.timestamp()) if at is not None else None)
    assert isinstance(pdf, bytes)
    return pdf
