"""Emulation movements given through ``Nominations.handle`` (``LaunchMovement``,
``CloseMovement``), and the check a proposal made in one passes (``admit``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.commands import NOT_ASKED, Command, Context, MovementChanged
from domain.errors import InvalidMovement, NotFound
from domain.movement import Movement, movement_id
from domain.policy import Policy

if TYPE_CHECKING:
    from domain.application import Nominations


@dataclass(frozen=True)
class LaunchMovement(Command):
    """A unit launches a movement over units of its own (itself and those below)."""

    label = "movement"
    name: str
    decision_number: str
    decision_date: str
    scope: tuple[str, ...]
    period_from: str
    period_to: str
    award_codes: tuple[str, ...]
    dossier_from: str
    dossier_until: str
    criteria: str = ""


@dataclass(frozen=True)
class CloseMovement(Command):
    label = "movement closure"
    movement_id: UUID = field(metadata=NOT_ASKED)
    result: str
    document_id: str = ""


class Movements:
    """The movements' side of ``Nominations``: same event store, same saves."""

    def __init__(self, app: Nominations) -> None:
        self.app = app

    def handle(self, command: LaunchMovement | CloseMovement,
               context: Context) -> MovementChanged:
        actor, policy = context.actor, self.app.policies.active(context.at.date())
        match command:
            case LaunchMovement():
                for unit_id in command.scope:
                    if not policy.org.is_within(unit_id, actor.unit_id):
                        raise InvalidMovement(
                            f"'{unit_id}' is not a unit of yours: a movement covers the "
                            "launching unit and units below it",
                            vi=f"'{unit_id}' không thuộc đơn vị phát động")
                for code in command.award_codes:
                    policy.award(code)  # an unknown one is refused, named
                movement = Movement.launch(
                    actor=actor, name=command.name, decision_number=command.decision_number,
                    decision_date=_day(command.decision_date),
                    scope=list(command.scope), period_from=_day(command.period_from),
                    period_to=_day(command.period_to), criteria=command.criteria,
                    award_codes=list(command.award_codes),
                    dossier_from=_day(command.dossier_from),
                    dossier_until=_day(command.dossier_until), at=context.at)
                if self.find(movement.id) is not None:
                    raise InvalidMovement(
                        f"Decision {command.decision_number} launched a movement of your unit "
                        "already", vi=f"Quyết định {command.decision_number} đã phát động một "
                                      "phong trào của đơn vị")
            case CloseMovement():
                found = self.find(command.movement_id)
                if found is None:
                    raise NotFound("No such movement", vi="Không có phong trào này")
                movement = found
                movement.close(actor=actor, result=command.result, at=context.at,
                               document_id=command.document_id)
        self.app._save(movement, collect=False)
        return MovementChanged(movement.id, movement.version)

    def find(self, movement: UUID) -> Movement | None:
        try:
            found: object = self.app.repository.get(movement)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Movement) else None

    def admit(self, movement: str, *, award_code: str, unit_id: str, policy: Policy,
              on: date) -> None:
        """A proposal from ``unit_id`` on ``on`` in ``movement``: refused outside its window,
        scope or forms (``Movement.admits``)."""
        try:
            found = self.find(UUID(movement))
        except ValueError:
            found = None
        if found is None:
            raise NotFound(f"No movement {movement}", vi=f"Không có phong trào {movement}")
        found.admits(award_code=award_code, on=on, unit_in_scope=any(
            policy.org.is_within(unit_id, scope) for scope in found.scope))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidMovement(f"'{text}' is not a date such as 2026-03-15",
                              vi=f"'{text}' không phải ngày hợp lệ (ví dụ 2026-03-15)") from None


__all__ = ["CloseMovement", "LaunchMovement", "MovementChanged", "Movements", "movement_id"]
