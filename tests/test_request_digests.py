"""The digests of keyed requests, pinned: stored events carry them, so a command whose
digest changed would take a retry of an old request for a new one (or the reverse).

The values were computed by the code before commands became dataclasses (commit
8a0931a), from the same requests as below."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.actor import Actor
from domain.commands import (
    Changed,
    Command,
    Context,
    Decide,
    LodgeObjection,
    NomineeItem,
    Proposal,
    Propose,
    Proposed,
    ProposeList,
    ResolveObjection,
    Review,
    Reviewed,
    ReviewItem,
    ReviewList,
    Revoke,
    Supplement,
    Withdraw,
)
from infrastructure.container import Laurel
from tests.support.commands import propose
from tests.support.nominations import at_council

T = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
UNIT = "hg.vi-thanh.phuong-1"
GOLDEN = {
    "nomination": "ec2f27539dfef55c8567f8aaab65671d269f68bceed46de51ac37cda4254a563",
    "proposal": "559740081d1d84daf7d786d7f164760b84cacc9a672b4be82929231af0ae7b2e",
    "review": "8016a4dbf4a6ce364e539a6c704f13699678ffb5b7836875cfd131917d8b8d5d",
    "supplement": "14841533f6c6355261ae56705c619ea1ca715f69b63b39adc2557fd71a27981c",
    "bulk review": "63f3363ed2a71d94ff2bed73b364809ba910932dc58ba8bdd6a9065ce316e256",
    "withdraw": "c6d73d6ffc14ee0499b06863ce00d581d1ed581746b9d63b573ca19a9f38da4f",
    "objection": "529b1fe39493fc656255bc6ec9a3c68ce64a46db1b267451d59b03498f00f3e2",
    "objection resolution": "30741a4631e5c7c8863ec15fe33b5f27b4483031c2683909f0fca3141d5d7ae2",
    "decision": "e83a10351d1185ea752e200f5cdfa158e975b6662e5b7d2593facb4783a6eda4",
    "revoke": "89a4a1ddb03d65a5eeaa4193f7f3f023aa56938838cde466b97beb48790575b4",
}
OBJECTION_ID = "b1c243d0-b013-5dbd-9de2-e544638dac87"
ALL_FOR = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}


def person(role: str, unit: str = UNIT) -> Actor:
    return Actor(f"{role}@{unit}", frozenset({role}), unit)


def test_every_command_records_the_digest_its_request_had_before(laurel: Laurel) -> None:
    app = laurel.nominations
    stored: dict[str, str] = {}

    def give(command: Command, actor: Actor, at: datetime, key: str) -> object:
        result = app.handle(command, Context(actor, at, request_key=key))
        match result:
            case Proposal():
                nomination_id = result.id
            case Proposed():
                nomination_id = result.nominations[0].id
            case Reviewed():
                nomination_id = result.nominations[0].nomination_id
            case Changed():
                nomination_id = result.nomination_id
        requests = [e.request for e in app.events.get(nomination_id)
                    if getattr(e, "request", "")]
        stored[command.label] = requests[-1]
        return result

    proposed = give(Propose("bang-khen-tinh",
                            {"name": "Nguyễn Thị Hoa", "kind": "individual",
                             "direct_worker": True},
                            "Hoàn thành xuất sắc", [{"title": "Tờ trình 12", "kind": "proposal"}]),
                    person("proposer"), T, "k-nomination")
    nid: UUID = proposed.id  # type: ignore[attr-defined]
    listed = give(ProposeList((
        NomineeItem("giay-khen", {"name": "A", "kind": "individual"}, "x", []),
        NomineeItem("bang-khen-tinh", {"name": "B", "kind": "collective"}, "y",
                    [{"title": "t"}]))), person("proposer"), T, "k-proposal")
    task = app.open_review(nid, 0, T)
    assert task is not None
    give(Review(nid, task.task_id, "return",
                {"members": 7, "present": 7, "for": 1, "against": 6, "abstain": 0},
                "Thiếu hồ sơ"), person("reviewer"), T + timedelta(days=1), "k-review")
    give(Supplement(nid, [{"title": "Bổ sung", "kind": "other"}], "Thêm", "đã bổ sung"),
         person("proposer"), T + timedelta(days=2), "k-supplement")
    ids = [p.id for p in listed.nominations]  # type: ignore[attr-defined]
    tasks = [app.open_review(i, 0, T) for i in ids]
    give(ReviewList(tuple(ReviewItem(i, t.task_id, "approve", ALL_FOR, "")
                          for i, t in zip(ids, tasks, strict=True) if t is not None)),
         person("reviewer"), T + timedelta(days=1), "k-bulk")
    give(Withdraw(ids[1], "Rút"), person("proposer"), T + timedelta(days=3), "k-withdraw")

    state = propose(app, person("proposer"), award_code="bang-khen-thu-tuong",
                    nominee={"name": "C", "kind": "individual"}, achievements="z",
                    documents=[], at=T, request_key="k-state").id
    route = laurel.policy.plan_route("bang-khen-thu-tuong", UNIT, "individual")
    for step, review in enumerate(route.reviews):
        opened = app.open_review(state, step, T)
        assert opened is not None
        app.handle(Review(state, opened.task_id, "approve", at_council(
                           laurel, review.unit_id, {**ALL_FOR, "members": 10, "present": 10,
                                                    "for": 10}, T)),
                   Context(person("reviewer", review.unit_id), T + timedelta(days=1)))
    app.open_public_notice(state, T + timedelta(days=2))
    objection = give(LodgeObjection(state, "Chưa đúng", "0900"), person("auditor", "hg"),
                     T + timedelta(days=3), "k-objection")
    assert objection.objection_id == OBJECTION_ID  # type: ignore[attr-defined]
    give(ResolveObjection(state, OBJECTION_ID, "dismissed", "Không có cơ sở"),
         person("reviewer", "hg"), T + timedelta(days=4), "k-resolution")
    app.close_public_notice(state, T + timedelta(days=10))
    decision = app.open_decision(state, T + timedelta(days=10))
    assert decision is not None
    # Decided and revoked on the days the decisions bear (none may be dated later).
    give(Decide(state, decision.task_id, "awarded", "7/QĐ-TTg", "2026-02-01", "Thủ tướng"),
         person("decider", "hg"), datetime(2026, 2, 1, 8, 0, tzinfo=UTC), "k-decision")
    give(Revoke(state, "Sai phạm", "9/QĐ", "2026-03-01"), person("decider", "hg"),
         datetime(2026, 3, 1, 8, 0, tzinfo=UTC), "k-revoke")

    assert stored == GOLDEN


@pytest.mark.parametrize("command", [
    Review(UUID(int=1), "t", "approve", ALL_FOR, "a note"),
    Decide(UUID(int=1), "t", "awarded", "1/QĐ", "2026-01-01", "Chủ tịch", "UBND tỉnh"),
    Supplement(UUID(int=1), [{"title": "v2"}], "more", "note"),
    Revoke(UUID(int=1), "why", "2/QĐ", "2026-02-02"),
])
def test_each_asked_field_changes_the_digest_and_only_the_target_does_not(
    command: Command,
) -> None:
    context = Context(person("reviewer"), T, request_key="k")
    for f in dataclasses.fields(command):
        value = getattr(command, f.name)
        other = (UUID(int=2) if isinstance(value, UUID) else {**value, "x": 1}
                 if isinstance(value, dict) else [*value, {}] if isinstance(value, list)
                 else value + "!")
        changed = dataclasses.replace(command, **{f.name: other})  # type: ignore[type-var]
        differs = changed.digest(context) != command.digest(context)
        assert differs == (f.name != "nomination_id" or isinstance(command, (Supplement,
                                                                             Revoke))), f.name
    assert command.digest(dataclasses.replace(context, request_key="")) == ""
