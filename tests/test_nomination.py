"""The nomination's process rules: given its events, when a command, then events or a
named error — and never an event when the command is refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain import errors
from domain.application import Nominations
from domain.nomination import Actor, Nomination
from domain.policy import Policy

UNIT, DISTRICT, PROVINCE = "hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TALLY = {"members": 5, "present": 4, "for": 3, "against": 1, "abstain": 0}


def person(role: str, unit: str = UNIT, *more: str) -> Actor:
    return Actor(f"{role}-1", frozenset({role, *more}), unit)


def proposed(policy: Policy, award: str = "bang-khen-tinh", *, collect: bool = True) -> Nomination:
    nomination = Nomination.propose(
        nomination_id=uuid.uuid4(), tracking_code="ABCD-EFGH-JK", actor=person("proposer"),
        award_code=award, nominee={"name": "Phạm Văn Cường", "kind": "individual"},
        achievements="", documents=[], policy_version=policy.version,
        route=policy.plan_route(award, UNIT, "individual"), at=AT,
    )
    if collect:
        nomination.collect_events()
    return nomination


def review(nomination: Nomination, task: str, outcome: str = "approve", unit: str = UNIT) -> None:
    nomination.review(task, actor=person("reviewer", unit), outcome=outcome, votes=TALLY,
                      note="", at=AT)


def new_events(nomination: Nomination) -> list[str]:
    return [type(e).__name__ for e in nomination.collect_events()]


def test_a_proposal_records_who_proposed_and_the_route(policy: Policy) -> None:
    nomination = Nomination.propose(
        nomination_id=uuid.uuid4(), tracking_code="ABCD-EFGH-JK", actor=person("proposer"),
        award_code="bang-khen-tinh", nominee={"name": "A", "kind": "individual"},
        achievements="", documents=[], policy_version="2024.1",
        route=policy.plan_route("bang-khen-tinh", UNIT, "individual"), at=AT,
    )
    [event] = nomination.collect_events()
    assert isinstance(event, Nomination.Proposed)
    assert (event.actor, event.actor_role, event.actor_unit) == ("proposer-1", "proposer", UNIT)
    assert event.timestamp == AT and event.policy_version == "2024.1"
    assert [r["unit_id"] for r in event.route["reviews"]] == [UNIT, DISTRICT, PROVINCE]


def test_only_a_proposer_may_propose(policy: Policy) -> None:
    with pytest.raises(errors.WrongRole):
        Nomination.propose(
            nomination_id=uuid.uuid4(), tracking_code="X", actor=person("reviewer"),
            award_code="giay-khen", nominee={"name": "A", "kind": "individual"},
            achievements="", documents=[], policy_version="1",
            route=policy.plan_route("giay-khen", UNIT, "individual"), at=AT,
        )


def test_the_first_review_opens_at_the_proposing_unit_with_its_due_date(policy: Policy) -> None:
    nomination = proposed(policy)
    task_id = nomination.open_review(0, AT)
    assert new_events(nomination) == ["ReviewOpened"]
    task = nomination.tasks[task_id]
    assert (task.unit_id, task.level, task.due_at) == (UNIT, "unit", AT + timedelta(days=10))


def test_opening_the_same_review_again_records_nothing(policy: Policy) -> None:
    nomination = proposed(policy)
    first = nomination.open_review(0, AT)
    nomination.collect_events()
    assert nomination.open_review(0, AT + timedelta(seconds=5)) == first
    assert new_events(nomination) == []


def test_an_approval_lets_the_next_review_open_after_forwarding(policy: Policy) -> None:
    nomination = proposed(policy)
    task = nomination.open_review(0, AT)
    review(nomination, task, "approve")
    nomination.open_review(1, AT)
    assert new_events(nomination) == ["ReviewOpened", "ReviewedByCouncil", "Forwarded",
                                      "ReviewOpened"]
    assert nomination.current_task is not None
    assert nomination.current_task.unit_id == DISTRICT


def test_the_next_review_cannot_open_before_the_council_approves(policy: Policy) -> None:
    nomination = proposed(policy)
    nomination.open_review(0, AT)
    nomination.collect_events()
    with pytest.raises(errors.InvalidTransition):
        nomination.open_review(1, AT)
    assert new_events(nomination) == []


@pytest.mark.parametrize(
    ("who", "error"),
    [
        (person("reviewer", DISTRICT), errors.NotFound),  # another unit's task
        (person("proposer"), errors.WrongRole),
        (person("decider"), errors.WrongRole),
    ],
)
def test_a_review_by_someone_else_is_refused_and_records_nothing(
    policy: Policy, who: Actor, error: type[Exception]
) -> None:
    nomination = proposed(policy)
    task = nomination.open_review(0, AT)
    nomination.collect_events()
    with pytest.raises(error):
        nomination.review(task, actor=who, outcome="approve", votes=TALLY, note="", at=AT)
    assert new_events(nomination) == []


def test_a_second_review_of_the_same_task_is_refused(policy: Policy) -> None:
    nomination = proposed(policy)
    task = nomination.open_review(0, AT)
    review(nomination, task, "approve")
    nomination.collect_events()
    with pytest.raises(errors.TaskClosed):
        review(nomination, task, "reject")
    assert new_events(nomination) == []


@pytest.mark.parametrize(
    "votes",
    [
        {"members": 5, "present": 6, "for": 3, "against": 0, "abstain": 0},
        {"members": 5, "present": 3, "for": 3, "against": 1, "abstain": 0},
        {"members": 5, "present": 4, "for": -1, "against": 0, "abstain": 0},
        {"members": 5, "present": 4, "for": 3},
    ],
)
def test_a_tally_that_does_not_add_up_is_refused(policy: Policy, votes: dict[str, int]) -> None:
    nomination = proposed(policy)
    task = nomination.open_review(0, AT)
    nomination.collect_events()
    with pytest.raises(errors.InvalidVoteTally):
        nomination.review(task, actor=person("reviewer"), outcome="approve", votes=votes,
                          note="", at=AT)
    assert new_events(nomination) == []


def approved_to_decision(policy: Policy) -> tuple[Nomination, str]:
    nomination = approved_at_every_level(proposed(policy))
    task = nomination.open_decision(AT, decision_days=20)
    nomination.collect_events()
    return nomination, task


def approved_at_every_level(nomination: Nomination) -> Nomination:
    for step, unit in enumerate((UNIT, DISTRICT, PROVINCE)):
        review(nomination, nomination.open_review(step, AT), unit=unit)
    return nomination


def test_the_decider_of_the_deciding_level_decides(policy: Policy) -> None:
    nomination, task = approved_to_decision(policy)
    nomination.decide(task, actor=person("decider", PROVINCE), outcome="awarded",
                      decision_number="9/QĐ-UBND", decision_date="2026-04-01",
                      signer="Chủ tịch", at=AT)
    assert new_events(nomination) == ["Decided"]
    assert nomination.status == "awarded"


def test_a_review_is_not_a_decision_and_a_decision_is_not_a_review(policy: Policy) -> None:
    nomination, task = approved_to_decision(policy)
    with pytest.raises(errors.WrongTaskKind):
        nomination.review(task, actor=person("reviewer", PROVINCE, "decider"),
                          outcome="approve", votes=TALLY, note="", at=AT)
    assert new_events(nomination) == []


def test_a_rejected_nomination_opens_nothing_more(policy: Policy) -> None:
    nomination = proposed(policy)
    task = nomination.open_review(0, AT)
    review(nomination, task, "reject")
    nomination.collect_events()
    assert nomination.status == "rejected"
    with pytest.raises(errors.InvalidTransition):
        nomination.open_review(1, AT)
    with pytest.raises(errors.InvalidTransition):
        nomination.open_decision(AT, 20)


def test_overdue_is_recorded_once_and_not_after_the_review(policy: Policy) -> None:
    nomination = proposed(policy)
    task = nomination.open_review(0, AT)
    nomination.mark_overdue(task, AT + timedelta(days=10))
    nomination.mark_overdue(task, AT + timedelta(days=11))
    assert new_events(nomination) == ["ReviewOpened", "ReviewOverdue"]
    review(nomination, task, "approve")
    nomination.collect_events()
    with pytest.raises(errors.TaskClosed):
        nomination.mark_overdue(task, AT)


def test_a_central_award_is_forwarded_to_central_and_recorded_by_the_province(
    policy: Policy,
) -> None:
    nomination = approved_at_every_level(proposed(policy, award="bang-khen-thu-tuong"))
    nomination.collect_events()
    task = nomination.open_decision(AT, 20)
    events = nomination.collect_events()
    assert [type(e).__name__ for e in events] == ["Forwarded", "DecisionOpened"]
    assert isinstance(events[0], Nomination.Forwarded) and events[0].to_level == "central"
    assert nomination.tasks[task].unit_id == PROVINCE


def test_replaying_the_stored_events_rebuilds_the_same_state(policy: Policy) -> None:
    app = Nominations(policy, {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    nomination = proposed(policy, collect=False)
    task = nomination.open_review(0, AT)
    review(nomination, task, "approve")
    nomination.open_review(1, AT)
    nomination.mark_overdue(nomination.open_review(1, AT), AT + timedelta(days=30))
    app.save(nomination)

    replayed: Nomination = app.repository.get(nomination.id)
    assert vars(replayed) == vars(nomination)
