"""A certificate's PDF: Typst, as the rest of the paperwork (``api.paperwork.render``: its
embedded Vietnamese font, its measured speed), from this package's own template; the QR
code (segno) points to the public verification page, whose address is also printed
beneath it for people who type it.

The PDF is made from the certificate's issue event alone, dated with it, so asking again
gives the same bytes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import segno
import typst

from api.paperwork.documents import date_words, issuer
from api.paperwork.render import FONTS
from domain.certificate import Certificate
from domain.policy import Policy

HERE = Path(__file__).parent
TEMPLATE = HERE / "certificate.typ"


def verify_url(base_url: str, code: str) -> str:
    """The public page of the certificate coded ``code``."""
    return f"{base_url.rstrip('/')}/verify/{code}"


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (medium error correction: a creased or stained
    print still reads)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def certificate_data(certificate: Certificate, policy: Policy, base_url: str) -> dict[str, Any]:
    """What the certificate says, in Vietnamese (the language it is signed in)."""
    facts = certificate.facts
    decision = facts["decision"]
    award = policy.awards.get(facts["award_code"])
    unit = policy.org.units.get(facts["nominee_unit"])
    url = verify_url(base_url, certificate.code)
    issued_on = certificate.issued_at.astimezone(policy.calendar.zone).date()
    return {
        **issuer(policy, facts["unit_id"]),
        "award": award.name.vi if award else facts["award_code"],
        "nominee": facts["nominee_name"],
        "unit": unit.name if unit else facts["nominee_unit"],
        "decision_number": decision["number"], "decision_date": _day(decision["date"]),
        "authority": decision["authority"],
        "signer_title": decision["authority"], "signer": decision["signer"],
        "number": certificate.number, "code": certificate.code, "url": url,
        "replaces": facts["replaces"], "issued_words": date_words(issued_on),
        "qr": list(qr_png(url)),
    }


def render_certificate(data: dict[str, Any], certificate: Certificate) -> bytes:
    pdf = typst.compile(
        str(TEMPLATE), root=str(HERE), font_paths=[str(FONTS)], ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        timestamp=int(certificate.issued_at.timestamp()))
    assert isinstance(pdf, bytes)
    return pdf


def _day(text: str) -> str:
    """``2026-01-15`` as ``15/01/2026``."""
    year, month, day = text[:10].split("-")
    return f"{day}/{month}/{year}"
