"""The HTTP contract: who may do what, and a clear problem+json for everything refused."""

from __future__ import annotations

import asyncio
import json
import unicodedata
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import jwt

from api.auth import verify_token
from domain.actor import Actor
from infrastructure.container import Laurel
from tests.support.commands import decide, review
from tests.support.nominations import (
    NOMINATION,
    PROPOSER,
    TALLY,
    UNIT,
    day_in_vietnam,
    nomination_with_open_review,
    project,
)
from tests.support.people import JWT_SECRET, token
from tests.support.problems import assert_problem

OTHER_UNIT, DISTRICT = "hg.nga-bay.xa-dai-thanh", "hg.vi-thanh"
REVIEWER = token("secretary", "reviewer", unit=UNIT)


async def test_a_request_without_a_token_is_told_to_authenticate(http: httpx.AsyncClient) -> None:
    response = await http.post("/nominations", json=NOMINATION)
    assert_problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_forged_expired_and_unsigned_tokens_are_refused(http: httpx.AsyncClient) -> None:
    now = datetime.now(UTC)
    claims = {"sub": "x", "roles": ["admin"], "unit": "hg", "iss": "laurel", "iat": now,
              "exp": now + timedelta(hours=1)}
    forged = jwt.encode(claims, "not-the-key-" * 4, algorithm="HS256")
    expired = jwt.encode({**claims, "exp": now - timedelta(minutes=1)}, JWT_SECRET, "HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for bad in (forged, expired, unsigned, "garbage"):
        response = await http.get("/nominations", headers={"Authorization": f"Bearer {bad}"})
        assert_problem(response, 401, "unauthenticated")


async def test_a_token_accepted_before_is_refused_once_it_expires(
    http: httpx.AsyncClient,
) -> None:
    now = datetime.now(UTC)
    claims = {"sub": "x", "roles": ["admin"], "unit": "hg", "iss": "laurel", "iat": now,
              "exp": now + timedelta(seconds=1.5)}
    soon_expired = {"Authorization": f"Bearer {jwt.encode(claims, JWT_SECRET, 'HS256')}"}
    assert (await http.get("/nominations", headers=soon_expired)).status_code == 200
    assert (await http.get("/nominations", headers=soon_expired)).status_code == 200
    await asyncio.sleep(max(0.0, (claims["exp"] - datetime.now(UTC)).total_seconds()) + 0.1)
    response = await http.get("/nominations", headers=soon_expired)
    assert assert_problem(response, 401, "unauthenticated")["detail"] == "The token has expired"


async def test_a_proposal_answers_with_an_id_and_a_tracking_code(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    response = await http.post("/nominations", json=NOMINATION, headers=PROPOSER)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "proposed" and len(body["tracking_code"]) == 12
    project(laurel)
    tracked = (await http.get(f"/track/{body['tracking_code'].lower()}")).json()
    assert tracked["nominee_name"] == "Võ Thị Lan" and tracked["status"] == "proposed"


async def test_only_proposers_propose(http: httpx.AsyncClient) -> None:
    response = await http.post("/nominations", json=NOMINATION, headers=REVIEWER)
    assert_problem(response, 403, "wrong-role")


async def test_bad_proposals_are_refused_with_the_reason(http: httpx.AsyncClient) -> None:
    unknown = await http.post("/nominations", headers=PROPOSER,
                              json={**NOMINATION, "award_code": "huy-chuong-vang"})
    assert "huy-chuong-vang" in assert_problem(unknown, 422, "unknown-award")["detail"]

    flag_for_a_person = await http.post("/nominations", headers=PROPOSER,
                                        json={**NOMINATION, "award_code": "co-thi-dua-tinh"})
    assert_problem(flag_for_a_person, 422, "nominee-not-eligible")

    province_giay_khen = await http.post(
        "/nominations", json={**NOMINATION, "award_code": "giay-khen"},
        headers=token("c", "proposer", unit="hg"))
    assert_problem(province_giay_khen, 422, "wrong-level")

    malformed = await http.post("/nominations", headers={**PROPOSER,
                                "content-type": "application/json"}, content=b"{not json")
    assert_problem(malformed, 400, "malformed-json")

    missing = await http.post("/nominations", json={"award_code": "giay-khen"}, headers=PROPOSER)
    body = assert_problem(missing, 422, "invalid-body")
    assert body["errors"][0]["loc"] == ["body", "nominee"]


async def test_a_nomination_of_another_unit_does_not_exist_for_its_proposer(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    created = (await http.post("/nominations", json=NOMINATION, headers=PROPOSER)).json()
    project(laurel)
    path = f"/nominations/{created['id']}"
    outsider = token("clerk2", "proposer", unit=OTHER_UNIT)
    assert_problem(await http.get(path, headers=outsider), 404, "not-found")
    assert_problem(await http.get(f"{path}/history", headers=outsider), 404, "not-found")
    assert_problem(await http.get("/nominations/not-a-uuid", headers=PROPOSER), 404, "not-found")

    assert (await http.get(path, headers=PROPOSER)).status_code == 200
    district = token("sec", "reviewer", unit=DISTRICT)
    assert (await http.get(path, headers=district)).json()["unit_name"] == "Phường I"
    listed = (await http.get("/nominations", headers=outsider)).json()
    assert listed["total"] == 0


async def test_a_task_of_another_unit_does_not_exist_for_its_reviewers(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    n = await nomination_with_open_review(http, laurel)
    outsider = token("sec2", "reviewer", unit=OTHER_UNIT)
    response = await http.post(f"/tasks/{n['task_id']}/review",
                               json={"outcome": "approve", "votes": TALLY}, headers=outsider)
    assert_problem(response, 404, "not-found")
    assert_problem(await http.get(f"/tasks/{n['task_id']}", headers=outsider), 404, "not-found")
    assert (await http.get("/tasks", headers=outsider)).json()["total"] == 0


async def test_a_second_review_of_the_same_task_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    n = await nomination_with_open_review(http, laurel)
    path = f"/tasks/{n['task_id']}/review"
    first = await http.post(path, json={"outcome": "approve", "votes": TALLY}, headers=REVIEWER)
    assert first.status_code == 200
    before = laurel.nominations.event_types(UUID(n["id"]))
    second = await http.post(path, json={"outcome": "reject", "votes": TALLY}, headers=REVIEWER)
    assert_problem(second, 409, "task-closed")
    assert laurel.nominations.event_types(UUID(n["id"])) == before


async def test_wrong_actions_on_a_task_are_refused(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    n = await nomination_with_open_review(http, laurel)
    task = f"/tasks/{n['task_id']}"
    decider = token("chair", "decider", unit=UNIT)
    decision = {"outcome": "awarded", "decision_number": "1/QĐ", "decision_date": "2026-01-01",
                "signer": "Chủ tịch"}
    assert_problem(await http.post(f"{task}/decision", json=decision, headers=decider),
                   409, "wrong-task-kind")
    assert_problem(await http.post(f"{task}/review", json={"outcome": "approve", "votes": TALLY},
                                   headers=PROPOSER), 403, "wrong-role")
    bad_tally = {**TALLY, "present": 9}
    assert_problem(await http.post(f"{task}/review", json={"outcome": "approve",
                                   "votes": bad_tally}, headers=REVIEWER),
                   422, "invalid-vote-tally")
    assert_problem(await http.post(f"{task}/review", json={"outcome": "maybe", "votes": TALLY},
                                   headers=REVIEWER), 422, "invalid-body")
    assert_problem(await http.get("/tasks", headers=PROPOSER), 403, "wrong-role")


async def test_the_inbox_pages_through_open_tasks(http: httpx.AsyncClient, laurel: Laurel) -> None:
    for _ in range(3):
        await nomination_with_open_review(http, laurel)
    first = (await http.get("/tasks?limit=2", headers=REVIEWER)).json()
    rest = (await http.get("/tasks?limit=2&offset=2", headers=REVIEWER)).json()
    assert first["total"] == 3 and len(first["items"]) == 2 and len(rest["items"]) == 1
    due = [t["due_at"] for t in first["items"] + rest["items"]]
    assert due == sorted(due)
    assert_problem(await http.get("/tasks?limit=0", headers=REVIEWER), 422, "invalid-body")


async def test_the_catalogue_is_public_and_bilingual(http: httpx.AsyncClient) -> None:
    units = (await http.get("/org-units?level=district")).json()
    assert "Huyện Châu Thành A" in [u["name"] for u in units["items"]]
    assert len(units["items"]) == 8
    awards = {a["code"]: a for a in (await http.get("/awards")).json()["items"]}
    assert awards["bang-khen-tinh"]["name"]["vi"] == "Bằng khen của Chủ tịch UBND tỉnh"
    assert awards["bang-khen-tinh"]["chain"] == ["unit", "district", "province"]
    described = (await http.get("/problems/task-closed")).json()
    assert described["status"] == 409


async def test_health_and_the_openapi_document(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    paths = (await http.get("/openapi.json")).json()["paths"]
    for path in ("/nominations", "/nominations/{nomination_id}",
                 "/nominations/{nomination_id}/history", "/tasks", "/tasks/{task_id}/review",
                 "/tasks/{task_id}/decision", "/track/{tracking_code}", "/org-units",
                 "/awards", "/healthz", "/readyz"):
        assert path in paths
    assert_problem(await http.get("/no/such/route"), 404, "not-found")


def test_actor_type_is_what_the_token_carries() -> None:
    header = token("someone", "reviewer", "decider", unit="hg")["Authorization"]
    actor = verify_token(JWT_SECRET, "laurel", header.removeprefix("Bearer "))
    assert actor == Actor("someone", frozenset({"reviewer", "decider"}), "hg")


async def test_two_reviewers_acting_at_once_one_succeeds_the_other_gets_409(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    n = await nomination_with_open_review(http, laurel)
    path = f"/tasks/{n['task_id']}/review"
    other = token("member", "reviewer", unit=UNIT)
    responses = await asyncio.gather(
        http.post(path, json={"outcome": "approve", "votes": TALLY}, headers=REVIEWER),
        http.post(path, json={"outcome": "approve", "votes": TALLY}, headers=other),
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["type"] in ("/problems/task-closed", "/problems/concurrent-change")
    assert laurel.nominations.event_types(UUID(n["id"])).count("ReviewedByCouncil") == 1


def test_every_status_and_event_has_a_vietnamese_and_an_english_label() -> None:
    from api import labels
    from domain import nomination as n
    from domain.vocabulary import Status

    statuses = set(Status)
    events = {name for name, cls in vars(n.Nomination).items()
              if isinstance(cls, type) and issubclass(cls, n.Nomination.Event)
              and name not in ("Event", "Created")}
    assert statuses <= labels.STATUS.keys() and statuses <= labels.NEXT_STEP.keys()
    assert events <= labels.EVENT.keys()
    assert all(vi != en for vi, en in labels.STATUS.values())


async def test_the_simplified_and_adhoc_procedures_change_the_route_and_deadlines(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    simplified = (await http.post("/nominations", headers=PROPOSER,
                                  json={**NOMINATION, "procedure": "simplified"})).json()
    adhoc = (await http.post("/nominations", headers=PROPOSER,
                             json={**NOMINATION, "procedure": "adhoc"})).json()
    project(laurel)
    route = (await http.get(f"/nominations/{simplified['id']}", headers=PROPOSER)).json()
    assert [s["level"] for s in route["route"]] == ["unit", "province", "province"]
    assert route["procedure"] == "simplified"
    opened = laurel.nominations.open_review(UUID(adhoc["id"]), 0, datetime(2026, 3, 2, 2,
                                                                          tzinfo=UTC))
    assert opened is not None and opened.due_at.date().isoformat() == "2026-03-09"  # 5 days

    not_offered = await http.post("/nominations", headers=PROPOSER, json={
        **NOMINATION, "award_code": "co-thi-dua-tinh", "procedure": "adhoc",
        "nominee": {"name": "Trường THPT Vị Thanh", "kind": "collective"}})
    assert_problem(not_offered, 422, "procedure-not-offered")


async def test_a_decided_award_is_revoked_by_its_deciding_unit(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    created = (await http.post("/nominations", headers=PROPOSER, json={
        **NOMINATION, "award_code": "giay-khen"})).json()
    nid, app, now = UUID(created["id"]), laurel.nominations, datetime.now(UTC)
    task = app.open_review(nid, 0, now)
    assert task is not None
    review(app, nid, task.task_id, Actor("s", frozenset({"reviewer"}), UNIT), outcome="approve",
           votes=TALLY, note="", at=now)
    decision = app.open_decision(nid, now)
    assert decision is not None
    decide(app, nid, decision.task_id, Actor("h", frozenset({"decider"}), UNIT),
           outcome="awarded", decision_number="3/QĐ", decision_date=day_in_vietnam(now),
           signer="Thủ trưởng", at=now)
    body = {"reason": "Khai không đúng thành tích", "decision_number": "9/QĐ-TH",
            "decision_date": day_in_vietnam()}
    project(laurel)
    assert_problem(await http.post(f"/nominations/{nid}/revoke", json=body, headers=token(
        "d", "decider", unit=OTHER_UNIT)), 404, "not-found")
    assert_problem(await http.post(f"/nominations/{nid}/revoke", json=body, headers=PROPOSER),
                   403, "wrong-role")
    revoked = await http.post(f"/nominations/{nid}/revoke", json=body,
                              headers=token("h", "decider", unit=UNIT))
    assert revoked.status_code == 200, revoked.text
    project(laurel)
    status = (await http.get(f"/nominations/{nid}", headers=PROPOSER)).json()
    assert status["status"] == "revoked" and status["revocation"]["number"] == "9/QĐ-TH"
    assert status["decision"]["number"] == "3/QĐ"  # the award's decision stays on record


async def test_the_policy_in_force_and_its_versions_are_public(http: httpx.AsyncClient) -> None:
    policy = (await http.get("/policy")).json()
    assert policy["version"] == "2024.1" and policy["active"] is True
    assert policy["vote"] == {"quorum": "2/3", "approval_share": "1/2",
                              "comparison": "more_than"}
    assert "2026-02-17" in policy["calendar"]["holidays"]  # Tết
    assert policy["return_reasons"]["missing-document"]["vi"] == "Thiếu tài liệu trong hồ sơ"
    assert policy["appraisal"]["levels"] == ["province"]
    consulted = {a["code"]: a["working_days"] for a in policy["consultation"]["agencies"]}
    assert consulted["cong-an"] == 10 and policy["consultation"]["level"] == "province"
    awards = {a["code"]: a for a in (await http.get("/awards")).json()["items"]}
    assert awards["huan-chuong-lao-dong-hang-ba"]["lower_forms"] == [
        "bang-khen-thu-tuong", "bang-khen-tinh"]
    assert "meeting_minutes" in awards["chien-si-thi-dua-toan-quoc"]["required_documents"]
    assert [v["version"] for v in (await http.get("/policy/versions")).json()["items"]] == [
        "2024.1"]
    assert_problem(await http.get("/policy?version=1999"), 404, "not-found")


FOREIGN_PROPOSER = token("foreign-clerk", "proposer", unit="hg.nga-bay.xa-dai-thanh")


async def test_a_write_acts_on_the_version_it_read_and_a_stale_one_records_nothing(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    created = await nomination_with_open_review(http, laurel)
    path = f"/nominations/{created['id']}"
    read = await http.get(path, headers=PROPOSER)
    etag = read.headers["etag"]
    assert etag == f'"{read.json()["version"]}"'

    # The council acts on the version it read; the proposer's copy is now stale.
    reviewed = await http.post(f"/tasks/{created['task_id']}/review", headers={
        **REVIEWER, "If-Match": etag}, json={"outcome": "approve", "votes": TALLY})
    assert reviewed.status_code == 200, reviewed.text
    project(laurel)
    events = laurel.nominations.event_types(UUID(created["id"]))
    stale = await http.post(f"{path}/withdraw", json={"reason": "Hồ sơ chưa đủ"},
                            headers={**PROPOSER, "If-Match": etag})
    body = assert_problem(stale, 412, "stale-version")
    assert etag.strip('"') in body["detail"]
    assert laurel.nominations.event_types(UUID(created["id"])) == events
    for unreadable in ('"v-what"', "", '"99999999999999999999"'):
        said = assert_problem(await http.post(f"{path}/withdraw", json={"reason": "x"},
                                              headers={**PROPOSER, "If-Match": unreadable}),
                              412, "stale-version")
        assert "names no version" in said["detail"]
        # Who may act, on what, with which body, is said first: no tale of a version
        # to someone without a token, outside the unit, or sending no reason.
        for headers, body, status in (({}, {"reason": "x"}, 401),
                                      (FOREIGN_PROPOSER, {"reason": "x"}, 404),
                                      (PROPOSER, {"reason": ""}, 422)):
            refused = await http.post(f"{path}/withdraw", json=body,
                                      headers={**headers, "If-Match": unreadable})
            assert refused.status_code == status, (unreadable, headers, refused.text)
    assert laurel.nominations.event_types(UUID(created["id"])) == events

    fresh = (await http.get(path, headers=PROPOSER)).headers["etag"]
    assert fresh != etag
    keyed = {**PROPOSER, "If-Match": fresh, "Idempotency-Key": "withdraw-1"}
    withdrawn = await http.post(f"{path}/withdraw", json={"reason": "Hồ sơ chưa đủ"},
                                headers=keyed)
    assert withdrawn.status_code == 200, withdrawn.text
    assert laurel.nominations.status(UUID(created["id"])) == "withdrawn"
    events = laurel.nominations.event_types(UUID(created["id"]))
    # Sent again with its key (the answer was lost): the same answer, nothing new.
    again = await http.post(f"{path}/withdraw", json={"reason": "Hồ sơ chưa đủ"},
                            headers=keyed)
    assert again.status_code == 200 and again.json() == withdrawn.json()
    assert laurel.nominations.event_types(UUID(created["id"])) == events
    assert_problem(await http.post(f"{path}/withdraw", json={"reason": "Hồ sơ chưa đủ"},
                                   headers=PROPOSER), 409, "invalid-transition")


async def test_vietnamese_typed_decomposed_is_kept_composed(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    composed = "Nguyễn Thị Hồng Nhung"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed and len(decomposed) > len(composed)
    ids = []
    for name in (composed, decomposed):
        created = await http.post("/nominations", headers=PROPOSER, json={
            **NOMINATION, "nominee": {"name": name, "kind": "individual"},
            "achievements": unicodedata.normalize("NFD", "Hoàn thành xuất sắc nhiệm vụ")})
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    project(laurel)
    for nomination_id in ids:
        shown = (await http.get(f"/nominations/{nomination_id}", headers=PROPOSER)).json()
        assert shown["nominee"]["name"] == composed
        assert shown["achievements"] == "Hoàn thành xuất sắc nhiệm vụ"


async def test_a_body_not_json_or_too_large_is_refused_before_anything_runs(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    plain = await http.post("/nominations", content=b'{"award_code": "giay-khen"}',
                            headers={**PROPOSER, "Content-Type": "text/plain"})
    assert_problem(plain, 415, "unsupported-media-type")
    form = await http.post("/nominations", data={"award_code": "giay-khen"}, headers=PROPOSER)
    assert_problem(form, 415, "unsupported-media-type")

    deep = b'{"award_code": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert_problem(await http.post("/nominations", content=deep, headers={
        **PROPOSER, "Content-Type": "application/json"}), 400, "malformed-json")

    huge = {**NOMINATION, "achievements": "x" * (laurel.settings.api_max_body_bytes + 1)}
    assert_problem(await http.post("/nominations", json=huge, headers=PROPOSER),
                   413, "body-too-large")

    async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: cut off on the way
        for _ in range(laurel.settings.api_max_body_bytes // 2**20 + 1):
            yield b" " * 2**20
    assert_problem(await http.post("/nominations", content=streamed(), headers={
        **PROPOSER, "Content-Type": "application/json"}), 413, "body-too-large")
    assert laurel.log.last_position() == 0  # nothing was proposed


async def test_a_proposal_sent_again_with_its_idempotency_key_is_answered_not_repeated(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    keyed = {**PROPOSER, "Idempotency-Key": "4f0c9a52-to-trinh-12"}
    first = await http.post("/nominations", json=NOMINATION, headers=keyed)
    again = await http.post("/nominations", json=NOMINATION, headers=keyed)
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert laurel.log.last_position() == 1  # one Proposed, however often it is sent

    other = {**NOMINATION, "nominee": {"name": "Trần Văn Bình", "kind": "individual"}}
    assert_problem(await http.post("/nominations", json=other, headers=keyed),
                   422, "idempotency-key-reused")
    # The same key from someone else is their own; no key, a new nomination each time.
    colleague = {**token("clerk-2", "proposer", unit=UNIT), "Idempotency-Key": keyed[
        "Idempotency-Key"]}
    theirs = await http.post("/nominations", json=NOMINATION, headers=colleague)
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
    plain = [await http.post("/nominations", json=NOMINATION, headers=PROPOSER)
             for _ in range(2)]
    assert plain[0].json()["id"] != plain[1].json()["id"]
    assert laurel.log.last_position() == 4

    # Sent many times at once, a list of nominees is still recorded once.
    listed = {"items": [NOMINATION, other]}
    at_once = await asyncio.gather(*(http.post("/proposals", json=listed, headers={
        **PROPOSER, "Idempotency-Key": "list-7"}) for _ in range(5)))
    assert {a.status_code for a in at_once} == {201}
    assert len({json.dumps(a.json(), sort_keys=True) for a in at_once}) == 1
    assert laurel.log.last_position() == 6


async def test_an_idempotency_key_empty_or_too_long_is_refused_naming_the_header(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    for key in ("", "k" * 201):
        refused = await http.post("/nominations", json=NOMINATION,
                                  headers={**PROPOSER, "Idempotency-Key": key})
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert "idempotency-key" in refused.json()["detail"].lower()
    assert (await http.post("/nominations", json=NOMINATION, headers={
        **PROPOSER, "Idempotency-Key": "k" * 200})).status_code == 201
    assert laurel.log.last_position() == 1  # only the last was recorded


async def test_the_openapi_document_names_the_token_and_the_command_headers(
    http: httpx.AsyncClient,
) -> None:
    """The routes read them from the request themselves (api.deps); the document still
    says so."""
    document = (await http.get("/openapi.json")).json()
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    review = document["paths"]["/tasks/{task_id}/review"]["post"]
    assert review["security"] == [{"HTTPBearer": []}]
    headers = {p["name"]: p for p in review["parameters"] if p["in"] == "header"}
    assert set(headers) == {"if-match", "idempotency-key"}
    assert headers["idempotency-key"]["schema"]["maxLength"] == 200
    proposal = document["paths"]["/nominations"]["post"]
    assert [p["name"] for p in proposal["parameters"]] == ["idempotency-key"]
    assert "security" not in document["paths"]["/track/{tracking_code}"]["get"]


async def test_a_review_sent_again_with_its_idempotency_key_is_answered_not_refused(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    created = await nomination_with_open_review(http, laurel)
    path = f"/tasks/{created['task_id']}/review"
    read = await http.get(f"/nominations/{created['id']}", headers=REVIEWER)
    keyed = {**REVIEWER, "Idempotency-Key": "ballot-2026-03", "If-Match": read.headers["etag"]}
    ballot = {"outcome": "approve", "votes": TALLY}
    first = await http.post(path, json=ballot, headers=keyed)
    events = laurel.nominations.event_types(UUID(created["id"]))
    again = await http.post(path, json=ballot, headers=keyed)  # the answer was lost, say
    assert first.status_code == again.status_code == 200, again.text
    assert again.json() == first.json()
    assert laurel.nominations.event_types(UUID(created["id"])) == events

    # Another ballot under the same key, or the same ballot without one, is a second review:
    # on the version read before the first, refused as stale; on none, as a closed task.
    other = {**ballot, "note": "lại"}
    assert_problem(await http.post(path, json=other, headers=keyed), 412, "stale-version")
    key_only = {**REVIEWER, "Idempotency-Key": keyed["Idempotency-Key"]}
    assert_problem(await http.post(path, json=other, headers=key_only), 409, "task-closed")
    assert_problem(await http.post(path, json=ballot, headers=REVIEWER), 409, "task-closed")
    assert laurel.nominations.event_types(UUID(created["id"])) == events
