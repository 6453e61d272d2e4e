"""The register's request and response bodies (``api.routes.people``,
``api.routes.initiatives``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas import LINE, REQUIRED_LINE, Day, Label, OptionalText, Page, Text
from domain.initiative import MAX_AUTHORS, MAX_TITLE

PersonKind = Literal["individual", "collective"]
Gender = Literal["male", "female"]
ShortText = Annotated[str, StringConstraints(max_length=40), LINE]
UnitId = Annotated[str, StringConstraints(min_length=1, max_length=120), LINE]
AwardYear = Annotated[int, Field(ge=1945, le=9999, strict=True)]
FactKind = Literal["discipline", "investigation", "inspection", "complaint"]
"""``domain.eligibility.rules.FACT_KINDS``: kỷ luật, điều tra, thanh tra / kiểm tra,
khiếu nại / tố cáo chưa giải quyết xong."""
Evidence = Annotated[Text, Field(
    description="The document or decision it is recorded from",
    examples=["Quyết định số 45/QĐ-UBND ngày 01/03/2024"])]
PersonId = Annotated[str, StringConstraints(
    pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]


class PersonCreate(BaseModel):
    """An individual (national ID, date of birth and gender required) or a collective
    (its unit, or a named team of it)."""

    model_config = ConfigDict(extra="forbid")

    kind: PersonKind = "individual"
    name: Text
    national_id: ShortText = Field(
        "", description="CCCD, 12 digits: province code, century and gender, year of birth",
        examples=["001089012345"])
    civil_servant_code: ShortText = ""
    birth_date: Day | None = None
    gender: Gender | None = None
    position: OptionalText = ""
    unit_id: UnitId | None = Field(None, description="The unit they belong to; yours if left "
                                                    "out (an administrator: any below it)")
    team: OptionalText = Field("", description="A collective that is a named team of the unit")


class PersonCreated(BaseModel):
    id: str
    links: dict[str, str]


class PersonUnit(BaseModel):
    unit_id: str
    unit_name: str
    from_unit_id: str | None
    since: str


class PersonSummary(BaseModel):
    id: str
    kind: PersonKind
    name: str
    national_id: str
    """Masked (``0010******89``) but for the person's unit and auditors."""
    civil_servant_code: str
    unit_id: str
    unit_name: str
    team: str


class PeoplePublic(Page):
    items: list[PersonSummary]


class FactPublic(BaseModel):
    id: str
    fact: FactKind
    fact_name: Label
    start: str
    end: str | None
    """None while it lasts."""
    evidence: str
    end_evidence: str | None


class ServicePublic(BaseModel):
    start: str
    evidence: str


class PersonPublic(PersonSummary):
    national_id_masked: bool
    birth_date: str
    gender: str
    position: str
    version: int
    units: list[PersonUnit]
    facts: list[FactPublic] = []
    """Discipline, investigation, inspection, complaints: only for those who see them
    (``api.reads.people.sees_facts``); for anyone else empty, and ``facts_withheld``."""
    facts_withheld: bool = False
    service: ServicePublic | None = None
    links: dict[str, str]


class FactCreate(BaseModel):
    """Something that bars an award while it lasts, from the document it is recorded
    from."""

    model_config = ConfigDict(extra="forbid")

    fact: FactKind
    start: Day
    end: Day | None = Field(None, description="Left out while it lasts")
    evidence: Evidence


class FactEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    end: Day
    evidence: Evidence


class ServiceCreate(BaseModel):
    """When they started in the public service, or the unit that counts."""

    model_config = ConfigDict(extra="forbid")

    start: Day
    evidence: Evidence


class FactRecordedPublic(BaseModel):
    id: str
    fact_id: str
    version: int
    unit_id: str
    links: dict[str, str]


class InitiativeCreate(BaseModel):
    """A recognised initiative (sáng kiến) and its authors, people of the register."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TITLE), REQUIRED_LINE]
    authors: list[PersonId] = Field(min_length=1, max_length=MAX_AUTHORS,
                                    description="Person ids of the register")
    recognised_on: Day
    recognition: Text = Field(description="The decision that recognised it",
                              examples=["Quyết định số 12/QĐ-HĐSK"])
    scope: Annotated[str, StringConstraints(max_length=MAX_TITLE), LINE] = ""
    unit_id: UnitId | None = Field(None, description="The unit whose initiative it is; "
                                                    "yours if left out")


class InitiativeCreated(BaseModel):
    id: str
    version: int
    links: dict[str, str]


class InitiativeAuthor(BaseModel):
    id: str
    name: str | None
    """None for an author you may not see (of another unit)."""


class InitiativeUsePublic(BaseModel):
    nomination_id: str
    award_code: str
    award_name: Label
    year: int
    unit_id: str
    unit_name: str
    used_at: str
    released: bool
    release_reason: str | None


class InitiativeSummary(BaseModel):
    id: str
    title: str
    unit_id: str
    unit_name: str
    recognised_on: str
    recognition: str
    scope: str


class InitiativesPublic(Page):
    items: list[InitiativeSummary]


class InitiativePublic(InitiativeSummary):
    authors: list[InitiativeAuthor]
    uses: list[InitiativeUsePublic]
    """Every use, oldest first; a released one no longer counts."""
    links: dict[str, str]


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_unit: UnitId
    on: Day
    position: OptionalText = Field("", description="The position taken there; left out, "
                                                   "the one held")


class PersonFacts(BaseModel):
    """The registered facts that may be set right; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: Text | None = None
    civil_servant_code: OptionalText | None = None
    birth_date: Day | None = None
    gender: Gender | None = None
    position: OptionalText | None = None


class CorrectionCreate(BaseModel):
    """Registered facts set right (a name misspelt, a date of birth mistyped). The
    national ID is the person's identity and is never corrected."""

    model_config = ConfigDict(extra="forbid")

    changes: PersonFacts
    reason: Text


class AwardCreate(BaseModel):
    """One title or award held from before Laurel, or given elsewhere."""

    model_config = ConfigDict(extra="forbid")

    award_code: Text
    year: AwardYear
    decision_number: Text
    decision_date: Day
    issuer: Text


class PersonChangedPublic(BaseModel):
    id: str
    version: int
    unit_id: str
    links: dict[str, str]


class AwardPublic(BaseModel):
    id: str
    award_code: str
    award_name: Label
    year: int
    decision_number: str
    decision_date: str
    issuer: str
    source: Literal["laurel", "import", "manual"]
    nomination_id: str | None
    revoked: bool


class AwardsPublic(BaseModel):
    person_id: str
    items: list[AwardPublic]


class AwardsImported(BaseModel):
    imported: int
    """Awards the sheet recorded (sent again with its Idempotency-Key: as the first time,
    recording nothing more)."""
