"""A council meeting's outcome for many nominations at once: summed up before it is
recorded, one row per nominee with whether they meet the award's conditions and how full
the unit's quota would be with the meeting's approvals counted in the order listed (as
the list is recorded), each row with its own outcome and tally (the inbox's are the
first values of every row) and its own reason to approve despite a failed rule. Where
the council has a roster (``domain.ballot``), a row's members come from it, shown, not
typed, with the members who step aside from that nomination named; the roster is shown
above the list. A list refused for one nominee records nothing and comes back with
everything typed, naming that nominee and why (the count that a quota would exceed)."""

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
from api.problems import localized
from api.reads import checklist as checklist_reads
from api.reads import councils as council_reads
from api.reads import nominations as nomination_reads
from api.reads import tasks as task_reads
from api.schemas import BulkReviewCreate, BulkReviewItem, ReviewCreate, TaskPublic
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
from domain.ballot import Ballot, ballot_for
from domain.commands import Reviewed
from domain.errors import BulkItemRefused, DomainError, NotEligible
from domain.vocabulary import ReviewOutcome

TALLY = ("members", "present", "for", "against", "abstain", "written_for",
         "written_against")
OPTIONAL = ("members", "written_for", "written_against")
"""Left out when empty: members come from a roster, and written opinions are rare."""

router = APIRouter(prefix="/ui", include_in_schema=False)


def _tally(form: FormData, suffix: str = "",
           shared: dict[str, str] | None = None) -> dict[str, str]:
    """The tally typed (a row's, ``suffix`` ``_<task id>``): a field the row does not
    have is the meeting's (``shared``)."""
    def typed(k: str) -> str:
        if shared is not None and f"{k}{suffix}" not in form:
            return shared.get(k, "")
        return str(form.get(f"{k}{suffix}", "")).strip()

    return {k: typed(k) for k in TALLY}


def _rows_typed(form: FormData, selected: list[str]) -> dict[str, dict[str, str]]:
    """Each row's outcome and tally as typed (the meeting's where the row has none)."""
    shared = {**_tally(form), "outcome": str(form.get("outcome", "")).strip()}
    rows = {}
    for t in selected:
        row = _tally(form, f"_{t}", shared)
        row["outcome"] = (str(form.get(f"outcome_{t}", "")).strip()
                          if f"outcome_{t}" in form else shared["outcome"])
        rows[t] = row
    return rows


def _given(votes: dict[str, str], roster: bool) -> dict[str, str]:
    """The tally to validate: what is empty and may be is left out, and so are members
    typed where the roster gives them (the page shows, not asks, them)."""
    return {k: v for k, v in votes.items() if k in TALLY
            and not (k in OPTIONAL and (v == "" or (k == "members" and roster)))}


def _overrides(form: FormData, selected: list[str]) -> dict[str, str]:
    return {t: str(form.get(f"override_{t}", "")).strip() for t in selected}


def _ballots(laurel: Any, tasks: list[TaskPublic],
             rows: list[dict[str, Any]]) -> list[Ballot | None]:
    """The roster's ballot of each row's council on its nomination (None: no roster)."""
    policy, now = laurel.policy, laurel.clock()
    found: list[Ballot | None] = []
    for task, row in zip(tasks, rows, strict=True):
        council = council_reads.sitting(policy, task.unit_id, now)
        found.append(None if council is None else ballot_for(
            council, str(row.get("person_id") or ""), str(row.get("proposer") or "")))
    return found


async def _meeting_page(request: Request, user: Actor, selected: list[str],
                        typed: dict[str, dict[str, str]], overrides: dict[str, str],
                        refusal: list[str] | None = None, refused_task: str = "",
                        status_code: int = 200) -> HTMLResponse:
    """The summary: each selected task with its nominee's checklist as the meeting would
    leave it, its outcome and tally to check or change, and its council's roster."""
    laurel = laurel_of(request)

    def read(conn: Any) -> tuple[list[TaskPublic], list[dict[str, Any]]]:
        tasks = [task_reads.task_to_act_on(t, user, laurel, conn) for t in selected]
        rows = [nomination_reads.visible_row(user, laurel, conn, t.nomination_id)
                for t in tasks]
        return tasks, rows

    tasks, rows = await read_models(laurel, read)
    approves = [typed.get(task.id, {}).get("outcome") == ReviewOutcome.APPROVE
                for task in tasks]
    found = await asyncio.to_thread(checklist_reads.for_meeting, laurel, rows,
                                    approves, laurel.clock())
    lang = language(request)
    words = Words(laurel, lang)
    checks: list[ShownChecklist | None] = [shown(c, words) if c is not None else None
                                           for c in found]
    ballots = _ballots(laurel, tasks, rows)
    councils = {b.council.unit_id: council_reads.roster(b.council)
                for b in ballots if b is not None}
    items = [{"task": task, "check": check, "votes": typed.get(task.id, {}),
              "ballot": ballot, "refused": task.id == refused_task,
              "recused": [r.said(lang) for r in ballot.recused] if ballot else []}
             for task, check, ballot in zip(tasks, checks, ballots, strict=True)]
    return render(request, "meeting.html", status_code=status_code, items=items,
                  tasks=tasks, overrides=overrides, refusal=refusal or [],
                  key=str(uuid4()), approving=any(approves), councils=councils,
                  tally_fields=TALLY[1:])


@router.post("/meeting/summary", response_class=HTMLResponse)
async def meeting_summary(request: Request) -> Response:
    """A meeting's outcome for the selected tasks: shown in full before it is recorded,
    every row starting from the outcome and tally given with the selection."""
    user = signed_in(request)
    form = await posted_form(request)
    selected = [str(v) for v in form.getlist("task_id")]
    if not selected:
        return refused(request, PageRefusal("meeting.none"), "/ui/inbox")
    typed = _rows_typed(form, selected)
    try:
        for votes in typed.values():
            ReviewCreate.model_validate({"outcome": votes["outcome"],
                                         "votes": _given(votes, roster=True)})
        return await _meeting_page(request, user, selected, typed,
                                   _overrides(form, selected))
    except (DomainError, ValidationError) as error:
        return refused(request, error, "/ui/inbox")


@router.post("/meeting", response_class=HTMLResponse)
async def meeting(request: Request) -> Response:
    """Every row recorded in one list, each with its own outcome and tally; a row the
    list refuses brings the summary back as typed, naming its nominee and why."""
    user = signed_in(request)
    form = await posted_form(request)
    selected = [str(t) for t in form.getlist("task_id")]
    typed = _rows_typed(form, selected)
    overrides = _overrides(form, selected)
    items = []
    try:
        at_roster = await _at_roster(request, user, selected)
        for i, t in enumerate(selected):
            votes = typed[t]
            try:
                items.append(BulkReviewItem.model_validate({
                    "task_id": t, "outcome": votes["outcome"],
                    "votes": _given(votes, at_roster.get(t, False)),
                    "override_reason": overrides[t]}))
            except ValidationError as error:
                return await _refused_row(request, user, selected, typed, overrides, i,
                                          [localized(error, language(request))[1]])
        body = BulkReviewCreate(items=items)
        reviewed = await form_command(request, user, form).give(
            commands.review_list(user, body))
    except BulkItemRefused as error:
        if not 0 <= error.index < len(selected):
            return refused(request, error, "/ui/inbox")
        return await _refused_meeting(request, user, selected, typed, overrides, error)
    except (DomainError, ValidationError) as error:
        return refused(request, error, "/ui/inbox")
    assert isinstance(reviewed, Reviewed)
    caught_up = await shown_in_reads(request, reviewed.nominations)
    if not caught_up:
        remember_acted(request, selected)
    flash(request, "flash.meeting", {"count": len(reviewed.nominations)},
          lagging=not caught_up)
    return see("/ui/inbox")


async def _at_roster(request: Request, user: Actor, selected: list[str]) -> dict[str, bool]:
    """Whether each task's council has a roster today (its members are not typed)."""
    laurel = laurel_of(request)
    tasks = await read_models(laurel, lambda conn: [
        task_reads.task_to_act_on(t, user, laurel, conn) for t in selected])
    policy, now = laurel.policy, laurel.clock()
    return {t.id: council_reads.sitting(policy, t.unit_id, now) is not None for t in tasks}


async def _refused_meeting(request: Request, user: Actor, selected: list[str],
                           typed: dict[str, dict[str, str]], overrides: dict[str, str],
                           error: BulkItemRefused) -> HTMLResponse:
    """The summary again, nothing recorded, naming the nominee refused and why."""
    lang = language(request)
    if isinstance(error.error, NotEligible):
        return await _refused_row(request, user, selected, typed, overrides, error.index,
                                  failed_checks(error, lang), eligibility=True)
    return await _refused_row(request, user, selected, typed, overrides, error.index,
                              [error.error.in_language(lang)[1]])


async def _refused_row(request: Request, user: Actor, selected: list[str],
                       typed: dict[str, dict[str, str]], overrides: dict[str, str],
                       index: int, why: list[str], eligibility: bool = False) -> HTMLResponse:
    lang = language(request)
    laurel = laurel_of(request)
    task = await read_models(laurel, lambda conn: task_reads.task_to_act_on(
        selected[index], user, laurel, conn))
    said = [message("meeting.refused" if eligibility else "meeting.row_refused", lang,
                    n=index + 1, name=task.nominee_name), *why,
            message("meeting.refused_hint" if eligibility else "meeting.row_refused_hint",
                    lang)]
    return await _meeting_page(request, user, selected, typed, overrides, refusal=said,
                               refused_task=task.id, status_code=422)
