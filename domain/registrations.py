"""Registrations for the year's titles given through ``Nominations.handle``
(``RegisterTitles``, ``WithdrawRegistration``): by the clerk of the registrant's unit
(or an administrator above it), for titles of the catalogue, for this year or a later
one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.commands import Command, Context, RegistrationChanged
from domain.errors import InvalidRegistration
from domain.registration import Registration, registration_id

if TYPE_CHECKING:
    from domain.application import Nominations


@dataclass(frozen=True)
class RegisterTitles(Command):
    label = "registration"
    person_id: UUID
    year: int
    award_codes: tuple[str, ...]


@dataclass(frozen=True)
class WithdrawRegistration(Command):
    label = "registration withdrawal"
    person_id: UUID
    year: int
    award_code: str
    reason: str = ""


class Registrations:
    def __init__(self, app: Nominations) -> None:
        self.app = app

    def handle(self, command: RegisterTitles | WithdrawRegistration,
               context: Context) -> RegistrationChanged:
        actor = context.actor
        policy = self.app.policies.active(context.at.date())
        person = self.app.register._get(command.person_id, actor, policy)
        this_year = context.at.astimezone(policy.calendar.zone).year
        found = self.find(str(person.id), command.year)
        match command:
            case RegisterTitles():
                if command.year < this_year:
                    raise InvalidRegistration(
                        f"Titles are registered for this year or a later one, not "
                        f"{command.year}", vi=f"Chỉ đăng ký thi đua cho năm nay hoặc năm sau, "
                                              f"không cho năm {command.year}")
                for code in command.award_codes:
                    policy.award(code)  # an unknown one is refused, named
                registration = found or Registration.open(
                    actor=actor, person_id=str(person.id), year=command.year,
                    unit_id=person.unit_id, at=context.at)
                registration.register(actor=actor, award_codes=list(command.award_codes),
                                      at=context.at)
            case WithdrawRegistration():
                if found is None:
                    raise InvalidRegistration(
                        f"Nothing is registered for {command.year}",
                        vi=f"Chưa đăng ký thi đua năm {command.year}")
                registration = found
                registration.withdraw(actor=actor, award_code=command.award_code,
                                      reason=command.reason, at=context.at)
        self.app._save(registration, collect=False)
        return RegistrationChanged(registration.id, registration.version,
                                   sorted(registration.titles))

    def find(self, person_id: str, year: int) -> Registration | None:
        try:
            found: object = self.app.repository.get(registration_id(person_id, year))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Registration) else None
