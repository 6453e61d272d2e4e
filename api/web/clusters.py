"""Emulation clusters and blocks in the pages: the clusters a unit may see, with the
board's form to define one; a cluster's page — members, pact, criteria, self-assessments,
each step's scores and the ranking — with the forms of whoever acts next; and the ranking
as a printable page. The forms give the same commands as ``/clusters``
(``api.cluster_commands``)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from api import cluster_commands as build
from api import uploads
from api.cluster_schemas import (
    ClusterCreate,
    ClusterPublic,
    CriteriaCreate,
    FlagProposalCreate,
    PactCreate,
    ScoresCreate,
    SelfAssessmentCreate,
)
from api.deps import CommandContext, laurel_of, read_models
from api.reads import clusters as reads
from api.web.session import act_on_form, flash, refused, render, signed_in
from domain.actor import Actor
from domain.commands import ClusterChanged, DocumentStored, UploadDocument
from domain.errors import DomainError, InvalidClusterPoints, InvalidDocument
from domain.vocabulary import Role

router = APIRouter(prefix="/ui", include_in_schema=False)
FRESH_WAIT = 2.0
"""Seconds a page waits for the read models to show the version a form just made."""


@router.get("/clusters", response_class=HTMLResponse)
async def clusters(request: Request, year: str = "") -> Response:
    user, laurel = signed_in(request), laurel_of(request)
    chosen = int(year) if year.strip().isdigit() else None  # the filter's field left empty
    listing = await read_models(laurel, lambda conn: reads.clusters_to_read(
        user, laurel, conn, chosen))
    org = laurel.policy.org
    units = [org.units[u] for u in org.subtree(user.unit_id) if u != user.unit_id]
    return render(request, "clusters.html", listing=listing, year=chosen,
                  may_define=bool(user.roles & {Role.REVIEWER, Role.ADMIN}) and bool(units),
                  units=units, this_year=laurel.clock().year, key=str(uuid4()))


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
async def cluster(request: Request, cluster_id: str, v: int = 0) -> Response:
    user = signed_in(request)
    try:
        c = await _fresh(request, user, cluster_id, v)
    except DomainError as error:
        return refused(request, error, "/ui/clusters")
    return render(request, "cluster.html", c=c, may=_may(user, c), key=str(uuid4()))


@router.get("/clusters/{cluster_id}/ranking", response_class=HTMLResponse)
async def ranking(request: Request, cluster_id: str) -> Response:
    user = signed_in(request)
    try:
        c = await _fresh(request, user, cluster_id, 0)
    except DomainError as error:
        return refused(request, error, "/ui/clusters")
    return render(request, "cluster_ranking.html", c=c)


async def _fresh(request: Request, user: Actor, cluster_id: str, version: int) -> ClusterPublic:
    """The cluster as the read models show it, once they show ``version`` (or after
    ``FRESH_WAIT``: then as they are)."""
    laurel = laurel_of(request)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FRESH_WAIT
    while True:
        try:
            c = await read_models(laurel, lambda conn: reads.cluster_to_read(
                user, laurel, conn, cluster_id))
        except DomainError:
            if not version or loop.time() > deadline:
                raise
        else:
            if c.version >= version or loop.time() > deadline:
                return c
        await asyncio.sleep(0.05)


def _may(user: Actor, c: ClusterPublic) -> dict[str, bool]:
    """Which forms the page offers ``user`` (the commands check again)."""
    leader = user.unit_id == c.leader and bool(user.roles & {Role.PROPOSER, Role.REVIEWER})
    board = user.unit_id == c.board and Role.REVIEWER in user.roles
    all_assessed = all(m.self_points is not None for m in c.members)
    return {
        "pact": leader and c.status == "defined",
        "criteria": leader and c.status == "pact_signed",
        "assess": (Role.PROPOSER in user.roles and user.unit_id in {m.unit_id for m in c.members}
                   and c.status == "assessing"),
        "score": all_assessed and c.status in ("assessing", "scoring") and (
            (c.next_step == "leader" and leader) or (c.next_step == "board" and board)),
        "rank": board and c.status == "scored",
        "flag": (user.unit_id == c.leader and Role.PROPOSER in user.roles
                 and c.status == "ranked"),
    }


async def _then(request: Request, changed: Any, key: str) -> str:
    assert isinstance(changed, ClusterChanged)
    flash(request, key)
    return f"/ui/clusters/{changed.cluster_id}?v={changed.version}"


def _back(cluster_id: str) -> Any:
    return lambda _: f"/ui/clusters/{cluster_id}"


@router.post("/clusters", response_class=HTMLResponse)
async def define(request: Request) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        body = ClusterCreate.model_validate({
            "code": form.get("code", ""), "name": form.get("name", ""),
            "kind": form.get("kind", ""), "year": form.get("year", ""),
            "members": form.getlist("members"), "leader": form.get("leader", "")})
        return await _then(request, await context.give(build.define(body)),
                           "flash.cluster_defined")

    return await act_on_form(request, act, lambda _: "/ui/clusters")


@router.post("/clusters/{cluster_id}/pact", response_class=HTMLResponse)
async def pact(request: Request, cluster_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        document_id = await _stored(context, form.get("file"))
        body = PactCreate.model_validate({"document_id": document_id,
                                          "signed_on": form.get("signed_on", "")})
        return await _then(request, await context.give(build.sign_pact(cluster_id, body)),
                           "flash.cluster_pact")

    return await act_on_form(request, act, _back(cluster_id))


@router.post("/clusters/{cluster_id}/criteria", response_class=HTMLResponse)
async def criteria(request: Request, cluster_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        body = CriteriaCreate.model_validate({"criteria": _criteria_lines(
            str(form.get("criteria", "")))})
        return await _then(request, await context.give(
            build.publish_criteria(cluster_id, body)), "flash.cluster_criteria")

    return await act_on_form(request, act, _back(cluster_id))


@router.post("/clusters/{cluster_id}/self-assessments", response_class=HTMLResponse)
async def self_assess(request: Request, cluster_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        codes = form.getlist("criterion")
        items = []
        for code in codes:
            evidence = await _stored(context, form.get(f"file.{code}"), required=False)
            items.append({"criterion": code, "points": form.get(f"points.{code}", ""),
                          "note": form.get(f"note.{code}", ""),
                          "evidence": [evidence] if evidence else []})
        body = SelfAssessmentCreate.model_validate({"items": items})
        return await _then(request, await context.give(build.self_assess(cluster_id, body)),
                           "flash.cluster_assessed")

    return await act_on_form(request, act, _back(cluster_id))


@router.post("/clusters/{cluster_id}/scores", response_class=HTMLResponse)
async def score(request: Request, cluster_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        points: dict[str, dict[str, Any]] = {}
        for name, value in form.multi_items():
            if name.startswith("points.") and isinstance(value, str):
                unit_id, _, code = name.removeprefix("points.").rpartition(".")
                points.setdefault(unit_id, {})[code] = value
        body = ScoresCreate.model_validate({"points": points, "step": form.get("step", ""),
                                            "note": form.get("note", "")})
        return await _then(request, await context.give(build.score(cluster_id, body)),
                           "flash.cluster_scored")

    return await act_on_form(request, act, _back(cluster_id))


@router.post("/clusters/{cluster_id}/ranking", response_class=HTMLResponse)
async def publish_ranking(request: Request, cluster_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        return await _then(request, await context.give(build.publish_ranking(cluster_id)),
                           "flash.cluster_ranked")

    return await act_on_form(request, act, _back(cluster_id))


@router.post("/clusters/{cluster_id}/flag-proposal", response_class=HTMLResponse)
async def propose_flag(request: Request, cluster_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        body = FlagProposalCreate.model_validate({
            "achievements": form.get("achievements", "")})
        changed = await context.give(build.propose_flag(cluster_id, body))
        assert isinstance(changed, ClusterChanged)
        flash(request, "flash.cluster_flag", href=f"/ui/nominations/{changed.nomination_id}")
        return f"/ui/clusters/{changed.cluster_id}?v={changed.version}"

    return await act_on_form(request, act, _back(cluster_id))


def _criteria_lines(text: str) -> list[dict[str, str]]:
    """One criterion a line: ``code | name | max points``."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise InvalidClusterPoints(
                f"Line {number}: write a criterion as code | name | max points",
                vi=f"Dòng {number}: ghi mỗi tiêu chí theo mẫu mã | tên | điểm tối đa")
        found.append({"code": parts[0], "name": parts[1],
                      "max_points": parts[2].replace(",", ".")})
    return found


async def _stored(context: CommandContext, file: object, required: bool = True) -> str:
    """A file chosen in the form, stored and recorded as a document of the unit: its id
    ("" for none, where none is required)."""
    if not isinstance(file, UploadFile) or not file.filename:
        if required:
            raise InvalidDocument("Choose the signed pact's file",
                                  vi="Hãy chọn tệp giao ước đã ký")
        return ""
    laurel = context.laurel
    try:
        received = await uploads.keep_form_file(file, laurel.files,
                                                laurel.settings.max_upload_bytes)
    except uploads.UploadRefused as refusal:
        raise InvalidDocument(refusal.detail, vi=refusal.detail_vi) from None
    stored = await CommandContext(context.user, laurel).give(UploadDocument(
        received.stored.sha256, received.stored.size, received.media_type,
        received.filename))
    assert isinstance(stored, DocumentStored)
    return str(stored.document_id)
