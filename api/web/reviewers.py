"""Council secretaries, deciders and the commendation board: the inbox, a dossier, a vote,
a decision, a whole meeting's outcome with a summary before it is recorded, an
objection's verification, and many objections dismissed at once (a flood, as abuse).
Each command goes on to a page that shows what it did (post/redirect/get, with a message
shown once)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.engine import Connection
from starlette.datastructures import FormData

from api import commands, decision_commands, labels
from api.deps import CommandContext, PageNumber, laurel_of, read_models
from api.level_schemas import AppraisalCreate, ConsultationAnswerCreate, SignOffCreate
from api.reads import councils as council_reads
from api.reads import dossier as dossier_reads
from api.reads import nominations as nomination_reads
from api.reads import tasks as task_reads
from api.reads import worklist
from api.schemas import (
    DecisionCreate,
    ObjectionDismissalCreate,
    ObjectionResolutionCreate,
    ReviewCreate,
    TaskAssignmentCreate,
    TasksPublic,
)
from api.web.accounts import Account
from api.web.eligibility import checklist_of
from api.web.meeting import OPTIONAL, TALLY
from api.web.session import (
    PageRefusal,
    accounts_of,
    act_on_form,
    acted,
    flash,
    forget_acted,
    form_day,
    offset_of,
    page_number,
    pager,
    refused,
    remember_acted,
    render,
    shown,
    signed_in,
)
from domain.commands import Changed, DecisionRecorded, Delegate, DelegationRecorded, Dismissed
from domain.errors import DomainError
from domain.nomination import DEFAULT_ZONE
from domain.vocabulary import COMMENDATION_TYPE_NAMES, Role

PAGE_SIZE = 50
router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(request: Request, level: str = "", award: str = "", due: str = "",
                q: str = "", page: PageNumber = 1, assignee: str = "") -> Response:
    """The unit's open tasks, the most urgent first, 50 to a page. Tasks this person
    just acted on are left out even before the read models catch up (see
    ``session.shown``)."""
    user = signed_in(request)
    laurel = laurel_of(request)
    now = laurel.clock()
    hidden = acted(request)
    held_by = (task_reads.holders(assignee[:120], user,
                                  laurel.nominations.delegators_of(user, now))
               if assignee else None)

    def read(conn: Connection) -> tuple[TasksPublic, list[str]]:
        listing = worklist.inbox_listing(
            user, laurel, conn, PAGE_SIZE, offset_of(page, PAGE_SIZE), now=now,
            level=level, award=award, due=due, hidden=hidden,
            q=q.strip()[:task_reads.QUERY_MAX_LENGTH] or None, held_by=held_by)
        return listing, worklist.still_open(conn, hidden)

    try:
        listing, lagging = await read_models(laurel, read)
    except DomainError as error:
        return refused(request, error, "/ui")
    if lagging != hidden:  # the read models caught up with some: no need to hide them
        forget_acted(request, lagging)
    people = _accounts(request)
    names = {a.username: a.name for a in people}
    # The event store's read, off the event loop.
    delegations = await asyncio.to_thread(laurel.nominations.delegations, user.unit_id)
    rows = [{"task": t, "due_state": worklist.due_state(t.due_at, t.overdue, now),
             "holder": names.get(t.assignee, t.assignee) if t.assignee else "",
             "held_days": (now - t.assigned_at).days if t.assigned_at else 0}
            for t in listing.items]
    policy = laurel.policy
    return render(request, "inbox.html", rows=rows, total=listing.total,
                  pages=pager(request, page_number(page), PAGE_SIZE, listing.total),
                  awards=[(code, labels.award_name(policy, code)) for code in policy.awards],
                  levels=[*policy.levels, "central"],
                  filters={"level": level, "award": award, "due": due, "q": q,
                           "assignee": assignee}, search=True,
                  key=str(uuid4()),
                  # The meeting's tally: the unit's council gives its members, if it has a
                  # roster (each row's own are shown on the summary, those who step aside
                  # left out).
                  roster=council_reads.sitting(policy, user.unit_id, now),
                  # The unit's head gives tasks to anyone of the unit, and records anyone's
                  # delegation; the others claim tasks and delegate their own.
                  may_assign=bool({Role.DECIDER, Role.ADMIN} & user.roles),
                  colleagues=sorted(((a.username, a.name) for a in people
                                     if a.unit_id == user.unit_id
                                     and {Role.REVIEWER, Role.DECIDER} & set(a.roles)),
                                    key=lambda p: p[1]),
                  delegations=[{"delegator": names.get(d.delegator, d.delegator),
                                "delegate": names.get(d.delegate, d.delegate),
                                "until": d.until}
                               for d in (delegations.current(now) if delegations else [])])


def _accounts(request: Request) -> list[Account]:
    """The local accounts (none with another sign-in)."""
    try:
        return list(accounts_of(request)._load().values())
    except (OSError, ValueError, TypeError):
        return []


def _account_names(request: Request) -> dict[str, str]:
    """Usernames → the names of the local accounts."""
    return {a.username: a.name for a in _accounts(request)}


@router.post("/tasks/{task_id}/assign", response_class=HTMLResponse)
async def claim(request: Request, task_id: str) -> Response:
    """Claim a task from the inbox (someone else's: refused, naming who holds it), or, as
    the unit's head, give it to the person chosen on its row."""
    async def act(context: CommandContext, form: FormData) -> str:
        assignee = str(form.get(f"assignee-{task_id}", "")).strip() or None
        body = TaskAssignmentCreate.model_validate({"assignee": assignee})
        changed = await context.give(commands.assign(context.user, task_id, body))
        assert isinstance(changed, Changed)
        await shown(request, [changed])
        name = await _name_of(request, changed.nomination_id)
        if assignee and assignee != context.user.id:
            flash(request, "flash.assigned", {
                "name": name, "person": _account_names(request).get(assignee, assignee)},
                href=f"/ui/nominations/{changed.nomination_id}")
        else:
            flash(request, "flash.claimed", {"name": name},
                  href=f"/ui/nominations/{changed.nomination_id}")
        return "/ui/inbox"

    return await act_on_form(request, act, lambda _: "/ui/inbox")


@router.post("/delegations", response_class=HTMLResponse)
async def delegate(request: Request) -> Response:
    """Record a delegation while away: one's own, or, as the unit's head, anyone's; until
    the end of the day chosen (Vietnam's time)."""
    async def act(context: CommandContext, form: FormData) -> str:
        last_day = date.fromisoformat(form_day(form, "until"))
        until = datetime.combine(last_day + timedelta(days=1), time(), DEFAULT_ZONE)
        recorded = await context.give(Delegate(str(form.get("delegate", "")).strip(), until,
                                               str(form.get("delegator", "")).strip()))
        assert isinstance(recorded, DelegationRecorded)
        names = _account_names(request)
        flash(request, "flash.delegated", {
            "delegator": names.get(recorded.delegator, recorded.delegator),
            "delegate": names.get(recorded.delegate, recorded.delegate),
            "until": last_day.strftime("%d/%m/%Y")})
        return "/ui/inbox"

    return await act_on_form(request, act, lambda _: "/ui/inbox")


@router.get("/nominations/{nomination_id}", response_class=HTMLResponse)
async def dossier(request: Request, nomination_id: str) -> Response:
    user = signed_in(request)
    laurel = laurel_of(request)
    try:
        found, row = await read_models(laurel, lambda conn: (
            dossier_reads.dossier(user, laurel, conn, nomination_id),
            nomination_reads.visible_row(user, laurel, conn, nomination_id)))
    except DomainError as error:
        return refused(request, error, "/ui")
    n = found.nomination
    own = Role.PROPOSER in user.roles and n.unit_id == user.unit_id
    policy = laurel.policies.version(n.policy_version)
    proposed = policy.awards.get(n.award_code)
    lower_forms = [(code, labels.award_name(policy, code))
                   for code in (policy.lower_forms_for(n.award_code, n.nominee.kind)
                                if proposed else ())]
    level_unit = found.task["unit_id"] if found.task else ""
    roster = (council_reads.sitting(laurel.policy, level_unit, laurel.clock())
              if found.task and found.task["kind"] == "review" else None)
    return render(request, "dossier.html", d=found, n=n, task=found.task, own=own,
                  today=laurel.clock(), key=str(uuid4()), year=row.get("year"), me=user.id,
                  roster=roster, commendation_types=COMMENDATION_TYPE_NAMES,
                  appraisal_head=policy.org.get(level_unit).head
                  if level_unit in policy.org.units else "",
                  checks=await checklist_of(request, row),
                  return_reasons=[(code, {"vi": label.vi, "en": label.en})
                                  for code, label in policy.return_reasons.items()],
                  lower_forms=lower_forms)


def _tally(form: FormData) -> dict[str, str]:
    """The council's tally as typed, the members left out where a roster gives them
    (and written opinions where none were typed)."""
    typed = {k: str(form.get(k, "")).strip() for k in TALLY}
    return {k: v for k, v in typed.items() if not (k in OPTIONAL and v == "")}


def _dossier_of(form: FormData) -> str:
    return f"/ui/nominations/{form.get('nomination_id', '')}"


async def _name_of(request: Request, nomination_id: object) -> str:
    user, laurel = signed_in(request), laurel_of(request)
    row = await read_models(laurel, lambda conn: nomination_reads.visible_row(
        user, laurel, conn, str(nomination_id)))
    return str(row["nominee_name"])


async def _done_with_task(request: Request, key: str, task_id: str, changed: Changed) -> str:
    """After a vote or a decision: the inbox, without the task, saying what it left."""
    caught_up = await shown(request, [changed])
    if not caught_up:
        remember_acted(request, [task_id])
    flash(request, key, {"name": await _name_of(request, changed.nomination_id)},
          status=changed.status, href=f"/ui/nominations/{changed.nomination_id}",
          lagging=not caught_up)
    return "/ui/inbox"


@router.post("/tasks/{task_id}/review", response_class=HTMLResponse)
async def review(request: Request, task_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        body = ReviewCreate.model_validate({"outcome": form.get("outcome"),
                                            "votes": _tally(form),
                                            "note": str(form.get("note", "")),
                                            "override_reason": str(form.get(
                                                "override_reason", "")),
                                            "return_reason": str(form.get(
                                                "return_reason", ""))})
        changed = await context.give(commands.review(context.user, task_id, body))
        assert isinstance(changed, Changed)
        return await _done_with_task(request, "flash.reviewed", task_id, changed)

    return await act_on_form(request, act, _dossier_of)


@router.post("/tasks/{task_id}/appraisal", response_class=HTMLResponse)
async def appraise(request: Request, task_id: str) -> Response:
    """The specialist's appraisal, from the dossier's form: each rule listed is confirmed
    when its box is ticked, disputed otherwise."""
    async def act(context: CommandContext, form: FormData) -> str:
        confirmed = set(form.getlist("confirmed"))
        body = AppraisalCreate.model_validate({
            "conclusion": form.get("conclusion"),
            "documents_complete": form.get("documents_complete") == "true",
            "checks": [{"rule": rule, "confirmed": rule in confirmed}
                       for rule in form.getlist("rule")],
            "lower_award": str(form.get("lower_award", "")),
            "note": str(form.get("note", ""))})
        changed = await context.give(commands.appraise(context.user, task_id, body))
        assert isinstance(changed, Changed)
        return await _back_to_dossier(request, "flash.appraised", changed)

    return await act_on_form(request, act, _dossier_of)


@router.post("/tasks/{task_id}/sign-off", response_class=HTMLResponse)
async def sign_off(request: Request, task_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        body = SignOffCreate.model_validate({"agreed": form.get("agreed") == "true",
                                             "note": str(form.get("note", ""))})
        changed = await context.give(commands.sign_off(context.user, task_id, body))
        assert isinstance(changed, Changed)
        return await _done_with_task(request, "flash.signed_off", task_id, changed)

    return await act_on_form(request, act, _dossier_of)


@router.post("/tasks/{task_id}/consultations/{agency}", response_class=HTMLResponse)
async def answer_consultation(request: Request, task_id: str, agency: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        body = ConsultationAnswerCreate.model_validate({"answer": form.get("answer"),
                                                        "note": str(form.get("note", ""))})
        changed = await context.give(commands.answer_consultation(context.user, task_id,
                                                                  agency, body))
        assert isinstance(changed, Changed)
        return await _back_to_dossier(request, "flash.answer_recorded", changed)

    return await act_on_form(request, act, _dossier_of)


async def _back_to_dossier(request: Request, key: str, changed: Changed) -> str:
    """After a step that leaves the task open: the dossier again, saying what was done."""
    caught_up = await shown(request, [changed])
    flash(request, key, {"name": await _name_of(request, changed.nomination_id)},
          lagging=not caught_up)
    return f"/ui/nominations/{changed.nomination_id}"


@router.post("/tasks/{task_id}/decision", response_class=HTMLResponse)
async def decide(request: Request, task_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        body = DecisionCreate.model_validate({
            "outcome": form.get("outcome"), "decision_number": form.get("decision_number"),
            "decision_date": form_day(form, "decision_date"), "signer": form.get("signer"),
            "authority": str(form.get("authority", "")),
            "granted_award": str(form.get("granted_award", ""))})
        recorded = await context.give(decision_commands.decide_one(context.user, task_id, body))
        assert isinstance(recorded, DecisionRecorded)
        return await _done_with_task(request, "flash.decided", task_id, recorded.nominations[0])

    return await act_on_form(request, act, _dossier_of)


@router.post("/nominations/{nomination_id}/objections/{objection_id}/resolution",
             response_class=HTMLResponse)
async def resolve_objection(request: Request, nomination_id: str,
                            objection_id: str) -> Response:
    """The board of the level that gave notice verifies an objection."""

    async def act(context: CommandContext, form: FormData) -> str:
        body = ObjectionResolutionCreate.model_validate({
            "outcome": form.get("outcome"), "note": str(form.get("note", ""))})
        changed = await context.give(commands.resolve_objection(
            context.user, context.laurel, nomination_id, objection_id, body))
        assert isinstance(changed, Changed)
        caught_up = await shown(request, [changed])
        if not caught_up:
            remember_acted(request, [objection_id])
        flash(request, "flash.objection_resolved", outcome=body.outcome,
              status=changed.status, href=f"/ui/nominations/{nomination_id}",
              lagging=not caught_up)
        return "/ui/inbox"

    return await act_on_form(request, act, lambda _: f"/ui/nominations/{nomination_id}")


@router.post("/objections/dismissal", response_class=HTMLResponse)
async def dismiss_objections(request: Request) -> Response:
    """The board's ticked objections — from a dossier, or from the inbox, of several
    nominations — dismissed in one act, as abuse if ticked so: all or none."""

    async def act(context: CommandContext, form: FormData) -> str:
        ticked = [str(v).partition("/") for v in form.getlist("objection")]
        if not ticked:
            raise PageRefusal("objection.none_selected")
        abuse = form.get("abuse") == "on"
        body = ObjectionDismissalCreate.model_validate({
            "items": [{"nomination_id": n, "objection_id": o} for n, _, o in ticked],
            "note": str(form.get("note", "")), "abuse": abuse})
        dismissed = await context.give(commands.dismiss_objections(context.user,
                                                                   context.laurel, body))
        assert isinstance(dismissed, Dismissed)
        caught_up = await shown(request, dismissed.nominations)
        if not caught_up:
            remember_acted(request, [o for _, _, o in ticked])
        flash(request, "flash.objections_dismissed_abuse" if abuse
              else "flash.objections_dismissed", {"count": len(ticked)},
              lagging=not caught_up)
        return _page_of(form)

    return await act_on_form(request, act, _page_of)


def _page_of(form: FormData) -> str:
    """The page a form came from (a dossier, the inbox), if it is one of the pages."""
    back = str(form.get("back", ""))
    return back if back.startswith("/ui/") and not back.startswith("/ui//") else "/ui/inbox"
