"""The dataclasses that cross Temporal's boundary: one in and one out per call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PROPOSED = "proposed"
REVIEWED = "reviewed"
DECIDED = "decided"


def workflow_id(nomination_id: str) -> str:
    return f"nomination-{nomination_id}"


@dataclass
class NominationInput:
    nomination_id: str


@dataclass
class NominationSignal:
    """An event of the nomination that the workflow waits for, as the relay saw it."""

    position: int
    """The event's position in the event log: a repeated signal has the same one."""
    kind: str
    review_steps: int = 0
    task_id: str = ""
    outcome: str = ""


@dataclass
class OpenTask:
    nomination_id: str
    step: int
    at: datetime


@dataclass
class OpenedTask:
    task_id: str
    due_at: datetime


@dataclass
class MarkOverdue:
    nomination_id: str
    task_id: str
    at: datetime


@dataclass
class NominationOutcome:
    last_outcome: str
    steps_reviewed: int


@dataclass
class Progress:
    review_steps: int | None
    open_task_id: str | None
    outcomes: dict[str, str]
