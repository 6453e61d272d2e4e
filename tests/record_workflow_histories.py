"""Record the nomination workflow's histories that tests/test_workflow_replay.py replays.

    python -m tests.record_workflow_histories [PATH...]   (no PATH: every one)

Each path a nomination can take (approve, reject, return, overdue, withdraw, a
state-level award's public notice, and one whose objections from the public hold it only
once confirmed), and one where a forged withdrawal is signalled straight to the workflow
and ignored, is driven to its end on Temporal's time-skipping
test server, with the real worker, the real relay and a throwaway SQLite event store, and
the finished workflow's history is written to tests/workflow_histories/confirmed/<path>.json.

Generations of fixtures, one folder per release of the workflow
----------------------------------------------------------------
Each folder under tests/workflow_histories/ holds the histories of one release of the
workflow, named after the newest ``workflow.patched`` change its runs take; each stands
for workflows that release may have left running, and tests/test_workflow_replay.py
replays every one of them on the current code in CI:

* ``tests/workflow_histories/*.json``: before any patch (runs that act on the signals);
* ``confirmed/``: ``confirm-signals-with-the-event-store`` (runs that read where the
  nomination stands before they act; also replayed by tests/test_forged_signals.py);
* ``inside_a_level/``: ``consultation-and-appraisal-before-the-council`` too (a level
  consults its agencies and appraises the dossier before its council), with a path that
  goes through both (``inside_a_level``: a department's Labour Order).

This script writes the current release's folder, ``CURRENT`` below. The folders of
earlier releases are never re-recorded: they are what those releases left running.

The release procedure (docs/reliability.md, "Rolling deploys"): a change to the
workflow's steps goes under a new ``workflow.patched`` name; point ``CURRENT`` at a new
folder named after it (and add it to ``GENERATIONS`` in tests/test_workflow_replay.py),
run this script, commit the histories with the change. CI then replays every earlier
release's histories on the new code, and the next release replays these.

When to re-record
-----------------
The fixtures stand for workflows that are running in production now. Replaying them is
how CI proves that a change to workflows/ would not break those workflows, so:

* Never re-record to make a failing replay pass. A failing replay means the change would
  make running workflows fail with a nondeterminism error: change the code instead. To
  change what the workflow does, guard the new code with ``workflow.patched("<change>")``
  (old histories keep taking the old branch) and leave the old fixtures as they are.
* Do re-record only for a deliberate, versioned workflow change: after the patch has been
  deployed and every workflow started before it has finished (then
  ``workflow.deprecate_patch`` / removing the old branch is safe), or when a new path is
  added. Keep the old fixture under another name while any workflow of that shape may
  still be running, and say in the commit why the histories were re-recorded.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from temporalio.client import WorkflowExecutionStatus, WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from domain.actor import PUBLIC, Actor
from domain.commands import (
    Changed,
    ConfirmObjection,
    Context,
    Decide,
    LodgeObjection,
    Objected,
    Proposal,
    Propose,
    ResolveObjection,
    Review,
    Supplement,
    Withdraw,
)
from domain.inside_level import AnswerConsultation, Appraise, CheckConfirmed, SignOffAppraisal
from domain.nomination import Nomination
from domain.vocabulary import AppraisalConclusion
from infrastructure.container import Laurel, bootstrap
from infrastructure.settings import BUNDLED_POLICY, Settings
from laurel.supervisor import find_executable
from tests.support.nominations import day_in_vietnam
from workflows import messages as m
from workflows.messages import NominationOutcome, NominationSignal, workflow_id
from workflows.nomination import NominationWorkflow
from workflows.relay import RELAYED, EventRelay
from workflows.worker import build_worker

CURRENT = Path(__file__).parent / "workflow_histories" / "inside_a_level"
"""Where this release's histories go (see "Generations" above)."""
HISTORIES = CURRENT

UNIT, PROVINCE, DEPARTMENT = "hg.vi-thanh.phuong-1", "hg", "hg.so-yte"
FOR = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}
AGAINST = {"members": 5, "present": 5, "for": 1, "against": 4, "abstain": 0}
ROSTER_FOR = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}
ROSTER_AGAINST = {"members": 9, "present": 9, "for": 1, "against": 8, "abstain": 0}
"""The province's council has a roster of nine (the policy's ``councils``)."""
LABOUR_ORDER = "huan-chuong-lao-dong-hang-ba"
"""The demo's award whose province consults agencies and appraises the dossier."""
E = TypeVar("E", bound=Nomination.Event)


def person(role: str, unit: str = UNIT) -> Actor:
    return Actor(f"{role}@{unit}", frozenset({role}), unit)


class Recorder:
    """Acts as the API and the relay process would, in the test server's skipped time."""

    def __init__(self, laurel: Laurel, env: WorkflowEnvironment) -> None:
        self.laurel = laurel
        self.app = laurel.nominations
        self.env = env
        self.relay = EventRelay(env.client, laurel.log, laurel.engine, laurel.settings.task_queue)
        self.relayed = 0  # the position the relay has passed on, as the relay process stores

    async def now(self) -> datetime:
        return await self.env.get_current_time()

    async def pass_on(self) -> None:
        """Relay the events logged since the last call, each once, in log order."""
        events = self.laurel.log.read(self.relayed, 10_000, RELAYED)
        if events:
            await self.relay.relay(events)
            self.relayed = events[-1].position

    async def propose(self, award: str = "bang-khen-tinh", unit: str = UNIT) -> uuid.UUID:
        proposal = self.app.handle(
            Propose(award, {"name": "Trần Văn Bình", "kind": "individual"},
                    "Hoàn thành xuất sắc nhiệm vụ", []),
            Context(person("proposer", unit), await self.now()))
        assert isinstance(proposal, Proposal)
        await self.pass_on()
        return proposal.id

    async def open_task(self, nomination_id: uuid.UUID) -> Nomination.ReviewOpened:
        """Wait (in skipped time) for the workflow to open a review, and return it."""
        for _ in range(200):
            progress = await self.handle(nomination_id).query(NominationWorkflow.progress)
            if progress.open_task_id and progress.open_task_id not in progress.outcomes:
                opened = self.recorded(nomination_id, Nomination.ReviewOpened)
                if opened and opened[-1].task_id == progress.open_task_id:
                    return opened[-1]
            await self.env.sleep(timedelta(milliseconds=10))
        raise AssertionError("the workflow opened no review")

    async def review(self, nomination_id: uuid.UUID, outcome: str = "approve") -> str:
        """The council of the open task's unit records its outcome; the relay passes it on."""
        task = await self.open_task(nomination_id)
        province = task.unit_id == PROVINCE
        ballot = ((ROSTER_FOR if province else FOR) if outcome == "approve" else
                  (ROSTER_AGAINST if province else AGAINST))
        self.app.handle(Review(nomination_id, task.task_id, outcome, ballot),
                        Context(person("reviewer", task.unit_id), await self.now()))
        await self.pass_on()
        return task.task_id

    async def decide(self, nomination_id: uuid.UUID, outcome: str = "awarded") -> None:
        """The deciding unit records the decision once the workflow has opened it."""
        await self.until_recorded(nomination_id, "DecisionOpened")
        decision = self.recorded(nomination_id, Nomination.DecisionOpened)[-1]
        now = await self.now()
        self.app.handle(Decide(nomination_id, decision.task_id, outcome, decision_number="123/QĐ",
                               decision_date=day_in_vietnam(now), signer=decision.authority),
                        Context(person("decider", decision.unit_id), now))
        await self.pass_on()

    async def until_recorded(self, nomination_id: uuid.UUID, event_type: str) -> None:
        for _ in range(200):
            if event_type in self.app.event_types(nomination_id):
                return
            await self.env.sleep(timedelta(milliseconds=10))
        raise AssertionError(f"the workflow recorded no {event_type}")

    async def until(self, moment: datetime) -> None:
        """Skip time to ``moment``, plus a minute for the workflow to act."""
        await self.env.sleep(moment - await self.now() + timedelta(minutes=1))

    async def opened(self, nomination_id: uuid.UUID, kind: type[E]) -> E:
        """Wait (in skipped time) for the workflow to record ``kind``; the last one."""
        for _ in range(300):
            found = self.recorded(nomination_id, kind)
            if found:
                return found[-1]
            await self.env.sleep(timedelta(milliseconds=20))
        raise AssertionError(f"the workflow recorded no {kind.__name__}")

    async def give(self, command: object, actor: Actor) -> None:
        """A command of the level's people, then the relay."""
        self.app.handle(command, Context(actor, await self.now()))  # type: ignore[arg-type]
        await self.pass_on()

    def recorded(self, nomination_id: uuid.UUID, kind: type[E]) -> list[E]:
        return [e for e in self.app.events.get(nomination_id) if isinstance(e, kind)]

    def handle(self, nomination_id: uuid.UUID) -> WorkflowHandle[NominationWorkflow, object]:
        return self.env.client.get_workflow_handle_for(
            NominationWorkflow.run, workflow_id(str(nomination_id))
        )


# -- the paths ------------------------------------------------------------------------


async def approve(r: Recorder) -> uuid.UUID:
    """Unit, district and province councils approve; the province awards."""
    nomination_id = await r.propose()
    for _ in range(3):
        await r.review(nomination_id)
    await r.decide(nomination_id)
    return nomination_id


async def reject(r: Recorder) -> uuid.UUID:
    """The unit approves; the district council rejects."""
    nomination_id = await r.propose()
    await r.review(nomination_id)
    await r.review(nomination_id, "reject")
    return nomination_id


async def return_(r: Recorder) -> uuid.UUID:
    """The district returns it; the unit supplements; the district reviews it again."""
    nomination_id = await r.propose()
    await r.review(nomination_id)
    await r.review(nomination_id, "return")
    await r.env.sleep(timedelta(days=3))  # the unit takes its time; nothing is pending
    r.app.handle(Supplement(nomination_id, [{"title": "Bản bổ sung"}], "Bổ sung thành tích"),
                 Context(person("proposer"), await r.now()))
    await r.pass_on()
    for _ in range(2):  # the district again, then the province
        await r.review(nomination_id)
    await r.decide(nomination_id)
    return nomination_id


async def overdue(r: Recorder) -> uuid.UUID:
    """The unit's council lets its review lapse: reminded, overdue, escalated; then acts."""
    nomination_id = await r.propose()
    task = await r.open_task(nomination_id)
    await r.until(task.due_at)
    for _ in range(3):
        await r.review(nomination_id)
    await r.decide(nomination_id)
    return nomination_id


async def withdraw(r: Recorder) -> uuid.UUID:
    """The unit withdraws it while the district's review is open."""
    nomination_id = await r.propose()
    await r.review(nomination_id)
    await r.open_task(nomination_id)
    r.app.handle(Withdraw(nomination_id, "Rút hồ sơ"), Context(person("proposer"), await r.now()))
    await r.pass_on()
    return nomination_id


async def public_notice(r: Recorder) -> uuid.UUID:
    """A department's Prime Minister's certificate: reviews, a public notice held by an
    objection past its end, the objection dismissed, and the central outcome recorded."""
    nomination_id = await r.propose("bang-khen-thu-tuong", DEPARTMENT)
    await r.review(nomination_id)  # the department
    await r.review(nomination_id)  # the province
    await r.until_recorded(nomination_id, "PublicNoticeOpened")
    lodged = r.app.handle(LodgeObjection(nomination_id, "Thành tích chưa đúng"),
                          Context(person("auditor"), await r.now()))
    assert isinstance(lodged, Changed)
    await r.pass_on()
    await r.env.sleep(timedelta(days=10))  # the 7 days pass; the objection holds it
    r.app.handle(ResolveObjection(nomination_id, lodged.objection_id, "dismissed", "Đã xác minh"),
                 Context(person("reviewer", PROVINCE), await r.now()))
    await r.pass_on()
    await r.decide(nomination_id)  # recorded by the province for the Prime Minister
    return nomination_id


async def confirmed_objection(r: Recorder) -> uuid.UUID:
    """A department's Prime Minister's certificate on public notice: two objections from
    people without an account, one never confirmed (it holds nothing), one confirmed with
    the code e-mailed to its author (it holds the notice past its end until the board
    dismisses it); then the central outcome."""
    nomination_id = await r.propose("bang-khen-thu-tuong", DEPARTMENT)
    await r.review(nomination_id)  # the department
    await r.review(nomination_id)  # the province
    await r.until_recorded(nomination_id, "PublicNoticeOpened")
    lodged = []
    for contact in ("mot@example.vn", "hai@example.vn"):
        objected = r.app.handle(LodgeObjection(nomination_id, "Thành tích chưa đúng", contact),
                                Context(PUBLIC, await r.now()))
        assert isinstance(objected, Objected) and objected.code
        lodged.append(objected)
    await r.pass_on()
    await r.env.sleep(timedelta(minutes=10))  # the code lasts 30
    r.app.handle(ConfirmObjection(nomination_id, lodged[1].objection_id, lodged[1].code),
                 Context(PUBLIC, await r.now()))
    await r.pass_on()
    await r.env.sleep(timedelta(days=10))  # the 7 days pass; the confirmed one holds it
    r.app.handle(ResolveObjection(nomination_id, lodged[1].objection_id, "dismissed",
                                  "Đã xác minh"),
                 Context(person("reviewer", PROVINCE), await r.now()))
    await r.pass_on()
    await r.decide(nomination_id)
    return nomination_id


async def forged_withdrawal(r: Recorder) -> uuid.UUID:
    """While the district reviews, someone signals a withdrawal straight to the workflow
    (no such event in the store): it is ignored, and the nomination goes on to its award."""
    nomination_id = await r.propose()
    await r.review(nomination_id)
    await r.open_task(nomination_id)
    await r.handle(nomination_id).signal(NominationWorkflow.event,
                                         NominationSignal(10**9, m.WITHDRAWN))
    for _ in range(2):  # the district, then the province
        await r.review(nomination_id)
    await r.decide(nomination_id)
    return nomination_id


async def inside_a_level(r: Recorder) -> uuid.UUID:
    """A department's Labour Order (third class): its council; at the province, the
    agencies consulted (the police let their working days lapse, the others answer), the
    specialist's appraisal sent back once by the board's head and then signed off, the
    council; the public notice; the State President's decision recorded."""
    secretary = Actor("hoidong.tinh", frozenset({"reviewer"}), PROVINCE)
    specialist = Actor("chuyenvien.tinh", frozenset({"reviewer"}), PROVINCE)
    head = Actor("truongban.tinh", frozenset({"reviewer"}), PROVINCE)
    nomination_id = await r.propose(LABOUR_ORDER, DEPARTMENT)
    await r.review(nomination_id)  # the department
    consultation = await r.opened(nomination_id, Nomination.ConsultationOpened)
    for agency in consultation.agencies:
        if agency["code"] != "cong-an":
            await r.give(AnswerConsultation(nomination_id, consultation.task_id,
                                            agency["code"], "agrees", "Không có ý kiến khác"),
                         secretary)
    await r.until(consultation.due_at)  # the police's days lapse on the workflow's timer
    appraisal = await r.opened(nomination_id, Nomination.AppraisalOpened)
    appraised = Appraise(nomination_id, appraisal.task_id, AppraisalConclusion.ELIGIBLE, True,
                         (CheckConfirmed("no_disqualifier", True),), "", "Đủ điều kiện")
    await r.give(appraised, specialist)
    await r.give(SignOffAppraisal(nomination_id, appraisal.task_id, False, "Ghi rõ số liệu"),
                 head)  # sent back
    await r.give(appraised, specialist)
    await r.give(SignOffAppraisal(nomination_id, appraisal.task_id, True, "Đồng ý"), head)
    await r.review(nomination_id)  # the province's council, once the appraisal is done
    await r.until_recorded(nomination_id, "PublicNoticeOpened")
    await r.env.sleep(timedelta(days=8))  # the notice passes
    await r.decide(nomination_id)
    return nomination_id


@dataclass(frozen=True)
class Scenario:
    name: str
    drive: Callable[[Recorder], Awaitable[uuid.UUID]]
    outcome: NominationOutcome
    must_record: tuple[str, ...]
    """Domain events the path is about: the recording is refused without them."""


PATHS = (
    Scenario("approve", approve, NominationOutcome("awarded", 3), ("Decided",)),
    Scenario("reject", reject, NominationOutcome("reject", 2), ("ReviewedByCouncil",)),
    Scenario("return", return_, NominationOutcome("awarded", 3), ("Supplemented", "Decided")),
    Scenario("overdue", overdue, NominationOutcome("awarded", 3),
          ("ReviewReminderSent", "ReviewOverdue", "ReviewEscalated", "Decided")),
    Scenario("withdraw", withdraw, NominationOutcome("withdrawn", 1), ("Withdrawn",)),
    Scenario("public_notice", public_notice, NominationOutcome("awarded", 2),
          ("PublicNoticeOpened", "ObjectionLodged", "ObjectionResolved", "PublicNoticeClosed",
           "Decided")),
    Scenario("forged_withdrawal", forged_withdrawal, NominationOutcome("awarded", 3),
             ("Decided",)),
    Scenario("confirmed_objection", confirmed_objection, NominationOutcome("awarded", 2),
             ("ObjectionLodged", "ObjectionConfirmed", "ObjectionResolved",
              "PublicNoticeClosed", "Decided")),
    Scenario("inside_a_level", inside_a_level, NominationOutcome("awarded", 2),
             ("ConsultationOpened", "ConsultationAnswered", "ConsultationLapsed",
              "AppraisalOpened", "Appraised", "AppraisalSignedOff", "PublicNoticeClosed",
              "Decided")),
)


async def record(r: Recorder, path: Scenario, into: Path) -> Path:
    nomination_id = await path.drive(r)
    handle = r.handle(nomination_id)
    outcome = await handle.result()
    assert outcome == path.outcome, f"{path.name} ended {outcome}, not {path.outcome}"
    description = await handle.describe()
    assert description.status == WorkflowExecutionStatus.COMPLETED, description.status
    events = r.app.event_types(nomination_id)
    missing = [e for e in path.must_record if e not in events]
    assert not missing, f"{path.name} recorded no {', '.join(missing)}: {events}"

    history = await handle.fetch_history()
    target = write(history, into / f"{path.name}.json")
    print(f"wrote {target} ({target.stat().st_size:,} bytes, {len(history.events)} history "
          f"events; {history.workflow_id} ended {outcome.last_outcome} after "
          f"{outcome.steps_reviewed} steps)")
    print(f"    nomination events: {' '.join(events)}")
    return target


def write(history: WorkflowHistory, target: Path) -> Path:
    """``to_json()`` leaves the workflow id out and ``from_json()`` needs it: it is kept
    beside the events (``from_json`` ignores keys it does not know)."""
    document = {"workflowId": history.workflow_id, **json.loads(history.to_json())}
    target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    return target


async def record_all(into: Path, only: tuple[str, ...] = ()) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="laurel-histories-") as tmp:
        settings = Settings(
            data_dir=Path(tmp) / "data",
            database_url=None,  # SQLite files in the temporary directory, whatever the env says
            task_queue=f"record-{uuid.uuid4().hex}",
            jwt_secret="a-recording-signing-key-that-is-long-enough-for-hs256",
            policy_file=BUNDLED_POLICY,
            poll_interval=0.05,
        )
        laurel = bootstrap(settings)
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=find_executable("temporal-test-server"),
            identity="laurel-history-recorder",  # not this machine's pid@hostname
        )
        try:
            async with build_worker(env.client, laurel.commands, settings.task_queue):
                recorder = Recorder(laurel, env)
                return [await record(recorder, path, into) for path in PATHS
                        if not only or path.name in only]
        finally:
            await env.shutdown()
            laurel.close()


def main(into: Path = HISTORIES, only: tuple[str, ...] = ()) -> list[Path]:
    unknown = set(only) - {p.name for p in PATHS}
    if unknown:
        raise SystemExit(f"no such path: {', '.join(sorted(unknown))}")
    into.mkdir(parents=True, exist_ok=True)
    return asyncio.run(record_all(into, only))


if __name__ == "__main__":
    main(only=tuple(sys.argv[1:]))
