"""The bodies of the work inside a level before its council: the board's appraisal
(*thẩm định*), its head's sign-off, and the agencies' answers to a consultation
(*hiệp y*)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas import REQUIRED_LINE, LongText, OptionalText

Code = Annotated[str, StringConstraints(min_length=1, max_length=80), REQUIRED_LINE]


class CheckConfirmation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: Code = Field(description="a rule of the award's checklist, as "
                       "`GET /nominations/{id}/eligibility` names it")
    confirmed: bool = Field(description="false: the specialist disputes the check")
    note: OptionalText = ""


class AppraisalCreate(BaseModel):
    """The specialist's appraisal of the dossier (*thẩm định*): it waits for the board's
    head to sign it off, then the council's task opens."""

    model_config = ConfigDict(extra="forbid")

    conclusion: Literal["eligible", "not_eligible", "lower_form"]
    documents_complete: bool = Field(description="the dossier holds every document the "
                                     "award needs, in order")
    checks: list[CheckConfirmation] = Field(default_factory=list, max_length=100)
    lower_award: Annotated[str, StringConstraints(max_length=80)] = Field(
        "", description="with `lower_form`: one of the award's `lower_forms` in the policy, "
        "for the nominee's kind")
    note: LongText = ""


class SignOffCreate(BaseModel):
    """The board's head on the appraisal: `agreed` sends it to the council; otherwise it
    goes back to the specialist with the note."""

    model_config = ConfigDict(extra="forbid")

    agreed: bool
    note: LongText = ""


class ConsultationAnswerCreate(BaseModel):
    """An agency's written answer to the consultation (*hiệp y*), as received."""

    model_config = ConfigDict(extra="forbid")

    answer: Literal["agrees", "objects"]
    note: LongText = ""
    document_id: Annotated[str, StringConstraints(max_length=64)] = Field(
        "", description="the agency's letter, uploaded with `POST /documents`")
