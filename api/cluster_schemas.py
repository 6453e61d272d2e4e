"""The bodies and answers of emulation clusters and blocks (``/clusters``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas import REQUIRED_LINE, Day, Label, OptionalText, Text

Code = Annotated[str, StringConstraints(min_length=1, max_length=120), REQUIRED_LINE]
UnitId = Annotated[str, StringConstraints(min_length=1, max_length=120), REQUIRED_LINE]
Points = Annotated[float, Field(ge=0, le=1000)]
MAX_MEMBERS = 200
MAX_CRITERIA = 100


class ClusterCreate(BaseModel):
    """A cluster (*cụm*) or block (*khối*) of units below yours for a year, and its leader
    (*trưởng cụm*) among them."""

    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Text
    kind: Literal["cluster", "block"]
    year: int = Field(ge=1945, le=2200)
    members: list[UnitId] = Field(min_length=2, max_length=MAX_MEMBERS)
    leader: str = Field("", max_length=120, description=(
        "the leader unit (*trưởng cụm*), one of the members; empty: the leadership rotates "
        "from the cluster of the same code last year, to the member after its leader. Last "
        "year's leader does not lead again (422)"))


class PactCreate(BaseModel):
    """The signed pact (*giao ước thi đua*): a document of the leader unit
    (``POST /documents``) and the day it was signed."""

    model_config = ConfigDict(extra="forbid")

    document_id: Code
    signed_on: Day


class CriterionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Text
    max_points: Annotated[float, Field(gt=0, le=1000)]


class CriteriaCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criteria: list[CriterionCreate] = Field(min_length=1, max_length=MAX_CRITERIA)


class CriterionAssessment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion: Code
    points: Points
    evidence: list[Code] = Field(default_factory=list, max_length=20,
                                 description="ids of your unit's documents")
    note: OptionalText = ""


class SelfAssessmentCreate(BaseModel):
    """Your unit's points on every criterion, each with its evidence."""

    model_config = ConfigDict(extra="forbid")

    items: list[CriterionAssessment] = Field(min_length=1, max_length=MAX_CRITERIA)


class ScoresCreate(BaseModel):
    """The points of the step due (the leader's, then the board's): every member's points
    on every criterion, ``{"unit_id": {"criterion": points}}``."""

    model_config = ConfigDict(extra="forbid")

    points: dict[UnitId, dict[Code, Points]]
    step: Literal["", "leader", "board"] = ""
    note: OptionalText = ""


class FlagProposalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    achievements: OptionalText = ""


class ClusterResult(BaseModel):
    id: str
    status: str
    version: int
    nomination_id: str = ""
    links: dict[str, str]


class CriterionPublic(BaseModel):
    code: str
    name: str
    max_points: float


class StepScore(BaseModel):
    step: str
    step_name: Label
    points: dict[str, float]
    total: float
    scored_by: str
    scored_at: datetime


class MemberPublic(BaseModel):
    unit_id: str
    unit_name: str
    leader: bool
    self_points: dict[str, float] | None
    self_total: float | None
    evidence: dict[str, list[str]]
    notes: dict[str, str]
    self_assessed_at: datetime | None
    scores: list[StepScore]
    score: float | None
    rank: int | None


class ClusterHeading(BaseModel):
    """What names a cluster, in its listing and on its own."""

    id: str
    code: str
    name: str
    kind: str
    kind_name: Label
    year: int
    status: str
    status_name: Label
    leader: str
    leader_name: str


class ClusterPublic(ClusterHeading):
    board: str
    board_name: str
    steps: list[str]
    next_step: str
    pact_document_id: str | None
    pact_signed_on: date | None
    criteria: list[CriterionPublic]
    members: list[MemberPublic]
    ranking: list[MemberPublic]
    tie_rule: Label | None
    flag_nomination_id: str | None
    flag_unit_id: str | None
    version: int
    links: dict[str, str]


class ClusterSummary(ClusterHeading):
    members: int
    flag_nomination_id: str | None
    links: dict[str, str]


class ClustersPublic(BaseModel):
    items: list[ClusterSummary]
