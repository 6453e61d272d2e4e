"""Request and response bodies. Field names here are the public contract."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]


class Label(BaseModel):
    vi: str
    en: str


class Nominee(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    kind: Literal["individual", "collective", "household"]
    direct_worker: bool = False
    title: Annotated[str, StringConstraints(max_length=300)] = ""


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text
    kind: Literal["proposal", "achievement_report", "meeting_minutes", "other"] = "other"
    url: Annotated[str, StringConstraints(max_length=2000)] = ""


class NominationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    award_code: Text
    nominee: Nominee
    achievements: LongText = ""
    documents: list[Document] = Field(default_factory=list, max_length=50)


class NominationCreated(BaseModel):
    id: str
    tracking_code: str
    status: str
    links: dict[str, str]


class RouteStep(BaseModel):
    kind: Literal["review", "decision"]
    level: str
    unit_id: str
    unit_name: str


class Decision(BaseModel):
    outcome: str
    number: str
    date: str
    signer: str


class NominationPublic(BaseModel):
    id: str
    tracking_code: str
    status: str
    status_label: Label
    award_code: str
    award_name: Label
    nominee: Nominee
    unit_id: str
    unit_name: str
    proposer: str
    achievements: str
    documents: list[Document]
    current_level: str | None
    current_unit_id: str | None
    current_unit_name: str | None
    open_task_id: str | None
    due_at: datetime | None
    overdue: bool
    decision: Decision | None
    route: list[RouteStep]
    policy_version: str
    proposed_at: datetime
    updated_at: datetime
    version: int


class NominationSummary(BaseModel):
    id: str
    tracking_code: str
    status: str
    status_label: Label
    award_code: str
    nominee_name: str
    unit_id: str
    current_level: str | None
    due_at: datetime | None
    proposed_at: datetime


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class NominationsPublic(Page):
    items: list[NominationSummary]


class HistoryEntry(BaseModel):
    position: int
    version: int
    type: str
    label: Label
    occurred_at: datetime
    actor: str
    actor_role: str
    actor_unit: str
    level: str | None
    unit_id: str | None
    data: dict[str, Any]


class HistoryPublic(BaseModel):
    nomination_id: str
    items: list[HistoryEntry]


class TaskPublic(BaseModel):
    id: str
    nomination_id: str
    kind: Literal["review", "decision"]
    level: str
    unit_id: str
    award_code: str
    award_name: Label
    nominee_name: str
    opened_at: datetime
    due_at: datetime
    overdue: bool
    status: Literal["open", "closed"]
    outcome: str | None


class TasksPublic(Page):
    items: list[TaskPublic]


class VoteTally(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    members: int = Field(ge=1, le=10_000)
    present: int = Field(ge=0, le=10_000)
    for_: int = Field(alias="for", ge=0, le=10_000)
    against: int = Field(ge=0, le=10_000)
    abstain: int = Field(ge=0, le=10_000)


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["approve", "reject", "return"]
    votes: VoteTally
    note: LongText = ""


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["awarded", "not_awarded"]
    decision_number: Text
    decision_date: date
    signer: Text


class TaskActionResult(BaseModel):
    task_id: str
    nomination_id: str
    outcome: str
    links: dict[str, str]


class TrackingStep(BaseModel):
    type: str
    label: Label
    occurred_at: datetime
    level: str | None
    unit_name: str | None


class TrackingPublic(BaseModel):
    tracking_code: str
    status: str
    status_label: Label
    award_name: Label
    nominee_name: str
    current_level: str | None
    current_unit_name: str | None
    due_at: datetime | None
    next_step: Label
    proposed_at: datetime
    timeline: list[TrackingStep]


class OrgUnitPublic(BaseModel):
    id: str
    name: str
    level: str
    kind: str
    parent_id: str | None


class OrgUnitsPublic(BaseModel):
    policy_version: str
    items: list[OrgUnitPublic]


class AwardPublic(BaseModel):
    code: str
    name: Label
    nominee_kinds: list[str]
    chain: list[str]
    deciding_level: str
    authority: Label
    review_days: dict[str, int]


class AwardsPublic(BaseModel):
    policy_version: str
    items: list[AwardPublic]
