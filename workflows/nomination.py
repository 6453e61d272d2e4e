"""The nomination workflow: routes one nomination through its reviews to the decision.

Orchestration only. Each step is a local activity that records events on the
nomination; people's actions arrive as signals from the event relay. Per review: a
reminder at 80 % of the time, overdue and escalated when it lapses, and still waiting
for the council. A return waits for the proposer's supplement and reopens the same
level. A state-level award waits out its public comment period and any objection. A
withdrawal ends it wherever it is.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow

# Passed through: re-imported in the sandbox, eventsourcing stacks its dataclass patch
# per run, and the messages' datetime would not be the datetime the converter knows.
with workflow.unsafe.imports_passed_through():
    from domain.vocabulary import ObjectionOutcome, ReviewOutcome, TaskClosure
    from workflows import messages as m
    from workflows.activities import NominationActivities
    from workflows.messages import (
        NominationInput,
        NominationOutcome,
        NominationSignal,
        OpenedTask,
        Progress,
        Step,
    )

STEP_TIMEOUT = timedelta(seconds=30)


@workflow.defn
class NominationWorkflow:
    def __init__(self) -> None:
        self._review_steps: int | None = None
        self._public_notice = False
        self._outcomes: dict[str, str] = {}
        self._seen: set[int] = set()
        self._open_task_id: str | None = None
        self._supplements = 0
        self._withdrawn = False
        self._objections: dict[str, str] = {}  # id → "" while pending, else the outcome

    @workflow.signal
    def event(self, signal: NominationSignal) -> None:
        if signal.position in self._seen:
            return  # the relay repeated itself after a restart
        self._seen.add(signal.position)
        match signal.kind:
            case m.PROPOSED:
                self._review_steps = signal.review_steps
                self._public_notice = signal.public_notice
            case m.SUPPLEMENTED:
                self._supplements += 1
            case m.WITHDRAWN:
                self._withdrawn = True
            case m.OBJECTION_LODGED:
                self._objections.setdefault(signal.objection_id, "")
            case m.OBJECTION_RESOLVED:
                self._objections[signal.objection_id] = signal.outcome
            case _ if signal.task_id:
                self._outcomes.setdefault(signal.task_id, signal.outcome)

    @workflow.query
    def progress(self) -> Progress:
        return Progress(self._review_steps, self._open_task_id, dict(self._outcomes),
                        self._supplements, self._withdrawn, dict(self._objections))

    @workflow.run
    async def run(self, nomination: NominationInput) -> NominationOutcome:
        await workflow.wait_condition(lambda: self._review_steps is not None)
        steps = self._review_steps or 0
        step = supplements_seen = review_round = 0
        while step < steps:
            task = await self._step(NominationActivities.open_review, nomination, step=step,
                                    review_round=review_round)
            if task.closed:
                return self._ended(step)
            outcome = await self._review_outcome(nomination, task)
            if outcome == ReviewOutcome.APPROVE:
                step, review_round = step + 1, 0
            elif outcome == ReviewOutcome.RETURN:
                await workflow.wait_condition(self._supplemented_after(supplements_seen))
                supplements_seen += 1
                review_round += 1
            elif outcome == TaskClosure.WITHDRAWN:  # while the review was open: not counted
                return NominationOutcome(outcome, step)
            else:  # rejected at this step
                return NominationOutcome(outcome, step + 1)
            if self._withdrawn:
                return self._ended(step)
        if self._public_notice and not await self._public_notice_passed(nomination):
            return self._ended(steps)
        decision = await self._step(NominationActivities.open_decision, nomination)
        if decision.closed:
            return self._ended(steps)
        self._open_task_id = decision.task_id
        await workflow.wait_condition(lambda: decision.task_id in self._outcomes
                                      or self._withdrawn)
        return NominationOutcome(self._outcomes.get(decision.task_id, TaskClosure.WITHDRAWN),
                                 steps)

    # -- the parts ------------------------------------------------------------------

    async def _review_outcome(self, nomination: NominationInput, task: OpenedTask) -> str:
        """Wait for the council: remind at ``remind_at``, escalate at ``due_at``."""
        self._open_task_id = task.task_id

        def done() -> bool:
            return task.task_id in self._outcomes or self._withdrawn

        if not await self._until(done, task.remind_at):
            await self._step(NominationActivities.remind, nomination, task_id=task.task_id)
        if not await self._until(done, task.due_at):
            await self._step(NominationActivities.escalate, nomination, task_id=task.task_id)
        await workflow.wait_condition(done)
        return self._outcomes.get(task.task_id, TaskClosure.WITHDRAWN)

    async def _public_notice_passed(self, nomination: NominationInput) -> bool:
        """Wait out the comment period and every objection; False if it ended there."""
        notice = await self._step(NominationActivities.open_public_notice, nomination)
        if notice.closed:
            return False

        def ended() -> bool:
            return self._withdrawn or ObjectionOutcome.UPHELD in self._objections.values()

        await self._until(ended, notice.until)
        while not ended():
            await workflow.wait_condition(lambda: ended() or "" not in self._objections.values())
            if ended():
                break
            known = len(self._objections)
            if await self._step(NominationActivities.close_public_notice, nomination):
                return True
            # An objection was lodged that this workflow has not been told of yet.
            await workflow.wait_condition(self._objected_after(known))
        return False

    def _supplemented_after(self, seen: int) -> Callable[[], bool]:
        return lambda: self._supplements > seen or self._withdrawn

    def _objected_after(self, known: int) -> Callable[[], bool]:
        return lambda: (self._withdrawn or ObjectionOutcome.UPHELD in self._objections.values()
                        or len(self._objections) > known)

    async def _until(self, condition: Callable[[], bool], moment: datetime) -> bool:
        """Wait for ``condition`` until ``moment``; whether it came true."""
        remaining = moment - workflow.now()
        if remaining > timedelta(0) and not condition():
            with contextlib.suppress(asyncio.TimeoutError):
                await workflow.wait_condition(condition, timeout=remaining)
        return condition()

    async def _step(self, activity: Callable[..., Any], nomination: NominationInput,
                    **fields: Any) -> Any:
        return await workflow.execute_local_activity_method(
            activity, Step(nomination.nomination_id, workflow.now(), **fields),
            start_to_close_timeout=STEP_TIMEOUT,
        )

    def _ended(self, step: int) -> NominationOutcome:
        return NominationOutcome(TaskClosure.WITHDRAWN if self._withdrawn else "closed", step)
