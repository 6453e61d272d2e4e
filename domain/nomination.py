"""The nomination aggregate: one nominee proposed for one award, and its journey.

Command methods decide (check the process rules, raise named errors) and trigger
events; each event's ``apply`` only copies its fields onto the state. Every event
carries who caused it (actor id, the role they acted in, their unit) and the time the
command was given, so replays never read the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import (
    InvalidTransition,
    InvalidVoteTally,
    NotFound,
    TaskClosed,
    WrongRole,
    WrongTaskKind,
)
from domain.policy import Route

REVIEW_OUTCOMES = ("approve", "reject", "return")
DECISION_OUTCOMES = ("awarded", "not_awarded")
SYSTEM = "laurel"
"""The actor id of steps the workflow takes on its own (opening tasks, deadlines)."""

# Status values, in the order a nomination usually passes them.
PROPOSED = "proposed"
UNDER_REVIEW = "under_review"
AWAITING_DECISION = "awaiting_decision"
AWARDED = "awarded"
NOT_AWARDED = "not_awarded"
REJECTED = "rejected"
RETURNED = "returned"
FINAL_STATUSES = frozenset({AWARDED, NOT_AWARDED, REJECTED, RETURNED})


@dataclass(frozen=True)
class Actor:
    """Who gives a command: their id, their roles and the org unit they act for."""

    id: str
    roles: frozenset[str]
    unit_id: str

    def acting_as(self, role: str) -> str:
        if role not in self.roles:
            raise WrongRole(f"This needs the role '{role}'")
        return role


SYSTEM_ACTOR = Actor(SYSTEM, frozenset({"system"}), "")


@dataclass
class Task:
    """A review or decision waiting at one unit."""

    id: str
    kind: str  # "review" | "decision"
    level: str
    unit_id: str
    opened_at: datetime
    due_at: datetime
    open: bool = True
    overdue: bool = False
    outcome: str | None = None


def task_id_for(nomination_id: UUID, kind: str, step: int) -> str:
    """Deterministic, so a retried activity opens the same task, never a second one."""
    return str(uuid5(nomination_id, f"{kind}-{step}"))


class Nomination(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Proposed(Event, Aggregate.Created):
        tracking_code: str
        unit_id: str
        award_code: str
        nominee: dict[str, Any]
        achievements: str
        documents: list[dict[str, Any]]
        policy_version: str
        route: dict[str, Any]

        def apply(self, aggregate: Nomination) -> None:
            aggregate.tracking_code = self.tracking_code
            aggregate.unit_id = self.unit_id
            aggregate.award_code = self.award_code
            aggregate.nominee = self.nominee
            aggregate.policy_version = self.policy_version
            aggregate.route = Route.from_dict(self.route)

    class ReviewOpened(Event):
        task_id: str
        step: int
        level: str
        unit_id: str
        due_at: datetime

        def apply(self, aggregate: Nomination) -> None:
            aggregate.status = UNDER_REVIEW
            aggregate.tasks[self.task_id] = Task(
                self.task_id, "review", self.level, self.unit_id, self.timestamp, self.due_at
            )
            aggregate.current_task_id = self.task_id

    class Forwarded(Event):
        from_level: str
        from_unit_id: str
        to_level: str
        to_unit_id: str

    class ReviewOverdue(Event):
        task_id: str
        level: str
        unit_id: str

        def apply(self, aggregate: Nomination) -> None:
            aggregate.tasks[self.task_id].overdue = True

    class ReviewedByCouncil(Event):
        task_id: str
        level: str
        unit_id: str
        outcome: str
        votes: dict[str, int]
        note: str

        def apply(self, aggregate: Nomination) -> None:
            task = aggregate.tasks[self.task_id]
            task.open, task.outcome = False, self.outcome
            aggregate.current_task_id = None
            if self.outcome == "approve":
                aggregate.approvals += 1
            else:
                aggregate.status = REJECTED if self.outcome == "reject" else RETURNED

    class DecisionOpened(Event):
        task_id: str
        level: str
        unit_id: str
        authority: str
        due_at: datetime

        def apply(self, aggregate: Nomination) -> None:
            aggregate.status = AWAITING_DECISION
            aggregate.tasks[self.task_id] = Task(
                self.task_id, "decision", self.level, self.unit_id, self.timestamp, self.due_at
            )
            aggregate.current_task_id = self.task_id

    class Decided(Event):
        task_id: str
        level: str
        unit_id: str
        outcome: str
        decision_number: str
        decision_date: str
        signer: str

        def apply(self, aggregate: Nomination) -> None:
            task = aggregate.tasks[self.task_id]
            task.open, task.outcome = False, self.outcome
            aggregate.current_task_id = None
            aggregate.status = AWARDED if self.outcome == "awarded" else NOT_AWARDED

    def __init__(self) -> None:
        self.status = PROPOSED
        self.tasks: dict[str, Task] = {}
        self.current_task_id: str | None = None
        self.approvals = 0
        # Set by Proposed.apply:
        self.tracking_code: str
        self.unit_id: str
        self.award_code: str
        self.nominee: dict[str, Any]
        self.policy_version: str
        self.route: Route

    # -- commands -----------------------------------------------------------------

    @classmethod
    def propose(
        cls,
        *,
        nomination_id: UUID,
        tracking_code: str,
        actor: Actor,
        award_code: str,
        nominee: dict[str, Any],
        achievements: str,
        documents: list[dict[str, Any]],
        policy_version: str,
        route: Route,
        at: datetime,
    ) -> Nomination:
        return cls._create(
            cls.Proposed,
            id=nomination_id,
            timestamp=at,
            actor=actor.id,
            actor_role=actor.acting_as("proposer"),
            actor_unit=actor.unit_id,
            tracking_code=tracking_code,
            unit_id=actor.unit_id,
            award_code=award_code,
            nominee=nominee,
            achievements=achievements,
            documents=documents,
            policy_version=policy_version,
            route=route.to_dict(),
        )

    def open_review(self, step: int, at: datetime) -> str:
        """Open the council review of ``step``; forwarding first if it is not the first."""
        task_id = task_id_for(self.id, "review", step)
        if task_id in self.tasks:
            return task_id  # already opened: a retried activity
        self._require_next_step(step)
        review = self.route.reviews[step]
        if step > 0:
            below = self.route.reviews[step - 1]
            self._system(
                self.Forwarded, at,
                from_level=below.level, from_unit_id=below.unit_id,
                to_level=review.level, to_unit_id=review.unit_id,
            )
        self._system(
            self.ReviewOpened, at,
            task_id=task_id, step=step, level=review.level, unit_id=review.unit_id,
            due_at=at + timedelta(days=review.review_days),
        )
        return task_id

    def open_decision(self, at: datetime, decision_days: int) -> str:
        task_id = task_id_for(self.id, "decision", 0)
        if task_id in self.tasks:
            return task_id
        self._require_next_step(len(self.route.reviews))
        decision = self.route.decision
        last_review = self.route.reviews[-1]
        if decision.central:
            self._system(
                self.Forwarded, at,
                from_level=last_review.level, from_unit_id=last_review.unit_id,
                to_level=decision.level, to_unit_id="",
            )
        self._system(
            self.DecisionOpened, at,
            task_id=task_id, level=decision.level, unit_id=decision.unit_id,
            authority=decision.authority.vi, due_at=at + timedelta(days=decision_days),
        )
        return task_id

    def mark_overdue(self, task_id: str, at: datetime) -> None:
        task = self._task(task_id)
        if not task.open:
            raise TaskClosed(f"Task {task_id} closed before its deadline")
        if not task.overdue:
            self._system(
                self.ReviewOverdue, at, task_id=task_id, level=task.level, unit_id=task.unit_id
            )

    def review(
        self, task_id: str, *, actor: Actor, outcome: str, votes: dict[str, int], note: str,
        at: datetime,
    ) -> None:
        task = self._task_for(actor, task_id)
        role = actor.acting_as("reviewer")
        if task.kind != "review":
            raise WrongTaskKind("This task awaits a decision, not a council review")
        self._require_open(task)
        if outcome not in REVIEW_OUTCOMES:
            raise InvalidTransition(f"Outcome must be one of {', '.join(REVIEW_OUTCOMES)}")
        check_tally(votes)
        self.trigger_event(
            self.ReviewedByCouncil, timestamp=at,
            actor=actor.id, actor_role=role, actor_unit=actor.unit_id,
            task_id=task_id, level=task.level, unit_id=task.unit_id,
            outcome=outcome, votes=dict(votes), note=note,
        )

    def decide(
        self, task_id: str, *, actor: Actor, outcome: str, decision_number: str,
        decision_date: str, signer: str, at: datetime,
    ) -> None:
        task = self._task_for(actor, task_id)
        role = actor.acting_as("decider")
        if task.kind != "decision":
            raise WrongTaskKind("This task awaits a council review, not a decision")
        self._require_open(task)
        if outcome not in DECISION_OUTCOMES:
            raise InvalidTransition(f"Outcome must be one of {', '.join(DECISION_OUTCOMES)}")
        self.trigger_event(
            self.Decided, timestamp=at,
            actor=actor.id, actor_role=role, actor_unit=actor.unit_id,
            task_id=task_id, level=task.level, unit_id=task.unit_id,
            outcome=outcome, decision_number=decision_number,
            decision_date=decision_date, signer=signer,
        )

    # -- helpers ------------------------------------------------------------------

    @property
    def current_task(self) -> Task | None:
        return self.tasks[self.current_task_id] if self.current_task_id else None

    def _system(self, event_class: type[Event], at: datetime, **fields: Any) -> None:
        self.trigger_event(
            event_class, timestamp=at, actor=SYSTEM, actor_role="system", actor_unit="",
            **fields,
        )

    def _task(self, task_id: str) -> Task:
        try:
            return self.tasks[task_id]
        except KeyError:
            raise NotFound(f"No task {task_id}") from None

    def _task_for(self, actor: Actor, task_id: str) -> Task:
        """A task is visible only to its own unit: anyone else is told it does not exist."""
        task = self._task(task_id)
        if task.unit_id != actor.unit_id:
            raise NotFound(f"No task {task_id}")
        return task

    def _require_open(self, task: Task) -> None:
        if not task.open:
            raise TaskClosed(f"Task {task.id} was already {task.outcome}")

    def _require_next_step(self, step: int) -> None:
        if self.status in FINAL_STATUSES:
            raise InvalidTransition(f"The nomination is {self.status}")
        if self.current_task_id is not None or step != self.approvals:
            raise InvalidTransition(f"Step {step} cannot open before step {self.approvals}")


def check_tally(votes: dict[str, int]) -> None:
    """The tally must add up: members ≥ present ≥ for + against + abstain."""
    keys = ("members", "present", "for", "against", "abstain")
    missing = [k for k in keys if k not in votes]
    if missing:
        raise InvalidVoteTally(f"Missing {', '.join(missing)} in the vote tally")
    if any(not isinstance(votes[k], int) or votes[k] < 0 for k in keys):
        raise InvalidVoteTally("Vote counts must be whole numbers, zero or more")
    cast = votes["for"] + votes["against"] + votes["abstain"]
    if votes["members"] < 1 or votes["present"] > votes["members"] or cast > votes["present"]:
        raise InvalidVoteTally(
            f"Inconsistent tally: {votes['members']} members, {votes['present']} present, "
            f"{cast} ballots"
        )
