"""The register of people and collectives: register, find, transfer, their awards, and
what their eligibility is decided on (facts, each from its document; the start of
service)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import APIRouter, File, Query, Response, UploadFile, status
from sqlalchemy.engine import Connection

from api import award_sheet, commands, deps
from api.deps import CurrentUser, LaurelDep, Limit, NewCommand, Offset, read_models
from api.people_schemas import (
    AwardCreate,
    AwardsImported,
    AwardsPublic,
    CorrectionCreate,
    FactCreate,
    FactEnd,
    FactRecordedPublic,
    PeoplePublic,
    PersonChangedPublic,
    PersonCreate,
    PersonCreated,
    PersonPublic,
    ServiceCreate,
    TransferCreate,
)
from api.problems import PROBLEM_RESPONSES
from api.reads import people as reads
from domain.actor import Actor
from domain.commands import EndFact, Imported, PersonChanged, RecordFact, RecordService
from domain.errors import NotFound
from infrastructure.container import Laurel

T = TypeVar("T")

router = APIRouter(prefix="/people", tags=["people"], responses=PROBLEM_RESPONSES)

Search = Annotated[str | None, Query(
    max_length=100,
    description="Find by name (accents and case aside, from any of its words on: `nguyen "
                "thi h`), civil-servant code or national ID (CCCD, 12 digits)",
    examples=["nguyen thi hoa"])]


@router.post("", status_code=status.HTTP_201_CREATED)
async def register(body: PersonCreate, command: NewCommand, response: Response) -> PersonCreated:
    """A unit's clerk (or an administrator, for a unit below) registers an individual or
    a collective. A national ID already registered is 409."""
    changed = await command.give(commands.register_person(body))
    assert isinstance(changed, PersonChanged)
    links = reads.links(str(changed.person_id))
    response.headers["Location"] = links["self"]
    return PersonCreated(id=str(changed.person_id), links=links)


@router.get("")
async def list_people(user: CurrentUser, laurel: LaurelDep, q: Search = None,
                      limit: Limit = 50, offset: Offset = 0) -> PeoplePublic:
    """People and collectives of the units you may see (as nominations), by name; with
    `q`, those found. National IDs are masked but for the person's unit and auditors."""
    return await read_models(laurel, lambda conn: reads.people_listing(
        user, laurel.policy, conn, q, limit, offset))


@router.post("/awards/import")
async def import_awards(command: NewCommand, file: Annotated[UploadFile, File(
        description="CSV or XLSX, one award a row: Họ và tên, Số CCCD or Mã công chức, "
                    "Danh hiệu/Hình thức, Năm, Số quyết định, Ngày quyết định, Cơ quan ban "
                    "hành, in any order")]) -> AwardsImported:
    """Ten years of history from the sheets a province keeps: every row checked and
    matched to a person of your units; one refused row (each is named) and nothing is
    recorded."""
    award_sheet.require_keeper(command.user)
    content = await file.read()
    rows = await asyncio.to_thread(award_sheet.read, file.filename or "", content)
    imported = await command.give(award_sheet.build(command.user, command.laurel.policy, rows))
    assert isinstance(imported, Imported)
    return AwardsImported(imported=imported.count)


@router.get("/{person_id}")
async def get_person(person_id: str, user: CurrentUser, laurel: LaurelDep) -> PersonPublic:
    """Who they are, the units they belonged to and their start of service; the
    national ID masked but for their own unit and auditors; their facts (discipline,
    investigation…) shown only to their unit's keepers, the councils and deciders of
    their unit or above, and auditors (anyone else: `facts_withheld`)."""
    return await once_projected(laurel, user, person_id, lambda conn: reads.person(
        user, laurel.policy, conn, person_id))


@router.post("/{person_id}/transfers")
async def transfer(person_id: str, body: TransferCreate,
                   command: NewCommand) -> PersonChangedPublic:
    """They join another unit (*điều chuyển*), from the day given; the unit they leave
    records it. From then on, that unit sees them no more."""
    return _changed(await command.give(commands.transfer_person(person_id, body)))


@router.post("/{person_id}/corrections")
async def correct(person_id: str, body: CorrectionCreate,
                  command: NewCommand) -> PersonChangedPublic:
    """Registered facts set right, with the reason: name, civil-servant code, date of
    birth, gender, position (the whole record is checked again as it would stand; the
    CCCD against the corrected birth date and gender). A correction that changes nothing
    is refused."""
    return _changed(await command.give(commands.correct_person(person_id, body)))


@router.post("/{person_id}/awards", status_code=status.HTTP_201_CREATED)
async def record_award(person_id: str, body: AwardCreate,
                       command: NewCommand) -> PersonChangedPublic:
    """One title or award held from before Laurel, or given elsewhere."""
    return _changed(await command.give(commands.record_award(person_id, body)))


@router.get("/{person_id}/awards")
async def get_awards(person_id: str, user: CurrentUser, laurel: LaurelDep) -> AwardsPublic:
    """Every title and award held, oldest year first: decided in Laurel, imported, or
    entered one by one."""
    return await once_projected(laurel, user, person_id, lambda conn: reads.awards(
        user, laurel.policy, conn, person_id))


@router.post("/{person_id}/facts", status_code=status.HTTP_201_CREATED)
async def record_fact(person_id: str, body: FactCreate,
                      command: NewCommand) -> FactRecordedPublic:
    """A discipline, investigation, inspection or unresolved complaint (*kỷ luật, điều
    tra, thanh tra, khiếu nại*), from the document it is recorded from: it bars an award
    while it lasts. Recorded by the keepers of the person's register; shown only to them,
    the councils judging the person, and auditors."""
    result = await command.give(RecordFact(
        _person_id(person_id), body.fact, body.start.isoformat(),
        body.end.isoformat() if body.end else "", body.evidence))
    assert isinstance(result, PersonChanged)
    return FactRecordedPublic(id=str(result.person_id), fact_id=result.fact_id,
                              version=result.version, unit_id=result.unit_id,
                              links=reads.links(str(result.person_id)))


@router.post("/{person_id}/facts/{fact_id}/end")
async def end_fact(person_id: str, fact_id: str, body: FactEnd,
                   command: NewCommand) -> PersonChangedPublic:
    """The fact is over (the discipline served, the investigation closed), from the
    document that says so."""
    return _changed(await command.give(EndFact(_person_id(person_id), fact_id[:64],
                                               body.end.isoformat(), body.evidence)))


@router.post("/{person_id}/service")
async def record_service(person_id: str, body: ServiceCreate,
                         command: NewCommand) -> PersonChangedPublic:
    """When they started in the public service, or the unit that counts (how long they
    have served); the latest recorded holds."""
    return _changed(await command.give(RecordService(_person_id(person_id),
                                                     body.start.isoformat(), body.evidence)))


def _person_id(person_id: str) -> UUID:
    try:
        return UUID(person_id)
    except ValueError:
        raise NotFound(f"No person {person_id}", vi=f"Không có người {person_id}") from None


def _changed(result: object) -> PersonChangedPublic:
    assert isinstance(result, PersonChanged)
    return PersonChangedPublic(id=str(result.person_id), version=result.version,
                               unit_id=result.unit_id, links=reads.links(str(result.person_id)))


async def once_projected(laurel: Laurel, user: Actor, person_id: str,
                         read: Callable[[Connection], T]) -> T:
    """``read``, waiting a moment for a person the event store holds for this reader and
    the read models do not show yet (registered a moment ago)."""
    return await deps.once_projected(laurel, read, lambda: reads.recorded_for(
        user, laurel, person_id))
