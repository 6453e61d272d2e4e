"""The public's pages of results, no account needed: a certificate's verification
(``/verify/{code}``, where its QR code leads: JSON for ``Accept: application/json``, a
browser sent on to ``/ui/verify/{code}``, inside the pages' session) and the register of
results (``/ui/register``). Vietnamese first, English on the switch.

The verification reads the event store, not a read model: a revocation shows the moment
it is recorded. It is throttled as tracking look-ups are, per client address (a code is
80 random bits: there is nothing to guess, but nothing to hammer either).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from api.certificates.schemas import VerificationPublic
from api.certificates.verification import verification
from api.deps import LaurelDep, PageNumber, laurel_of, read_models
from api.problems import PROBLEM_RESPONSES, THROTTLED_RESPONSES, TooManyRequests
from api.reads.public_register import public_awards
from api.throttle import client_of, throttles_of
from api.web.register_words import said
from api.web.session import language, offset_of, page_number, pager, render
from domain.certificate import normalised_code
from domain.errors import NotFound
from infrastructure.proofs import SignedCheckpoints

router = APIRouter()
REGISTER_PAGE = 50
HTML_TOO: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}},
                  "description": "The page, for a browser (any Accept but JSON)"}}


def checkpoints_of(request: Request) -> SignedCheckpoints:
    """The process's reader of the auditor's checkpoints (kept: it caches the file)."""
    found: SignedCheckpoints | None = getattr(request.app.state, "signed_checkpoints", None)
    if found is None:
        found = SignedCheckpoints(laurel_of(request).settings)
        request.app.state.signed_checkpoints = found
    return found


def wants_page(request: Request) -> bool:
    """A browser (a phone that read the QR code) asks for HTML and is sent on to the page;
    any other client, whatever it accepts, gets JSON."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


@router.get("/verify/{code}", tags=["tracking"], response_model=VerificationPublic,
            responses={**PROBLEM_RESPONSES, **THROTTLED_RESPONSES, **HTML_TOO})
async def verify(code: str, request: Request, laurel: LaurelDep) -> Response:
    """Verify a certificate by its code (printed on it, and in its QR code), without an
    account: who received which award by which decision; `state` `valid`, `revoked` (the
    award was revoked since) or `replaced` (a new certificate was issued for a lost one,
    `replaced_by` its number); and the proof — the hash of the award's `Decided` event and
    of the certificate's issue, each with its link in the hash chain, and the latest
    auditor-signed checkpoint covering them. JSON, but for a browser (`Accept: text/html`),
    which is sent on to the page (`/ui/verify/{code}`). Limited per client address (429
    with `Retry-After`)."""
    if wants_page(request):
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/ui/verify/{quote(code, safe='')}{query}", status_code=303)
    throttles_of(request).lookup(client_of(request), f"verify {normalised_code(code)}")
    found = await asyncio.to_thread(verification, laurel, code, checkpoints_of(request))
    return JSONResponse(VerificationPublic.model_validate(found).model_dump(mode="json"))


@router.get("/ui/verify/{code}", response_class=HTMLResponse, include_in_schema=False)
async def verify_page(code: str, request: Request) -> Response:
    """The verification as a page, in the reader's language: a revoked award says so
    first, in red, before anything else."""
    laurel = laurel_of(request)
    r = said(language(request))
    try:
        throttles_of(request).lookup(client_of(request), f"verify {normalised_code(code)}")
        found = await asyncio.to_thread(verification, laurel, code, checkpoints_of(request))
    except (NotFound, TooManyRequests) as error:
        status = 404 if isinstance(error, NotFound) else 429
        return render(request, "verify.html", status_code=status, found=None, code=code,
                      throttled=status == 429, r=r)
    return render(request, "verify.html", found=found, code=found["code"], throttled=False,
                  r=r)


@router.get("/ui/register", response_class=HTMLResponse, include_in_schema=False)
async def register(
    request: Request, page: PageNumber = 1, year: Annotated[str, Query(max_length=4)] = "",
    unit: Annotated[str, Query(max_length=120)] = "",
    award: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    """The register of results as provinces publish it: awards decided, by year, unit and
    award; revoked ones marked."""
    laurel = laurel_of(request)
    chosen_year = int(year) if year.isdigit() else None
    listing = await read_models(laurel, lambda conn: public_awards(
        laurel, conn, year=chosen_year, unit=unit or None, award=award or None,
        limit=REGISTER_PAGE, offset=offset_of(page, REGISTER_PAGE)))
    policy = laurel.policy
    choices: dict[str, Any] = {
        "units": sorted(((u.id, u.name) for u in policy.org.units.values()),
                        key=lambda u: u[1]),
        "awards": [(a.code, a.name) for a in policy.awards.values()]}
    return render(request, "register.html", listing=listing, year=year, unit=unit,
                  award=award, choices=choices, r=said(language(request)),
                  pages=pager(request, page_number(page), REGISTER_PAGE, listing.total))
