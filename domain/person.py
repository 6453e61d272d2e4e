"""The register of people and collectives: who is nominated, across years and units, and
the titles and awards they hold.

One aggregate, ``Person``, of two kinds, as the law speaks of nominees (*cá nhân*,
*tập thể*): an **individual** (national ID, civil-servant code, name, date of birth,
gender, position) or a **collective** (an org unit of the policy, or a named team of
one). Both belong to a unit over time, are found, scoped and shown alike, and hold an
award history of the same shape; only what identifies them differs. One aggregate keeps
one read model, one scoping rule and one history for both; a second class would repeat
every one of them for three fields.

Besides who they are, a person carries what their eligibility is decided on
(``domain.eligibility``): every award with its nomination and its revocation, the facts
that bar an award while they last (discipline, investigation, inspection, an unresolved
complaint), each recorded from the document it stands on, and when their service began.
They live on the person, not in a table beside it, so that one replay gives the history a
verdict used, and the projections never join two sources to say what someone holds.

As with the nomination, command methods decide and raise named errors; each event's
``apply`` only copies its facts; every event records who caused it (actor id, role,
unit) and when, so replays never read the clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.eligibility.rules import FACT_KINDS
from domain.eligibility.subject import Fact, HeldAward, Service
from domain.errors import (
    FactAlreadyEnded,
    InvalidAwardRecord,
    InvalidFact,
    InvalidNationalId,
    InvalidPersonData,
    InvalidService,
    NotFound,
)
from domain.vocabulary import Role

INDIVIDUAL, COLLECTIVE = "individual", "collective"
KINDS = (INDIVIDUAL, COLLECTIVE)
MALE, FEMALE = "male", "female"
GENDERS = (MALE, FEMALE)
SOURCES = ("laurel", "import", "manual")
"""Where an award in the history comes from: decided in Laurel, imported from a
province's sheets, or entered one at a time."""
REGISTRARS = (Role.PROPOSER, Role.ADMIN)
"""Who keeps the register: the unit's clerk, or an administrator of the unit or above."""
MAX_NAME = 200
MAX_EVIDENCE = 300
"""The longest document reference a fact or a start of service is recorded from."""
SYSTEM = "laurel"
"""The actor of what the system records on its own (a revocation carried over)."""

_PEOPLE = UUID("0c8b8f0e-4a55-4f61-9d0c-6f3b6d1b2c11")
"""Namespace of people's ids: an individual's comes from the national ID, so the event
store itself refuses a second registration of one person."""

CENTURY_DIGIT: dict[str, tuple[int, str]] = {
    "0": (1900, MALE), "1": (1900, FEMALE), "2": (2000, MALE), "3": (2000, FEMALE),
    "4": (2100, MALE), "5": (2100, FEMALE), "6": (2200, MALE), "7": (2200, FEMALE),
    "8": (1800, MALE), "9": (1800, FEMALE),
}
"""The 4th digit of a CCCD: the century of birth and the gender (Circular 59/2021/TT-BCA)."""
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")


def individual_id(national_id: str) -> UUID:
    return uuid5(_PEOPLE, f"cccd:{national_id}")


def collective_id(unit_id: str, team: str) -> UUID:
    """An org unit is one collective; a named team of it another (its name folded)."""
    return uuid5(_PEOPLE, f"collective:{unit_id}:{clean_name(team).casefold()}")


def clean_name(name: str) -> str:
    """A name as recorded: NFC, spaces trimmed and single."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def check_national_id(national_id: str, gender: str, birth_date: date) -> None:
    """A CCCD: 12 digits; a province code 001–096; the 4th digit the century of birth
    and the gender; the 5th and 6th the last two digits of the year of birth."""
    if not _TWELVE_DIGITS.fullmatch(national_id):
        raise InvalidNationalId(
            "A national ID (CCCD) is 12 digits",
            vi="Số căn cước công dân (CCCD) gồm đúng 12 chữ số")
    if not 1 <= int(national_id[:3]) <= 96:
        raise InvalidNationalId(
            f"The first three digits of a CCCD are a province code, 001 to 096, not "
            f"{national_id[:3]}",
            vi=f"Ba chữ số đầu của số CCCD là mã tỉnh, từ 001 đến 096; {national_id[:3]} "
               f"không phải mã tỉnh")
    century, digit_gender = CENTURY_DIGIT[national_id[3]]
    if digit_gender != gender:
        raise InvalidNationalId(
            f"The 4th digit of this CCCD ({national_id[3]}) is that of a "
            f"{digit_gender}; the gender given is {gender}",
            vi=f"Chữ số thứ 4 của số CCCD ({national_id[3]}) ứng với giới tính "
               f"{_GENDER_VI[digit_gender]}, không khớp với giới tính đã khai "
               f"({_GENDER_VI.get(gender, gender)})")
    if not century <= birth_date.year < century + 100:
        raise InvalidNationalId(
            f"The 4th digit of this CCCD ({national_id[3]}) is that of someone born in "
            f"{century}–{century + 99}, not in {birth_date.year}",
            vi=f"Chữ số thứ 4 của số CCCD ({national_id[3]}) ứng với người sinh trong "
               f"các năm {century}–{century + 99}, không khớp với năm sinh "
               f"{birth_date.year}")
    if national_id[4:6] != f"{birth_date.year % 100:02d}":
        raise InvalidNationalId(
            f"The 5th and 6th digits of a CCCD are the year of birth's last two "
            f"({birth_date.year % 100:02d}), not {national_id[4:6]}",
            vi=f"Chữ số thứ 5 và 6 của số CCCD là hai số cuối của năm sinh "
               f"({birth_date.year % 100:02d}), không phải {national_id[4:6]}")


_GENDER_VI = {MALE: "nam", FEMALE: "nữ"}


def masked(national_id: str) -> str:
    """The first four and last two digits: ``0010******89``."""
    if len(national_id) < 6:
        return "*" * len(national_id)
    return national_id[:4] + "*" * (len(national_id) - 6) + national_id[-2:]


class Person(Aggregate):
    """An individual or a collective in the register (the module says why one class)."""

    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Registered(Event, Aggregate.Created):
        kind: str
        national_id: str
        civil_servant_code: str
        name: str
        birth_date: str
        """ISO date; "" for a collective."""
        gender: str
        position: str
        unit_id: str
        """The unit they belong to (a collective: the unit it is, or whose team it is)."""
        team: str
        """A collective that is a named team of ``unit_id``; "" for the unit itself."""
        request: str = ""

        def apply(self, aggregate: Person) -> None:
            aggregate.requests.add(self.request)
            aggregate.kind = self.kind
            aggregate.national_id = self.national_id
            aggregate.civil_servant_code = self.civil_servant_code
            aggregate.name = self.name
            aggregate.birth_date = self.birth_date
            aggregate.gender = self.gender
            aggregate.position = self.position
            aggregate.unit_id = self.unit_id
            aggregate.team = self.team

    class Corrected(Event):
        """Registered facts set right; ``changes`` holds only the fields that changed."""

        changes: dict[str, str]
        reason: str
        request: str = ""

        def apply(self, aggregate: Person) -> None:
            aggregate.requests.add(self.request)
            for name, value in self.changes.items():
                setattr(aggregate, name, value)

    class Transferred(Event):
        from_unit: str
        to_unit: str
        on: str
        """ISO date the person joined ``to_unit``."""
        position: str
        """The position taken there ("" keeps the one held)."""
        request: str = ""

        def apply(self, aggregate: Person) -> None:
            aggregate.requests.add(self.request)
            aggregate.unit_id = self.to_unit
            if self.position:
                aggregate.position = self.position

    class AwardRecorded(Event):
        award_code: str
        year: int
        decision_number: str
        decision_date: str
        issuer: str
        source: str
        nomination_id: str = ""
        request: str = ""

        def apply(self, aggregate: Person) -> None:
            aggregate.requests.add(self.request)
            aggregate.awards.append((self.award_code, self.year, self.decision_number))
            aggregate.held.append(_Held(
                HeldAward(self.award_code, self.year, self.decision_number,
                          date.fromisoformat(self.decision_date), self.issuer),
                self.source, self.nomination_id))

    class AwardRevoked(Event):
        """The award a nomination gave, revoked (the nomination's ``Revoked``, carried
        over by the system in the same transaction)."""

        nomination_id: str
        on: str
        """ISO date of the revoking decision."""
        decision_number: str

        def apply(self, aggregate: Person) -> None:
            revoked_on = date.fromisoformat(self.on)
            aggregate.held = [replace(h, award=replace(h.award, revoked_on=revoked_on))
                              if h.nomination_id == self.nomination_id else h
                              for h in aggregate.held]

    class FactRecorded(Event):
        """Something that bars an award while it lasts (``FACT_KINDS``), from the document
        or decision named in ``evidence``."""

        fact_id: str
        fact: str
        start: str
        end: str
        """ISO date, "" while the fact lasts."""
        evidence: str
        request: str = ""

        def apply(self, aggregate: Person) -> None:
            aggregate.requests.add(self.request)
            if self.request:
                aggregate.fact_requests[self.request] = self.fact_id
            aggregate.facts[self.fact_id] = Fact(
                self.fact, date.fromisoformat(self.start),
                date.fromisoformat(self.end) if self.end else None, self.evidence)

    class FactEnded(Event):
        """An open fact closed: the discipline served, the investigation concluded, the
        complaint resolved; ``evidence`` names the document that says so."""

        fact_id: str
        end: str
        evidence: str
        request: str = ""

        def apply(self, aggregate: Person) -> None:
            aggregate.requests.add(self.request)
            fact = aggregate.facts[self.fact_id]
            aggregate.facts[self.fact_id] = replace(fact, end=date.fromisoformat(self.end))
            aggregate.fact_endings[self.fact_id] = self.evidence

    class ServiceRecorded(Event):
        """When they started in the public service, or in the unit that counts; a later
        record replaces an earlier one (a mistake set right, a new start after a break)."""

        start: str
        evidence: str
        request: str = ""

        def apply(self, aggregate: Person) -> None:
            aggregate.requests.add(self.request)
            aggregate.service = Service(date.fromisoformat(self.start), self.evidence)

    def __init__(self) -> None:
        self.requests: set[str] = {""}
        self.awards: list[tuple[str, int, str]] = []
        """(award, year, decision number) of every award recorded: the same decision
        twice is refused."""
        self.held: list[_Held] = []
        self.facts: dict[str, Fact] = {}
        """By fact id, in the order recorded."""
        self.fact_endings: dict[str, str] = {}
        """The evidence each ended fact's end was recorded from, by fact id."""
        self.fact_requests: dict[str, str] = {}
        """The fact each keyed request recorded: a retry answers with it."""
        self.service: Service | None = None
        self.kind: str
        self.national_id: str
        self.civil_servant_code: str
        self.name: str
        self.birth_date: str
        self.gender: str
        self.position: str
        self.unit_id: str
        self.team: str

    # -- registering --------------------------------------------------------------

    @classmethod
    def register(
        cls, *, person_id: UUID, actor: Actor, kind: str, name: str, unit_id: str,
        national_id: str = "", civil_servant_code: str = "", birth_date: str = "",
        gender: str = "", position: str = "", team: str = "", at: datetime,
        request: str = "",
    ) -> Person:
        role = _registrar(actor)
        facts = checked_facts(kind=kind, name=name, national_id=national_id,
                              civil_servant_code=civil_servant_code, birth_date=birth_date,
                              gender=gender, position=position, team=team, today=at.date())
        return cls._create(
            cls.Registered, id=person_id, timestamp=at, actor=actor.id, actor_role=role,
            actor_unit=actor.unit_id, kind=kind, unit_id=unit_id, request=request, **facts)

    def correct(self, actor: Actor, *, changes: dict[str, str], reason: str, at: datetime,
                request: str = "") -> None:
        """Set registered facts right (a name misspelt, a date of birth mistyped); the
        whole record is checked again as it would then stand. The national ID is the
        person's identity and is never corrected: register them again."""
        role = _registrar(actor)
        now = {name: getattr(self, name) for name in CORRECTABLE}
        unknown = sorted(set(changes) - set(CORRECTABLE))
        if unknown:
            raise InvalidPersonData(
                f"These facts cannot be corrected: {', '.join(unknown)}",
                vi=f"Không sửa được các thông tin: {', '.join(unknown)}")
        facts = checked_facts(kind=self.kind, national_id=self.national_id,
                              today=at.date(), **{**now, **changes})
        changed = {name: facts[name] for name in CORRECTABLE if facts[name] != now[name]}
        if not changed:
            raise InvalidPersonData("The correction changes nothing",
                                    vi="Nội dung sửa không thay đổi thông tin nào")
        self.trigger_event(self.Corrected, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, changes=changed, reason=reason,
                           request=request)

    def transfer(self, actor: Actor, *, to_unit: str, on: date, position: str, at: datetime,
                 request: str = "") -> None:
        role = _registrar(actor)
        if self.kind != INDIVIDUAL:
            raise InvalidPersonData("A collective belongs to its unit and is not transferred",
                                    vi="Tập thể thuộc đơn vị của mình, không điều chuyển được")
        if to_unit == self.unit_id:
            raise InvalidPersonData(f"They already belong to {to_unit}",
                                    vi=f"Người này đã thuộc đơn vị {to_unit}")
        if on > at.date():
            raise InvalidPersonData("A transfer is recorded once it has taken effect",
                                    vi="Chỉ ghi nhận điều chuyển khi đã có hiệu lực, không "
                                       "ghi trước ngày điều chuyển")
        self.trigger_event(self.Transferred, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, from_unit=self.unit_id, to_unit=to_unit,
                           on=on.isoformat(), position=clean_name(position), request=request)

    def record_award(
        self, actor: Actor, *, award_code: str, year: int, decision_number: str,
        decision_date: date, issuer: str, source: str, at: datetime, nomination_id: str = "",
        request: str = "",
    ) -> None:
        """An award held: decided in Laurel (``source="laurel"``, the system records it),
        or made before Laurel or elsewhere (entered or imported by the register's keepers).
        The same decision recorded twice for one award is refused."""
        role = Role.SYSTEM if source == "laurel" else _registrar(actor)
        if source not in SOURCES:
            raise InvalidAwardRecord(f"An award comes from one of {', '.join(SOURCES)}",
                                     vi=f"Nguồn khen thưởng là một trong {', '.join(SOURCES)}")
        if source == "laurel" and not nomination_id:
            raise InvalidAwardRecord("An award decided in Laurel names its nomination",
                                     vi="Khen thưởng quyết định trên Laurel phải nêu hồ sơ đề "
                                        "nghị")
        if nomination_id and any(h.nomination_id == nomination_id for h in self.held):
            raise InvalidAwardRecord(
                f"The award of nomination {nomination_id} is recorded already",
                vi=f"Khen thưởng của hồ sơ đề nghị {nomination_id} đã được ghi nhận")
        if source != "laurel":  # a Laurel decision's date was checked by its nomination,
            # in the policy calendar's day, and its year is the nomination's
            check_award(year, clean_name(decision_number), decision_date, at.date())
        number = clean_name(decision_number)
        if (award_code, year, number) in self.awards:
            raise InvalidAwardRecord(
                f"{award_code} of {year} by decision {number} is recorded already",
                vi=f"Khen thưởng {award_code} năm {year} theo quyết định số {number} đã được "
                   f"ghi nhận")
        self.trigger_event(
            self.AwardRecorded, timestamp=at, actor=actor.id, actor_role=role,
            actor_unit=actor.unit_id, award_code=award_code, year=year,
            decision_number=number, decision_date=decision_date.isoformat(),
            issuer=clean_name(issuer), source=source, nomination_id=nomination_id,
            request=request)

    def revoke_award(self, *, nomination_id: str, on: date, decision_number: str,
                     at: datetime) -> None:
        """The award ``nomination_id`` gave, revoked by the decision of ``on``: the system
        carries the nomination's revocation over (actor ``laurel``). Nothing happens if
        the person holds no award of that nomination, or holds it revoked already."""
        held = next((h for h in self.held if h.nomination_id == nomination_id), None)
        if held is None or held.award.revoked_on is not None:
            return
        self.trigger_event(self.AwardRevoked, timestamp=at, actor=SYSTEM,
                           actor_role=Role.SYSTEM, actor_unit="", nomination_id=nomination_id,
                           on=on.isoformat(), decision_number=clean_name(decision_number))

    def record_fact(self, actor: Actor, *, fact: str, start: date, end: date | None,
                    evidence: str, at: datetime, request: str = "") -> str:
        """A discipline, an investigation, an inspection or an unresolved complaint, from
        the document it is recorded from; the new fact's id. Only what has begun is
        recorded; its end may be ahead (a discipline of a set term)."""
        role = _registrar(actor)
        if fact not in FACT_KINDS:
            raise InvalidFact(
                f"A fact is one of {', '.join(FACT_KINDS)}, not {fact!r}",
                vi="Loại sự việc là một trong: " + ", ".join(
                    f"{k} ({label.vi})" for k, label in FACT_KINDS.items()))
        if start > at.date():
            raise InvalidFact("A fact is recorded once it has begun",
                              vi=f"Chỉ ghi nhận sự việc đã bắt đầu; ngày bắt đầu "
                                 f"{start.strftime('%d/%m/%Y')} là ngày trong tương lai")
        if start.year < 1945:
            raise InvalidFact("A fact starts in 1945 or later",
                              vi="Ngày bắt đầu sự việc phải từ năm 1945 trở đi")
        if end is not None and end < start:
            raise InvalidFact("A fact ends on or after the day it started",
                              vi="Ngày kết thúc không được trước ngày bắt đầu")
        source = _evidence(evidence, InvalidFact)
        found = Fact(fact, start, end, source)
        if found in self.facts.values():
            raise InvalidFact("This fact is recorded already, from the same document",
                              vi="Sự việc này đã được ghi nhận theo cùng văn bản")
        fact_id = str(uuid5(self.id, f"fact {self.version + 1}"))
        self.trigger_event(self.FactRecorded, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, fact_id=fact_id, fact=fact,
                           start=start.isoformat(), end=end.isoformat() if end else "",
                           evidence=source, request=request)
        return fact_id

    def end_fact(self, actor: Actor, *, fact_id: str, end: date, evidence: str, at: datetime,
                 request: str = "") -> None:
        """An open fact closed, from the document that closes it; not ahead of today."""
        role = _registrar(actor)
        fact = self.facts.get(fact_id)
        if fact is None:
            raise NotFound(f"No fact {fact_id} of this person",
                           vi=f"Người này không có sự việc {fact_id}")
        if fact.end is not None:
            raise FactAlreadyEnded(
                f"This fact ended on {fact.end.isoformat()}",
                vi=f"Sự việc này đã kết thúc ngày {fact.end.strftime('%d/%m/%Y')}")
        if end < fact.start:
            raise InvalidFact("A fact ends on or after the day it started",
                              vi=f"Ngày kết thúc không được trước ngày bắt đầu "
                                 f"{fact.start.strftime('%d/%m/%Y')}")
        if end > at.date():
            raise InvalidFact("An end is recorded once it has come",
                              vi="Chỉ ghi nhận kết thúc khi sự việc đã kết thúc; ngày kết thúc "
                                 "không được sau hôm nay")
        self.trigger_event(self.FactEnded, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, fact_id=fact_id, end=end.isoformat(),
                           evidence=_evidence(evidence, InvalidFact), request=request)

    def record_service(self, actor: Actor, *, start: date, evidence: str, at: datetime,
                       request: str = "") -> None:
        """When they started in the public service or the unit that counts (minimum
        service, newly hired staff); the latest record is the one that holds."""
        role = _registrar(actor)
        if start > at.date():
            raise InvalidService("Service is recorded once it has begun",
                                 vi=f"Chỉ ghi nhận khi đã bắt đầu công tác; ngày "
                                    f"{start.strftime('%d/%m/%Y')} là ngày trong tương lai")
        born = date.fromisoformat(self.birth_date) if self.birth_date else date(1900, 1, 1)
        if start.year < 1945 or start <= born:
            raise InvalidService("Service starts after birth, and in 1945 or later",
                                 vi="Ngày bắt đầu công tác phải sau ngày sinh và từ năm 1945 "
                                    "trở đi")
        source = _evidence(evidence, InvalidService)
        if self.service == Service(start, source):
            raise InvalidService("This start of service is recorded already",
                                 vi="Ngày bắt đầu công tác này đã được ghi nhận")
        self.trigger_event(self.ServiceRecorded, timestamp=at, actor=actor.id,
                           actor_role=role, actor_unit=actor.unit_id,
                           start=start.isoformat(), evidence=source, request=request)

    # -- what eligibility is decided on (``domain.eligibility``) -------------------

    def held_awards(self) -> tuple[HeldAward, ...]:
        """Every award recorded, from every source, in the order recorded; a revoked
        one with its ``revoked_on``."""
        return tuple(h.award for h in self.held)

    def award_of(self, nomination_id: str) -> HeldAward | None:
        """The award ``nomination_id`` gave this person, if it did."""
        return next((h.award for h in self.held if h.nomination_id == nomination_id), None)

    def recorded_facts(self) -> tuple[Fact, ...]:
        """Every fact recorded, ended or not, in the order recorded."""
        return tuple(self.facts.values())

    def service_started(self) -> Service | None:
        """The latest start of service recorded."""
        return self.service


@dataclass(frozen=True)
class _Held:
    """An award held, with where it comes from: the nomination that gave it is what a
    revocation names."""

    award: HeldAward
    source: str
    nomination_id: str


def _evidence(evidence: str, error: type[InvalidFact] | type[InvalidService]) -> str:
    """The document a record stands on, as written: required, one line, not too long."""
    source = clean_name(evidence)
    if not source or len(source) > MAX_EVIDENCE:
        raise error(f"Name the document or decision it is recorded from (1 to "
                    f"{MAX_EVIDENCE} characters)",
                    vi=f"Phải nêu văn bản, quyết định làm căn cứ ghi nhận (từ 1 đến "
                       f"{MAX_EVIDENCE} ký tự)")
    return source


CORRECTABLE = ("name", "civil_servant_code", "birth_date", "gender", "position")


def check_award(year: int, decision_number: str, decision_date: date, today: date) -> None:
    if not decision_number:
        raise InvalidAwardRecord("An award names its decision's number",
                                 vi="Khen thưởng phải có số quyết định")
    if decision_date > today:
        raise InvalidAwardRecord(
            f"The decision's date {decision_date.isoformat()} is in the future",
            vi=f"Ngày quyết định {decision_date.strftime('%d/%m/%Y')} là ngày trong tương lai")
    if not 1945 <= year <= today.year or not year - 1 <= decision_date.year <= year + 2:
        raise InvalidAwardRecord(
            f"The year {year} does not fit the decision of {decision_date.isoformat()} (a "
            f"year's title is decided from late that year to two years after)",
            vi=f"Năm {year} không khớp với ngày quyết định "
               f"{decision_date.strftime('%d/%m/%Y')} (danh hiệu của một năm được quyết "
               f"định từ cuối năm đó đến hai năm sau)")


def checked_facts(*, kind: str, name: str, national_id: str = "", civil_servant_code: str = "",
                  birth_date: str = "", gender: str = "", position: str = "", team: str = "",
                  today: date) -> dict[str, Any]:
    """The facts of a registration, cleaned, or the refusal of the first wrong one."""
    if kind not in KINDS:
        raise InvalidPersonData(f"A register entry is an individual or a collective, not "
                                f"{kind!r}", vi="Đối tượng là cá nhân hoặc tập thể")
    name = clean_name(name)
    if not name or len(name) > MAX_NAME:
        raise InvalidPersonData(f"A name has 1 to {MAX_NAME} characters",
                                vi=f"Họ tên có từ 1 đến {MAX_NAME} ký tự")
    code = civil_servant_code.strip()
    if kind == COLLECTIVE:
        if national_id or birth_date or gender or code:
            raise InvalidPersonData(
                "A collective has no national ID, civil-servant code, birth date or gender",
                vi="Tập thể không có số CCCD, mã công chức, ngày sinh hay giới tính")
        return dict(national_id="", civil_servant_code="", name=name, birth_date="",
                    gender="", position=clean_name(position), team=clean_name(team))
    if gender not in GENDERS:
        raise InvalidPersonData("Gender is male or female",
                                vi="Giới tính là nam (male) hoặc nữ (female)")
    try:
        born = date.fromisoformat(birth_date)
    except ValueError:
        raise InvalidPersonData("The date of birth is a date, YYYY-MM-DD",
                                vi="Ngày sinh phải là một ngày, dạng YYYY-MM-DD") from None
    if not date(1900, 1, 1) <= born <= today:
        raise InvalidPersonData(f"A date of birth between 1900 and today, not {birth_date}",
                                vi=f"Ngày sinh phải từ năm 1900 đến hôm nay; {birth_date} "
                                   f"không hợp lệ")
    check_national_id(national_id, gender, born)
    if len(code) > 40 or (code and not code.replace("-", "").replace(".", "").isalnum()):
        raise InvalidPersonData("A civil-servant code is letters and digits, at most 40",
                                vi="Mã công chức gồm chữ và số, tối đa 40 ký tự")
    return dict(national_id=national_id, civil_servant_code=code, name=name,
                birth_date=born.isoformat(), gender=gender, position=clean_name(position),
                team="")


def _registrar(actor: Actor) -> str:
    for role in REGISTRARS:
        if role in actor.roles:
            return role
    return actor.acting_as(Role.PROPOSER)  # raises WrongRole, naming the clerk's role
