"""The dataclasses that cross Temporal's boundary: one in and one out per call.

No `from __future__ import annotations` here: the field types must be real classes when
the workflow sandbox converts payloads (a string "datetime" resolves to its proxy there).
"""


from dataclasses import dataclass, field
from datetime import datetime

# Signal kinds: the events of a nomination that its workflow waits for.
PROPOSED = "proposed"
REVIEWED = "reviewed"
SUPPLEMENTED = "supplemented"
OBJECTION_LODGED = "objection_lodged"
OBJECTION_CONFIRMED = "objection_confirmed"
OBJECTION_RESOLVED = "objection_resolved"
DECIDED = "decided"
WITHDRAWN = "withdrawn"
CONSULTED = "consulted"
"""An agency's answer recorded (the consultation closes with the last one)."""
APPRAISED = "appraised"
"""The board's head signed an appraisal off (closing it) or sent it back."""


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
    public_notice: bool = False
    task_id: str = ""
    outcome: str = ""
    objection_id: str = ""
    holds: bool = True
    """Of an objection lodged: whether it holds the nomination at once (lodged by
    someone signed in). False: it holds nothing until confirmed (``OBJECTION_CONFIRMED``).
    Signals sent before confirmations existed have no such field: those objections held."""


@dataclass
class Step:
    """Ask for a routing step of one nomination at the workflow's time."""

    nomination_id: str
    at: datetime
    step: int = 0
    task_id: str = ""
    review_round: int | None = None
    """Which review of ``step``: 0, then one more after each return (None: the next)."""


@dataclass
class OpenedTask:
    task_id: str
    due_at: datetime
    remind_at: datetime
    closed: bool = False
    """The nomination closed meanwhile (withdrawn, say): no task was opened."""


@dataclass
class NoticeOpened:
    until: datetime
    closed: bool = False


@dataclass
class Standing:
    """The nomination as its event store has it (``Nominations.standing``): what the
    workflow acts on. A signal only tells the workflow to look again."""

    exists: bool = True
    """False: the event store has no such nomination (a workflow started by hand)."""
    status: str = ""
    withdrawn: bool = False
    review_steps: int = 0
    public_notice: bool = False
    outcomes: dict[str, str] = field(default_factory=dict)
    """Each closed task's outcome, by task id."""
    supplements: int = 0
    objections: dict[str, str] = field(default_factory=dict)
    """Each objection's outcome by id; "" while pending. One that holds nothing
    (unconfirmed) is left out until it is resolved."""


@dataclass
class NominationOutcome:
    last_outcome: str
    steps_reviewed: int


@dataclass
class Progress:
    review_steps: int | None
    open_task_id: str | None
    outcomes: dict[str, str]
    supplements: int = 0
    withdrawn: bool = False
    objections: dict[str, str] = field(default_factory=dict)
    confirms: bool = False
    """The workflow acts only on what the event store confirms (every run started since
    signals are confirmed; a run started before acts on the signals as they come)."""
