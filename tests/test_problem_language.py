"""Refusals speak Vietnamese to those who ask for it (``Accept-Language: vi``) and English
otherwise; every problem type is described in both."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from pydantic import ValidationError

from api.problems import HTTP_PROBLEMS, STATUS_OF, Unauthenticated, accepted_language, localized
from api.schemas import NominationCreate
from domain import errors
from domain.actor import Actor
from domain.voting import VoteRule, require_consistent
from infrastructure.container import Laurel
from tests.support.commands import review
from tests.support.nominations import (
    NOMINATION,
    PROPOSER,
    TALLY,
    UNIT,
    nomination_with_open_review,
    project,
)
from tests.support.people import token
from tests.support.problems import assert_problem

ROOT = Path(__file__).resolve().parent.parent
VI = {"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}
REVIEWER = token("secretary", "reviewer", unit=UNIT)
FEW = {"members": 5, "present": 2, "for": 2, "against": 0, "abstain": 0}


def every_domain_error() -> list[type[errors.DomainError]]:
    found, pending = [], [errors.DomainError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


async def test_every_problem_type_is_described_in_both_languages(
    http: httpx.AsyncClient,
) -> None:
    codes = {*HTTP_PROBLEMS, *(cls.code for cls in STATUS_OF)}
    assert {"invalid-decision-date", "wrong-authority", "quorum-not-met"} <= codes
    for code in sorted(codes):
        described = (await http.get(f"/problems/{code}")).json()
        assert described["type"] == f"/problems/{code}"
        for texts in (described["titles"], described["descriptions"]):
            assert texts["vi"].strip() and texts["en"].strip(), code
            assert texts["vi"] != texts["en"], code
        assert described["title"] == described["titles"]["en"]


def test_every_domain_error_speaks_vietnamese_without_being_told_how() -> None:
    for cls in every_domain_error():
        assert cls.title_vi.strip() and cls.title_vi != cls.title, cls.__name__
        assert cls.explanation_vi.strip() and cls.explanation_vi != cls.explanation, cls
        if issubclass(cls, errors.PolicyError | errors.BulkItemRefused | errors.ImportRefused):
            continue
        refused = cls("Something went wrong")
        assert localized(refused, "en") == (cls.title, "Something went wrong")
        assert localized(refused, "vi") == (cls.title_vi, cls.explanation_vi)


def test_the_council_vote_is_explained_in_vietnamese() -> None:
    rule = VoteRule.from_dict({"quorum": "2/3", "approval_share": "9/10",
                               "comparison": "at_least"})
    assert rule.describe() == ("quorum ≥ 2/3 of members present; approval ≥ 9/10 of all "
                               "members")
    assert rule.describe("vi") == ("có mặt ≥ 2/3 tổng số thành viên; đồng ý ≥ 9/10 tổng số "
                                   "thành viên")
    with pytest.raises(errors.QuorumNotMet) as too_few:
        require_consistent("approve", {**TALLY, "members": 9, "present": 5}, rule)
    title, detail = localized(too_few.value, "vi")
    assert title == "Không đủ số thành viên Hội đồng có mặt để biểu quyết"
    assert detail.startswith("5/9 thành viên có mặt") and rule.describe("vi") in detail
    with pytest.raises(errors.OutcomeContradictsTally) as contradicted:
        require_consistent("approve", TALLY, rule)
    assert "không thông qua" in localized(contradicted.value, "vi")[1]


def test_invalid_input_and_a_missing_sign_in_are_explained_in_both_languages() -> None:
    with pytest.raises(ValidationError) as invalid:
        NominationCreate.model_validate({**NOMINATION, "procedure": "fast",
                                         "nominee": {"name": " ", "kind": "individual"}})
    assert localized(invalid.value, "en") == (
        "The request body or parameters are not valid",
        "nominee.name: must not be blank; procedure: Input should be 'standard', 'adhoc' or "
        "'simplified'")
    assert localized(invalid.value, "vi") == (
        "Nội dung yêu cầu hoặc tham số không hợp lệ",
        "nominee.name: không được để trống; procedure: phải là một trong: 'standard', "
        "'adhoc' hoặc 'simplified'")
    expired = Unauthenticated("The token has expired")
    assert localized(expired, "en") == ("Authentication required", "The token has expired")
    title, detail = localized(expired, "vi")
    assert title == "Cần đăng nhập" and "đăng nhập" in detail


@pytest.mark.parametrize(("header", "language"), [
    (None, "en"), ("", "en"), ("en", "en"), ("vi", "vi"), ("vi-VN", "vi"), ("VI", "vi"),
    ("fr-FR, de;q=0.8", "en"), ("fr, vi;q=0.5", "vi"), ("en-US,en;q=0.9,vi;q=0.8", "en"),
    ("en;q=0.4, vi;q=0.6", "vi"), ("vi;q=0", "en"), ("*", "en"), ("vi;q=abc", "en"),
])
def test_the_language_is_the_one_accept_language_prefers(header: str | None,
                                                         language: str) -> None:
    assert accepted_language(header) == language


async def test_refusals_over_http_follow_accept_language(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    # No sign-in.
    anonymous = assert_problem(await http.post("/nominations", json=NOMINATION, headers=VI),
                               401, "unauthenticated")
    assert anonymous["title"] == "Cần đăng nhập"

    # Input that makes no sense, named field by field.
    blank = await http.post("/nominations", headers={**PROPOSER, **VI}, json={
        **NOMINATION, "nominee": {"name": "  ", "kind": "individual"}})
    body = assert_problem(blank, 422, "invalid-body")
    assert body["title"] == "Nội dung yêu cầu hoặc tham số không hợp lệ"
    assert body["detail"] == "body.nominee.name: không được để trống"
    assert blank.headers["content-language"] == "vi"

    n = await nomination_with_open_review(http, laurel)
    task = f"/tasks/{n['task_id']}"
    # A role that cannot act.
    wrong_role = assert_problem(await http.post(
        f"{task}/review", json={"outcome": "approve", "votes": TALLY},
        headers={**PROPOSER, **VI}), 403, "wrong-role")
    assert wrong_role["title"] == "Vai trò của bạn không được thực hiện việc này"
    # Too few present: the rule is said in Vietnamese.
    too_few = assert_problem(await http.post(
        f"{task}/review", json={"outcome": "approve", "votes": FEW},
        headers={**REVIEWER, **VI}), 422, "quorum-not-met")
    assert too_few["detail"].startswith("2/5 thành viên có mặt")
    assert "tổng số thành viên" in too_few["detail"]
    # A version no longer the latest.
    stale = assert_problem(await http.post(
        f"{task}/review", json={"outcome": "approve", "votes": TALLY},
        headers={**REVIEWER, **VI, "If-Match": '"1"'}), 412, "stale-version")
    assert "phiên bản 1" in stale["detail"]
    # The same task twice.
    assert (await http.post(f"{task}/review", json={"outcome": "approve", "votes": TALLY},
                            headers=REVIEWER)).status_code == 200
    closed = assert_problem(await http.post(
        f"{task}/review", json={"outcome": "reject", "votes": TALLY},
        headers={**REVIEWER, **VI}), 409, "task-closed")
    assert closed["title"] == "Việc này đã được xử lý xong"
    assert closed["detail"] == f"Việc {n['task_id']} đã được xử lý (approve)"
    # One closed item of a meeting's list: its own problem, naming the item.
    bulk = assert_problem(await http.post("/tasks/bulk-review", headers={**REVIEWER, **VI},
                                          json={"items": [{"task_id": n["task_id"],
                                                           "outcome": "approve",
                                                           "votes": TALLY}]}),
                          409, "task-closed")
    assert bulk["detail"].startswith("Mục thứ 1 (items[0]): Việc ") and bulk["item"] == 0
    # Nothing there.
    missing = assert_problem(await http.get("/no/such/route", headers=VI), 404, "not-found")
    assert missing["title"] == "Không tìm thấy"
    assert laurel.nominations.status(UUID(n["id"])) == "under_review"


async def test_without_accept_language_the_api_speaks_english(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    n = await nomination_with_open_review(http, laurel)
    for headers in ({}, {"Accept-Language": "fr-FR"}, {"Accept-Language": "en"}):
        too_few = await http.post(f"/tasks/{n['task_id']}/review", headers={
            **REVIEWER, **headers}, json={"outcome": "approve",
                                          "votes": FEW})
        body = assert_problem(too_few, 422, "quorum-not-met")
        assert body["title"] == "Too few council members were present to vote"
        assert body["detail"].startswith("2 of 5 members present")
        assert too_few.headers["content-language"] == "en"


async def test_a_decision_date_refused_in_vietnamese(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    laurel.clock = lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    created = (await http.post("/nominations", headers=PROPOSER, json={
        **NOMINATION, "award_code": "giay-khen"})).json()
    app, nid, at = laurel.nominations, UUID(created["id"]), laurel.clock()
    task = app.open_review(nid, 0, at)
    assert task is not None
    review(app, nid, task.task_id, Actor("s", frozenset({"reviewer"}), UNIT),
           outcome="approve", votes=TALLY, note="", at=at)
    decision = app.open_decision(nid, at)
    assert decision is not None
    project(laurel)
    refused = await http.post(f"/tasks/{decision.task_id}/decision", headers={
        **token("head", "decider", unit=UNIT), **VI}, json={
        "outcome": "awarded", "decision_number": "1/QĐ", "decision_date": "2026-03-09",
        "signer": "Thủ trưởng", "authority": "Chủ tịch nước"})
    body = assert_problem(refused, 422, "invalid-decision-date")
    assert body["title"] == "Ngày quyết định không hợp lệ"
    assert body["detail"] == "Ngày quyết định 09/03/2026 sau ngày hôm nay (02/03/2026)"


async def test_every_refusal_says_in_vietnamese_what_went_wrong(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    """Not only the general explanation of its type: the award, the role, the unit."""
    wrong_level = assert_problem(await http.post("/nominations", headers={**PROPOSER, **VI},
                                                 json={**NOMINATION,
                                                       "award_code": "huan-chuong-lao-dong-hang-ba",
                                                       "nominee": {"name": "Tổ 3",
                                                                   "kind": "household"}}),
                                 422, "nominee-not-eligible")
    assert "'Hộ gia đình'" in wrong_level["detail"]
    n = await nomination_with_open_review(http, laurel)
    decider = token("head", "decider", unit=UNIT)
    not_theirs = assert_problem(await http.post(
        f"/tasks/{n['task_id']}/review", json={"outcome": "approve", "votes": TALLY},
        headers={**decider, **VI}), 403, "wrong-role")
    assert not_theirs["detail"] == ("Việc này cần vai trò thư ký Hội đồng Thi đua – Khen thưởng"
                                    " ('reviewer')")
    expired = assert_problem(await http.get("/nominations", headers={
        "Authorization": "Bearer not-a-token", **VI}), 401, "unauthenticated")
    assert expired["detail"].startswith("Mã đăng nhập (token) không hợp lệ")


@pytest.mark.parametrize(("language", "title"), [
    ("vi", "Nội dung yêu cầu phải ở dạng JSON"), ("en", "The request body must be JSON")])
async def test_refusals_before_any_route_follow_accept_language(
    http: httpx.AsyncClient, language: str, title: str,
) -> None:
    refused = await http.post("/nominations", content=b"name=Hoa", headers={
        **PROPOSER, "Accept-Language": language,
        "Content-Type": "application/x-www-form-urlencoded"})
    body = assert_problem(refused, 415, "unsupported-media-type")
    assert body["title"] == title and refused.headers["content-language"] == language


def test_no_refusal_is_raised_without_its_vietnamese_detail() -> None:
    """Every place that refuses with a domain error or a missing sign-in says what went
    wrong in Vietnamese too (``vi=``), not only the general explanation of its type. Not
    checked: a list item's refusal (it wraps one that is) and the policy file's errors,
    which its author reads from `laurel policy check` as file:line: place: problem."""
    refusals = {cls.__name__ for cls in every_domain_error()} | {"Unauthenticated"}
    refusals -= {"BulkItemRefused", "ImportRefused", "PolicyError", "DocumentError"}
    silent = []
    for module in sorted(ROOT.glob("*/**/*.py")):
        if module.parts[len(ROOT.parts)] not in ("domain", "api", "infrastructure"):
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in refusals and node.args
                    and not any(k.arg == "vi" for k in node.keywords)):
                silent.append(f"{module.relative_to(ROOT)}:{node.lineno}")
    assert silent == []


def test_an_outcome_contradicting_the_tally_is_named_as_the_page_names_it() -> None:
    """Not by its code: "Trả lại để bổ sung", never 'return'."""
    rule = VoteRule.from_dict({"quorum": "2/3", "approval_share": "1/2",
                               "comparison": "more_than"})
    with pytest.raises(errors.OutcomeContradictsTally) as refused:
        require_consistent("return", TALLY, rule)
    _, detail = refused.value.in_language("vi")
    assert "'Trả lại để bổ sung'" in detail and "'return'" not in detail
    assert "'Return for supplement'" in refused.value.in_language("en")[1]
