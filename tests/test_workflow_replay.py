"""Recorded histories of finished nomination workflows replay on the current code.

A change to workflows/ that would make a running workflow take a different step than its
history records (a nondeterminism error in production) fails here, in process, without a
Temporal server. The histories are recorded by tests/record_workflow_histories.py, one
folder per release of the workflow (``GENERATIONS``): every release's histories replay on
the current code, so a rolling deploy never meets a running workflow it cannot carry on.
Read the script's docstring before re-recording one: a failing replay is fixed in the
workflow (with ``workflow.patched()``), never by recording the history again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from tests.record_workflow_histories import CURRENT
from tests.record_workflow_histories import PATHS as RECORDED_PATHS
from tests.support.workflow_histories import (
    CONFIRMED,
    HISTORIES,
    activity_types,
    history,
    patches,
    recorded,
)
from workflows.activities import NominationActivities
from workflows.messages import WITHDRAWN, NominationInput, NominationOutcome, OpenedTask
from workflows.nomination import CONFIRMS, INSIDE_A_LEVEL, NominationWorkflow

PATHS = {"approve", "reject", "return", "overdue", "withdraw", "public_notice"}
INSIDE_A_LEVEL_FOLDER = HISTORIES / "inside_a_level"
GENERATIONS = {
    HISTORIES: [],
    CONFIRMED: [CONFIRMS],
    INSIDE_A_LEVEL_FOLDER: [CONFIRMS, INSIDE_A_LEVEL],
}
"""Each release's histories and the patches its runs take, oldest first. A release that
adds a patch adds its folder here (tests/record_workflow_histories.py, ``CURRENT``)."""
EVERY_HISTORY = [(folder, name) for folder in GENERATIONS for name in recorded(folder)]


@pytest.mark.parametrize(("folder", "path"), EVERY_HISTORY,
                         ids=[f"{f.relative_to(HISTORIES.parent)}/{n}" for f, n in EVERY_HISTORY])
async def test_a_recorded_history_of_every_release_replays_on_the_current_workflow(
    folder: Path, path: str,
) -> None:
    replayer = Replayer(workflows=[NominationWorkflow])
    result = await replayer.replay_workflow(history(folder, path))
    assert result.replay_failure is None


def test_every_release_s_folder_is_replayed_and_holds_its_own_patches() -> None:
    folders = {HISTORIES, *(p for p in HISTORIES.iterdir() if p.is_dir())}
    assert folders == set(GENERATIONS), "a folder of histories that CI does not replay"
    for folder, expected in GENERATIONS.items():
        assert recorded(folder), folder
        for name in recorded(folder):
            assert patches(history(folder, name)) == expected, (folder, name)


def test_the_recorder_writes_the_newest_release_s_folder_every_path_in_it() -> None:
    newest = list(GENERATIONS)[-1]
    assert newest == CURRENT
    assert set(recorded(CURRENT)) == {p.name for p in RECORDED_PATHS}


def test_the_current_release_s_histories_go_through_consultation_and_appraisal() -> None:
    steps = activity_types(history(CURRENT, "inside_a_level"))
    for step in ("open_consultation", "lapse_consultation", "open_appraisal", "open_review",
                 "open_public_notice", "close_public_notice", "open_decision"):
        assert step in steps, step
    # At the province: the police's days lapse, then the appraisal, then the council.
    after_lapse = steps[steps.index("lapse_consultation"):]
    assert after_lapse.index("open_appraisal") < after_lapse.index("open_review")


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
