"""Activities: each routing step the workflow takes becomes events on the nomination.

Every activity is idempotent (task ids are derived from the nomination and step), so a
retry after a lost reply records nothing twice. A step asked of a nomination that has
meanwhile closed (withdrawn, say) answers ``closed``: the workflow then ends.
``read_standing`` changes nothing: it tells the workflow where the nomination stands in
the event store, which is all the workflow acts on (a signal is only a reason to look).

The steps are given to the process's command thread (``GroupCommit``) rather than run on
activity threads of their own: the steps of workflows that run together are saved in one
transaction, and the worker's event loop only waits for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain import application
from domain.application import Nominations
from domain.commands import OpenedTask as Opened
from domain.errors import ConcurrentChange, DomainError, NotFound
from domain.inside_level import LevelWork
from domain.vocabulary import Status
from infrastructure.group_commit import GroupCommit
from workflows.messages import NoticeOpened, OpenedTask, Standing, Step

T = TypeVar("T")


class NominationActivities:
    def __init__(self, commands: GroupCommit) -> None:
        self.commands = commands
        self.app: Nominations = commands.nominations

    @activity.defn
    async def open_review(self, request: Step) -> OpenedTask:
        task = await self._run(lambda: self.app.open_review(
            _id(request), request.step, request.at, request.review_round))
        return _opened(task, request)

    @activity.defn
    async def remind(self, request: Step) -> bool:
        return await self._run(
            lambda: self.app.remind(_id(request), request.task_id, request.at))

    @activity.defn
    async def escalate(self, request: Step) -> bool:
        return await self._run(
            lambda: self.app.escalate(_id(request), request.task_id, request.at))

    @activity.defn
    async def open_public_notice(self, request: Step) -> NoticeOpened:
        until = await self._run(lambda: self.app.open_public_notice(_id(request), request.at))
        return NoticeOpened(until) if until else NoticeOpened(request.at, closed=True)

    @activity.defn
    async def close_public_notice(self, request: Step) -> bool:
        """False while an objection is pending: the workflow waits for the board."""
        return await self._run(lambda: self.app.close_public_notice(_id(request), request.at))

    @activity.defn
    async def open_decision(self, request: Step) -> OpenedTask:
        task = await self._run(lambda: self.app.open_decision(_id(request), request.at))
        return _opened(task, request)

    @activity.defn
    async def open_consultation(self, request: Step) -> OpenedTask:
        """Ask the agencies of ``step`` (once); ``task_id`` "": none are asked here."""
        task = await self._run(lambda: LevelWork(self.app).open_consultation(
            _id(request), request.step, request.at))
        return _opened(task, request) if task else OpenedTask("", request.at, request.at)

    @activity.defn
    async def lapse_consultation(self, request: Step) -> OpenedTask:
        """Record the agencies whose time is up; ``closed`` once none is awaited, else
        ``due_at``: when the next answer is due."""
        due = await self._run(lambda: LevelWork(self.app).lapse_consultation(
            _id(request), request.task_id, request.at))
        return (OpenedTask(request.task_id, due, due) if due else
                OpenedTask(request.task_id, request.at, request.at, closed=True))

    @activity.defn
    async def open_appraisal(self, request: Step) -> OpenedTask:
        """Open the board's appraisal of ``step`` (once); ``task_id`` "": none here."""
        task = await self._run(lambda: LevelWork(self.app).open_appraisal(
            _id(request), request.step, request.review_round or 0, request.at))
        return _opened(task, request) if task else OpenedTask("", request.at, request.at)

    @activity.defn
    async def read_standing(self, request: Step) -> Standing:
        """Read only; given on the command thread like the steps, so it sees every event
        saved before it, the steps' own included."""
        def read() -> application.Standing | None:
            try:
                return self.app.standing(_id(request))
            except NotFound:
                return None

        standing = await self._run(read)
        if standing is None:
            return Standing(exists=False)
        return Standing(status=standing.status, withdrawn=standing.status == Status.WITHDRAWN,
                        review_steps=standing.review_steps,
                        public_notice=standing.public_notice, outcomes=standing.outcomes,
                        supplements=standing.supplements, objections=standing.objections)

    def all(self) -> list[Callable[..., object]]:
        return [self.open_review, self.remind, self.escalate, self.open_public_notice,
                self.close_public_notice, self.open_decision, self.read_standing,
                self.open_consultation, self.lapse_consultation, self.open_appraisal]

    async def _run(self, command: Callable[[], T]) -> T:
        """A lost race is worth retrying; any other refusal would be refused again."""
        try:
            return await self.commands.run(command)
        except ConcurrentChange:
            raise
        except DomainError as error:
            raise ApplicationError(error.detail, type=error.code, non_retryable=True) from error


def _opened(task: Opened | None, request: Step) -> OpenedTask:
    if task is None:
        return OpenedTask("", request.at, request.at, closed=True)
    return OpenedTask(task.task_id, task.due_at, task.remind_at, task.closed)


def _id(request: Step) -> UUID:
    return UUID(request.nomination_id)
