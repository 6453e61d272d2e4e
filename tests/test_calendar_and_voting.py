"""Deadlines count working days in Vietnam's local time, and a council's ballot approves
exactly when the policy's quorum and share say so (computed with fractions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import InvalidVoteTally, OutcomeContradictsTally, QuorumNotMet
from domain.voting import VoteRule, count, require_consistent

VIETNAM = timezone(timedelta(hours=7))
CALENDAR = WorkingCalendar(utc_offset_hours=7, holidays=frozenset({date(2026, 9, 2)}))


def local(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM)


# -- working days --------------------------------------------------------------------


def test_a_deadline_within_the_week_counts_every_day() -> None:
    monday = date(2026, 3, 2)
    assert CALENDAR.add_working_days(local(monday), 3) == local(date(2026, 3, 5))


def test_a_deadline_skips_the_weekend() -> None:
    thursday = date(2026, 3, 5)
    assert CALENDAR.add_working_days(local(thursday), 2) == local(date(2026, 3, 9))


def test_ten_working_days_from_a_monday_end_on_the_monday_two_weeks_later() -> None:
    assert CALENDAR.add_working_days(local(date(2026, 3, 2)), 10) == local(date(2026, 3, 16))


def test_a_deadline_skips_a_public_holiday() -> None:
    tuesday_before_national_day = date(2026, 9, 1)  # 2 September is a Wednesday holiday
    assert CALENDAR.add_working_days(local(tuesday_before_national_day), 1) == local(
        date(2026, 9, 3)
    )


def test_a_holiday_on_a_weekday_is_not_a_working_day_but_the_next_day_is() -> None:
    assert not CALENDAR.is_working_day(date(2026, 9, 2))
    assert CALENDAR.is_working_day(date(2026, 9, 3))
    assert not CALENDAR.is_working_day(date(2026, 9, 5))  # Saturday


def test_a_task_opened_on_saturday_is_due_on_a_working_day() -> None:
    saturday = date(2026, 3, 7)
    due = CALENDAR.add_working_days(local(saturday), 1)
    assert CALENDAR.is_working_day(due.astimezone(VIETNAM).date())


def test_a_task_opened_on_saturday_is_due_no_earlier_than_one_opened_on_friday() -> None:
    friday, saturday = date(2026, 3, 6), date(2026, 3, 7)
    assert CALENDAR.add_working_days(local(saturday), 10) >= CALENDAR.add_working_days(
        local(friday), 10
    )


def test_a_task_opened_on_saturday_counts_from_monday() -> None:
    saturday, monday, tuesday = date(2026, 3, 7), date(2026, 3, 9), date(2026, 3, 10)
    assert CALENDAR.add_working_days(local(saturday), 1) == CALENDAR.add_working_days(
        local(monday), 1
    ) == local(tuesday)


def test_working_days_follow_the_local_date_not_the_utc_date() -> None:
    # Monday 18:00 UTC is already Tuesday 01:00 in Vietnam: four working days later is
    # the next Monday 01:00 local (Sunday 18:00 UTC), not Friday 18:00 UTC.
    monday_evening_utc = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    due = CALENDAR.add_working_days(monday_evening_utc, 4)
    assert due == datetime(2026, 3, 8, 18, 0, tzinfo=UTC)
    assert due.astimezone(VIETNAM) == local(date(2026, 3, 9), hour=1)


def test_a_deadline_is_given_in_the_time_zone_it_was_asked_in() -> None:
    due = CALENDAR.add_working_days(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), 1)
    assert due.tzinfo == UTC and due == datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


def test_friday_evening_in_utc_is_already_the_weekend_in_vietnam() -> None:
    friday_evening_utc = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # Saturday 01:00 local
    assert not CALENDAR.is_working_day(friday_evening_utc.astimezone(CALENDAR.zone).date())


# -- the council's ballot ------------------------------------------------------------

MAJORITY = VoteRule(quorum=Fraction(2, 3), approval_share=Fraction(1, 2))
NINE_TENTHS = VoteRule(quorum=Fraction(2, 3), approval_share=Fraction(9, 10),
                       comparison="at_least")


def tally(members: int, present: int, for_: int, against: int = 0,
          abstain: int = 0) -> dict[str, int]:
    return {"members": members, "present": present, "for": for_, "against": against,
            "abstain": abstain}


@pytest.mark.parametrize("counted", [
    tally(9, 8, 6, against=1),  # one present member in no column: an unrecorded ballot
    tally(9, 6, 6, against=1),  # more ballots than members present
])
def test_every_member_present_is_counted_once_for_against_or_abstaining(
    counted: dict[str, int],
) -> None:
    with pytest.raises(InvalidVoteTally) as refused:
        count(counted, MAJORITY)
    assert "for + against + abstaining must equal those present" in str(refused.value)


def test_six_of_nine_members_present_make_the_two_thirds_quorum_exactly() -> None:
    assert count(tally(9, 6, 6), MAJORITY).quorum_met


def test_five_of_nine_members_present_are_no_quorum() -> None:
    result = count(tally(9, 5, 5), MAJORITY)
    assert not result.quorum_met and not result.approved


def test_half_of_all_members_for_is_not_more_than_half() -> None:
    result = count(tally(10, 10, 5, against=5), MAJORITY)
    assert result.share_for == Fraction(1, 2) and not result.approved


def test_six_of_ten_members_for_is_more_than_half() -> None:
    assert count(tally(10, 10, 6, against=4), MAJORITY).approved


def test_the_share_is_of_all_members_not_of_those_present() -> None:
    # 5 of the 7 present are for, but 5 of 10 members is not more than half.
    assert not count(tally(10, 7, 5, against=2), MAJORITY).approved


def test_nine_of_ten_for_reaches_a_nine_tenths_at_least_share() -> None:
    assert count(tally(10, 10, 9, against=1), NINE_TENTHS).approved


def test_eight_of_ten_for_falls_short_of_nine_tenths() -> None:
    assert not count(tally(10, 10, 8, against=2), NINE_TENTHS).approved


def test_an_approval_that_the_ballot_does_not_give_is_refused() -> None:
    with pytest.raises(OutcomeContradictsTally):
        require_consistent("approve", tally(10, 10, 5, against=5), MAJORITY)


@pytest.mark.parametrize("outcome", ["reject", "return"])
def test_a_rejection_or_return_when_the_ballot_approves_is_refused(outcome: str) -> None:
    with pytest.raises(OutcomeContradictsTally):
        require_consistent(outcome, tally(10, 10, 6, against=4), MAJORITY)


@pytest.mark.parametrize("outcome", ["reject", "return"])
def test_a_rejection_or_return_when_the_ballot_does_not_approve_is_accepted(
    outcome: str,
) -> None:
    assert not require_consistent(outcome, tally(10, 10, 5, against=5), MAJORITY).approved


def test_an_approval_the_ballot_gives_is_accepted() -> None:
    assert require_consistent("approve", tally(9, 6, 6), MAJORITY).approved


@pytest.mark.parametrize("outcome", ["approve", "reject", "return"])
def test_no_outcome_is_recorded_without_a_quorum(outcome: str) -> None:
    with pytest.raises(QuorumNotMet):
        require_consistent(outcome, tally(9, 5, 5), MAJORITY)


@pytest.mark.parametrize("votes", [
    tally(9, 10, 6),            # more present than members
    tally(9, 6, 5, against=2),  # more ballots than present
    {"members": 9, "present": 6, "for": 6},  # no against, no abstain
])
def test_a_tally_that_does_not_add_up_is_refused(votes: dict[str, int]) -> None:
    with pytest.raises(InvalidVoteTally):
        require_consistent("approve", votes, MAJORITY)
