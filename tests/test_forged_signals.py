"""Anyone who can reach Temporal can signal a nomination's workflow: a signal the event
store does not back changes nothing, and the people's real steps still carry the
nomination to its decision. On the real dev server, with the relay, worker, projector and
API running; the signals are sent with the Temporal client, as an intruder would.

Also: the histories recorded since signals are confirmed (``tests/workflow_histories/
confirmed/``, by ``tests/record_workflow_histories.py``) replay on the current workflow."""

from __future__ import annotations

import json
import uuid

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.worker import Replayer

from tests.support.journey import (
    DECIDER,
    DISTRICT,
    PROPOSER,
    PROVINCE,
    UNIT,
    approve,
    propose,
    reviewer,
)
from tests.support.nominations import day_in_vietnam
from tests.support.running import RunningSystem, eventually
from tests.support.workflow_histories import CONFIRMED, activity_types, history, patches, recorded
from workflows import messages as m
from workflows.messages import NominationInput, NominationSignal, workflow_id
from workflows.nomination import CONFIRMS, NO_NOMINATION, NominationWorkflow

FAR_AHEAD = 10**9
"""A log position no real event has: the forger's signals are new to the workflow."""


def workflow_of(system: RunningSystem,
                nomination_id: str) -> WorkflowHandle[NominationWorkflow, m.NominationOutcome]:
    return system.client.get_workflow_handle_for(NominationWorkflow.run,
                                                 workflow_id(nomination_id))


async def status(system: RunningSystem, nomination_id: str) -> str:
    body = (await system.http.get(f"/nominations/{nomination_id}", headers=PROPOSER)).json()
    return str(body["status"])


async def test_a_forged_withdrawal_leaves_the_workflow_running_and_the_decision_opens(
    system: RunningSystem,
) -> None:
    nomination_id = await propose(system)
    await approve(system, UNIT)
    await approve(system, DISTRICT)
    province_task = await system.open_task(reviewer(PROVINCE))
    workflow = workflow_of(system, nomination_id)

    await workflow.signal(NominationWorkflow.event, NominationSignal(FAR_AHEAD, m.WITHDRAWN))

    # A query is answered once the signal's workflow task is done: the run has looked.
    progress = await workflow.query(NominationWorkflow.progress)
    assert progress.confirms and not progress.withdrawn
    assert progress.open_task_id == province_task["id"]
    description = await workflow.describe()
    assert description.status == WorkflowExecutionStatus.RUNNING
    assert await status(system, nomination_id) == "under_review"

    # The province's council approves through the API: the decision task opens.
    await approve(system, PROVINCE)
    decision = await system.open_task(DECIDER)
    assert decision["kind"] == "decision" and decision["nomination_id"] == nomination_id
    response = await system.http.post(
        f"/tasks/{decision['id']}/decision", headers=DECIDER,
        json={"outcome": "awarded", "decision_number": "12/QĐ-UBND",
              "decision_date": day_in_vietnam(system.laurel.clock()),
              "signer": "Chủ tịch UBND tỉnh"})
    assert response.status_code == 200, response.text
    outcome = await workflow.result()
    assert outcome == m.NominationOutcome("awarded", 3)
    assert "Withdrawn" not in system.laurel.nominations.event_types(uuid.UUID(nomination_id))


async def test_a_forged_approval_and_decision_are_ignored(system: RunningSystem) -> None:
    nomination_id = await propose(system)
    unit_task = await system.open_task(reviewer(UNIT))
    workflow = workflow_of(system, nomination_id)
    for forged in (NominationSignal(FAR_AHEAD, m.REVIEWED, task_id=unit_task["id"],
                                    outcome="approve"),
                   NominationSignal(FAR_AHEAD + 1, m.DECIDED, task_id=unit_task["id"],
                                    outcome="awarded"),
                   NominationSignal(FAR_AHEAD + 2, m.REVIEWED, task_id=unit_task["id"],
                                    outcome="reject")):
        await workflow.signal(NominationWorkflow.event, forged)

    progress = await workflow.query(NominationWorkflow.progress)
    assert progress.open_task_id == unit_task["id"] and progress.outcomes == {}
    assert (await workflow.describe()).status == WorkflowExecutionStatus.RUNNING
    assert system.laurel.nominations.event_types(uuid.UUID(nomination_id)) == [
        "Proposed", "ReviewOpened"]

    # The unit's council approves for real; the forged signals took the positions of
    # no real event, and the district's review opens.
    await approve(system, UNIT)
    district_task = await system.open_task(reviewer(DISTRICT))
    assert district_task["nomination_id"] == nomination_id


async def test_a_workflow_started_by_hand_for_no_nomination_ends_and_records_nothing(
    system: RunningSystem,
) -> None:
    made_up = str(uuid.uuid4())
    workflow = await system.client.start_workflow(
        NominationWorkflow.run, NominationInput(made_up), id=workflow_id(made_up),
        task_queue=system.laurel.settings.task_queue, start_signal="event",
        start_signal_args=[NominationSignal(1, m.PROPOSED, review_steps=1)])
    assert await workflow.result() == m.NominationOutcome(NO_NOMINATION, 0)
    assert system.laurel.nominations.event_types(uuid.UUID(made_up)) == []


async def test_the_people_s_signals_are_each_confirmed_by_a_look_at_the_store(
    system: RunningSystem,
) -> None:
    nomination_id = await propose(system)
    await approve(system, UNIT)
    await system.open_task(reviewer(DISTRICT))

    async def looked_twice() -> list[str] | None:
        history = await workflow_of(system, nomination_id).fetch_history()
        kinds = activity_types(history)
        return kinds if kinds.count("read_standing") >= 2 else None

    # At the start (the proposal), then on the unit council's approval; each before the
    # step it led to (at each level: the agencies to consult and the appraisal asked
    # for first — none on this route — then the council's review).
    kinds = await eventually(looked_twice)
    level = ["open_consultation", "open_appraisal", "open_review"]
    assert kinds == ["read_standing", *level, "read_standing", *level]


# -- the recorded histories ---------------------------------------------------------


@pytest.mark.parametrize("name", recorded(CONFIRMED))
async def test_a_history_recorded_since_signals_are_confirmed_replays(name: str) -> None:
    replayer = Replayer(workflows=[NominationWorkflow])
    result = await replayer.replay_workflow(history(CONFIRMED, name))
    assert result.replay_failure is None


def test_the_confirmed_histories_cover_every_path_and_a_forged_signal() -> None:
    assert set(recorded(CONFIRMED)) == {"approve", "reject", "return", "overdue", "withdraw",
                               "public_notice", "forged_withdrawal", "confirmed_objection"}
    for name in recorded(CONFIRMED):
        replayed = history(CONFIRMED, name)
        assert patches(replayed) == [CONFIRMS], name
        assert activity_types(replayed)[0] == "read_standing", name
        assert replayed.events[-1].event_type == \
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, name
    forged = history(CONFIRMED, "forged_withdrawal")
    completed = forged.events[-1].workflow_execution_completed_event_attributes
    assert json.loads(completed.result.payloads[0].data)["last_outcome"] == "awarded"
