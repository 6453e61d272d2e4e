"""The nomination workflow on Temporal's time-skipping test server: deadlines lapse in
milliseconds, and the events the workflow records land in a real event store."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.nomination import Actor
from laurel.bootstrap import Laurel
from laurel.supervisor import find_executable
from projections.eventlog import LoggedEvent
from workflows.messages import workflow_id
from workflows.nomination import NominationWorkflow
from workflows.relay import RELAYED, EventRelay
from workflows.worker import build_worker

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNIT = "hg.vi-thanh.phuong-1"
PROPOSER = Actor("clerk", frozenset({"proposer"}), UNIT)
TALLY = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}


@pytest_asyncio.fixture
async def skipping() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=find_executable("temporal-test-server")
    )
    yield env
    await env.shutdown()


class Harness:
    def __init__(self, laurel: Laurel, env: WorkflowEnvironment) -> None:
        self.laurel = laurel
        self.env = env
        self.relay = EventRelay(env.client, laurel.log, laurel.engine, laurel.settings.task_queue)

    def propose(self) -> uuid.UUID:
        return self.laurel.nominations.propose(
            PROPOSER, award_code="bang-khen-tinh",
            nominee={"name": "Trần Văn Bình", "kind": "individual"},
            achievements="", documents=[], at=datetime.now(UTC),
        ).id

    async def relay_everything(self) -> list[LoggedEvent]:
        """Relay every relayed event in the log, as the relay process would."""
        events = self.laurel.log.read(0, 10_000, RELAYED)
        await self.relay.relay(events)
        return events

    async def review(self, nomination_id: uuid.UUID, task_id: str, outcome: str) -> None:
        """The unit's council records its outcome; the relay passes it on."""
        reviewer = Actor("secretary", frozenset({"reviewer"}), UNIT)
        self.laurel.nominations.review(nomination_id, task_id, reviewer, outcome=outcome,
                                       votes=TALLY, note="", at=datetime.now(UTC))
        await self.relay_everything()

    def events(self, nomination_id: uuid.UUID) -> list[str]:
        return self.laurel.nominations.event_types(nomination_id)

    def handle(self, nomination_id: uuid.UUID) -> WorkflowHandle[NominationWorkflow, object]:
        return self.env.client.get_workflow_handle_for(
            NominationWorkflow.run, workflow_id(str(nomination_id))
        )


@pytest_asyncio.fixture
async def harness(laurel: Laurel, skipping: WorkflowEnvironment) -> AsyncIterator[Harness]:
    with ThreadPoolExecutor(4) as executor:
        worker = build_worker(skipping.client, laurel.nominations, laurel.settings.task_queue,
                              executor)
        async with worker:
            yield Harness(laurel, skipping)


async def wait_for_open_task(h: Harness, nomination_id: uuid.UUID) -> str:
    for _ in range(200):
        progress = await h.handle(nomination_id).query(NominationWorkflow.progress)
        if progress.open_task_id and progress.open_task_id not in progress.outcomes:
            return progress.open_task_id
        await h.env.sleep(timedelta(milliseconds=10))
    raise AssertionError("the workflow opened no task")


async def test_a_review_left_past_its_due_date_is_recorded_overdue(harness: Harness) -> None:
    nomination_id = harness.propose()
    await harness.relay_everything()
    await wait_for_open_task(harness, nomination_id)
    assert harness.events(nomination_id) == ["Proposed", "ReviewOpened"]

    await harness.env.sleep(timedelta(days=9))
    assert "ReviewOverdue" not in harness.events(nomination_id)

    await harness.env.sleep(timedelta(days=2))  # the unit's 10 days have lapsed
    assert harness.events(nomination_id) == ["Proposed", "ReviewOpened", "ReviewOverdue"]

    await harness.env.sleep(timedelta(days=30))  # overdue is recorded once, not again
    assert harness.events(nomination_id).count("ReviewOverdue") == 1


async def test_an_overdue_review_still_takes_the_councils_outcome(harness: Harness) -> None:
    nomination_id = harness.propose()
    await harness.relay_everything()
    task_id = await wait_for_open_task(harness, nomination_id)
    await harness.env.sleep(timedelta(days=11))

    await harness.review(nomination_id, task_id, "approve")
    await wait_for_open_task(harness, nomination_id)
    assert harness.events(nomination_id)[-3:] == ["ReviewedByCouncil", "Forwarded",
                                                  "ReviewOpened"]


async def test_a_repeated_signal_changes_nothing(harness: Harness) -> None:
    nomination_id = harness.propose()
    await harness.relay_everything()
    task_id = await wait_for_open_task(harness, nomination_id)
    await harness.review(nomination_id, task_id, "approve")
    second_task = await wait_for_open_task(harness, nomination_id)
    before = harness.events(nomination_id)

    # The relay restarts from position zero and signals everything again, twice.
    await harness.relay_everything()
    await harness.relay_everything()
    await harness.env.sleep(timedelta(hours=1))

    assert harness.events(nomination_id) == before
    progress = await harness.handle(nomination_id).query(NominationWorkflow.progress)
    assert progress.open_task_id == second_task
    assert progress.outcomes == {task_id: "approve"}


async def test_a_closed_workflow_is_not_started_again_by_late_signals(harness: Harness) -> None:
    nomination_id = harness.propose()
    await harness.relay_everything()
    task_id = await wait_for_open_task(harness, nomination_id)
    await harness.review(nomination_id, task_id, "reject")
    outcome = await harness.handle(nomination_id).result()
    assert outcome.last_outcome == "reject"

    await harness.relay_everything()  # every signal again, after the workflow closed
    description = await harness.handle(nomination_id).describe()
    assert description.status is not None and description.status.name == "COMPLETED"
    assert harness.events(nomination_id) == ["Proposed", "ReviewOpened", "ReviewedByCouncil"]
