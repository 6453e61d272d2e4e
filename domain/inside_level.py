"""The work inside a level before its council votes, given through ``Nominations``: the
agencies consulted (*hiệp y*) and the board's appraisal (*thẩm định*), as the route
recorded them from the policy (``domain.level_steps``).

The workflow opens each step and keeps its deadlines (``open_consultation``,
``lapse_consultation``, ``open_appraisal``); people record the agencies' answers, the
specialist's verdict and the head's sign-off (``AnswerConsultation``, ``Appraise``,
``SignOffAppraisal``), each an event on the nomination.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.commands import NOT_ASKED, Changed, Command, Context, OpenedTask
from domain.nomination import Nomination
from domain.vocabulary import CLOSED_STATUSES, AppraisalConclusion

if TYPE_CHECKING:
    from domain.application import Nominations


@dataclass(frozen=True)
class CheckConfirmed:
    """The specialist on one rule of the award's checklist: confirmed, or disputed."""

    rule: str
    confirmed: bool
    note: str = ""


@dataclass(frozen=True)
class Appraise(Command):
    """The board's specialist records the appraisal of the dossier."""

    label = "appraisal"
    nomination_id: UUID = field(metadata=NOT_ASKED)
    task_id: str
    conclusion: AppraisalConclusion
    documents_complete: bool
    checks: tuple[CheckConfirmed, ...] = ()
    lower_award: str = ""
    note: str = ""


@dataclass(frozen=True)
class SignOffAppraisal(Command):
    """The board's head agrees with the appraisal, or sends it back with a note."""

    label = "appraisal sign-off"
    nomination_id: UUID = field(metadata=NOT_ASKED)
    task_id: str
    agreed: bool
    note: str = ""


@dataclass(frozen=True)
class AnswerConsultation(Command):
    """An agency's written answer, recorded by the consulting level."""

    label = "consultation answer"
    nomination_id: UUID = field(metadata=NOT_ASKED)
    task_id: str
    agency: str
    answer: str
    note: str = ""
    document_id: str = ""


LevelCommand = Appraise | SignOffAppraisal | AnswerConsultation


class LevelWork:
    """The steps inside a level, on ``Nominations``' event store and saves."""

    def __init__(self, app: Nominations) -> None:
        self.app = app

    # -- people's commands ------------------------------------------------------------

    def handle(self, command: LevelCommand, context: Context, request: str) -> Changed:
        app = self.app
        match command:
            case Appraise():
                def given(n: Nomination) -> None:
                    n.appraise(
                        command.task_id, actor=context.actor,
                        documents_complete=command.documents_complete,
                        checks=[{"rule": c.rule, "confirmed": c.confirmed, "note": c.note}
                                for c in command.checks],
                        conclusion=command.conclusion, lower_award=command.lower_award,
                        note=command.note, at=context.at,
                        lower_forms=app.policy_of(n).lower_forms_for(
                            n.award_code, str(n.nominee.get("kind", ""))),
                        delegators=lambda: app.delegators_of(context.actor, context.at))
            case SignOffAppraisal():
                def given(n: Nomination) -> None:
                    task = n.tasks.get(command.task_id)
                    unit = task.unit_id if task is not None else context.actor.unit_id
                    n.sign_off(command.task_id, actor=context.actor, agreed=command.agreed,
                               note=command.note, at=context.at, head=self.head_of(n, unit))
            case AnswerConsultation():
                def given(n: Nomination) -> None:
                    n.answer_consultation(command.task_id, actor=context.actor,
                                          agency=command.agency, answer=command.answer,
                                          note=command.note, at=context.at,
                                          document_id=command.document_id)
        return app._command(command.nomination_id, given, context, request)

    def head_of(self, nomination: Nomination, unit_id: str) -> str:
        """The account of the head of ``unit_id``'s board in the nomination's policy
        ("": it names none)."""
        org = self.app.policy_of(nomination).org
        return org.get(unit_id).head if unit_id in org.units else ""

    # -- the workflow's steps ---------------------------------------------------------

    def open_consultation(self, nomination_id: UUID, step: int,
                          at: datetime) -> OpenedTask | None:
        """Ask the agencies the route lists for ``step`` (once); the task, whose
        ``due_at`` is the first answer due. None: none asked, or the nomination closed."""
        nomination = self.app._get(nomination_id)
        if not 0 <= step < len(nomination.route.reviews):
            return None
        agencies = nomination.route.reviews[step].consulted
        calendar = self.app.policy_of(nomination).calendar
        deadlines: list[tuple[dict[str, Any], datetime]] = [
            (a.to_dict(), calendar.add_working_days(at, a.working_days)) for a in agencies]
        if nomination.status in CLOSED_STATUSES or not deadlines:
            return None
        task = nomination.open_consultation(step, at, deadlines)
        if task is None:
            return None
        self.app._save(nomination)
        next_due = nomination.consultation_due or task.due_at
        return OpenedTask(task.id, next_due, next_due, closed=not task.open)

    def lapse_consultation(self, nomination_id: UUID, task_id: str,
                           at: datetime) -> datetime | None:
        """Record the agencies whose time is up as lapsed; when the next answer is due
        (None: the consultation closed, every answer in or lapsed)."""
        nomination = self.app._get(nomination_id)
        nomination.lapse_consultation(task_id, at)
        self.app._save(nomination)
        return nomination.consultation_due

    def open_appraisal(self, nomination_id: UUID, step: int, review_round: int,
                       at: datetime) -> OpenedTask | None:
        """Open the board's appraisal of ``step`` where the route has one; None: none
        here, or the nomination closed (``closed`` tells which)."""
        nomination = self.app._get(nomination_id)
        if not 0 <= step < len(nomination.route.reviews):
            return None
        days = nomination.route.reviews[step].appraisal_days
        if not days or nomination.status in CLOSED_STATUSES:
            return None
        policy = self.app.policy_of(nomination)
        due_at = policy.calendar.add_working_days(at, days)
        remind_at = at + (due_at - at) * policy.reminder_share
        task = nomination.open_appraisal(step, review_round, at, due_at, remind_at)
        self.app._save(nomination)
        return OpenedTask(task.id, task.due_at, task.remind_at, closed=not task.open)
