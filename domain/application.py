"""The nominations application: load a nomination, give it a command, save its events.

Methods take the actor and the time as arguments and return ids or plain data; the
aggregate never leaves this module. A save that lost an optimistic-concurrency race
raises ``ConcurrentChange`` and stores nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.errors import ConcurrentChange, NotFound, TaskClosed
from domain.nomination import Actor, Nomination
from domain.policy import Policy

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@dataclass(frozen=True)
class Proposal:
    id: UUID
    tracking_code: str


@dataclass(frozen=True)
class OpenedTask:
    task_id: str
    due_at: datetime


class Nominations(Application[UUID]):
    name = "laurel"

    def __init__(self, policy: Policy, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.policy = policy

    def propose(
        self, actor: Actor, *, award_code: str, nominee: dict[str, Any], achievements: str,
        documents: list[dict[str, Any]], at: datetime,
    ) -> Proposal:
        route = self.policy.plan_route(award_code, actor.unit_id, str(nominee.get("kind")))
        nomination = Nomination.propose(
            nomination_id=uuid4(),
            tracking_code=new_tracking_code(),
            actor=actor,
            award_code=award_code,
            nominee=nominee,
            achievements=achievements,
            documents=documents,
            policy_version=self.policy.version,
            route=route,
            at=at,
        )
        self._save(nomination)
        return Proposal(nomination.id, nomination.tracking_code)

    def open_review(self, nomination_id: UUID, step: int, at: datetime) -> OpenedTask:
        return self._open(nomination_id, lambda n: n.open_review(step, at))

    def open_decision(self, nomination_id: UUID, at: datetime) -> OpenedTask:
        return self._open(
            nomination_id, lambda n: n.open_decision(at, self.policy.decision_days)
        )

    def mark_overdue(self, nomination_id: UUID, task_id: str, at: datetime) -> bool:
        """Record that a review lapsed; False when the council acted first."""
        nomination = self._get(nomination_id)
        try:
            nomination.mark_overdue(task_id, at)
        except TaskClosed:
            return False
        self._save(nomination)
        return True

    def review(
        self, nomination_id: UUID, task_id: str, actor: Actor, *, outcome: str,
        votes: dict[str, int], note: str, at: datetime,
    ) -> None:
        nomination = self._get(nomination_id)
        nomination.review(task_id, actor=actor, outcome=outcome, votes=votes, note=note, at=at)
        self._save(nomination)

    def decide(
        self, nomination_id: UUID, task_id: str, actor: Actor, *, outcome: str,
        decision_number: str, decision_date: str, signer: str, at: datetime,
    ) -> None:
        nomination = self._get(nomination_id)
        nomination.decide(
            task_id, actor=actor, outcome=outcome, decision_number=decision_number,
            decision_date=decision_date, signer=signer, at=at,
        )
        self._save(nomination)

    def status(self, nomination_id: UUID) -> str:
        return self._get(nomination_id).status

    def event_types(self, nomination_id: UUID) -> list[str]:
        """The names of a nomination's events, oldest first."""
        return [type(e).__name__ for e in self.events.get(nomination_id)]

    # -- helpers ------------------------------------------------------------------

    def _open(self, nomination_id: UUID, open_task: Callable[[Nomination], str]) -> OpenedTask:
        nomination = self._get(nomination_id)
        task_id = open_task(nomination)
        self._save(nomination)
        return OpenedTask(task_id, nomination.tasks[task_id].due_at)

    def _get(self, nomination_id: UUID) -> Nomination:
        try:
            nomination: Nomination = self.repository.get(nomination_id)
        except AggregateNotFoundError:
            raise NotFound(f"No nomination {nomination_id}") from None
        return nomination

    def _save(self, nomination: Nomination) -> None:
        try:
            self.save(nomination)
        except IntegrityError:
            raise ConcurrentChange(
                "The nomination changed while this command was given; reload and retry"
            ) from None
