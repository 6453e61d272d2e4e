"""Any sequence of commands leaves a nomination in a legal state, and every illegal command
is refused with a named error and records no event: a Hypothesis state machine gives one
``Nomination`` aggregate (no database) every command, in any order, with arguments that are
often wrong (another unit, the wrong role, a tally that does not carry the outcome)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from functools import partial
from typing import Any, NamedTuple, cast

import pytest
from hypothesis import currently_in_test_context, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain import nomination as n
from domain.actor import PUBLIC, Actor
from domain.confirmation import CODE_ATTEMPTS, ConfirmationCodes, SealedCode
from domain.errors import DomainError
from domain.nomination import Nomination, Task
from domain.vocabulary import CLOSED_STATUSES, Status
from domain.voting import TALLY_KEYS, VoteRule
from infrastructure.policy_file import load_policy_book
from infrastructure.settings import BUNDLED_POLICY

POLICY = load_policy_book(BUNDLED_POLICY).latest
NOMINATION_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OUTSIDER = "hg.nga-bay"
NO_TASK = "no-such-task"
REFUSED = object()
Who = tuple[str, str]
"""Who gives a command: the unit they act for (``task``, ``proposer``, ``decider``,
``notice``: the province that gives the public notice, or ``outsider``) and their roles."""
Verdict = tuple[str, dict[str, Any]]

# Where each status may go next (domain.md, "The life of a nomination"); staying is allowed.
LEGAL_MOVES: dict[str, frozenset[str]] = {
    Status.PROPOSED: frozenset({Status.UNDER_REVIEW, Status.WITHDRAWN}),
    Status.UNDER_REVIEW: frozenset({Status.RETURNED, Status.REJECTED, Status.PUBLIC_NOTICE,
                                    Status.AWAITING_DECISION, Status.AWAITING_CENTRAL,
                                    Status.WITHDRAWN}),
    Status.RETURNED: frozenset({Status.UNDER_REVIEW, Status.WITHDRAWN}),
    # Rejected from public notice: the board upheld an objection that held nothing yet
    # (lodged without an account, unconfirmed) after verifying what it says.
    Status.PUBLIC_NOTICE: frozenset({Status.ON_HOLD, Status.AWAITING_DECISION,
                                     Status.AWAITING_CENTRAL, Status.WITHDRAWN,
                                     Status.REJECTED}),
    Status.ON_HOLD: frozenset({Status.PUBLIC_NOTICE, Status.REJECTED, Status.WITHDRAWN}),
    Status.AWAITING_DECISION: frozenset({Status.AWARDED, Status.NOT_AWARDED, Status.WITHDRAWN}),
    Status.AWAITING_CENTRAL: frozenset({Status.AWARDED, Status.NOT_AWARDED, Status.WITHDRAWN}),
    Status.AWARDED: frozenset({Status.REVOKED}),
    **{status: frozenset() for status in (Status.NOT_AWARDED, Status.REJECTED,
                                          Status.WITHDRAWN, Status.REVOKED)},
}
AWAITING = frozenset({Status.AWAITING_DECISION, Status.AWAITING_CENTRAL})
CODES = ConfirmationCodes("a key for the machine's confirmation codes")



def day_of(moment: datetime) -> str:
    """The day ``moment`` falls on in the policy's calendar: a decision or revocation
    recorded then may bear it (none may be dated later, or before what it decides on)."""
    return moment.astimezone(POLICY.calendar.zone).date().isoformat()

STAGES = ("proposed", "a review is open", "the last review is open",
          "the public notice is open", "an objection holds it", "a decision is awaited")


class Scenario(NamedTuple):
    award: str
    unit: str
    kind: str
    procedure: str = "standard"


SCENARIOS = (
    Scenario("bang-khen-tinh", "hg.vi-thanh.phuong-1", "individual"),  # unit, district, province
    Scenario("bang-khen-tinh", "hg.vi-thanh.phuong-1", "household", "simplified"),
    Scenario("giay-khen", "hg.so-yte", "collective"),  # one review, decided by the unit
    Scenario("chien-si-thi-dua-tinh", "hg.so-gddt", "individual"),  # ≥ 9/10 of members
    Scenario("bang-khen-thu-tuong", "hg.vi-thanh.phuong-1", "individual"),  # notice, central
    Scenario("bang-khen-thu-tuong", "hg.so-yte", "collective"),  # the same, one review fewer
)


def tally(members: int, present: int, yes: int, no: int = 0) -> dict[str, int]:
    return {"members": members, "present": present, "for": yes, "against": no, "abstain": 0}


UNANIMOUS, SPLIT = tally(10, 10, 10), tally(10, 10, 5, 5)
BOUNDARIES = (  # a share of exactly 1/2 or 9/10 of members, a quorum of exactly 2/3
    tally(10, 10, 5, 5), tally(10, 9, 9), tally(9, 6, 6), tally(9, 5, 5),
    {"members": 5, "present": 4, "for": 3},
)
outcomes = st.sampled_from(("approve", "reject", "return", "abstain"))


@st.composite
def tallies_that_add_up(draw: st.DrawFn) -> dict[str, int]:
    members = draw(st.integers(1, 12))
    present = draw(st.integers(0, members))
    yes = draw(st.integers(0, present))
    return tally(members, present, yes, draw(st.integers(0, present - yes)))


verdicts = st.one_of(
    st.tuples(outcomes, st.sampled_from(BOUNDARIES)),
    st.tuples(outcomes, tallies_that_add_up()),
    st.tuples(outcomes, st.fixed_dictionaries({k: st.integers(-1, 12) for k in TALLY_KEYS})),
)
tasks = st.sampled_from(("current", "current", "current", "closed", NO_TASK))
reviewers = st.sampled_from((("task", "reviewer"), ("task", "reviewer decider"),
                             ("task", "decider"), ("proposer", "reviewer"),
                             ("outsider", "reviewer"), ("task", "")))
deciders = st.sampled_from((("decider", "decider"), ("decider", "reviewer decider"),
                            ("decider", "reviewer"), ("proposer", "decider"),
                            ("outsider", "decider"), ("outsider", "admin")))
proposers = st.sampled_from((("proposer", "proposer"), ("proposer", "proposer"),
                             ("proposer", "reviewer"),
                             ("notice", "proposer"), ("outsider", "proposer")))
objections = st.sampled_from(("pending", "pending", "resolved", "new", "objection-9"))


def ballot_approves(votes: dict[str, Any], rule: VoteRule) -> bool | None:
    """The rule of domain.md, restated: None if the tally does not add up or lacks a quorum,
    else whether a large enough share of all members voted for."""
    if any(not isinstance(votes.get(k), int) or votes[k] < 0 for k in TALLY_KEYS):
        return None
    ballots = votes["for"] + votes["against"] + votes["abstain"]
    if not votes["members"] >= max(votes["present"], 1) or votes["present"] != ballots:
        return None
    if Fraction(votes["present"], votes["members"]) < rule.quorum:
        return None
    share = Fraction(votes["for"], votes["members"])
    return share > rule.approval_share if rule.comparison == "more_than" else (
        share >= rule.approval_share)


def check_authorised(e: Nomination.Event, nomination: Nomination) -> None:
    """Each person's event was given by the right role of the right unit."""
    route, who = nomination.route, (e.actor_unit, e.actor_role)
    if isinstance(e, Nomination.ReviewedByCouncil):
        assert who == (nomination.tasks[e.task_id].unit_id, "reviewer")
        assert e.outcome in n.REVIEW_OUTCOMES
        assert (e.outcome == "approve") == ballot_approves(e.votes, route.vote)
    elif isinstance(e, Nomination.Decided):
        assert who == (route.decision.unit_id, "decider") and e.outcome in n.DECISION_OUTCOMES
    elif isinstance(e, Nomination.Supplemented | Nomination.Withdrawn):
        assert who == (nomination.unit_id, "proposer")
    elif isinstance(e, Nomination.ObjectionResolved):
        assert who == (route.reviews[-1].unit_id, "reviewer")
        assert e.outcome in n.OBJECTION_OUTCOMES
    elif isinstance(e, Nomination.Revoked):
        assert e.actor_role == "admin" or who == (route.decision.unit_id, "decider")
    elif not isinstance(e, Nomination.ObjectionLodged | Nomination.ObjectionConfirmed
                        | Nomination.ObjectionCodeRejected):  # anyone may object
        assert (e.actor, e.actor_role) == (n.SYSTEM, "system"), "a workflow step by a person"


def count(label: str) -> None:
    """Tally what happened, for ``pytest --hypothesis-show-statistics``."""
    if currently_in_test_context():
        event(label)


def collect(nomination: Nomination) -> list[Nomination.Event]:
    return cast(list[Nomination.Event], list(nomination.collect_events()))


def state_of(nomination: Nomination) -> dict[str, Any]:
    return copy.deepcopy({k: v for k, v in vars(nomination).items() if k != "_pending_events"})


class NominationCommands(RuleBasedStateMachine):
    """One nomination, given every command of the process, right and wrong, in any order."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.events: list[Nomination.Event] = []
        self.nomination: Nomination
        self.codes: dict[str, str] = {}
        """The code sent for each objection lodged without an account."""

    def tick(self) -> datetime:
        self.now += timedelta(hours=1)
        return self.now

    # -- giving a command and checking what it recorded -----------------------------

    def attempt(self, command: Callable[[], object], *, must_succeed: bool = False) -> object:
        nomination = self.nomination
        status, before = nomination.status, state_of(nomination)
        try:
            result = command()
        except DomainError as error:
            assert type(error) is not DomainError, f"refused without a named error: {error}"
            assert not must_succeed, f"the next step of the process was refused: {error!r}"
            assert collect(nomination) == [], f"{error!r}, yet events were recorded"
            assert state_of(nomination) == before, f"{error!r}, yet the state changed"
            count(f"refused: {type(error).__name__}")
            return REFUSED
        recorded = collect(nomination)
        assert nomination.version == before["_version"] + len(recorded)
        for e in recorded:
            check_authorised(e, nomination)
            count(f"recorded: {type(e).__name__}")
        self.events.extend(recorded)
        assert nomination.status == status or nomination.status in LEGAL_MOVES[status], (
            f"{status} may not become {nomination.status}")
        return result

    def actor(self, who: Who, task: Task | None = None) -> Actor:
        unit_ref, roles = who
        route = self.nomination.route
        unit = {"task": task.unit_id if task else route.reviews[0].unit_id,
                "proposer": self.nomination.unit_id, "decider": route.decision.unit_id,
                "notice": route.reviews[-1].unit_id, "outsider": OUTSIDER}[unit_ref]
        return Actor(f"{roles or 'nobody'}@{unit}", frozenset(roles.split()), unit)

    def objection_id(self, ref: str) -> str:
        objections = self.nomination.objections.values()
        if ref == "new":
            return f"objection-{len(objections) + 1}"
        if ref in ("pending", "resolved"):
            ids = [o.id for o in objections if (o.outcome is None) == (ref == "pending")]
            return ids[0] if ids else "objection-1"
        if ref == "unconfirmed":
            return next(iter(self.nomination.unconfirmed_objections), "objection-1")
        return ref

    def task_id(self, ref: str) -> str:
        if ref == "current":
            return self.nomination.current_task_id or NO_TASK
        closed = [t.id for t in self.nomination.tasks.values() if not t.open]
        return (closed[-1] if closed else NO_TASK) if ref == "closed" else ref

    # -- the process, step by step ----------------------------------------------------

    @initialize(scenario=st.sampled_from(SCENARIOS), stage=st.sampled_from(STAGES))
    def a_unit_proposes_a_nominee(self, scenario: Scenario, stage: str) -> None:
        """Proposed, then approved at each step until it reaches ``stage``."""
        self.nomination = Nomination.propose(
            nomination_id=NOMINATION_ID, tracking_code="ABCD-EFGH-JK",
            actor=Actor("proposer-1", frozenset({"proposer"}), scenario.unit),
            award_code=scenario.award, nominee={"name": "Phạm Văn Cường", "kind": scenario.kind},
            achievements="", documents=[], policy_version=POLICY.version, at=self.tick(),
            route=POLICY.plan_route(scenario.award, scenario.unit, scenario.kind,
                                    scenario.procedure),
        )
        self.events = collect(self.nomination)
        while not self.has_reached(stage):
            objects = (stage == "an objection holds it"
                       and self.nomination.status == Status.PUBLIC_NOTICE)
            self.the_process_takes_its_next_step("unfavourable" if objects else "favourable")

    @precondition(lambda self: self.nomination.status in CLOSED_STATUSES)
    @rule(scenario=st.sampled_from(SCENARIOS), stage=st.sampled_from(STAGES))
    def once_it_is_closed_another_nominee_is_proposed(self, scenario: Scenario, stage: str) -> None:
        self.a_unit_proposes_a_nominee(scenario, stage)

    def has_reached(self, stage: str) -> bool:
        nomination, task = self.nomination, self.nomination.current_task
        deciding = task is not None and task.kind == "decision"
        return {
            "proposed": True,
            "a review is open": task is not None,
            "the last review is open": deciding or (
                task is not None and task.step == len(nomination.route.reviews) - 1),
            "the public notice is open": deciding or nomination.status == Status.PUBLIC_NOTICE,
            "an objection holds it": deciding or nomination.status == Status.ON_HOLD,
            "a decision is awaited": deciding,
        }[stage]

    @precondition(lambda self: self.nomination.status not in CLOSED_STATUSES)
    @rule(verdict=st.sampled_from(("favourable", "favourable", "unfavourable", "return")))
    def the_process_takes_its_next_step(self, verdict: str) -> None:
        """Whatever the state, the process's next step by the right people is accepted."""
        nomination, at, route = self.nomination, self.tick(), self.nomination.route
        task, favourable = nomination.current_task, verdict == "favourable"
        step: Callable[[], object]
        if task is not None and task.kind == "review":
            outcome, votes = ("approve", UNANIMOUS) if favourable else (
                "reject" if verdict == "unfavourable" else "return", SPLIT)
            step = partial(nomination.review, task.id, actor=self.actor(("task", "reviewer"), task),
                           outcome=outcome, votes=votes, note="", at=at)
        elif task is not None:
            step = partial(nomination.decide, task.id, actor=self.actor(("decider", "decider")),
                           outcome="awarded" if favourable else "not_awarded",
                           decision_number="1/QĐ", decision_date=day_of(at),
                           signer="Chủ tịch", at=at)
        elif nomination.status == Status.RETURNED:
            step = partial(nomination.supplement, self.actor(("proposer", "proposer")),
                           documents=[{"name": "v2.pdf"}], achievements="more", note="", at=at)
        elif nomination.status == Status.ON_HOLD:
            step = partial(nomination.resolve_objection, nomination.pending_objections[0],
                           actor=self.actor(("notice", "reviewer")), note="", at=at,
                           outcome="dismissed" if favourable else "upheld")
        elif nomination.approvals < len(route.reviews):
            step = partial(nomination.open_review, nomination.approvals, at,
                           at + timedelta(days=10), at + timedelta(days=8))
        elif route.public_notice_days and nomination.notice_until is None:
            step = partial(nomination.open_public_notice, at, at + timedelta(days=7))
        elif route.public_notice_days and not nomination.notice_closed and favourable:
            step = partial(nomination.close_public_notice, at)
        elif route.public_notice_days and not nomination.notice_closed and (
                waiting := [o for o in nomination.unconfirmed_objections if o in self.codes
                            and nomination.objections[o].wrong_codes < CODE_ATTEMPTS]):
            step = partial(nomination.confirm_objection, waiting[0], actor=PUBLIC,  # confirmed
                           code=self.codes[waiting[0]], codes=CODES, at=at)
        elif route.public_notice_days and not nomination.notice_closed:  # a citizen objects
            objection_id = f"objection-{len(nomination.objections) + 1}"
            code, sealed = self.sealed(at)
            self.codes[objection_id] = code
            step = partial(nomination.lodge_objection, PUBLIC, text="not true",
                           contact="cuong@example.vn", at=at, code=sealed,
                           objection_id=objection_id)
        else:
            step = partial(nomination.open_decision, at, at + timedelta(days=20))
        self.attempt(step, must_succeed=True)

    # -- every command, with arguments right and wrong ----------------------------------

    @rule(step=st.integers(-1, 4))
    def the_workflow_opens_a_review(self, step: int) -> None:
        at = self.tick()
        task_id = self.attempt(partial(self.nomination.open_review, step, at,
                                       at + timedelta(days=10), at + timedelta(days=8)))
        if task_id is not REFUSED:
            task = self.nomination.current_task
            assert task is not None and (task.id, task.kind, task.step) == (task_id, "review", step)

    @rule(task=tasks, escalate=st.booleans())
    def the_workflow_reminds_or_escalates(self, task: str, escalate: bool) -> None:
        command = self.nomination.escalate if escalate else self.nomination.remind
        self.attempt(partial(command, self.task_id(task), self.tick()))

    @rule(verdict=verdicts)
    def the_council_of_the_current_task_records_its_vote(self, verdict: Verdict) -> None:
        """Accepted exactly when the outcome is the one its ballot gives."""
        task, (outcome, votes) = self.nomination.current_task, verdict
        result = self.attempt(partial(
            self.nomination.review, self.task_id("current"), outcome=outcome, votes=votes,
            actor=self.actor(("task", "reviewer"), task), note="", at=self.tick()))
        if task is not None and task.kind == "review":
            carried = ballot_approves(votes, self.nomination.route.vote)
            legal = outcome in n.REVIEW_OUTCOMES and (outcome == "approve") == carried
            assert (result is not REFUSED) == legal, "legal" if legal else "illegal"

    @rule(task=tasks, who=reviewers, verdict=verdicts)
    def a_reviewer_records_a_vote(self, task: str, who: Who, verdict: Verdict) -> None:
        task_id = self.task_id(task)
        self.attempt(partial(self.nomination.review, task_id, outcome=verdict[0],
                             actor=self.actor(who, self.nomination.tasks.get(task_id)),
                             votes=verdict[1], note="", at=self.tick()))

    @rule(who=proposers)
    def the_proposer_supplements_the_dossier(self, who: Who) -> None:
        self.attempt(partial(self.nomination.supplement, self.actor(who), note="",
                             documents=[{"name": "v2.pdf"}], achievements="more",
                             at=self.tick()))

    @rule(who=proposers)
    def the_proposer_withdraws(self, who: Who) -> None:
        self.attempt(partial(self.nomination.withdraw, self.actor(who), reason="moved away",
                             at=self.tick()))

    @staticmethod
    def sealed(at: datetime) -> tuple[str, SealedCode]:
        """A code and its seal; it lasts a month here (an hour passes between steps)."""
        code, sealed = CODES.new(at)
        return code, SealedCode(sealed.salt, sealed.digest, at + timedelta(days=30))

    @rule(objection=objections, who=st.sampled_from(("public", "public", "proposer",
                                                     "outsider")),
          e_mail=st.booleans())
    def someone_lodges_an_objection(self, objection: str, who: str, e_mail: bool) -> None:
        actor = PUBLIC if who == "public" else self.actor((who, "proposer"))
        at, objection_id = self.tick(), self.objection_id(objection)
        code, sealed = self.sealed(at) if e_mail else ("", None)
        if self.attempt(partial(self.nomination.lodge_objection, actor, text="not true",
                                objection_id=objection_id, contact="", at=at,
                                code=sealed)) is not REFUSED and code and who == "public":
            self.codes[objection_id] = code

    @rule(objection=st.sampled_from(("unconfirmed", "unconfirmed", "pending", "resolved",
                                     "objection-9")), right=st.booleans())
    def the_objector_types_back_the_code(self, objection: str, right: bool) -> None:
        objection_id = self.objection_id(objection)
        sent = self.codes.get(objection_id, "000000")
        code = sent if right else f"{(int(sent) + 1) % 10**6:06d}"
        found = self.nomination.objections.get(objection_id)
        result = self.attempt(partial(self.nomination.confirm_objection, objection_id,
                                      actor=PUBLIC, code=code, codes=CODES, at=self.tick()))
        if result is not REFUSED and found is not None:
            assert isinstance(result, n.CodeCheck)
            assert result.confirmed == (found.confirmed or (right and objection_id in self.codes))

    @rule(objection=objections,
          who=st.sampled_from((("notice", "reviewer"), ("notice", "reviewer"),
                               ("notice", "decider"), ("proposer", "reviewer"))),
          outcome=st.sampled_from((*n.OBJECTION_OUTCOMES, "ignored")))
    def the_board_resolves_an_objection(self, objection: str, who: Who, outcome: str) -> None:
        self.attempt(partial(self.nomination.resolve_objection,
                             self.objection_id(objection), note="",
                             actor=self.actor(who), outcome=outcome, at=self.tick()))

    @rule(step=st.sampled_from(("open the notice", "close the notice", "open the decision")))
    def the_workflow_takes_a_step(self, step: str) -> None:
        nomination, at = self.nomination, self.tick()
        commands: dict[str, Callable[[], object]] = {
            "open the notice": partial(nomination.open_public_notice, at, at + timedelta(days=7)),
            "close the notice": partial(nomination.close_public_notice, at),
            "open the decision": partial(nomination.open_decision, at, at + timedelta(days=20)),
        }
        result = self.attempt(commands[step])
        if step == "open the decision" and result is not REFUSED:
            assert nomination.tasks[str(result)].kind == "decision"

    @rule(task=tasks, who=deciders,
          outcome=st.sampled_from((*n.DECISION_OUTCOMES, "postponed")))
    def the_authority_decides(self, task: str, who: Who, outcome: str) -> None:
        at = self.tick()
        self.attempt(partial(self.nomination.decide, self.task_id(task), actor=self.actor(who),
                             outcome=outcome, decision_number="1/QĐ", signer="Chủ tịch",
                             decision_date=day_of(at), at=at))

    @rule(who=deciders)
    def the_deciding_unit_revokes_the_award(self, who: Who) -> None:
        at = self.tick()
        self.attempt(partial(self.nomination.revoke, self.actor(who), reason="false report",
                             decision_number="2/QĐ", decision_date=day_of(at), at=at))

    # -- what must hold after every step ----------------------------------------------

    @invariant()
    def the_status_is_one_of_the_process_statuses(self) -> None:
        assert self.nomination.status in LEGAL_MOVES

    @invariant()
    def at_most_one_task_is_open_and_it_is_the_current_one(self) -> None:
        nomination = self.nomination
        open_ids = [t.id for t in nomination.tasks.values() if t.open]
        current = nomination.current_task_id
        assert open_ids == ([current] if current is not None else [])
        assert not open_ids or nomination.status not in CLOSED_STATUSES

    @invariant()
    def approvals_count_the_approving_reviews_on_the_route(self) -> None:
        nomination = self.nomination
        approved = [t for t in nomination.tasks.values() if t.outcome == "approve"]
        assert nomination.approvals == len(approved) <= len(nomination.route.reviews)

    @invariant()
    def a_decision_is_awaited_only_after_every_council_approved_and_the_notice(self) -> None:
        nomination, task = self.nomination, self.nomination.current_task
        awaiting = task is not None and task.kind == "decision"
        assert awaiting == (nomination.status in AWAITING)
        assert not awaiting or nomination.approvals == len(nomination.route.reviews)
        decided = any(t.kind == "decision" for t in nomination.tasks.values())
        assert not decided or nomination.notice_closed or not nomination.route.public_notice_days, (
            "a decision opened before the public notice closed")

    @invariant()
    def the_dossier_version_counts_the_supplements(self) -> None:
        supplements = sum(isinstance(e, Nomination.Supplemented) for e in self.events)
        assert self.nomination.dossier_version == 1 + supplements

    @invariant()
    def objections_are_pending_only_while_on_hold_or_closed(self) -> None:
        nomination = self.nomination
        if nomination.pending_objections:
            assert nomination.status in (Status.ON_HOLD, Status.REJECTED, Status.WITHDRAWN)
        if nomination.status in (Status.PUBLIC_NOTICE, Status.ON_HOLD):
            assert nomination.route.public_notice_days and nomination.notice_until is not None
        assert (nomination.status == Status.ON_HOLD) <= bool(nomination.pending_objections)

    @invariant()
    def an_objection_without_an_account_holds_only_once_confirmed_with_its_code(self) -> None:
        for e in self.events:
            if isinstance(e, Nomination.ObjectionLodged) and e.actor_role == "public":
                assert not e.confirmed
        confirmed = {e.objection_id for e in self.events
                     if isinstance(e, Nomination.ObjectionConfirmed)}
        for objection in self.nomination.objections.values():
            if objection.code_digest:
                assert objection.confirmed == (objection.id in confirmed)
                assert objection.wrong_codes <= CODE_ATTEMPTS
            assert objection.holds <= objection.confirmed

    @invariant()
    def replaying_every_event_rebuilds_the_same_nomination(self) -> None:
        replayed: Any = None
        for e in self.events:
            replayed = e.mutate(replayed)
        for name in ("version", "status", "tasks", "current_task_id", "approvals", "rounds",
                     "dossier_version", "notice_until", "notice_closed", "objections"):
            assert getattr(replayed, name) == getattr(self.nomination, name), name


NominationCommands.TestCase.settings = settings(max_examples=500, stateful_step_count=30,
                                                deadline=None)
TestAnySequenceOfCommandsLeavesANominationInALegalState = NominationCommands.TestCase


@pytest.mark.parametrize("closed_by", ["the proposer withdrawing", "another objection upheld"])
def test_resolving_a_pending_objection_never_reopens_a_closed_nomination(closed_by: str) -> None:
    """The shortest sequences the machine found for a bug fixed in the domain since."""
    machine = NominationCommands()
    central = Scenario("bang-khen-thu-tuong", "hg.so-yte", "collective")
    machine.a_unit_proposes_a_nominee(central, "an objection holds it")
    board = ("notice", "reviewer")
    if closed_by == "the proposer withdrawing":
        machine.the_proposer_withdraws(("proposer", "proposer"))
    else:
        machine.someone_lodges_an_objection("new", "public", e_mail=True)
        machine.the_board_resolves_an_objection("pending", board, "upheld")
    machine.the_board_resolves_an_objection("pending", board, "dismissed")
    assert machine.nomination.status in CLOSED_STATUSES
