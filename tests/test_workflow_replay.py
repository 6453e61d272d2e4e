"""Recorded histories of finished nomination workflows replay on the current code.

A change to workflows/ that would make a running workflow take a different step than its
history records (a nondeterminism error in production) fails here, in process, without a
Temporal server. The histories are recorded by tests/record_workflow_histories.py; read
its docstring before re-recording one: a failing replay is fixed in the workflow (with
``workflow.patched()``), never by recording the history again.
"""

from __future__ import annotations

import pytest
from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from tests.support.workflow_histories import HISTORIES, activity_types, history, recorded
from workflows.activities import NominationActivities
from workflows.messages import WITHDRAWN, NominationInput, NominationOutcome, OpenedTask
from workflows.nomination import NominationWorkflow

PATHS = {"approve", "reject", "return", "overdue", "withdraw", "public_notice"}


@pytest.mark.parametrize("path", recorded(HISTORIES))
async def test_a_recorded_history_replays_on_the_current_workflow(path: str) -> None:
    replayer = Replayer(workflows=[NominationWorkflow])
    result = await replayer.replay_workflow(history(HISTORIES, path))
    assert result.replay_failure is None


def test_the_recorded_histories_cover_every_path_each_to_its_completion() -> None:
    assert set(recorded(HISTORIES)) == PATHS
    for path in PATHS:
        replayed = history(HISTORIES, path)
        events = replayed.events
        assert replayed.workflow_id.startswith("nomination-"), path
        assert events[0].event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, path
        assert events[-1].event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, path


def test_the_overdue_history_holds_the_reminder_and_the_escalation() -> None:
    overdue = history(HISTORIES, "overdue")
    assert activity_types(overdue)[:3] == ["open_review", "remind", "escalate"]


@workflow.defn(name="NominationWorkflow")
class WithoutReminder(NominationWorkflow):
    """A deliberately broken change, for the test below only: the workflow under the same
    name, going straight to a review's due date without reminding the council.

    (Module level, not inside the test: temporalio refuses ``@workflow.run`` on a class
    defined in a function, as it must be referenceable by name.)"""

    @workflow.run
    async def run(self, nomination: NominationInput) -> NominationOutcome:
        return await super().run(nomination)

    async def _review_outcome(self, nomination: NominationInput, task: OpenedTask) -> str:
        self._open_task_id = task.task_id

        def done() -> bool:
            return task.task_id in self._outcomes or self._withdrawn

        if not await self._until(done, task.due_at):
            await self._step(NominationActivities.escalate, nomination, task_id=task.task_id)
        await workflow.wait_condition(done)
        return self._outcomes.get(task.task_id, WITHDRAWN)


async def test_a_workflow_that_no_longer_reminds_fails_to_replay_the_overdue_history() -> None:
    # Unsandboxed: the sandbox would re-import this test module to find the class.
    replayer = Replayer(workflows=[WithoutReminder], workflow_runner=UnsandboxedWorkflowRunner())

    # The copy is otherwise the workflow: a path that never reached a reminder replays...
    await replayer.replay_workflow(history(HISTORIES, "approve"), raise_on_replay_failure=True)
    # ...and the one that did is caught as nondeterministic.
    with pytest.raises(workflow.NondeterminismError, match="marker 'remind'"):
        await replayer.replay_workflow(history(HISTORIES, "overdue"), raise_on_replay_failure=True)
