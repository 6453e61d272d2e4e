"""Activities: each routing step the workflow takes becomes events on the nomination.

Every activity is idempotent (task ids are derived from the nomination and step), so a
retry after a lost reply records nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.application import Nominations
from domain.errors import ConcurrentChange, DomainError
from workflows.messages import MarkOverdue, OpenedTask, OpenTask

T = TypeVar("T")


class NominationActivities:
    def __init__(self, app: Nominations) -> None:
        self.app = app

    @activity.defn
    def open_review(self, request: OpenTask) -> OpenedTask:
        task = self._run(
            lambda: self.app.open_review(UUID(request.nomination_id), request.step, request.at)
        )
        return OpenedTask(task.task_id, task.due_at)

    @activity.defn
    def open_decision(self, request: OpenTask) -> OpenedTask:
        task = self._run(
            lambda: self.app.open_decision(UUID(request.nomination_id), request.at)
        )
        return OpenedTask(task.task_id, task.due_at)

    @activity.defn
    def mark_overdue(self, request: MarkOverdue) -> bool:
        return self._run(
            lambda: self.app.mark_overdue(
                UUID(request.nomination_id), request.task_id, request.at
            )
        )

    @staticmethod
    def _run(command: Callable[[], T]) -> T:
        """A lost race is worth retrying; any other refusal would be refused again."""
        try:
            return command()
        except ConcurrentChange:
            raise
        except DomainError as error:
            raise ApplicationError(
                error.detail, type=error.code, non_retryable=True
            ) from error
