"""The bodies and answers of emulation movements (``/movements``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas import LINE, Day, Label, LongText, Page, PersonId, Text

Code = Annotated[str, StringConstraints(min_length=1, max_length=120), LINE]


class MovementCreate(BaseModel):
    """A movement (*phong trào thi đua*) your unit launches by a decision."""

    model_config = ConfigDict(extra="forbid")

    name: Text
    decision_number: Text = Field(description="the launching decision's number, used once "
                                  "per unit")
    decision_date: Day
    scope: list[Code] = Field(min_length=1, max_length=500, description="the units it "
                              "covers (yours, or units below it), each with those below")
    period_from: Day
    period_to: Day
    criteria: LongText = ""
    award_codes: list[Code] = Field(min_length=1, max_length=50,
                                    description="the forms of award it offers")
    dossier_from: Day = Field(description="the first day its dossiers are taken")
    dossier_until: Day = Field(description="the last day its dossiers are taken")


class MovementClose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    document_id: Annotated[str, StringConstraints(max_length=36)] = Field(
        "", description="the closing report, uploaded with `POST /documents`")


class MovementCreated(BaseModel):
    id: str
    version: int
    links: dict[str, str]


class MovementNomination(BaseModel):
    id: str
    tracking_code: str
    status: str
    status_label: Label
    nominee_name: str
    unit_id: str
    award_code: str
    proposed_at: datetime


class MovementPublic(BaseModel):
    id: str
    unit_id: str
    unit_name: str
    name: str
    decision_number: str
    decision_date: date
    scope: list[str]
    period_from: date
    period_to: date
    criteria: str
    award_codes: list[str]
    award_names: dict[str, Label]
    dossier_from: date
    dossier_until: date
    status: str = Field(description="`open`, or `closed` with its `result`")
    result: str | None
    launched_at: datetime
    closed_at: datetime | None
    by_status: dict[str, int] = Field(description="its nominations you may see, counted "
                                      "by status")
    nominations: list[MovementNomination] = Field(description="those nominations, by "
                                                  "status then newest first")


class MovementSummary(BaseModel):
    id: str
    unit_id: str
    name: str
    decision_number: str
    status: str
    dossier_from: date
    dossier_until: date


class MovementsPublic(Page):
    items: list[MovementSummary]


class RegistrationCreate(BaseModel):
    """Titles a person or collective of the register aims at in a year (*đăng ký thi
    đua*), registered by their unit's clerk."""

    model_config = ConfigDict(extra="forbid")

    person_id: PersonId
    year: int = Field(ge=2000, le=2200, description="this year or a later one")
    award_codes: list[Code] = Field(min_length=1, max_length=20)


class RegistrationWithdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: PersonId
    year: int = Field(ge=2000, le=2200)
    award_code: Code
    reason: Text


class RegistrationRecorded(BaseModel):
    registration_id: str
    version: int
    titles: list[str] = Field(description="every title now registered for the year")


class RegisteredTitle(BaseModel):
    person_id: str
    name: str | None
    year: int
    award_code: str
    award_name: Label
    unit_id: str
    registered_at: datetime


class RegisteredTitles(Page):
    items: list[RegisteredTitle]
