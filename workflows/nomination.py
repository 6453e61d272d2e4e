"""The nomination workflow: routes one nomination through its reviews to the decision.

Orchestration only. Each step is a local activity that records events on the
nomination; human actions arrive as signals from the event relay. A review left past
its due date is marked overdue and still waits for the council.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from temporalio import workflow

# Passed through: re-imported in the sandbox, eventsourcing stacks its dataclass patch
# per run, and the messages' datetime would not be the datetime the converter knows.
with workflow.unsafe.imports_passed_through():
    from workflows.activities import NominationActivities
    from workflows.messages import (
        PROPOSED,
        MarkOverdue,
        NominationInput,
        NominationOutcome,
        NominationSignal,
        OpenedTask,
        OpenTask,
        Progress,
    )

STEP_TIMEOUT = timedelta(seconds=30)


@workflow.defn
class NominationWorkflow:
    def __init__(self) -> None:
        self._review_steps: int | None = None
        self._outcomes: dict[str, str] = {}
        self._seen: set[int] = set()
        self._open_task_id: str | None = None

    @workflow.signal
    def event(self, signal: NominationSignal) -> None:
        if signal.position in self._seen:
            return  # the relay repeated itself after a restart
        self._seen.add(signal.position)
        if signal.kind == PROPOSED:
            self._review_steps = signal.review_steps
        elif signal.task_id:
            self._outcomes.setdefault(signal.task_id, signal.outcome)

    @workflow.query
    def progress(self) -> Progress:
        return Progress(self._review_steps, self._open_task_id, dict(self._outcomes))

    @workflow.run
    async def run(self, nomination: NominationInput) -> NominationOutcome:
        await workflow.wait_condition(lambda: self._review_steps is not None)
        assert self._review_steps is not None
        for step in range(self._review_steps):
            task = await workflow.execute_local_activity_method(
                NominationActivities.open_review,
                OpenTask(nomination.nomination_id, step, workflow.now()),
                start_to_close_timeout=STEP_TIMEOUT,
            )
            outcome = await self._review_outcome(nomination.nomination_id, task)
            if outcome != "approve":
                return NominationOutcome(outcome, step + 1)
        task = await workflow.execute_local_activity_method(
            NominationActivities.open_decision,
            OpenTask(nomination.nomination_id, self._review_steps, workflow.now()),
            start_to_close_timeout=STEP_TIMEOUT,
        )
        self._open_task_id = task.task_id
        await workflow.wait_condition(lambda: task.task_id in self._outcomes)
        return NominationOutcome(self._outcomes[task.task_id], self._review_steps)

    async def _review_outcome(self, nomination_id: str, task: OpenedTask) -> str:
        """Wait for the council; at the due date record that the review is overdue."""
        self._open_task_id = task.task_id

        def reviewed() -> bool:
            return task.task_id in self._outcomes

        remaining = task.due_at - workflow.now()
        if remaining > timedelta(0):
            with contextlib.suppress(asyncio.TimeoutError):
                await workflow.wait_condition(reviewed, timeout=remaining)
        if not reviewed():
            await workflow.execute_local_activity_method(
                NominationActivities.mark_overdue,
                MarkOverdue(nomination_id, task.task_id, workflow.now()),
                start_to_close_timeout=STEP_TIMEOUT,
            )
            await workflow.wait_condition(reviewed)
        return self._outcomes[task.task_id]

