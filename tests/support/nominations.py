"""Nominations driven for a test: through the domain's commands, or proposed over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx

from domain.calendar import WorkingCalendar
from infrastructure.container import Laurel
from projections.projector import Projector
from tests.support import commands
from tests.support.people import actor, token

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
FOR = {"members": 9, "present": 9, "for": 8, "against": 1, "abstain": 0}
AGAINST = {"members": 9, "present": 9, "for": 1, "against": 8, "abstain": 0}
"""Nine members: the count of the demo province's roster (the councils below it have
none, and take the count typed)."""
# The unit whose clerk proposes over HTTP.
UNIT = "hg.vi-thanh.phuong-1"
PROPOSER = token("clerk", "proposer", unit=UNIT)
TALLY = {"members": 5, "present": 5, "for": 4, "against": 1, "abstain": 0}
NOMINATION = {"award_code": "bang-khen-tinh",
              "nominee": {"name": "Võ Thị Lan", "kind": "individual"}}


def day_in_vietnam(moment: datetime | None = None) -> str:
    """The day it is in Vietnam (the policy calendar's UTC+7) at ``moment`` (now): the
    latest date a decision recorded then may bear."""
    return (moment or datetime.now(UTC)).astimezone(WorkingCalendar().zone).date().isoformat()


def at_council(laurel: Laurel, unit_id: str, tally: dict[str, int],
               at: datetime | None = None) -> dict[str, int]:
    """``tally`` as the council of ``unit_id`` gives it on ``at``'s day (today). Where the
    policy gives that council a roster (the demo's province has one of nine), the roster
    gives the members (left out of the tally): all present, the votes going the way
    ``tally``'s go (all but one for, or one for)."""
    day = (at or datetime.now(UTC)).astimezone(WorkingCalendar().zone).date()
    council = laurel.policy.inside_levels.council(unit_id, day)
    if council is None:
        return tally
    n = len(council.members)
    approves = tally["for"] * 2 > tally["members"]
    return {"present": n, "for": n - 1 if approves else 1,
            "against": 1 if approves else n - 1, "abstain": 0}


def take_through(
    laurel: Laurel, unit: str, outcomes: list[str], *, decide: bool = False,
    award: str = "bang-khen-tinh", then: str = "",
) -> str:
    """Drive one nomination with the domain commands the workflow and people give."""
    app, at = laurel.nominations, START
    nomination_id = commands.propose(
        app, actor("proposer", unit), award_code=award,
        nominee={"name": f"Lê Thị {len(outcomes)}", "kind": "individual"},
        achievements="…", documents=[], at=at,
    ).id
    step = 0
    for outcome in outcomes:
        at += timedelta(days=1)
        task = app.open_review(nomination_id, step, at)
        assert task is not None
        if step == 0:
            app.remind(nomination_id, task.task_id, task.remind_at)
            app.escalate(nomination_id, task.task_id, task.due_at)
        holder = laurel.policy.plan_route(award, unit, "individual").reviews[step].unit_id
        commands.review(app, nomination_id, task.task_id, actor("reviewer", holder),
                        outcome=outcome, votes=at_council(
                            laurel, holder, FOR if outcome == "approve" else AGAINST, at),
                        note="", at=at + timedelta(days=12))
        if outcome == "return":
            commands.supplement(app, nomination_id, actor("proposer", unit),
                                documents=[{"title": "v2"}], achievements="more", note="",
                                at=at + timedelta(days=13))
        elif outcome == "approve":
            step += 1
        else:
            return str(nomination_id)
    if then == "withdraw":
        commands.withdraw(app, nomination_id, actor("proposer", unit), reason="rút", at=at)
    if then == "objection":
        app.open_public_notice(nomination_id, at)
        objection = commands.lodge_objection(app, nomination_id, actor("auditor", "hg"),
                                             text="…", contact="", at=at)
        commands.resolve_objection(app, nomination_id, objection, actor("reviewer", "hg"),
                                   outcome="dismissed", note="", at=at)
        app.close_public_notice(nomination_id, at + timedelta(days=8))
    if decide:
        task = app.open_decision(nomination_id, at)
        assert task is not None
        commands.decide(app, nomination_id, task.task_id, actor("decider", "hg"),
                        outcome="awarded", decision_number="7/QĐ",
                        decision_date=day_in_vietnam(at + timedelta(days=2)), signer="Chủ tịch",
                        at=at + timedelta(days=2))
    if then == "revoke":
        commands.revoke(app, nomination_id, actor("decider", "hg"), reason="…",
                        decision_number="8/QĐ",
                        decision_date=day_in_vietnam(at + timedelta(days=30)),
                        at=at + timedelta(days=30))
    return str(nomination_id)


def several_nominations(laurel: Laurel) -> list[str]:
    return [
        take_through(laurel, "hg.vi-thanh.phuong-1", ["approve"] * 3, decide=True),
        take_through(laurel, "hg.nga-bay.xa-dai-thanh", ["approve", "reject"]),
        take_through(laurel, "hg.so-yte", ["return", "approve"]),
        take_through(laurel, "hg.vi-thuy.xa-vi-thang", ["approve"], then="withdraw"),
        take_through(laurel, "hg.long-my.xa-vinh-vien", ["approve"] * 3, decide=True,
                     award="bang-khen-thu-tuong", then="objection"),
        take_through(laurel, "hg.phung-hiep.xa-tan-binh", ["approve"] * 3, decide=True,
                     then="revoke"),
    ]


def project(laurel: Laurel) -> None:
    Projector(laurel.engine, laurel.log).catch_up()


async def nomination_with_open_review(http: httpx.AsyncClient, laurel: Laurel) -> dict[str, Any]:
    created = (await http.post("/nominations", json=NOMINATION, headers=PROPOSER)).json()
    task = laurel.nominations.open_review(UUID(created["id"]), 0, datetime.now(UTC))
    project(laurel)
    return {**created, "task_id": task.task_id}


def in_public_notice(laurel: Laurel, unit: str = UNIT, name: str = "Trần Văn Nam") -> UUID:
    """A Prime Minister's Bằng khen of ``unit`` approved by every council, now in its
    public comment period (opened a day ago), and projected."""
    app, at = laurel.nominations, datetime.now(UTC) - timedelta(days=1)
    nomination_id = commands.propose(app, actor("proposer", unit),
                                     award_code="bang-khen-thu-tuong",
                                     nominee={"name": name, "kind": "individual"},
                                     achievements="…", documents=[], at=at).id
    route = laurel.policy.plan_route("bang-khen-thu-tuong", unit, "individual")
    for step, level in enumerate(route.reviews):
        task = app.open_review(nomination_id, step, at)
        assert task is not None
        commands.review(app, nomination_id, task.task_id, actor("reviewer", level.unit_id),
                        outcome="approve", votes=FOR, note="", at=at)
    app.open_public_notice(nomination_id, at)
    project(laurel)
    return nomination_id
