"""A council meeting's outcome for many nominations at once: summed up before it is
recorded, one row per nominee with whether they meet the award's conditions and how full
the unit's quota would be with the meeting's approvals counted in the order listed (as
the list is recorded), each row with its own reason to approve despite a failed rule. A
list refused for one nominee records nothing and comes back naming that nominee and why
(the count that a quota would exceed)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from api import commands
from api.deps import laurel_of, read_models
from api.reads import checklist as checklist_reads
from api.reads import nominations as nomination_reads
from api.reads import tasks as task_reads
from api.schemas import BulkReviewCreate, ReviewCreate, TaskPublic
from api.web.catalogue import message
from api.web.eligibility import ShownChecklist, shown
from api.web.session import (
    PageRefusal,
    Words,
    failed_checks,
    flash,
    form_command,
    language,
    posted_form,
    refused,
    remember_acted,
    render,
    see,
    signed_in,
)
from api.web.session import (
    shown as shown_in_reads,
)
from domain.actor import Actor
from domain.commands import Reviewed
from domain.errors import BulkItemRefused, DomainError, NotEligible
from domain.vocabulary import ReviewOutcome

TALLY = ("members", "present", "for", "against", "abstain")

router = APIRouter(prefix="/ui", include_in_schema=False)


def _tally(form: FormData) -> dict[str, str]:
    return {k: str(form.get(k, "")).strip() for k in TALLY}


def _overrides(form: FormData, selected: list[str]) -> dict[str, str]:
    return {t: str(form.get(f"override_{t}", "")).strip() for t in selected}


async def _meeting_page(request: Request, user: Actor, selected: list[str], outcome: str,
                        votes: dict[str, str], overrides: dict[str, str],
                        refusal: list[str] | None = None,
                        status_code: int = 200) -> HTMLResponse:
    """The summary: each selected task with its nominee's checklist as the meeting would
    leave it."""
    laurel = laurel_of(request)

    def read(conn: Any) -> tuple[list[TaskPublic], list[dict[str, Any]]]:
        tasks = [task_reads.task_to_act_on(t, user, laurel, conn) for t in selected]
        rows = [nomination_reads.visible_row(user, laurel, conn, t.nomination_id)
                for t in tasks]
        return tasks, rows

    tasks, rows = await read_models(laurel, read)
    found = await asyncio.to_thread(checklist_reads.for_meeting, laurel, rows,
                                    outcome == ReviewOutcome.APPROVE, laurel.clock())
    words = Words(laurel, language(request))
    checks: list[ShownChecklist | None] = [shown(c, words) if c is not None else None
                                           for c in found]
    return render(request, "meeting.html", status_code=status_code,
                  items=list(zip(tasks, checks, strict=True)), tasks=tasks, outcome=outcome,
                  votes=votes, overrides=overrides, refusal=refusal or [], key=str(uuid4()),
                  approving=outcome == ReviewOutcome.APPROVE)


@router.post("/meeting/summary", response_class=HTMLResponse)
async def meeting_summary(request: Request) -> Response:
    """A meeting's outcome for the selected tasks: shown in full before it is recorded."""
    user = signed_in(request)
    form = await posted_form(request)
    selected = [str(v) for v in form.getlist("task_id")]
    if not selected:
        return refused(request, PageRefusal("meeting.none"), "/ui/inbox")
    outcome = str(form.get("outcome", ""))
    try:
        ReviewCreate.model_validate({"outcome": outcome, "votes": _tally(form)})
        return await _meeting_page(request, user, selected, outcome, _tally(form),
                                   _overrides(form, selected))
    except (DomainError, ValidationError) as error:
        return refused(request, error, "/ui/inbox")


@router.post("/meeting", response_class=HTMLResponse)
async def meeting(request: Request) -> Response:
    user = signed_in(request)
    form = await posted_form(request)
    votes, outcome = _tally(form), str(form.get("outcome", ""))
    selected = [str(t) for t in form.getlist("task_id")]
    overrides = _overrides(form, selected)
    try:
        body = BulkReviewCreate.model_validate({"items": [
            {"task_id": t, "outcome": outcome, "votes": votes,
             "override_reason": overrides[t]} for t in selected]})
        reviewed = await form_command(request, user, form).give(
            commands.review_list(user, body))
    except BulkItemRefused as error:
        if not isinstance(error.error, NotEligible) or not 0 <= error.index < len(selected):
            return refused(request, error, "/ui/inbox")
        return await _refused_meeting(request, user, selected, outcome, votes, overrides,
                                      error)
    except (DomainError, ValidationError) as error:
        return refused(request, error, "/ui/inbox")
    assert isinstance(reviewed, Reviewed)
    caught_up = await shown_in_reads(request, reviewed.nominations)
    if not caught_up:
        remember_acted(request, selected)
    flash(request, "flash.meeting", {"count": len(reviewed.nominations)},
          lagging=not caught_up)
    return see("/ui/inbox")


async def _refused_meeting(request: Request, user: Actor, selected: list[str], outcome: str,
                           votes: dict[str, str], overrides: dict[str, str],
                           error: BulkItemRefused) -> HTMLResponse:
    """The summary again, nothing recorded, naming the nominee refused and why."""
    lang = language(request)
    laurel = laurel_of(request)
    task = await read_models(laurel, lambda conn: task_reads.task_to_act_on(
        selected[error.index], user, laurel, conn))
    said = [message("meeting.refused", lang, n=error.index + 1, name=task.nominee_name),
            *failed_checks(error, lang), message("meeting.refused_hint", lang)]
    return await _meeting_page(request, user, selected, outcome, votes, overrides,
                               refusal=said, status_code=422)
