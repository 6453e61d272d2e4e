"""Certificates of an award and the public register of results (issue 22).

The certificate is a recorded act: the first request for an awarded nomination's
certificate issues it (numbered in the deciding unit's register, with a verification
code), later ones print the same certificate; a reissue for a lost one is a new number
and code, the old one verifying as replaced (``domain.certificates``). What the public
sees of a code is ``GET /verify/{code}`` (``api.web.verify``, a page and JSON).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.engine import Connection

from api.certificates.pdf import certificate_data, render_certificate, verify_url
from api.certificates.schemas import (
    CertificateIssuedPublic,
    CertificateReissueCreate,
    PublicAwards,
)
from api.deps import (
    CommandContext,
    CommandOnVersion,
    CurrentUser,
    LaurelDep,
    Limit,
    Offset,
    read_models,
)
from api.problems import PROBLEM_RESPONSES
from api.reads.nominations import visible_row
from api.reads.public_register import public_awards
from api.routes.decisions import PDF_RESPONSE, pdf_response
from domain.actor import Actor
from domain.certificates import Certificates
from domain.commands import CertificateIssued, Command, IssueCertificate, ReissueCertificate
from infrastructure.container import Laurel

router = APIRouter(responses=PROBLEM_RESPONSES)


@router.get("/nominations/{nomination_id}/certificate", tags=["certificates"],
            response_class=Response, responses=PDF_RESPONSE)
async def certificate(nomination_id: str, user: CurrentUser, laurel: LaurelDep) -> Response:
    """The award's certificate (giấy chứng nhận) as PDF, for whoever may see the
    nomination: the nominee, the award, the decision, the register number, and a QR code
    to its public verification page (the address printed beneath it). The first request
    issues it — recorded, with who asked — and later ones give the same certificate. 409
    `/problems/not-awarded` for a nomination not (or no longer) awarded."""
    result = await _give(CommandContext(user, laurel), user, laurel, nomination_id,
                         IssueCertificate)
    pdf = await asyncio.to_thread(_pdf, laurel, result)
    return pdf_response(pdf, f"giay-chung-nhan-{result.number.replace('/', '-')}.pdf")


@router.post("/nominations/{nomination_id}/certificate/reissue", tags=["certificates"],
             status_code=status.HTTP_201_CREATED)
async def reissue(nomination_id: str, body: CertificateReissueCreate,
                  command: CommandOnVersion) -> CertificateIssuedPublic:
    """Issue a lost certificate again, with a reason (deciders of the deciding unit, and
    administrators at or above it): a new register number and a new code; the old
    certificate verifies as replaced by the new number. With an `Idempotency-Key`, the same
    request again records nothing. 409 `/problems/no-certificate-yet` before any issue."""
    result = await _give(command, command.user, command.laurel, nomination_id,
                         lambda nid: ReissueCertificate(nid, body.reason))
    return _public(command.laurel, result)


@router.get("/public/awards", tags=["tracking"])
async def awards_register(
    laurel: LaurelDep, limit: Limit = 50, offset: Offset = 0,
    year: Annotated[int | None, Query(ge=1900, le=9999,
                                      description="the year the awards are for")] = None,
    unit: Annotated[str | None, Query(max_length=120,
                                      description="a unit, with the units below it")] = None,
    award: Annotated[str | None, Query(max_length=80, description="an award's code")] = None,
) -> PublicAwards:
    """The public register of results (công khai kết quả khen thưởng), without an account:
    the awards decided, by year, unit and award — the nominee's name, unit, award, the
    decision's number and date. Revoked awards stay listed, marked `revoked` with the
    revoking decision. Nothing else about anyone."""
    return await read_models(laurel, lambda conn: public_awards(
        laurel, conn, year=year, unit=unit, award=award, limit=limit, offset=offset))


async def _give(context: CommandContext, user: Actor, laurel: Laurel, nomination_id: str,
                make: Callable[[UUID], Command]) -> CertificateIssued:
    def build(conn: Connection) -> Command:
        visible_row(user, laurel, conn, nomination_id)
        return make(UUID(nomination_id))

    result = await context.give(build)
    assert isinstance(result, CertificateIssued)
    return result


def _pdf(laurel: Laurel, result: CertificateIssued) -> bytes:
    found = Certificates(laurel.nominations).find(result.certificate_id)
    assert found is not None
    policy = laurel.policies.active(found.issued_at.date())
    return render_certificate(certificate_data(found, policy, laurel.settings.public_base_url),
                              found)


def _public(laurel: Laurel, result: CertificateIssued) -> CertificateIssuedPublic:
    return CertificateIssuedPublic(
        id=str(result.certificate_id), nomination_id=str(result.nomination_id),
        number=result.number, code=result.code,
        verify_url=verify_url(laurel.settings.public_base_url, result.code),
        issued=result.issued)
