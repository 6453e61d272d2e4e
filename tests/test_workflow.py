"""The nomination workflow on Temporal's time-skipping test server: deadlines lapse in
milliseconds, and the events the workflow records land in a real event store."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.actor import PUBLIC, Actor
from domain.commands import ConfirmObjection, Context, LodgeObjection, Objected
from domain.errors import NotInPublicNotice
from domain.nomination import Nomination
from infrastructure.container import Laurel
from infrastructure.eventlog import LoggedEvent
from laurel.supervisor import find_executable
from tests.support.commands import (
    lodge_objection,
    propose,
    resolve_objection,
    review,
    supplement,
    withdraw,
)
from tests.support.nominations import at_council
from workflows.messages import workflow_id
from workflows.nomination import NominationWorkflow
from workflows.relay import RELAYED, EventRelay
from workflows.worker import build_worker

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNIT, PROVINCE, DEPARTMENT = "hg.vi-thanh.phuong-1", "hg", "hg.so-yte"
FOR = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}
AGAINST = {"members": 5, "present": 5, "for": 1, "against": 4, "abstain": 0}


def person(role: str, unit: str = UNIT) -> Actor:
    return Actor(f"{role}@{unit}", frozenset({role}), unit)


@pytest_asyncio.fixture
async def skipping() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=find_executable("temporal-test-server")
    )
    yield env
    await env.shutdown()


class Harness:
    """Proposes through the application and relays the log to the workflow, as the API
    and the relay process do; the time-skipping server holds the timers."""

    def __init__(self, laurel: Laurel, env: WorkflowEnvironment) -> None:
        self.laurel = laurel
        self.app = laurel.nominations
        self.env = env
        self.relay = EventRelay(env.client, laurel.log, laurel.engine, laurel.settings.task_queue)

    async def propose(self, award: str = "bang-khen-tinh", unit: str = UNIT) -> uuid.UUID:
        nomination_id = propose(
            self.app, person("proposer", unit), award_code=award,
            nominee={"name": "Trần Văn Bình", "kind": "individual"},
            achievements="", documents=[], at=datetime.now(UTC),
        ).id
        await self.relay_everything()
        return nomination_id

    async def relay_everything(self) -> list[LoggedEvent]:
        """Relay every relayed event in the log, as a relay restarted at zero would."""
        events = self.laurel.log.read(0, 10_000, RELAYED)
        await self.relay.relay(events)
        return events

    async def review(self, nomination_id: uuid.UUID, outcome: str = "approve") -> str:
        """The council of the open task's unit records its outcome; the relay passes it on."""
        task = await self.open_task(nomination_id)
        review(self.app, nomination_id, task.task_id, person("reviewer", task.unit_id),
               outcome=outcome, votes=at_council(
                   self.laurel, task.unit_id, FOR if outcome == "approve" else AGAINST),
               note="", at=datetime.now(UTC))
        await self.relay_everything()
        return task.task_id

    async def open_task(self, nomination_id: uuid.UUID) -> Nomination.ReviewOpened:
        """Wait (in skipped time) for the workflow to open a review, and return it."""
        for _ in range(200):
            progress = await self.handle(nomination_id).query(NominationWorkflow.progress)
            if progress.open_task_id and progress.open_task_id not in progress.outcomes:
                opened = [e for e in self.app.events.get(nomination_id)
                          if isinstance(e, Nomination.ReviewOpened)]
                if opened and opened[-1].task_id == progress.open_task_id:
                    return opened[-1]
            await self.env.sleep(timedelta(milliseconds=10))
        raise AssertionError("the workflow opened no review")

    async def until(self, moment: datetime) -> None:
        """Skip time to ``moment``, plus a minute for the workflow to act."""
        await self.env.sleep(moment - await self.env.get_current_time() + timedelta(minutes=1))

    def events(self, nomination_id: uuid.UUID) -> list[str]:
        return self.app.event_types(nomination_id)

    def handle(self, nomination_id: uuid.UUID) -> WorkflowHandle[NominationWorkflow, object]:
        return self.env.client.get_workflow_handle_for(
            NominationWorkflow.run, workflow_id(str(nomination_id))
        )


@pytest_asyncio.fixture
async def harness(laurel: Laurel, skipping: WorkflowEnvironment) -> AsyncIterator[Harness]:
    async with build_worker(skipping.client, laurel.commands, laurel.settings.task_queue):
        yield Harness(laurel, skipping)


async def test_a_lapsing_review_is_reminded_at_80_percent_then_escalated(
    harness: Harness,
) -> None:
    nomination_id = await harness.propose()
    task = await harness.open_task(nomination_id)
    assert task.due_at - task.timestamp >= timedelta(days=14)  # 10 working days

    await harness.env.sleep(task.remind_at - task.timestamp - timedelta(hours=1))
    assert harness.events(nomination_id) == ["Proposed", "ReviewOpened"]

    await harness.until(task.remind_at)
    assert harness.events(nomination_id)[-1] == "ReviewReminderSent"

    await harness.until(task.due_at)
    assert harness.events(nomination_id)[-2:] == ["ReviewOverdue", "ReviewEscalated"]

    await harness.env.sleep(timedelta(days=30))  # nothing is recorded twice
    assert harness.events(nomination_id) == ["Proposed", "ReviewOpened", "ReviewReminderSent",
                                             "ReviewOverdue", "ReviewEscalated"]


async def test_an_overdue_review_still_takes_the_councils_outcome(harness: Harness) -> None:
    nomination_id = await harness.propose()
    task = await harness.open_task(nomination_id)
    await harness.until(task.due_at)
    await harness.review(nomination_id)
    await harness.open_task(nomination_id)
    assert harness.events(nomination_id)[-3:] == ["ReviewedByCouncil", "Forwarded",
                                                  "ReviewOpened"]


async def test_a_return_waits_for_the_supplement_and_reopens_the_same_level(
    harness: Harness,
) -> None:
    nomination_id = await harness.propose()
    await harness.review(nomination_id)
    returned = await harness.review(nomination_id, "return")  # at the district
    await harness.env.sleep(timedelta(days=60))  # waits however long the unit takes
    assert harness.events(nomination_id)[-1] == "ReviewedByCouncil"

    supplement(harness.app, nomination_id, person("proposer"), documents=[{"title": "v2"}],
               achievements="Bổ sung", note="", at=datetime.now(UTC))
    await harness.relay_everything()
    again = await harness.open_task(nomination_id)
    assert again.task_id != returned and again.unit_id == "hg.vi-thanh"
    assert harness.events(nomination_id)[-2:] == ["Supplemented", "ReviewOpened"]
    assert harness.events(nomination_id).count("Forwarded") == 1


async def test_a_withdrawal_ends_the_workflow_wherever_it_is(harness: Harness) -> None:
    nomination_id = await harness.propose()
    await harness.open_task(nomination_id)
    withdraw(harness.app, nomination_id, person("proposer"), reason="rút", at=datetime.now(UTC))
    await harness.relay_everything()
    outcome = await harness.handle(nomination_id).result()
    assert outcome.last_outcome == "withdrawn"
    await harness.env.sleep(timedelta(days=30))
    assert harness.events(nomination_id) == ["Proposed", "ReviewOpened", "Withdrawn"]


async def test_the_comment_period_and_an_objection_hold_a_state_level_award(
    harness: Harness,
) -> None:
    nomination_id = await harness.propose("bang-khen-thu-tuong", DEPARTMENT)
    await harness.review(nomination_id)  # the department
    await harness.review(nomination_id)  # the province
    for _ in range(100):
        if "PublicNoticeOpened" in harness.events(nomination_id):
            break
        await harness.env.sleep(timedelta(milliseconds=10))
    objection = lodge_objection(harness.app, nomination_id, person("auditor"), text="…",
                                contact="", at=datetime.now(UTC))
    await harness.relay_everything()

    await harness.env.sleep(timedelta(days=10))  # the 7 days pass; the objection holds it
    assert harness.events(nomination_id)[-2:] == ["PublicNoticeOpened", "ObjectionLodged"]

    resolve_objection(harness.app, nomination_id, objection, person("reviewer", PROVINCE),
                      outcome="dismissed", note="", at=datetime.now(UTC))
    await harness.relay_everything()
    await harness.env.sleep(timedelta(minutes=1))
    assert harness.events(nomination_id)[-4:] == ["ObjectionResolved", "PublicNoticeClosed",
                                                  "Forwarded", "DecisionOpened"]
    assert harness.app.status(nomination_id) == "awaiting_central"


async def in_public_notice(harness: Harness) -> uuid.UUID:
    nomination_id = await harness.propose("bang-khen-thu-tuong", DEPARTMENT)
    await harness.review(nomination_id)  # the department
    await harness.review(nomination_id)  # the province
    for _ in range(100):
        if "PublicNoticeOpened" in harness.events(nomination_id):
            return nomination_id
        await harness.env.sleep(timedelta(milliseconds=10))
    raise AssertionError("no public notice opened")


def lodged_by_the_public(harness: Harness, nomination_id: uuid.UUID) -> Objected:
    lodged = harness.app.handle(LodgeObjection(nomination_id, "…", "dan@example.vn"),
                                Context(PUBLIC, datetime.now(UTC)))
    assert isinstance(lodged, Objected) and lodged.code and not lodged.holds
    return lodged


async def test_an_objection_without_an_account_that_is_never_confirmed_holds_nothing(
    harness: Harness,
) -> None:
    nomination_id = await in_public_notice(harness)
    lodged = lodged_by_the_public(harness, nomination_id)
    await harness.relay_everything()
    await harness.env.sleep(timedelta(days=10))  # the 7 days pass: nothing holds it
    assert harness.events(nomination_id)[-4:] == ["ObjectionLodged", "PublicNoticeClosed",
                                                  "Forwarded", "DecisionOpened"]
    with pytest.raises(NotInPublicNotice):  # too late to confirm it now
        harness.app.handle(ConfirmObjection(nomination_id, lodged.objection_id, lodged.code),
                           Context(PUBLIC, datetime.now(UTC)))


async def test_an_objection_without_an_account_holds_the_notice_once_confirmed(
    harness: Harness,
) -> None:
    nomination_id = await in_public_notice(harness)
    lodged = lodged_by_the_public(harness, nomination_id)
    await harness.relay_everything()
    await harness.env.sleep(timedelta(days=1))
    confirmed = harness.app.handle(
        ConfirmObjection(nomination_id, lodged.objection_id, lodged.code),
        Context(PUBLIC, datetime.now(UTC)))
    assert isinstance(confirmed, Objected) and confirmed.holds
    await harness.relay_everything()
    await harness.env.sleep(timedelta(days=10))  # past the notice: the objection holds it
    assert harness.events(nomination_id)[-2:] == ["ObjectionLodged", "ObjectionConfirmed"]
    progress = await harness.handle(nomination_id).query(NominationWorkflow.progress)
    assert progress.objections == {lodged.objection_id: ""}

    resolve_objection(harness.app, nomination_id, lodged.objection_id,
                      person("reviewer", PROVINCE), outcome="dismissed", note="",
                      at=datetime.now(UTC))
    await harness.relay_everything()
    await harness.env.sleep(timedelta(minutes=1))
    assert harness.events(nomination_id)[-3:] == ["PublicNoticeClosed", "Forwarded",
                                                  "DecisionOpened"]


async def test_a_repeated_signal_changes_nothing(harness: Harness) -> None:
    nomination_id = await harness.propose()
    first = await harness.review(nomination_id)
    second = await harness.open_task(nomination_id)
    before = harness.events(nomination_id)

    await harness.relay_everything()  # the relay restarts from zero, twice
    await harness.relay_everything()
    await harness.env.sleep(timedelta(hours=1))

    assert harness.events(nomination_id) == before
    progress = await harness.handle(nomination_id).query(NominationWorkflow.progress)
    assert progress.open_task_id == second.task_id
    assert progress.outcomes == {first: "approve"}


async def test_a_closed_workflow_is_not_started_again_by_late_signals(harness: Harness) -> None:
    nomination_id = await harness.propose()
    await harness.review(nomination_id, "reject")
    outcome = await harness.handle(nomination_id).result()
    assert outcome.last_outcome == "reject"

    await harness.relay_everything()  # every signal again, after the workflow closed
    description = await harness.handle(nomination_id).describe()
    assert description.status is not None and description.status.name == "COMPLETED"
    assert harness.events(nomination_id) == ["Proposed", "ReviewOpened", "ReviewedByCouncil"]
