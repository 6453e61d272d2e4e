"""The event relay: turns the events a workflow waits for into Temporal signals.

The event store is the outbox. The relay follows its log from the position it last
stored, signals each nomination's workflow (signal-with-start: the first event starts
it), and stores the new position after the signals went through. After a crash it
repeats at most one batch of signals; each carries a request id made of its event's
position (``request_id``), by which Temporal drops a repeat before it reaches the
workflow's history — so each event is signalled once, whichever relay sent it how often.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

from sqlalchemy import Engine
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import SignalWorkflowExecutionRequest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.nomination import Nomination
from infrastructure.eventlog import EventLog, LoggedEvent, topics
from infrastructure.metrics import Progress
from infrastructure.positions import RELAY, keep_position, start_position
from workflows import messages as m
from workflows.messages import NominationInput, NominationSignal, workflow_id
from workflows.nomination import NominationWorkflow

log = logging.getLogger(__name__)

SIGNAL = "event"
"""``NominationWorkflow.event``: the signal each relayed event becomes."""


def request_id(logged: LoggedEvent) -> str:
    """The same for every sending of one event's signal, by any relay."""
    return f"laurel-relay-{logged.position}"

CONSUMER = RELAY
RELAYED = topics(
    Nomination.Proposed, Nomination.ReviewedByCouncil, Nomination.Supplemented,
    Nomination.ObjectionLodged, Nomination.ObjectionConfirmed, Nomination.ObjectionResolved,
    Nomination.Decided,
    Nomination.Withdrawn,
    Nomination.ConsultationAnswered, Nomination.AppraisalSignedOff,
)


def signal_for(logged: LoggedEvent) -> NominationSignal:
    """The signal for an event that people caused and the workflow waits for."""
    at = logged.position
    match e := logged.event:
        case Nomination.Proposed():
            return NominationSignal(at, m.PROPOSED, review_steps=len(e.route["reviews"]),
                                    public_notice=bool(e.route.get("public_notice_days")))
        case Nomination.ReviewedByCouncil():
            return NominationSignal(at, m.REVIEWED, task_id=e.task_id, outcome=e.outcome)
        case Nomination.Supplemented():
            return NominationSignal(at, m.SUPPLEMENTED)
        case Nomination.ObjectionLodged():
            return NominationSignal(at, m.OBJECTION_LODGED, objection_id=e.objection_id,
                                    holds=e.confirmed)
        case Nomination.ObjectionConfirmed():
            return NominationSignal(at, m.OBJECTION_CONFIRMED, objection_id=e.objection_id)
        case Nomination.ObjectionResolved():
            return NominationSignal(at, m.OBJECTION_RESOLVED, objection_id=e.objection_id,
                                    outcome=e.outcome)
        case Nomination.Decided():
            return NominationSignal(at, m.DECIDED, task_id=e.task_id, outcome=e.outcome)
        case Nomination.Withdrawn():
            return NominationSignal(at, m.WITHDRAWN)
        case Nomination.ConsultationAnswered():
            return NominationSignal(at, m.CONSULTED, task_id=e.task_id)
        case Nomination.AppraisalSignedOff():
            return NominationSignal(at, m.APPRAISED, task_id=e.task_id,
                                    outcome=e.conclusion if e.agreed else "")
    raise ValueError(f"The relay does not handle {type(e).__name__}")


class EventRelay:
    def __init__(self, client: Client, log: EventLog, engine: Engine, task_queue: str,
                 progress: Progress | None = None) -> None:
        self.client = client
        self.log = log
        self.engine = engine
        self.task_queue = task_queue
        self.progress = progress
        """Told of each read of the log: the process's lag and liveness."""

    async def signal(self, logged: LoggedEvent) -> None:
        """The event's signal to its nomination's workflow, started first by the
        proposal (or by a later event finding none: one lost to Temporal). A workflow
        that has closed takes no signal and does not start again (a late repeat)."""
        nomination_id = str(logged.event.originator_id)
        if isinstance(logged.event, Nomination.Proposed) and not await self._started(
                nomination_id):
            return
        try:
            await self._signal_once(logged, nomination_id)
            return
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND:
                raise
        if await self._started(nomination_id):
            await self._signal_once(logged, nomination_id)

    async def _started(self, nomination_id: str) -> bool:
        """Start the nomination's workflow unless it runs; False if it has closed (its
        id is never used twice)."""
        try:
            await self.client.start_workflow(
                NominationWorkflow.run, NominationInput(nomination_id),
                id=workflow_id(nomination_id), task_queue=self.task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE)
        except WorkflowAlreadyStartedError:
            described = await self.client.get_workflow_handle(
                workflow_id(nomination_id)).describe()
            if described.status != WorkflowExecutionStatus.RUNNING:
                log.debug("workflow of %s already closed; signal dropped", nomination_id)
                return False
        return True

    async def _signal_once(self, logged: LoggedEvent, nomination_id: str) -> None:
        """The event's signal, under a request id of its position: Temporal keeps the ids
        of the signals a run received and drops a request with one of them (the SDK's
        ``handle.signal`` makes a new id for every call, so a repeat would be signalled
        again)."""
        request = SignalWorkflowExecutionRequest(
            namespace=self.client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=workflow_id(nomination_id)),
            signal_name=SIGNAL, identity=self.client.identity,
            request_id=request_id(logged))
        request.input.payloads.extend(
            await self.client.data_converter.encode([signal_for(logged)]))
        await self.client.workflow_service.signal_workflow_execution(request, retry=True)

    async def restart(self, proposed: LoggedEvent) -> None:
        """Start the nomination's workflow again from its proposal, whatever became of the
        last run (``laurel audit workflows``' repair, for an open nomination only): the
        new run reads where the nomination stands from the event store and takes up
        from there; each step it repeats answers with what was recorded."""
        assert isinstance(proposed.event, Nomination.Proposed)
        await self._start(proposed, WorkflowIDReusePolicy.ALLOW_DUPLICATE)

    async def _start(self, logged: LoggedEvent, reuse: WorkflowIDReusePolicy) -> None:
        """Signal-with-start: signals the run if there is one, else starts one."""
        nomination_id = str(logged.event.originator_id)
        await self.client.start_workflow(
            NominationWorkflow.run,
            NominationInput(nomination_id),
            id=workflow_id(nomination_id),
            task_queue=self.task_queue,
            start_signal="event",
            start_signal_args=[signal_for(logged)],
            id_reuse_policy=reuse,
        )

    async def relay(self, events: list[LoggedEvent]) -> None:
        """Signal concurrently across nominations, in log order within each."""
        by_nomination: dict[str, list[LoggedEvent]] = defaultdict(list)
        for logged in events:
            by_nomination[str(logged.event.originator_id)].append(logged)

        async def in_order(batch: list[LoggedEvent]) -> None:
            for logged in batch:
                await self.signal(logged)

        await asyncio.gather(*(in_order(b) for b in by_nomination.values()))

    def position(self) -> int:
        return start_position(self.engine, CONSUMER)

    def store(self, position: int) -> None:
        """Forward only: a position behind the stored one (another relay got further
        while this one finished its batch) leaves it."""
        keep_position(self.engine, CONSUMER, position)

    async def run(self, stop: asyncio.Event) -> None:
        after = await asyncio.to_thread(self.position)
        log.info("relay following the event log from position %d", after)
        polled = self.progress.polled if self.progress else None
        async for batch in self.log.follow(after, stop, batch_size=200, topics=RELAYED,
                                           polled=polled):
            await self.relay(batch.events)
            await asyncio.to_thread(self.store, batch.through)
