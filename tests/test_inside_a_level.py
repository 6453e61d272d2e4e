"""The work inside the province before its council, on Temporal's time-skipping test
server: the agencies consulted (one lets its ten working days lapse), the specialist's
appraisal proposing a lower form, the head's sign-off, then the council, the public
notice and the decision granting the lower form. Each step an event, each wait a timer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.actor import Actor
from domain.commands import Context, Decide
from domain.errors import NotALowerForm, TaskAlreadyClaimed, UnknownAgency, WrongRole
from domain.inside_level import AnswerConsultation, Appraise, CheckConfirmed, SignOffAppraisal
from domain.nomination import Nomination
from domain.vocabulary import AppraisalConclusion
from tests.support.commands import propose, review
from tests.support.nominations import day_in_vietnam
from tests.test_workflow import DEPARTMENT, PROVINCE, Harness, harness, skipping  # noqa: F401

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def level(harness: Harness) -> Harness:  # noqa: F811 - test_workflow's, by another name
    return harness

AWARD = "huan-chuong-lao-dong-hang-ba"
AGENCIES = ["cuc-thue", "bhxh", "cong-an", "so-tnmt", "ban-to-chuc-tinh-uy"]
ROSTER_FOR = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}
SPECIALIST = Actor("chuyenvien.tinh", frozenset({"reviewer"}), PROVINCE)
ANOTHER_SPECIALIST = Actor("chuyenvien2.tinh", frozenset({"reviewer"}), PROVINCE)
HEAD = Actor("truongban.tinh", frozenset({"reviewer"}), PROVINCE)
SECRETARY = Actor("hoidong.tinh", frozenset({"reviewer"}), PROVINCE)


def give(level: Harness, command: object, actor: Actor) -> None:
    level.app.handle(command, Context(actor, datetime.now(UTC)))  # type: ignore[arg-type]


async def opened(level: Harness, nomination_id: uuid.UUID,
                 event: type[Nomination.Event]) -> Nomination.Event:
    """Wait (in skipped time) until the workflow has recorded ``event``."""
    for _ in range(300):
        found = [e for e in level.app.events.get(nomination_id) if isinstance(e, event)]
        if found:
            return found[-1]
        await level.env.sleep(timedelta(milliseconds=20))
    raise AssertionError(f"the workflow recorded no {event.__name__}")


async def at_the_province(level: Harness) -> uuid.UUID:
    nomination_id = propose(
        level.app, Actor("proposer@dept", frozenset({"proposer"}), DEPARTMENT),
        award_code=AWARD, nominee={"name": "Lê Văn Tám", "kind": "individual"},
        achievements="", documents=[], at=datetime.now(UTC)).id
    await level.relay_everything()
    await level.review(nomination_id)  # the department's council
    return nomination_id


async def test_an_agency_that_does_not_answer_lapses_and_the_council_opens_after_the_appraisal(
    level: Harness,
) -> None:
    nomination_id = await at_the_province(level)
    consultation = await opened(level, nomination_id, Nomination.ConsultationOpened)
    assert isinstance(consultation, Nomination.ConsultationOpened)
    assert [a["code"] for a in consultation.agencies] == AGENCIES
    assert consultation.due_at - consultation.timestamp >= timedelta(days=14)  # 10 working

    for agency in AGENCIES:
        if agency != "cong-an":
            give(level, AnswerConsultation(nomination_id, consultation.task_id, agency,
                                             "agrees", "Không có ý kiến khác"), SECRETARY)
    await level.relay_everything()
    with pytest.raises(UnknownAgency):  # answered already
        give(level, AnswerConsultation(nomination_id, consultation.task_id, "bhxh",
                                         "objects"), SECRETARY)
    await level.env.sleep(timedelta(days=5))  # the police still have time
    assert "ConsultationLapsed" not in level.events(nomination_id)
    assert "AppraisalOpened" not in level.events(nomination_id)

    await level.until(consultation.due_at)
    lapsed = await opened(level, nomination_id, Nomination.ConsultationLapsed)
    assert isinstance(lapsed, Nomination.ConsultationLapsed)
    assert lapsed.agencies == ["cong-an"] and lapsed.settled
    appraisal = await opened(level, nomination_id, Nomination.AppraisalOpened)
    assert level.events(nomination_id)[-2:] == ["ConsultationLapsed", "AppraisalOpened"]

    # The specialist claims the file by recording the appraisal; another cannot take it.
    lower = Appraise(nomination_id, appraisal.task_id,  # type: ignore[attr-defined]
                     AppraisalConclusion.LOWER_FORM, True,
                     (CheckConfirmed("no_disqualifier", True),), "bang-khen-thu-tuong",
                     "Thành tích phù hợp Bằng khen của Thủ tướng")
    with pytest.raises(NotALowerForm):
        give(level, Appraise(nomination_id, appraisal.task_id,  # type: ignore[attr-defined]
                               AppraisalConclusion.LOWER_FORM, True, (), "giay-khen"),
             SPECIALIST)
    give(level, lower, SPECIALIST)
    with pytest.raises(WrongRole):  # the specialist does not sign their own appraisal off
        give(level, SignOffAppraisal(nomination_id, appraisal.task_id,  # type: ignore[attr-defined]
                                       True), SPECIALIST)
    give(level, SignOffAppraisal(nomination_id, appraisal.task_id,  # type: ignore[attr-defined]
                                   False, "Ghi rõ số liệu"), HEAD)  # sent back
    with pytest.raises(TaskAlreadyClaimed):
        give(level, lower, ANOTHER_SPECIALIST)
    give(level, lower, SPECIALIST)
    give(level, SignOffAppraisal(nomination_id, appraisal.task_id,  # type: ignore[attr-defined]
                                   True, "Đồng ý"), HEAD)
    await level.relay_everything()

    council = await level.open_task(nomination_id)
    assert council.unit_id == PROVINCE
    assert level.events(nomination_id)[-2:] == ["AppraisalSignedOff", "ReviewOpened"]
    assert level.events(nomination_id).count("Forwarded") == 1
    review(level.app, nomination_id, council.task_id, SECRETARY, outcome="approve",
           votes=ROSTER_FOR, note="", at=datetime.now(UTC))
    await level.relay_everything()

    await level.env.sleep(timedelta(days=8))  # the public notice passes
    decision = await opened(level, nomination_id, Nomination.DecisionOpened)
    chair = Actor("chutich.tinh", frozenset({"decider"}), PROVINCE)
    today = day_in_vietnam()
    give(level, Decide(nomination_id, decision.task_id,  # type: ignore[attr-defined]
                         "awarded", "123/QĐ-CTN", today, "Chủ tịch nước",
                         granted_award="bang-khen-thu-tuong"), chair)
    assert level.app.status(nomination_id) == "awarded"
    state = level.app.state_as_of(nomination_id)
    assert state is not None and state["appraisal"]["lower_award"] == "bang-khen-thu-tuong"
    assert state["consultation"]["cong-an"] == "lapsed"
