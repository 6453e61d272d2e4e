"""The register of initiatives (*sáng kiến*): what an emulation-fighter title rests on.

An initiative is recognised once, by a council's decision, and may be the basis of one
title or award only (domain.md, "Initiatives"). The register keeps the recognition
(title, authors of the people's register, unit, the day and decision that recognised it)
and every use of it as a nomination's basis. A use is recorded by the system when a
nomination citing the initiative is proposed, and released when that nomination ends
without an award; a second nomination may still cite it — the eligibility rule
(``UnusedInitiative``) refuses it unless a unit gives its reason — so every use is kept,
never only the first.

As the people's register: command methods decide and raise named errors, events only copy
their facts, and every event records who caused it (actor id, role, unit) and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.eligibility.subject import Initiative as InitiativeEvidence
from domain.errors import InvalidInitiative
from domain.person import REGISTRARS, SYSTEM, clean_name
from domain.vocabulary import Role

MAX_TITLE = 500
MAX_TEXT = 300
MAX_AUTHORS = 50

_INITIATIVES = UUID("6f0f2a57-3c1e-4d0b-8a77-2f4e9d1c5b30")
"""Namespace of the ids a keyed registration gives: the same request again finds the
initiative it registered."""


def initiative_id(actor: Actor, request_key: str) -> UUID:
    """The id of a new initiative: from the caller's idempotency key, if given."""
    if not request_key:
        return uuid4()
    return uuid5(_INITIATIVES, f"{actor.unit_id}\n{actor.id}\n{request_key}")


@dataclass(frozen=True)
class Use:
    """One use of the initiative as a nomination's basis."""

    nomination_id: str
    award_code: str
    year: int
    unit_id: str
    released: bool = False


class Initiative(Aggregate):
    """A recognised initiative and its uses (the module says why every use is kept)."""

    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Registered(Event, Aggregate.Created):
        title: str
        authors: list[str]
        """Person ids of the people's register, in the order the decision names them."""
        unit_id: str
        recognised_on: str
        """ISO date of the recognising decision."""
        recognition: str
        """The decision or document that recognised it (``Quyết định số 12/QĐ-HĐSK``)."""
        scope: str
        """Its field and where it applies, as the decision says."""
        request: str = ""

        def apply(self, aggregate: Initiative) -> None:
            aggregate.requests.add(self.request)
            aggregate.title = self.title
            aggregate.authors = tuple(self.authors)
            aggregate.unit_id = self.unit_id
            aggregate.recognised_on = date.fromisoformat(self.recognised_on)
            aggregate.recognition = self.recognition
            aggregate.scope = self.scope

    class Used(Event):
        nomination_id: str
        award_code: str
        year: int
        unit_id: str
        """The unit proposing the nomination."""

        def apply(self, aggregate: Initiative) -> None:
            aggregate.all_uses.append(
                Use(self.nomination_id, self.award_code, self.year, self.unit_id))

    class Released(Event):
        """The nomination no longer rests on it (withdrawn, refused, its basis changed)."""

        nomination_id: str
        reason: str

        def apply(self, aggregate: Initiative) -> None:
            aggregate.all_uses = [
                Use(u.nomination_id, u.award_code, u.year, u.unit_id, True)
                if u.nomination_id == self.nomination_id else u for u in aggregate.all_uses]

    def __init__(self) -> None:
        self.requests: set[str] = {""}
        self.all_uses: list[Use] = []
        """Every use recorded, released or not, in the order recorded."""
        self.title: str
        self.authors: tuple[str, ...]
        self.unit_id: str
        self.recognised_on: date
        self.recognition: str
        self.scope: str

    @classmethod
    def register(cls, *, initiative_id: UUID, actor: Actor, title: str, authors: list[str],
                 unit_id: str, recognised_on: date, recognition: str, scope: str,
                 at: datetime, request: str = "") -> Initiative:
        """A recognised initiative, registered by a keeper of ``unit_id``'s register (the
        caller checks the authors are people of the register and the unit is theirs)."""
        role = _registrar(actor)
        title = clean_name(title)
        if not title or len(title) > MAX_TITLE:
            raise InvalidInitiative(f"A title has 1 to {MAX_TITLE} characters",
                                    vi=f"Tên sáng kiến có từ 1 đến {MAX_TITLE} ký tự")
        if not authors or len(authors) > MAX_AUTHORS:
            raise InvalidInitiative(
                f"An initiative has 1 to {MAX_AUTHORS} authors of the register",
                vi=f"Sáng kiến có từ 1 đến {MAX_AUTHORS} tác giả trong danh sách cá nhân")
        if len(set(authors)) != len(authors):
            raise InvalidInitiative("An author is named twice",
                                    vi="Một tác giả được nêu hai lần")
        if recognised_on > at.date() or recognised_on.year < 1945:
            raise InvalidInitiative(
                "An initiative is registered once recognised: the day of recognition is "
                "not in the future (nor before 1945)",
                vi=f"Chỉ đăng ký sáng kiến đã được công nhận: ngày công nhận "
                   f"{recognised_on.strftime('%d/%m/%Y')} không được sau hôm nay (hay trước "
                   f"năm 1945)")
        decision = clean_name(recognition)
        if not decision or len(decision) > MAX_TEXT:
            raise InvalidInitiative(
                f"Name the decision that recognised it (1 to {MAX_TEXT} characters)",
                vi=f"Phải nêu quyết định công nhận sáng kiến (từ 1 đến {MAX_TEXT} ký tự)")
        field = clean_name(scope)
        if len(field) > MAX_TITLE:
            raise InvalidInitiative(f"The scope has at most {MAX_TITLE} characters",
                                    vi=f"Phạm vi, lĩnh vực áp dụng tối đa {MAX_TITLE} ký tự")
        return cls._create(
            cls.Registered, id=initiative_id, timestamp=at, actor=actor.id, actor_role=role,
            actor_unit=actor.unit_id, title=title, authors=list(authors), unit_id=unit_id,
            recognised_on=recognised_on.isoformat(), recognition=decision, scope=field,
            request=request)

    # -- the system's: a nomination rests on it, or no longer -----------------------

    def use(self, *, nomination_id: str, award_code: str, year: int, unit_id: str,
            at: datetime) -> None:
        """``nomination_id`` rests on this initiative (recorded by the system when it is
        proposed). Nothing new if that nomination's use is recorded and not released;
        another nomination's use is recorded beside the earlier ones."""
        if any(u.nomination_id == nomination_id and not u.released for u in self.all_uses):
            return
        self.trigger_event(self.Used, timestamp=at, actor=SYSTEM, actor_role=Role.SYSTEM,
                           actor_unit="", nomination_id=nomination_id, award_code=award_code,
                           year=year, unit_id=unit_id)

    def release(self, *, nomination_id: str, reason: str, at: datetime) -> None:
        """``nomination_id`` no longer rests on it: its use stops counting. Nothing
        happens if it is not in use by that nomination."""
        if not any(u.nomination_id == nomination_id and not u.released for u in self.all_uses):
            return
        self.trigger_event(self.Released, timestamp=at, actor=SYSTEM, actor_role=Role.SYSTEM,
                           actor_unit="", nomination_id=nomination_id,
                           reason=clean_name(reason)[:MAX_TEXT])

    # -- what eligibility is decided on ------------------------------------------

    def as_evidence(self) -> InitiativeEvidence:
        return InitiativeEvidence(str(self.id), self.title, self.recognised_on,
                                  self.recognition)

    def uses(self) -> tuple[tuple[str, str, int, str], ...]:
        """(nomination_id, award_code, year, unit_id) of each use not released."""
        return tuple((u.nomination_id, u.award_code, u.year, u.unit_id)
                     for u in self.all_uses if not u.released)


def _registrar(actor: Actor) -> str:
    """The register's keepers register initiatives too: a unit's clerk, an administrator."""
    for role in REGISTRARS:
        if role in actor.roles:
            return role
    return actor.acting_as(Role.PROPOSER)
