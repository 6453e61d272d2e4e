"""Activities: each routing step the workflow takes becomes events on the nomination.

Every activity is idempotent (task ids are derived from the nomination and step), so a
retry after a lost reply records nothing twice. A step asked of a nomination that has
meanwhile closed (withdrawn, say) answers ``closed``: the workflow then ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain import application
from domain.application import Nominations
from domain.errors import ConcurrentChange, DomainError
from workflows.messages import NoticeOpened, OpenedTask, Step

T = TypeVar("T")


class NominationActivities:
    def __init__(self, app: Nominations) -> None:
        self.app = app

    @activity.defn
    def open_review(self, request: Step) -> OpenedTask:
        task = self._run(lambda: self.app.open_review(_id(request), request.step, request.at,
                                                      request.review_round))
        return _opened(task, request)

    @activity.defn
    def remind(self, request: Step) -> bool:
        return self._run(lambda: self.app.remind(_id(request), request.task_id, request.at))

    @activity.defn
    def escalate(self, request: Step) -> bool:
        return self._run(lambda: self.app.escalate(_id(request), request.task_id, request.at))

    @activity.defn
    def open_public_notice(self, request: Step) -> NoticeOpened:
        until = self._run(lambda: self.app.open_public_notice(_id(request), request.at))
        return NoticeOpened(until) if until else NoticeOpened(request.at, closed=True)

    @activity.defn
    def close_public_notice(self, request: Step) -> bool:
        """False while an objection is pending: the workflow waits for the board."""
        return self._run(lambda: self.app.close_public_notice(_id(request), request.at))

    @activity.defn
    def open_decision(self, request: Step) -> OpenedTask:
        task = self._run(lambda: self.app.open_decision(_id(request), request.at))
        return _opened(task, request)

    def all(self) -> list[Callable[..., object]]:
        return [self.open_review, self.remind, self.escalate, self.open_public_notice,
                self.close_public_notice, self.open_decision]

    @staticmethod
    def _run(command: Callable[[], T]) -> T:
        """A lost race is worth retrying; any other refusal would be refused again."""
        try:
            return command()
        except ConcurrentChange:
            raise
        except DomainError as error:
            raise ApplicationError(error.detail, type=error.code, non_retryable=True) from error


def _opened(task: application.OpenedTask | None, request: Step) -> OpenedTask:
    if task is None:
        return OpenedTask("", request.at, request.at, closed=True)
    return OpenedTask(task.task_id, task.due_at, task.remind_at)


def _id(request: Step) -> UUID:
    return UUID(request.nomination_id)
