"""The words the process is told in: statuses, outcomes, kinds of task, roles.

Each is a ``StrEnum`` whose values are the strings already stored (in events, in the
read models, in tokens and requests): a member equals its string, hashes like it and is
written as it, by ``json``, orjson and the database drivers alike, so naming a member
instead of a string literal changes no stored byte. What is read back is the plain
string, which compares equal to the member.

Whether a plain string is one of them is asked of the members' values, as the
``*_OUTCOMES`` tuples of ``domain.nomination`` do: ``"approve" in ReviewOutcome`` is a
``TypeError`` on Python 3.11.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Label:
    """A name in Vietnamese and in English."""

    vi: str
    en: str

    @property
    def vi_in_sentence(self) -> str:
        """The Vietnamese name inside a sentence: "cấp tỉnh", "thư ký Hội đồng…"."""
        return self.vi[:1].lower() + self.vi[1:]


class Status(StrEnum):
    """Where a nomination is on its way (``Nomination.status``, ``nominations.status``)."""

    PROPOSED = "proposed"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    PUBLIC_NOTICE = "public_notice"
    ON_HOLD = "on_hold"
    AWAITING_DECISION = "awaiting_decision"
    AWAITING_CENTRAL = "awaiting_central"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    REVOKED = "revoked"


CLOSED_STATUSES: frozenset[Status] = frozenset({
    Status.AWARDED, Status.NOT_AWARDED, Status.REJECTED, Status.WITHDRAWN, Status.REVOKED,
})
"""No workflow step follows these (an award may still be revoked)."""


class ReviewOutcome(StrEnum):
    """What a council records on a review."""

    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"
    """Back to the proposing unit, to supplement the dossier."""


class DecisionOutcome(StrEnum):
    """What the deciding authority records."""

    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"


OUTCOME_NAMES: dict[str, Label] = {
    ReviewOutcome.APPROVE: Label("Thông qua, trình cấp trên", "Approve and forward"),
    ReviewOutcome.RETURN: Label("Trả lại để bổ sung", "Return for supplement"),
    ReviewOutcome.REJECT: Label("Không thông qua", "Reject"),
    DecisionOutcome.AWARDED: Label("Khen thưởng", "Award"),
    DecisionOutcome.NOT_AWARDED: Label("Không khen thưởng", "Do not award"),
}
"""What a council or an authority may record, as the pages and refusals name it."""


class ObjectionOutcome(StrEnum):
    """What the board records on an objection after verifying it."""

    DISMISSED = "dismissed"
    UPHELD = "upheld"


class TaskClosure(StrEnum):
    """A task's outcome when it closed without anyone acting on it."""

    WITHDRAWN = "withdrawn"
    """Its nomination was withdrawn."""
    MOOT = "moot"
    """An upheld objection rejected its nomination (``tasks`` read model only)."""


class TaskKind(StrEnum):
    """What a task asks for (``Task.kind``, ``tasks.kind``). The nomination keeps its
    reviews and its decision; objections are tasks of the ``tasks`` read model only."""

    REVIEW = "review"
    DECISION = "decision"
    OBJECTION = "objection"
    APPRAISAL = "appraisal"
    """The board's appraisal of the dossier before its council (*thẩm định*)."""
    CONSULTATION = "consultation"
    """The agencies' answers the level waits for before its council (*hiệp y*)."""


class CommendationType(StrEnum):
    """The kinds of commendation (Law on Emulation and Commendation 2022, Art. 8)."""

    MERIT = "merit"
    """For achievements over a period (theo công trạng và thành tích đạt được)."""
    ADHOC = "adhoc"
    """For an exceptional deed (đột xuất)."""
    TOPICAL = "topical"
    """At the end of a movement or programme (theo chuyên đề)."""
    CONTRIBUTION = "contribution"
    """For a working life's contribution (quá trình cống hiến)."""
    EXTERNAL = "external"
    """For foreigners and bodies abroad (đối ngoại)."""


COMMENDATION_TYPE_NAMES: dict[str, Label] = {
    CommendationType.MERIT: Label("Khen thưởng theo công trạng và thành tích đạt được",
                                  "Merit"),
    CommendationType.ADHOC: Label("Khen thưởng đột xuất", "Ad-hoc"),
    CommendationType.TOPICAL: Label("Khen thưởng theo chuyên đề", "Topical"),
    CommendationType.CONTRIBUTION: Label("Khen thưởng quá trình cống hiến", "Contribution"),
    CommendationType.EXTERNAL: Label("Khen thưởng đối ngoại", "External"),
}


class AppraisalConclusion(StrEnum):
    """What the board's specialist concludes of a dossier (*thẩm định*)."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    LOWER_FORM = "lower_form"
    """Propose a lower form of award than the one proposed (named with it)."""


class ConsultationAnswer(StrEnum):
    """An agency's answer to the consultation, or its silence by the deadline."""

    AGREES = "agrees"
    OBJECTS = "objects"
    LAPSED = "lapsed"


CONSULTED = "consulted"
"""A consultation task's outcome: every agency answered or let its time lapse."""


class TaskStatus(StrEnum):
    """A row of the ``tasks`` read model: waiting for its unit, or done with."""

    OPEN = "open"
    CLOSED = "closed"


class Role(StrEnum):
    """The role someone acts in (a token's ``roles``; an event's ``actor_role``)."""

    PROPOSER = "proposer"
    REVIEWER = "reviewer"
    DECIDER = "decider"
    AUDITOR = "auditor"
    ADMIN = "admin"
    PUBLIC = "public"
    """Anyone without an account (``domain.actor.PUBLIC``): no token holds it."""
    SYSTEM = "system"
    """Recorded for the steps the workflow takes on its own: no token holds it."""


ACCOUNT_ROLES: tuple[Role, ...] = (
    Role.PROPOSER, Role.REVIEWER, Role.DECIDER, Role.AUDITOR, Role.ADMIN,
)
"""The roles an account's token may hold, in the order they are listed to people."""
