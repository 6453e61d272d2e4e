"""The tests' shorthand for ``Nominations.handle``: one keyword function per command.

Each builds the command's dataclass and its ``Context`` from the keywords, gives them to
``app.handle`` and answers with the part of the result its tests read: the proposal, the
proposal's id and nominations, the dossier version a supplement made, the objection's id,
or nothing. The application has one way to be given a command (``handle``); these only
spare a test the dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.actor import Actor
from domain.application import Nominations
from domain.commands import (
    Changed,
    Command,
    Context,
    Decide,
    LodgeObjection,
    NomineeItem,
    PersonChanged,
    Proposal,
    Propose,
    Proposed,
    ProposeList,
    RecordAward,
    RegisterPerson,
    ResolveObjection,
    Review,
    ReviewItem,
    ReviewList,
    Revoke,
    Supplement,
    TransferPerson,
    Withdraw,
)
from domain.policy import STANDARD


def propose(
    app: Nominations, actor: Actor, *, award_code: str, nominee: dict[str, Any],
    achievements: str, documents: list[dict[str, Any]], at: datetime,
    procedure: str = STANDARD, request_key: str = "",
) -> Proposal:
    result = app.handle(Propose(award_code, nominee, achievements, documents, procedure),
                        Context(actor, at, request_key=request_key))
    assert isinstance(result, Proposal)
    return result


def propose_many(
    app: Nominations, actor: Actor, items: Sequence[NomineeItem], at: datetime,
    request_key: str = "",
) -> tuple[str, list[Proposal]]:
    result = app.handle(ProposeList(tuple(items)), Context(actor, at, request_key=request_key))
    assert isinstance(result, Proposed)
    return result.proposal_id, result.nominations


def supplement(
    app: Nominations, nomination_id: UUID, actor: Actor, *, documents: list[dict[str, Any]],
    achievements: str, note: str, at: datetime, expected_version: int | None = None,
    request_key: str = "",
) -> int:
    """The new dossier version; a keyed retry answers the version it made the first time."""
    return _changed(app, Supplement(nomination_id, documents, achievements, note),
                    Context(actor, at, expected_version, request_key)).dossier_version


def withdraw(
    app: Nominations, nomination_id: UUID, actor: Actor, *, reason: str, at: datetime,
    expected_version: int | None = None, request_key: str = "",
) -> None:
    _changed(app, Withdraw(nomination_id, reason),
             Context(actor, at, expected_version, request_key))


def review(
    app: Nominations, nomination_id: UUID, task_id: str, actor: Actor, *, outcome: str,
    votes: dict[str, int], note: str, at: datetime, expected_version: int | None = None,
    request_key: str = "",
) -> None:
    _changed(app, Review(nomination_id, task_id, outcome, votes, note),
             Context(actor, at, expected_version, request_key))


def review_many(
    app: Nominations, actor: Actor, items: Sequence[ReviewItem], at: datetime,
    request_key: str = "",
) -> None:
    app.handle(ReviewList(tuple(items)), Context(actor, at, request_key=request_key))


def decide(
    app: Nominations, nomination_id: UUID, task_id: str, actor: Actor, *, outcome: str,
    decision_number: str, decision_date: str, signer: str, at: datetime,
    authority: str = "", expected_version: int | None = None, request_key: str = "",
) -> None:
    _changed(app, Decide(nomination_id, task_id, outcome, decision_number, decision_date,
                         signer, authority),
             Context(actor, at, expected_version, request_key))


def lodge_objection(
    app: Nominations, nomination_id: UUID, actor: Actor, *, text: str, contact: str,
    at: datetime, expected_version: int | None = None, request_key: str = "",
) -> str:
    """The objection's id: derived from the key when there is one, so that a retry
    answers the same objection."""
    return _changed(app, LodgeObjection(nomination_id, text, contact),
                    Context(actor, at, expected_version, request_key)).objection_id


def resolve_objection(
    app: Nominations, nomination_id: UUID, objection_id: str, actor: Actor, *, outcome: str,
    note: str, at: datetime, expected_version: int | None = None, request_key: str = "",
) -> None:
    _changed(app, ResolveObjection(nomination_id, objection_id, outcome, note),
             Context(actor, at, expected_version, request_key))


def revoke(
    app: Nominations, nomination_id: UUID, actor: Actor, *, reason: str,
    decision_number: str, decision_date: str, at: datetime,
    expected_version: int | None = None, request_key: str = "",
) -> None:
    _changed(app, Revoke(nomination_id, reason, decision_number, decision_date),
             Context(actor, at, expected_version, request_key))


def _changed(app: Nominations, command: Command, context: Context) -> Changed:
    result = app.handle(command, context)
    assert isinstance(result, Changed)
    return result


# -- the register (``domain.people``) -----------------------------------------------


def register_person(app: Nominations, actor: Actor, *, at: datetime, kind: str = "individual",
                    **facts: str) -> UUID:
    """The new person's (or collective's) id."""
    result = app.handle(RegisterPerson(kind=kind, **facts), Context(actor, at))
    assert isinstance(result, PersonChanged)
    return result.person_id


def record_award(app: Nominations, person_id: UUID, actor: Actor, *, award_code: str,
                 year: int, decision_number: str, decision_date: str, issuer: str,
                 at: datetime) -> None:
    app.handle(RecordAward(person_id, award_code, year, decision_number, decision_date, issuer),
               Context(actor, at))


def transfer_person(app: Nominations, person_id: UUID, actor: Actor, *, to_unit: str, on: str,
                    at: datetime, position: str = "") -> None:
    app.handle(TransferPerson(person_id, to_unit, on, position), Context(actor, at))
