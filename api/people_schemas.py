"""The register's request and response bodies (``api.routes.people``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas import LINE, Day, Label, OptionalText, Page, Text

PersonKind = Literal["individual", "collective"]
Gender = Literal["male", "female"]
ShortText = Annotated[str, StringConstraints(max_length=40), LINE]
UnitId = Annotated[str, StringConstraints(min_length=1, max_length=120), LINE]
AwardYear = Annotated[int, Field(ge=1945, le=9999, strict=True)]


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


class PersonPublic(PersonSummary):
    national_id_masked: bool
    birth_date: str
    gender: str
    position: str
    version: int
    units: list[PersonUnit]
    links: dict[str, str]


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_unit: UnitId
    on: Day
    position: OptionalText = Field("", description="The position taken there; left out, "
                                                   "the one held")


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
