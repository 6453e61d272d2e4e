"""Open nominations against their workflows: ``laurel audit workflows``, and the relay
process's periodic check.

The event store is the record; a workflow only routes. For every open nomination (its
proposal found in the log, where it stands read from its events) the reconciler asks
Temporal about its workflow (``describe``, then the ``progress`` query) and names each
divergence:

- **no workflow**: Temporal has none for it (never started, or lost);
- **workflow closed**: its run ended (terminated or failed by hand, or ended on a signal
  the store did not back, before signals were confirmed) while the nomination is open;
- **wrong step**: the run waits on a task the store has closed, or not on the task the
  store has open, or plans another number of reviews than the route;
- **task missing**: the nomination waits for a review or its decision and none is open;
- **no answer**: the run does not answer its query (is a worker polling its task
  queue?); nothing can be said of it, nor repaired.

A nomination moves between its event and its workflow's next step: one whose last event
is more recent than ``settle`` seconds is left to the next pass for the divergences a
moving nomination shows for a moment (all but a closed workflow), and each divergence is
named only if the nomination has not changed while it was inspected.

Repair starts the workflow again from the nomination's proposal, through the relay, as
the relay starts every workflow, when it is missing or closed. A run on the wrong step is
first signalled again (a run that confirms signals looks at the store and catches up);
if that does not settle it, it is terminated and started again. Each repair is safe: a
run reads where the nomination stands and each step it repeats is answered with what was
recorded, so nothing is recorded twice. A repair counts once the nomination and its
workflow agree.

Cost: per pass, one load of each open nomination and two calls to Temporal for each
(``concurrency`` at a time); closed nominations are forgotten once seen closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from domain.application import Nominations, Standing
from domain.nomination import Nomination
from domain.vocabulary import Status
from infrastructure.eventlog import EventLog, LoggedEvent, topics
from workflows.messages import Progress, workflow_id
from workflows.nomination import NominationWorkflow
from workflows.relay import EventRelay

log = logging.getLogger(__name__)

NO_WORKFLOW = "no workflow"
WORKFLOW_CLOSED = "workflow closed"
WRONG_STEP = "wrong step"
TASK_MISSING = "task missing"
NO_ANSWER = "no answer"

PROPOSALS = topics(Nomination.Proposed)
WAITING_FOR_A_TASK = frozenset({Status.PROPOSED, Status.UNDER_REVIEW,
                                Status.AWAITING_DECISION, Status.AWAITING_CENTRAL})
"""Statuses in which a nomination always has a task open, once its workflow has acted."""
SETTLE = 120.0
"""Seconds a nomination must have been still before a passing divergence is named."""


@dataclass(frozen=True)
class Divergence:
    nomination_id: str
    status: str
    kind: str
    detail: str
    repaired: bool = False

    def render(self) -> str:
        outcome = "repaired" if self.repaired else "NOT repaired"
        return (f"nomination {self.nomination_id} ({self.status}): {self.kind}: "
                f"{self.detail} — {outcome}")


@dataclass
class Report:
    checked: int = 0
    """Open nominations compared with their workflows."""
    divergences: list[Divergence] = field(default_factory=list)
    repairing: bool = False

    @property
    def unrepaired(self) -> list[Divergence]:
        return [d for d in self.divergences if not d.repaired]

    def render(self) -> str:
        lines = [f"Checked {self.checked} open nomination(s) against their workflows."]
        lines += [f"  {d.render()}" for d in self.divergences]
        if not self.divergences:
            lines.append("Every one is where its events say, with its workflow.")
        else:
            repaired = len(self.divergences) - len(self.unrepaired)
            lines.append(f"{len(self.divergences)} divergence(s): {repaired} repaired, "
                         f"{len(self.unrepaired)} left."
                         + ("" if self.repairing else " Run with --repair to repair them."))
        return "\n".join(lines)


class Reconciler:
    def __init__(
        self, client: Client, app: Nominations, log: EventLog, relay: EventRelay, *,
        settle: float = SETTLE, concurrency: int = 16, answer_within: float = 10.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.app = app
        self.log = log
        self.relay = relay
        self.settle = timedelta(seconds=settle)
        self.concurrency = concurrency
        self.answer_within = answer_within
        """Seconds a query, and a repaired workflow's agreement, are waited for."""
        self.clock = clock
        self._proposals: dict[str, int] = {}
        """Each nomination not yet seen closed, with its proposal's position in the log."""
        self._read_through = 0

    # -- a pass ---------------------------------------------------------------------

    async def check(self, repair: bool = False) -> Report:
        """Compare every open nomination with its workflow; repair if asked."""
        await asyncio.to_thread(self._read_proposals)
        standings = await asyncio.to_thread(self._standings, list(self._proposals))
        for nomination_id, standing in standings.items():
            if standing.closed:
                del self._proposals[nomination_id]
        still_open = {n: s for n, s in standings.items() if not s.closed}
        limit = asyncio.Semaphore(self.concurrency)

        async def one(nomination_id: str, standing: Standing) -> Divergence | None:
            async with limit:
                return await self._reconcile(nomination_id, standing, repair)

        found = await asyncio.gather(*(one(n, s) for n, s in still_open.items()))
        return Report(len(still_open), [d for d in found if d is not None], repair)

    async def run(self, stop: asyncio.Event, interval: float) -> None:
        """Check and repair every ``interval`` seconds until ``stop`` is set; each
        divergence is logged as a warning."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
            if stop.is_set():
                return
            checking = asyncio.ensure_future(self.check(repair=True))
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({checking, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not checking.done():
                checking.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await checking
                return
            report = checking.result()
            for divergence in report.divergences:
                log.warning("workflow audit: %s", divergence.render())
            log.log(logging.WARNING if report.unrepaired else logging.INFO,
                    "workflow audit: %d open nominations checked, %d divergences, %d left",
                    report.checked, len(report.divergences), len(report.unrepaired))

    # -- one nomination -------------------------------------------------------------

    async def _reconcile(self, nomination_id: str, standing: Standing,
                         repair: bool) -> Divergence | None:
        found = await self._inspect(nomination_id, standing, self.settle)
        if found is None:
            return None
        again = await asyncio.to_thread(self.app.standing, UUID(nomination_id))
        if again.closed or again.modified_at != standing.modified_at:
            return None  # it moved meanwhile: the next pass sees where it went
        if not repair or found.kind == NO_ANSWER:
            return found
        return replace(found, repaired=await self._repair(nomination_id, found))

    async def _inspect(self, nomination_id: str, standing: Standing,
                       settle: timedelta) -> Divergence | None:
        def diverges(kind: str, detail: str) -> Divergence:
            return Divergence(nomination_id, standing.status, kind, detail)

        still = self.clock() - standing.modified_at >= settle
        handle = self.client.get_workflow_handle_for(NominationWorkflow.run,
                                                     workflow_id(nomination_id))
        try:
            described = await handle.describe()
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND:
                raise
            return diverges(NO_WORKFLOW, "Temporal has no workflow for it") if still else None
        if described.status != WorkflowExecutionStatus.RUNNING:
            state = described.status.name.lower() if described.status else "closed"
            return diverges(WORKFLOW_CLOSED,
                            f"its workflow is {state} while the nomination is open")
        if not still:
            return None
        try:
            progress = await handle.query(
                NominationWorkflow.progress, rpc_timeout=timedelta(seconds=self.answer_within))
        except (WorkflowQueryFailedError, RPCError) as error:
            return diverges(NO_ANSWER, f"its workflow did not answer its progress query "
                            f"({error}); is a worker polling task queue "
                            f"{self.relay.task_queue}?")
        wrong = _compared(standing, progress)
        return None if wrong is None else diverges(*wrong)

    async def _repair(self, nomination_id: str, found: Divergence) -> bool:
        proposed = await asyncio.to_thread(self._proposal, nomination_id)
        if found.kind in (NO_WORKFLOW, WORKFLOW_CLOSED):
            await self.relay.restart(proposed)
            return await self._agrees(nomination_id)
        await self.relay.signal(proposed)  # a run that confirms signals looks again
        if await self._agrees(nomination_id):
            return True
        handle = self.client.get_workflow_handle(workflow_id(nomination_id))
        with contextlib.suppress(RPCError):  # it may have ended meanwhile
            await handle.terminate(reason=f"laurel audit workflows: {found.kind}: "
                                   f"{found.detail}; started again from its events")
        await self.relay.restart(proposed)
        return await self._agrees(nomination_id)

    async def _agrees(self, nomination_id: str) -> bool:
        """Whether the nomination and its workflow come to agree within a while."""
        deadline = asyncio.get_running_loop().time() + self.answer_within
        while True:
            standing = await asyncio.to_thread(self.app.standing, UUID(nomination_id))
            if standing.closed or await self._inspect(nomination_id, standing,
                                                      timedelta(0)) is None:
                return True
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.2)

    # -- the event store ------------------------------------------------------------

    def _read_proposals(self) -> None:
        """Note the nominations proposed since the last pass."""
        while events := self.log.read(self._read_through, 1000, PROPOSALS):
            for logged in events:
                self._proposals[logged.nomination_id] = logged.position
            self._read_through = events[-1].position

    def _standings(self, nomination_ids: list[str]) -> dict[str, Standing]:
        return {n: self.app.standing(UUID(n)) for n in nomination_ids}

    def _proposal(self, nomination_id: str) -> LoggedEvent:
        position = self._proposals[nomination_id]
        (logged,) = self.log.read(position - 1, 1, PROPOSALS, through=position)
        return logged


def _compared(standing: Standing, progress: Progress) -> tuple[str, str] | None:
    """What is wrong between where the nomination stands and what its workflow waits on."""
    waiting = progress.open_task_id or ""
    if waiting in progress.outcomes:
        waiting = ""  # its outcome is known: the run waits on no task
    if progress.review_steps is not None and progress.review_steps != standing.review_steps:
        return WRONG_STEP, (f"its workflow plans {progress.review_steps} review(s); the "
                            f"route has {standing.review_steps}")
    if standing.open_task_id:
        if waiting == standing.open_task_id:
            return None
        return WRONG_STEP, (f"task {standing.open_task_id} is open; its workflow waits on "
                            + (f"task {waiting}" if waiting else "no task"))
    if waiting:
        closed = standing.outcomes.get(waiting)
        return WRONG_STEP, (f"its workflow waits on task {waiting}, which is "
                            + (f"closed ({closed})" if closed else "not open"))
    if standing.status in WAITING_FOR_A_TASK:
        return TASK_MISSING, f"it is {standing.status} and no task is open"
    return None
