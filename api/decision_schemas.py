"""The bodies and answers of decisions (``/decisions``): one decision document over the
decider's open decision tasks, and the record as its readers see it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas import REQUIRED_LINE, Day, Label, OptionalText, TaskActionResult, Text

MAX_ITEMS = 500
"""Nominations one decision lists at most (a province's year-end decision lists
hundreds)."""


class DecisionItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task_id: Annotated[str, StringConstraints(min_length=1, max_length=64), REQUIRED_LINE]
    outcome: Literal["awarded", "not_awarded"]


class DecisionRecordCreate(BaseModel):
    """A decision (*quyết định khen thưởng*): its number in the issuing unit's register
    (used once), date, signer, and the decision tasks of your unit it decides."""

    model_config = ConfigDict(extra="forbid")

    decision_number: Text
    decision_date: Day
    signer: Text
    authority: OptionalText = Field(
        "", description="the deciding authority of every listed award (empty: theirs, "
        "which must be one; another is refused)")
    items: list[DecisionItemCreate] = Field(min_length=1, max_length=MAX_ITEMS)


class DecisionRecordResult(BaseModel):
    id: str
    recorded: int
    items: list[TaskActionResult]
    links: dict[str, str]


class DecisionItemPublic(BaseModel):
    nomination_id: str
    task_id: str
    outcome: str
    outcome_label: Label
    nominee_name: str
    nominee_kind: str
    unit_id: str
    unit_name: str
    award_code: str
    award_name: Label


class DecisionPublic(BaseModel):
    id: str
    number: str
    decision_date: str
    signer: str
    authority: str
    unit_id: str
    unit_name: str
    recorded_at: datetime
    recorded_by: str
    items: list[DecisionItemPublic]
    links: dict[str, str]
