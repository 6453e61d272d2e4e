"""The nomination's process rules: given its events, when a command, then events or a
named error — and never an event when the command is refused."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain import errors
from domain.actor import PUBLIC, Actor
from domain.application import Nominations
from domain.nomination import Nomination
from domain.policy import Policy, PolicyBook

UNIT, DISTRICT, PROVINCE = "hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE, REMIND = AT + timedelta(days=14), AT + timedelta(days=11)
FOR = {"members": 5, "present": 4, "for": 3, "against": 1, "abstain": 0}
AGAINST = {"members": 5, "present": 4, "for": 1, "against": 3, "abstain": 0}


def person(role: str, unit: str = UNIT, *more: str) -> Actor:
    return Actor(f"{role}-1", frozenset({role, *more}), unit)


def proposed(
    policy: Policy, award: str = "bang-khen-tinh", *, collect: bool = True
) -> Nomination:
    nomination = Nomination.propose(
        nomination_id=uuid.uuid4(), tracking_code="ABCD-EFGH-JK", actor=person("proposer"),
        award_code=award, nominee={"name": "Phạm Văn Cường", "kind": "individual"},
        achievements="", documents=[], policy_version=policy.version,
        route=policy.plan_route(award, UNIT, "individual"), at=AT,
    )
    if collect:
        nomination.collect_events()
    return nomination


def open_review(nomination: Nomination, step: int) -> str:
    return nomination.open_review(step, AT, DUE, REMIND)


def review(nomination: Nomination, task: str, outcome: str = "approve", unit: str = UNIT) -> None:
    nomination.review(task, actor=person("reviewer", unit), outcome=outcome,
                      votes=FOR if outcome == "approve" else AGAINST, note="", at=AT)


def new_events(nomination: Nomination) -> list[str]:
    return [type(e).__name__ for e in nomination.collect_events()]


def approved_at_every_level(nomination: Nomination) -> Nomination:
    for step, unit in enumerate((UNIT, DISTRICT, PROVINCE)):
        review(nomination, open_review(nomination, step), unit=unit)
    return nomination


def approved_to_decision(policy: Policy) -> tuple[Nomination, str]:
    nomination = approved_at_every_level(proposed(policy))
    task = nomination.open_decision(AT, DUE)
    nomination.collect_events()
    return nomination, task


def test_a_proposal_records_who_proposed_and_the_route(policy: Policy) -> None:
    nomination = proposed(policy, collect=False)
    [event] = nomination.collect_events()
    assert isinstance(event, Nomination.Proposed)
    assert (event.actor, event.actor_role, event.actor_unit) == ("proposer-1", "proposer", UNIT)
    assert event.timestamp == AT and event.policy_version == policy.version
    assert [r["unit_id"] for r in event.route["reviews"]] == [UNIT, DISTRICT, PROVINCE]
    assert event.route["vote"] == {"quorum": "2/3", "approval_share": "1/2",
                                   "comparison": "more_than"}


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
    task_id = open_review(nomination, 0)
    assert new_events(nomination) == ["ReviewOpened"]
    task = nomination.tasks[task_id]
    assert (task.unit_id, task.level, task.due_at, task.remind_at) == (UNIT, "unit", DUE, REMIND)


def test_opening_the_same_review_again_records_nothing(policy: Policy) -> None:
    nomination = proposed(policy)
    first = open_review(nomination, 0)
    nomination.collect_events()
    assert open_review(nomination, 0) == first
    assert new_events(nomination) == []


def test_a_review_opened_again_after_the_council_acted_answers_the_same_task(
    policy: Policy,
) -> None:
    """The workflow's worker died after opening a review and before Temporal heard of
    it; by the time the step is retried the council has approved (or returned) it."""
    nomination = proposed(policy)
    review(nomination, nomination.open_review(0, AT, DUE, REMIND, review_round=0))
    first = nomination.open_review(1, AT, DUE, REMIND, review_round=0)
    review(nomination, first, "return", unit=DISTRICT)
    nomination.collect_events()
    assert nomination.open_review(1, AT, DUE, REMIND, review_round=0) == first
    assert nomination.open_review(0, AT, DUE, REMIND, review_round=0) != first
    assert new_events(nomination) == []
    nomination.supplement(person("proposer"), documents=[], achievements="", note="", at=AT)
    second = nomination.open_review(1, AT, DUE, REMIND, review_round=1)
    review(nomination, second, unit=DISTRICT)
    assert nomination.open_review(1, AT, DUE, REMIND, review_round=1) == second
    assert new_events(nomination) == ["Supplemented", "ReviewOpened", "ReviewedByCouncil"]
    with pytest.raises(errors.InvalidTransition):  # a round that is not the next
        nomination.open_review(1, AT, DUE, REMIND, review_round=3)


def test_an_approval_lets_the_next_review_open_after_forwarding(policy: Policy) -> None:
    nomination = proposed(policy)
    review(nomination, open_review(nomination, 0))
    open_review(nomination, 1)
    assert new_events(nomination) == ["ReviewOpened", "ReviewedByCouncil", "Forwarded",
                                      "ReviewOpened"]
    assert nomination.current_task is not None
    assert nomination.current_task.unit_id == DISTRICT


def test_the_next_review_cannot_open_before_the_council_approves(policy: Policy) -> None:
    nomination = proposed(policy)
    open_review(nomination, 0)
    nomination.collect_events()
    with pytest.raises(errors.InvalidTransition):
        open_review(nomination, 1)
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
    task = open_review(nomination, 0)
    nomination.collect_events()
    with pytest.raises(error):
        nomination.review(task, actor=who, outcome="approve", votes=FOR, note="", at=AT)
    assert new_events(nomination) == []


def test_a_second_review_of_the_same_task_is_refused(policy: Policy) -> None:
    nomination = proposed(policy)
    task = open_review(nomination, 0)
    review(nomination, task)
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
    task = open_review(nomination, 0)
    nomination.collect_events()
    with pytest.raises(errors.InvalidVoteTally):
        nomination.review(task, actor=person("reviewer"), outcome="approve", votes=votes,
                          note="", at=AT)
    assert new_events(nomination) == []


@pytest.mark.parametrize(
    ("outcome", "votes", "error"),
    [
        ("approve", {"members": 9, "present": 5, "for": 5, "against": 0, "abstain": 0},
         errors.QuorumNotMet),  # 5 of 9 present: under two thirds
        ("approve", {"members": 10, "present": 10, "for": 5, "against": 5, "abstain": 0},
         errors.OutcomeContradictsTally),  # half of all members is not more than half
        ("reject", {"members": 10, "present": 7, "for": 6, "against": 1, "abstain": 0},
         errors.OutcomeContradictsTally),  # the ballot approves
        ("return", {"members": 10, "present": 7, "for": 6, "against": 1, "abstain": 0},
         errors.OutcomeContradictsTally),
    ],
)
def test_an_outcome_the_ballot_does_not_give_is_refused(
    policy: Policy, outcome: str, votes: dict[str, int], error: type[Exception]
) -> None:
    nomination = proposed(policy)
    task = open_review(nomination, 0)
    nomination.collect_events()
    with pytest.raises(error):
        nomination.review(task, actor=person("reviewer"), outcome=outcome, votes=votes,
                          note="", at=AT)
    assert new_events(nomination) == []


def test_the_review_records_the_rule_it_applied_and_the_count(policy: Policy) -> None:
    nomination = proposed(policy)
    review(nomination, open_review(nomination, 0))
    reviewed = nomination.collect_events()[-1]
    assert isinstance(reviewed, Nomination.ReviewedByCouncil)
    assert reviewed.rule["approval_share"] == "1/2" and reviewed.policy_version == "2024.1"
    assert reviewed.result == {"quorum_met": True, "approved": True, "share_for": "3/5"}


def test_an_emulation_fighter_needs_nine_tenths_of_the_council(policy: Policy) -> None:
    nomination = proposed(policy, award="chien-si-thi-dua-tinh")
    task = open_review(nomination, 0)
    eight_of_ten = {"members": 10, "present": 10, "for": 8, "against": 2, "abstain": 0}
    with pytest.raises(errors.OutcomeContradictsTally):
        nomination.review(task, actor=person("reviewer"), outcome="approve",
                          votes=eight_of_ten, note="", at=AT)
    nomination.review(task, actor=person("reviewer"), outcome="reject", votes=eight_of_ten,
                      note="", at=AT)
    assert nomination.status == "rejected"


def test_the_decider_of_the_deciding_level_decides(policy: Policy) -> None:
    nomination, task = approved_to_decision(policy)
    nomination.decide(task, actor=person("decider", PROVINCE), outcome="awarded",
                      decision_number="9/QĐ-UBND", decision_date="2026-03-02",
                      signer="Chủ tịch", at=AT)
    assert new_events(nomination) == ["Decided"]
    assert nomination.status == "awarded"


def test_a_review_is_not_a_decision_and_a_decision_is_not_a_review(policy: Policy) -> None:
    nomination, task = approved_to_decision(policy)
    with pytest.raises(errors.WrongTaskKind):
        nomination.review(task, actor=person("reviewer", PROVINCE, "decider"),
                          outcome="approve", votes=FOR, note="", at=AT)
    assert new_events(nomination) == []


def test_a_rejected_nomination_opens_nothing_more(policy: Policy) -> None:
    nomination = proposed(policy)
    review(nomination, open_review(nomination, 0), "reject")
    nomination.collect_events()
    assert nomination.status == "rejected"
    with pytest.raises(errors.InvalidTransition):
        open_review(nomination, 1)
    with pytest.raises(errors.InvalidTransition):
        nomination.open_decision(AT, DUE)


def test_a_lapsing_review_is_reminded_then_overdue_and_escalated_once(policy: Policy) -> None:
    nomination = proposed(policy)
    task = open_review(nomination, 0)
    nomination.remind(task, REMIND)
    nomination.remind(task, REMIND)
    nomination.escalate(task, DUE)
    nomination.escalate(task, DUE + timedelta(days=1))
    assert new_events(nomination) == ["ReviewOpened", "ReviewReminderSent", "ReviewOverdue",
                                      "ReviewEscalated"]
    review(nomination, task)
    nomination.collect_events()
    with pytest.raises(errors.TaskClosed):
        nomination.escalate(task, AT)


def test_a_returned_nomination_is_supplemented_and_reviewed_again_at_that_level(
    policy: Policy,
) -> None:
    nomination = proposed(policy)
    review(nomination, open_review(nomination, 0))
    first = open_review(nomination, 1)
    review(nomination, first, "return", unit=DISTRICT)
    assert nomination.status == "returned"
    nomination.supplement(person("proposer"), documents=[{"title": "Báo cáo bổ sung"}],
                          achievements="Thêm thành tích", note="", at=AT)
    again = open_review(nomination, 1)
    events = new_events(nomination)
    assert events[-3:] == ["ReviewedByCouncil", "Supplemented", "ReviewOpened"]
    assert events.count("Forwarded") == 1  # forwarded once; the return stays at the district
    assert again != first and nomination.tasks[again].unit_id == DISTRICT
    assert nomination.dossier_version == 2


def test_only_a_returned_nomination_is_supplemented_and_only_by_its_unit(
    policy: Policy,
) -> None:
    nomination = proposed(policy)
    open_review(nomination, 0)
    nomination.collect_events()
    with pytest.raises(errors.InvalidTransition):
        nomination.supplement(person("proposer"), documents=[], achievements="", note="",
                              at=AT)
    with pytest.raises(errors.NotFound):
        nomination.supplement(person("proposer", DISTRICT), documents=[], achievements="",
                              note="", at=AT)
    assert new_events(nomination) == []


def test_a_withdrawal_closes_the_open_task_and_ends_the_process(policy: Policy) -> None:
    nomination = proposed(policy)
    task = open_review(nomination, 0)
    nomination.withdraw(person("proposer"), reason="Đơn vị rút hồ sơ", at=AT)
    assert new_events(nomination) == ["ReviewOpened", "Withdrawn"]
    assert nomination.status == "withdrawn" and not nomination.tasks[task].open
    with pytest.raises(errors.TaskClosed):
        review(nomination, task)
    with pytest.raises(errors.InvalidTransition):
        nomination.withdraw(person("proposer"), reason="again", at=AT)


def state_level_award_in_notice(policy: Policy) -> Nomination:
    nomination = approved_at_every_level(proposed(policy, award="bang-khen-thu-tuong"))
    nomination.open_public_notice(AT, AT + timedelta(days=7))
    nomination.collect_events()
    return nomination


def test_a_state_level_award_gets_public_notice_before_the_decision(policy: Policy) -> None:
    nomination = approved_at_every_level(proposed(policy, award="bang-khen-thu-tuong"))
    with pytest.raises(errors.InvalidTransition):
        nomination.open_decision(AT, DUE)  # not before the comment period
    nomination.open_public_notice(AT, AT + timedelta(days=7))
    nomination.close_public_notice(AT + timedelta(days=7))
    task = nomination.open_decision(AT, DUE)
    events = nomination.collect_events()
    assert [type(e).__name__ for e in events][-4:] == [
        "PublicNoticeOpened", "PublicNoticeClosed", "Forwarded", "DecisionOpened"]
    forwarded = events[-2]
    assert isinstance(forwarded, Nomination.Forwarded) and forwarded.to_level == "central"
    assert nomination.status == "awaiting_central"
    assert nomination.tasks[task].unit_id == PROVINCE  # the province records the outcome


def test_an_objection_holds_the_nomination_until_the_board_resolves_it(policy: Policy) -> None:
    """Lodged by someone signed in: it holds at once (without an account, it holds once
    confirmed: tests/test_objections_confirmation.py)."""
    nomination = state_level_award_in_notice(policy)
    nomination.lodge_objection(person("auditor", DISTRICT), objection_id="o-1",
                               text="Chưa đúng sự thật", contact="", at=AT)
    assert nomination.status == "on_hold"
    with pytest.raises(errors.InvalidTransition):
        nomination.close_public_notice(AT)
    with pytest.raises(errors.NotFound):  # only the board of the notice's level
        nomination.resolve_objection("o-1", actor=person("reviewer", DISTRICT),
                                     outcome="dismissed", note="", at=AT)
    nomination.resolve_objection("o-1", actor=person("reviewer", PROVINCE),
                                 outcome="dismissed", note="Đã xác minh", at=AT)
    assert nomination.status == "public_notice"
    nomination.close_public_notice(AT)


def test_an_upheld_objection_rejects_the_nomination(policy: Policy) -> None:
    nomination = state_level_award_in_notice(policy)
    nomination.lodge_objection(person("auditor", DISTRICT), objection_id="o-1", text="…",
                               contact="", at=AT)
    nomination.resolve_objection("o-1", actor=person("reviewer", PROVINCE), outcome="upheld",
                                 note="", at=AT)
    assert nomination.status == "rejected"
    with pytest.raises(errors.NotInPublicNotice):
        nomination.lodge_objection(PUBLIC, objection_id="o-2", text="…", contact="", at=AT)


def test_objections_are_taken_only_during_the_public_notice(policy: Policy) -> None:
    nomination = proposed(policy, award="bang-khen-thu-tuong")
    with pytest.raises(errors.NotInPublicNotice):
        nomination.lodge_objection(PUBLIC, objection_id="o-1", text="…", contact="", at=AT)
    assert new_events(nomination) == []


def test_an_award_is_revoked_by_its_deciding_unit_never_deleted(policy: Policy) -> None:
    nomination, task = approved_to_decision(policy)
    with pytest.raises(errors.InvalidTransition):
        nomination.revoke(person("decider", PROVINCE), reason="…", decision_number="1",
                          decision_date="2026-03-02", at=AT)
    nomination.decide(task, actor=person("decider", PROVINCE), outcome="awarded",
                      decision_number="9/QĐ", decision_date="2026-03-02", signer="Chủ tịch",
                      at=AT)
    with pytest.raises(errors.NotFound):
        nomination.revoke(person("decider", DISTRICT), reason="…", decision_number="1",
                          decision_date="2026-03-02", at=AT)
    nomination.revoke(person("decider", PROVINCE), reason="Khai man thành tích",
                      decision_number="15/QĐ-UBND", decision_date="2026-03-02", at=AT)
    assert new_events(nomination)[-2:] == ["Decided", "Revoked"]
    assert nomination.status == "revoked"


def test_replaying_the_stored_events_rebuilds_the_same_state(policy: Policy) -> None:
    app = Nominations(PolicyBook((policy,)), {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    nomination = proposed(policy, collect=False)
    review(nomination, open_review(nomination, 0))
    task = open_review(nomination, 1)
    nomination.escalate(task, AT + timedelta(days=30))
    review(nomination, task, "return", unit=DISTRICT)
    nomination.supplement(person("proposer"), documents=[], achievements="", note="", at=AT)
    app.save(nomination)

    replayed: Nomination = app.repository.get(nomination.id)
    assert vars(replayed) == vars(nomination)


def test_a_copy_for_a_command_shares_nothing_the_command_can_change(policy: Policy) -> None:
    original = state_level_award_in_notice(policy)
    original.lodge_objection(PUBLIC, objection_id="o-1", text="Chưa đúng", contact="", at=AT)
    before = copy.deepcopy(vars(original))  # a generic deep copy, for comparison
    command_copy = copy.deepcopy(original)
    assert vars(command_copy) == vars(original)

    command_copy.resolve_objection("o-1", actor=person("reviewer", PROVINCE),
                                   outcome="dismissed", note="", at=AT)
    command_copy.close_public_notice(AT)
    command_copy.open_decision(AT, DUE)

    assert vars(original) == before
    assert original.collect_events()[-1].__class__.__name__ == "ObjectionLodged"
    # Whatever stays shared between the two is never changed by an event.
    shared = {name for name, value in vars(original).items()
              if isinstance(value, (dict, list, set)) and value is vars(command_copy)[name]}
    assert shared <= {"nominee"}
