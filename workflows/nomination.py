"""The nomination workflow: routes one nomination through its reviews to the decision.

Orchestration only. Each step is a local activity that records events on the
nomination; people's actions arrive as signals from the event relay. Per review: a
reminder at 80 % of the time, overdue and escalated when it lapses, and still waiting
for the council. A return waits for the proposer's supplement and reopens the same
level. A state-level award waits out its public comment period and any objection. A
withdrawal ends it wherever it is.

A signal is never taken at its word. Anyone who can reach Temporal can signal a workflow,
so a run acts only on what the event store confirms: each signal is a reason to look at
where the nomination stands (``read_standing``, a local activity that changes nothing),
and the run waits, ends or turns on that alone. A signal the store does not back is
logged and changes nothing. Runs started before this (their histories hold no
``CONFIRMS`` patch marker) keep acting on the signals as they did, so that their
histories replay; ``laurel audit workflows`` finds any of them that went astray.
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
        Standing,
        Step,
    )

STEP_TIMEOUT = timedelta(seconds=30)
CONFIRMS = "confirm-signals-with-the-event-store"
"""The patch under which a run acts only on what the event store confirms."""
INSIDE_A_LEVEL = "consultation-and-appraisal-before-the-council"
"""The patch under which a level consults its agencies and appraises the dossier before
its council's task opens, where the route says so."""
NO_NOMINATION = "no-nomination"
"""The outcome of a run started for a nomination the event store does not have."""


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
        self._inside_a_level = False
        """Whether this run takes the steps inside a level (runs started before do not)."""
        self._confirms: bool | None = None
        """Whether this run acts only on what the event store confirms (None until the
        run has asked ``workflow.patched``). Then the state above is the store's, as of
        the last look, and signals no longer write it."""
        self._nomination: NominationInput | None = None
        self._rings = 0
        """Signals received, repeats included: each one is a reason to look again."""
        self._looked = 0
        """Of those, the ones received before the last look began."""
        self._heard: list[NominationSignal] = []
        """Signals not yet compared with the store (logged if it does not back them)."""

    @workflow.signal
    def event(self, signal: NominationSignal) -> None:
        self._rings += 1
        if self._confirms is not False:
            self._heard.append(signal)
        if self._confirms:
            return  # only a reason to look: the run acts on what the store says
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
            case m.OBJECTION_LODGED | m.OBJECTION_CONFIRMED if signal.holds:
                # An objection lodged without an account holds nothing until its author
                # confirms it (the relay says so in ``holds``; older signals held).
                self._objections.setdefault(signal.objection_id, "")
            case m.OBJECTION_RESOLVED:
                self._objections[signal.objection_id] = signal.outcome
            case m.CONSULTED | m.APPRAISED:
                pass  # only runs that confirm with the store take these steps
            case _ if signal.task_id:
                self._outcomes.setdefault(signal.task_id, signal.outcome)

    @workflow.query
    def progress(self) -> Progress:
        return Progress(self._review_steps, self._open_task_id, dict(self._outcomes),
                        self._supplements, self._withdrawn, dict(self._objections),
                        confirms=bool(self._confirms))

    @workflow.run
    async def run(self, nomination: NominationInput) -> NominationOutcome:
        await workflow.wait_condition(lambda: self._review_steps is not None)
        self._nomination = nomination
        self._confirms = workflow.patched(CONFIRMS)
        # Asked here, before any await: every patch of a run is asked at its first step.
        self._inside_a_level = self._confirms and workflow.patched(INSIDE_A_LEVEL)
        if not self._confirms:
            self._heard.clear()
        elif not await self._look():
            workflow.logger.warning("Nomination %s is not in the event store: this workflow "
                                    "was not started by Laurel; it ends",
                                    nomination.nomination_id)
            return NominationOutcome(NO_NOMINATION, 0)
        steps = self._review_steps or 0
        step = supplements_seen = review_round = 0
        while step < steps:
            if self._inside_a_level and not await self._before_the_council(
                    nomination, step, review_round):
                return self._ended(step)
            task = await self._step(NominationActivities.open_review, nomination, step=step,
                                    review_round=review_round)
            if task.closed:
                return self._ended(step)
            outcome = await self._review_outcome(nomination, task)
            if outcome == ReviewOutcome.APPROVE:
                step, review_round = step + 1, 0
            elif outcome == ReviewOutcome.RETURN:
                await self._wait(self._supplemented_after(supplements_seen))
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
        await self._wait(lambda: decision.task_id in self._outcomes or self._withdrawn)
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
        await self._wait(done)
        return self._outcomes.get(task.task_id, TaskClosure.WITHDRAWN)

    async def _before_the_council(self, nomination: NominationInput, step: int,
                                  review_round: int) -> bool:
        """The agencies consulted (first time at the level) and the dossier appraised,
        where the route has them; False if the nomination ended meanwhile."""
        if review_round == 0:
            consultation = await self._step(NominationActivities.open_consultation,
                                            nomination, step=step)
            moment = consultation.due_at
            while consultation.task_id and not consultation.closed:
                def answered(task_id: str = consultation.task_id) -> bool:
                    return task_id in self._outcomes or self._withdrawn

                if await self._until(answered, moment):
                    break
                consultation = await self._step(NominationActivities.lapse_consultation,
                                                nomination, step=step,
                                                task_id=consultation.task_id)
                moment = consultation.due_at
        if self._withdrawn:
            return False
        appraisal = await self._step(NominationActivities.open_appraisal, nomination,
                                     step=step, review_round=review_round)
        if appraisal.task_id and not appraisal.closed:
            await self._review_outcome(nomination, appraisal)
        return not self._withdrawn

    async def _public_notice_passed(self, nomination: NominationInput) -> bool:
        """Wait out the comment period and every objection; False if it ended there."""
        notice = await self._step(NominationActivities.open_public_notice, nomination)
        if notice.closed:
            return False

        def ended() -> bool:
            return self._withdrawn or ObjectionOutcome.UPHELD in self._objections.values()

        await self._until(ended, notice.until)
        while not ended():
            await self._wait(lambda: ended() or "" not in self._objections.values())
            if ended():
                break
            known = len(self._objections)
            if await self._step(NominationActivities.close_public_notice, nomination):
                return True
            # An objection was lodged that this workflow has not been told of yet.
            await self._wait(self._objected_after(known))
        return False

    def _supplemented_after(self, seen: int) -> Callable[[], bool]:
        return lambda: self._supplements > seen or self._withdrawn

    def _objected_after(self, known: int) -> Callable[[], bool]:
        return lambda: (self._withdrawn or ObjectionOutcome.UPHELD in self._objections.values()
                        or len(self._objections) > known)

    async def _until(self, condition: Callable[[], bool], moment: datetime) -> bool:
        """Wait for ``condition`` until ``moment``; whether it came true."""
        if self._confirms:
            return await self._confirmed(condition, moment)
        remaining = moment - workflow.now()
        if remaining > timedelta(0) and not condition():
            with contextlib.suppress(asyncio.TimeoutError):
                await workflow.wait_condition(condition, timeout=remaining)
        return condition()

    async def _wait(self, condition: Callable[[], bool]) -> None:
        """Wait for ``condition``, however long it takes."""
        if self._confirms:
            await self._confirmed(condition)
        else:
            await workflow.wait_condition(condition)

    async def _confirmed(self, condition: Callable[[], bool],
                         moment: datetime | None = None) -> bool:
        """Wait until the event store confirms ``condition`` (or until ``moment``): on
        each signal, look at where the nomination stands, and test the condition on that."""
        def rang() -> bool:
            return self._rings > self._looked

        while not condition():
            if moment is None:
                await workflow.wait_condition(rang)
            else:
                remaining = moment - workflow.now()
                if remaining <= timedelta(0):
                    return False
                try:
                    await workflow.wait_condition(rang, timeout=remaining)
                except TimeoutError:
                    return False
            await self._look()
        return True

    async def _look(self) -> bool:
        """Take where the nomination stands in the event store as this run's state; log
        the signals it does not back. False if the store has no such nomination."""
        assert self._nomination is not None
        self._looked = self._rings
        heard, self._heard = self._heard, []
        standing: Standing = await self._step(NominationActivities.read_standing,
                                              self._nomination)
        for signal in heard:
            if not _backed(signal, standing):
                workflow.logger.warning(
                    "Ignored a '%s' signal (position %d) that the event store does not back: "
                    "nomination %s is %s", signal.kind, signal.position,
                    self._nomination.nomination_id, standing.status or "not there")
        if not standing.exists:
            return False
        self._review_steps, self._public_notice = standing.review_steps, standing.public_notice
        self._outcomes = dict(standing.outcomes)
        self._supplements = standing.supplements
        self._withdrawn = standing.withdrawn
        self._objections = dict(standing.objections)
        return True

    async def _step(self, activity: Callable[..., Any], nomination: NominationInput,
                    **fields: Any) -> Any:
        return await workflow.execute_local_activity_method(
            activity, Step(nomination.nomination_id, workflow.now(), **fields),
            start_to_close_timeout=STEP_TIMEOUT,
        )

    def _ended(self, step: int) -> NominationOutcome:
        return NominationOutcome(TaskClosure.WITHDRAWN if self._withdrawn else "closed", step)


def _backed(signal: NominationSignal, standing: Standing) -> bool:
    """Whether the event store holds the event a signal speaks of."""
    match signal.kind:
        case m.PROPOSED:
            return standing.exists and standing.review_steps == signal.review_steps
        case m.REVIEWED | m.DECIDED:
            return standing.outcomes.get(signal.task_id) == signal.outcome
        case m.APPRAISED if signal.outcome:
            return standing.outcomes.get(signal.task_id) == signal.outcome
        case m.APPRAISED | m.CONSULTED:
            return standing.exists  # recorded on a task still open: nothing to compare
        case m.SUPPLEMENTED:
            return standing.supplements > 0
        case m.WITHDRAWN:
            return standing.withdrawn
        case m.OBJECTION_LODGED if not signal.holds:
            return True  # it holds nothing, so the store lists it nowhere the run looks
        case m.OBJECTION_LODGED | m.OBJECTION_CONFIRMED:
            return signal.objection_id in standing.objections
        case m.OBJECTION_RESOLVED:
            return standing.objections.get(signal.objection_id) == signal.outcome
    return False
