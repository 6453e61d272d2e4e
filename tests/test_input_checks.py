"""Input that makes no sense is refused with a clear message, and nothing is stored: blank
or invisible text, decisions dated in the future or before what they decide on, an
authority other than the award's. Tracking codes are found however people type them."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from api.schemas import BIDI_CONTROLS, _checked
from domain.actor import Actor
from infrastructure.container import Laurel
from tests.support.commands import propose, review
from tests.support.nominations import NOMINATION, PROPOSER, TALLY, UNIT, project
from tests.support.people import token
from tests.support.problems import assert_problem

DECIDER = token("head", "decider", unit=UNIT)  # giay-khen is decided by the unit's head
# 18:00 UTC on 2 March is already 3 March in Vietnam (UTC+7, the policy's calendar).
EVENING = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def stored_events(laurel: Laurel) -> int:
    return laurel.nominations.recorder.max_notification_id() or 0


def named(nominee_name: str) -> dict[str, Any]:
    return {**NOMINATION, "nominee": {**NOMINATION["nominee"], "name": nominee_name}}


@pytest.mark.parametrize("name", ["", "   ", "\t \u3000 \n", "\u00a0"])
async def test_a_blank_nominee_name_is_refused_and_nothing_is_stored(
    http: httpx.AsyncClient, laurel: Laurel, name: str,
) -> None:
    refused = await http.post("/nominations", json=named(name), headers=PROPOSER)
    body = assert_problem(refused, 422, "invalid-body")
    assert body["detail"] == "body.nominee.name: must not be blank"
    assert [e["loc"] for e in body["errors"]] == [["body", "nominee", "name"]]
    listed = await http.post("/proposals", headers=PROPOSER, json={
        "items": [NOMINATION, named(name)]})
    assert "items.1.nominee.name" in assert_problem(listed, 422, "invalid-body")["detail"]
    assert stored_events(laurel) == 0
    project(laurel)
    assert (await http.get("/nominations", headers=PROPOSER)).json()["total"] == 0


@pytest.mark.parametrize(("field", "text"), [
    ("name", "Nguyễn\u202eThị Hoa"),  # right-to-left override
    ("name", "Nguyễn Thị\u2066 Hoa"),  # left-to-right isolate
    ("name", "Nguyễn\u200bThị Hoa"),  # zero-width space
    ("name", "\ufeffNguyễn Thị Hoa"),  # byte-order mark
    ("name", "Nguyễn\u200dThị Hoa"),  # zero-width joiner
    ("name", "Nguyễn\u2060Thị Hoa"),  # word joiner
    ("name", "Nguyễn\x00Thị Hoa"),
    ("name", "Nguyễn\nThị Hoa"),
    ("name", "Nguyễn\x1bThị Hoa"),
    ("title", "Giáo viên\u202d"),
])
async def test_control_and_invisible_characters_in_a_name_are_refused(
    http: httpx.AsyncClient, laurel: Laurel, field: str, text: str,
) -> None:
    nominee = {**NOMINATION["nominee"], field: text}
    refused = await http.post("/nominations", json={**NOMINATION, "nominee": nominee},
                              headers=PROPOSER)
    body = assert_problem(refused, 422, "invalid-body")
    character = next(c for c in text if c not in "Nguyễn Thị Hoa Giáo viên")
    assert f"U+{ord(character):04X}" in body["detail"]
    assert body["errors"][0]["type"] == "forbidden_character"
    assert stored_events(laurel) == 0


async def test_long_text_keeps_its_lines_but_no_control_character_or_override(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    lines = {**NOMINATION, "achievements": "Năm 2025:\n\t- Hoàn thành xuất sắc nhiệm vụ\r\n"}
    assert (await http.post("/nominations", json=lines, headers=PROPOSER)).status_code == 201
    for bad in ("Hoàn thành\x07", "Hoàn thành \u202enhiệm vụ"):
        refused = await http.post("/nominations", json={**NOMINATION, "achievements": bad},
                                  headers=PROPOSER)
        assert assert_problem(refused, 422, "invalid-body")["errors"][0]["loc"] == [
            "body", "achievements"]
    assert stored_events(laurel) == 1


async def test_the_name_is_kept_composed_and_trimmed(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    typed = "  Nguye\u0302\u0303n Thi\u0323 Hoa \u3000"  # decomposed, spaces around
    created = (await http.post("/nominations", json=named(typed), headers=PROPOSER)).json()
    project(laurel)
    shown = (await http.get(f"/nominations/{created['id']}", headers=PROPOSER)).json()
    assert shown["nominee"]["name"] == "Nguyễn Thị Hoa"


async def test_a_nomination_recorded_under_looser_rules_is_still_shown(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    """Before these checks a name of spaces was stored as an empty name, and the
    nomination answered 500 from then on: what was stored is shown as it was."""
    proposer = Actor("clerk", frozenset({"proposer"}), UNIT)
    earlier = propose(laurel.nominations, proposer, award_code="giay-khen",
                      nominee={"name": "", "kind": "individual", "title": "\u202e"},
                      achievements="", documents=[{"title": " "}], at=EVENING)
    project(laurel)
    shown = await http.get(f"/nominations/{earlier.id}", headers=PROPOSER)
    assert shown.status_code == 200, shown.text
    assert shown.json()["nominee"]["name"] == ""
    assert (await http.get(f"/track/{earlier.tracking_code}")).json()["nominee_name"] == ""
    assert (await http.get("/nominations", headers=PROPOSER)).json()["total"] == 1


@pytest.mark.parametrize(("path", "body", "field"), [
    ("withdraw", {"reason": "   "}, "reason"),
    ("withdraw", {"reason": "Rút\u200b"}, "reason"),
    ("revoke", {"reason": "Sai", "decision_number": " \t", "decision_date": "2026-03-03"},
     "decision_number"),
    ("objections", {"text": " \n\t "}, "text"),
    ("supplement", {"documents": [{"title": "Bổ sung"}], "achievements": "  "},
     "achievements"),
    ("supplement", {"documents": [{"title": "  "}]}, "documents.0.title"),
])
async def test_required_text_of_every_command_is_refused_blank(
    http: httpx.AsyncClient, laurel: Laurel, path: str, body: dict[str, Any], field: str,
) -> None:
    created = (await http.post("/nominations", json=NOMINATION, headers=PROPOSER)).json()
    project(laurel)
    before = laurel.nominations.event_types(UUID(created["id"]))
    who = {**PROPOSER, **token("head", "decider", "proposer", unit=UNIT)}
    refused = await http.post(f"/nominations/{created['id']}/{path}", json=body, headers=who)
    assert f"body.{field}:" in assert_problem(refused, 422, "invalid-body")["detail"]
    assert laurel.nominations.event_types(UUID(created["id"])) == before


async def decision_task(http: httpx.AsyncClient, laurel: Laurel) -> tuple[str, str]:
    """A certificate of commendation (giay-khen) proposed on the evening of 2 March (UTC),
    approved by the unit's council, and awaiting its head's decision."""
    laurel.clock = lambda: EVENING
    created = (await http.post("/nominations", headers=PROPOSER, json={
        **NOMINATION, "award_code": "giay-khen"})).json()
    nid, app = UUID(created["id"]), laurel.nominations
    task = app.open_review(nid, 0, EVENING)
    assert task is not None
    review(app, nid, task.task_id, Actor("s", frozenset({"reviewer"}), UNIT),
           outcome="approve", votes=TALLY, note="", at=EVENING)
    decision = app.open_decision(nid, EVENING)
    assert decision is not None
    project(laurel)
    return created["id"], decision.task_id


def decided(on: str, **more: str) -> dict[str, str]:
    return {"outcome": "awarded", "decision_number": "12/QĐ-UBND", "decision_date": on,
            "signer": "Thủ trưởng đơn vị", **more}


async def test_a_decision_is_dated_between_the_proposal_and_today_in_vietnam(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nid, task = await decision_task(http, laurel)
    path = f"/tasks/{task}/decision"
    before = laurel.nominations.event_types(UUID(nid))
    tomorrow = assert_problem(await http.post(path, json=decided("2026-03-04"),
                                              headers=DECIDER), 422, "invalid-decision-date")
    assert "later than today (2026-03-03" in tomorrow["detail"]
    # 2 March is still the day of the proposal in UTC, but no longer in Vietnam.
    earlier = assert_problem(await http.post(path, json=decided("2026-03-02"),
                                             headers=DECIDER), 422, "invalid-decision-date")
    assert "before the nomination was proposed (2026-03-03)" in earlier["detail"]
    assert laurel.nominations.event_types(UUID(nid)) == before

    today = await http.post(path, json=decided("2026-03-03"), headers=DECIDER)
    assert today.status_code == 200, today.text
    project(laurel)
    shown = (await http.get(f"/nominations/{nid}", headers=PROPOSER)).json()
    assert shown["status"] == "awarded" and shown["decision"]["date"] == "2026-03-03"


async def test_a_revocation_is_dated_between_the_award_and_today(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nid, task = await decision_task(http, laurel)
    awarded = await http.post(f"/tasks/{task}/decision", json=decided("2026-03-03"),
                              headers=DECIDER)
    assert awarded.status_code == 200, awarded.text
    project(laurel)
    laurel.clock = lambda: EVENING + timedelta(days=30)  # 2 April in Vietnam
    path, before = f"/nominations/{nid}/revoke", laurel.nominations.event_types(UUID(nid))

    def revoked(on: str) -> dict[str, str]:
        return {"reason": "Khai không đúng thành tích", "decision_number": "3/QĐ-TH",
                "decision_date": on}

    before_award = assert_problem(await http.post(path, json=revoked("2026-03-02"),
                                                  headers=DECIDER), 422, "invalid-decision-date")
    assert "before the award's decision (2026-03-03)" in before_award["detail"]
    assert_problem(await http.post(path, json=revoked("2026-04-03"), headers=DECIDER),
                   422, "invalid-decision-date")
    assert laurel.nominations.event_types(UUID(nid)) == before
    done = await http.post(path, json=revoked("2026-04-02"), headers=DECIDER)
    assert done.status_code == 200, done.text


async def test_only_the_awards_own_authority_decides(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nid, task = await decision_task(http, laurel)
    path = f"/tasks/{task}/decision"
    before = laurel.nominations.event_types(UUID(nid))
    other = assert_problem(await http.post(path, headers=DECIDER, json=decided(
        "2026-03-03", authority="Chủ tịch nước")), 422, "wrong-authority")
    assert "Thủ trưởng đơn vị" in other["detail"]
    assert laurel.nominations.event_types(UUID(nid)) == before
    # Its English name, in any case and spacing, is the same authority.
    same = await http.post(path, headers=DECIDER, json=decided(
        "2026-03-03", authority="  head of the   UNIT "))
    assert same.status_code == 200, same.text
    project(laurel)
    shown = (await http.get(f"/nominations/{nid}", headers=PROPOSER)).json()
    assert shown["decision"]["authority"] == "Thủ trưởng đơn vị"


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {lower} ", "{plain}",
                                   "{spaced}", "{fullwidth}"])
async def test_a_tracking_code_is_found_however_it_is_typed(
    http: httpx.AsyncClient, laurel: Laurel, typed: str,
) -> None:
    created = (await http.post("/nominations", json=NOMINATION, headers=PROPOSER)).json()
    project(laurel)
    code: str = created["tracking_code"]
    plain = code.replace("-", "")
    as_typed = typed.format(
        code=code, lower=code.lower(), plain=plain.lower(),
        spaced=" ".join([plain[:4], plain[4:8], plain[8:]]).lower(),
        fullwidth="".join(chr(ord(c) + 0xFEE0) for c in plain))
    found = await http.get(f"/track/{as_typed}")
    assert found.status_code == 200, found.text
    assert found.json()["tracking_code"] == code
    # The public may object with the code typed as it comes: it names the nomination
    # (which is not in its public notice, so the objection itself is refused).
    objected = await http.post(f"/nominations/{created['id']}/objections",
                               json={"text": "Thành tích chưa đúng", "tracking_code": as_typed})
    assert_problem(objected, 409, "not-in-public-notice")
    assert_problem(await http.get(f"/track/{plain[:9]}"), 404, "not-found")
    wrong = await http.post(f"/nominations/{created['id']}/objections",
                            json={"text": "Thành tích chưa đúng", "tracking_code": plain[1:]})
    assert_problem(wrong, 404, "not-found")


REFUSED_IN_A_LINE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_text_is_refused_exactly_when_it_holds_a_character_of_a_refused_kind(
    text: str,
) -> None:
    """The check's fast path (printable text passes at once) refuses what the rule says,
    character by character: in one line no control, format or line-separator character;
    in long text tabs and line breaks too, but no other control or bidi override."""
    kept = unicodedata.normalize("NFC", text).strip()
    for lines in (False, True):
        if lines:
            expected = any((unicodedata.category(c) == "Cc" and c not in "\t\n\r")
                           or unicodedata.category(c) == "Cs" or c in BIDI_CONTROLS
                           for c in kept)
        else:
            expected = any(unicodedata.category(c) in REFUSED_IN_A_LINE for c in kept)
        try:
            assert _checked(text, required=False, lines=lines) == kept
            refused = False
        except PydanticCustomError as error:
            assert error.type == "forbidden_character"
            refused = True
        assert refused == expected, (text, lines)
