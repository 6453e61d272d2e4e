"""Council secretaries and deciders: the inbox, a dossier, a vote, a decision, a whole
meeting's outcome with a summary before it is recorded."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from api import commands
from api.deps import CommandContext, laurel_of, read_models
from api.reads import nominations as nomination_reads
from api.reads import tasks as task_reads
from api.schemas import BulkReviewCreate, DecisionCreate, ReviewCreate
from api.web.catalogue import message
from api.web.session import (
    act_on_form,
    form_command,
    language,
    posted_form,
    refused,
    render,
    signed_in,
)
from domain.commands import Reviewed
from domain.errors import DomainError
from domain.vocabulary import ReviewOutcome, Role

DUE_SOON = timedelta(days=3)

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(request: Request, level: str = "", award: str = "", due: str = "") -> Response:
    user = signed_in(request)
    laurel = laurel_of(request)
    try:
        page = await read_models(
            laurel, lambda conn: task_reads.inbox_page(user, laurel, conn, 200, 0))
    except DomainError as error:
        return refused(request, error, "/ui")
    now = laurel.clock()
    rows: list[dict[str, Any]] = []
    for task in page.items:
        due_at = task.due_at.astimezone(UTC)
        state = "overdue" if task.overdue or due_at < now else (
            "soon" if due_at - now < DUE_SOON else "")
        if (level and task.level != level) or (award and task.award_code != award) or (
                due and state != due):
            continue
        rows.append({"task": task, "due_state": state})
    rows.sort(key=lambda r: (r["due_state"] != "overdue", r["due_state"] != "soon",
                             r["task"].due_at))
    awards = sorted({t.award_code: t.award_name for t in page.items}.items())
    return render(request, "inbox.html", rows=rows, total=page.total, awards=awards,
                  filters={"level": level, "award": award, "due": due})


@router.get("/nominations/{nomination_id}", response_class=HTMLResponse)
async def dossier(request: Request, nomination_id: str) -> Response:
    user = signed_in(request)
    laurel = laurel_of(request)

    def read(conn: Any) -> tuple[Any, Any, dict[str, Any] | None]:
        nomination = nomination_reads.nomination(user, laurel, conn, nomination_id)
        history = nomination_reads.nomination_history(nomination_id, user, laurel, conn)
        return nomination, history, task_reads.acting_task(user, conn, nomination.open_task_id)

    try:
        nomination, history, acting = await read_models(laurel, read)
    except DomainError as error:
        return refused(request, error, "/ui")
    own = Role.PROPOSER in user.roles and nomination.unit_id == user.unit_id
    return render(request, "dossier.html", n=nomination, history=history.items, task=acting,
                  own=own, today=laurel.clock().date().isoformat(), key=str(uuid4()))


def _tally(form: FormData) -> dict[str, int | str]:
    return {k: str(form.get(k, "0")) for k in ("members", "present", "for", "against",
                                                "abstain")}


def _dossier_of(form: FormData) -> str:
    return f"/ui/nominations/{form.get('nomination_id', '')}"


@router.post("/tasks/{task_id}/review", response_class=HTMLResponse)
async def review(request: Request, task_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> object:
        body = ReviewCreate.model_validate({"outcome": form.get("outcome"),
                                            "votes": _tally(form),
                                            "note": str(form.get("note", ""))})
        return await context.give(commands.review(context.user, task_id, body))

    return await act_on_form(request, act, _dossier_of, lambda _: "/ui/inbox")


@router.post("/tasks/{task_id}/decision", response_class=HTMLResponse)
async def decide(request: Request, task_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> object:
        body = DecisionCreate.model_validate({
            "outcome": form.get("outcome"), "decision_number": form.get("decision_number"),
            "decision_date": form.get("decision_date"), "signer": form.get("signer")})
        return await context.give(commands.decide(context.user, task_id, body))

    return await act_on_form(request, act, _dossier_of, lambda _: "/ui/inbox")


@router.post("/meeting/summary", response_class=HTMLResponse)
async def meeting_summary(request: Request) -> Response:
    """A meeting's outcome for the selected tasks: shown in full before it is recorded."""
    user = signed_in(request)
    form = await posted_form(request)
    selected = [str(v) for v in form.getlist("task_id")]
    if not selected:
        return render(request, "error.html", status_code=422,
                      detail=message("meeting.none", language(request)), back="/ui/inbox")
    laurel = laurel_of(request)
    try:
        tasks = await read_models(laurel, lambda conn: [
            task_reads.task_to_act_on(t, user, laurel, conn) for t in selected])
    except DomainError as error:
        return refused(request, error, "/ui/inbox")
    return render(request, "meeting.html", tasks=tasks,
                  outcome=form.get("outcome", ReviewOutcome.APPROVE), votes=_tally(form),
                  key=str(uuid4()))


@router.post("/meeting", response_class=HTMLResponse)
async def meeting(request: Request) -> Response:
    user = signed_in(request)
    form = await posted_form(request)
    votes, outcome = _tally(form), form.get("outcome")
    try:
        body = BulkReviewCreate.model_validate({"items": [
            {"task_id": str(t), "outcome": outcome, "votes": votes}
            for t in form.getlist("task_id")]})
        reviewed = await form_command(request, user, form).give(
            commands.review_list(user, body))
    except (DomainError, ValidationError) as error:
        return refused(request, error, "/ui/inbox")
    assert isinstance(reviewed, Reviewed)
    return render(request, "done.html",
                  text=message("meeting.recorded", language(request),
                               count=len(reviewed.nominations)),
                  back="/ui/inbox")
