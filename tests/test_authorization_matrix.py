"""Object-level authorization, generated from the OpenAPI document: every operation on
one nomination or task, called by every role from another unit, finds nothing there
(404) or is refused for the role (403) — never an answer that shows the object, never a
change (OWASP API1, BOLA). Every operation called without a token is 401, but for the
public ones. A new route joins the matrix by itself; one on a nomination or a task must
be given a valid body below, or this test fails."""

from __future__ import annotations

from typing import Any

import httpx

from api.app import create_app
from laurel.bootstrap import Laurel
from tests.conftest import token
from tests.test_api import TALLY, assert_problem, nomination_with_open_review

FOREIGN = "hg.nga-bay.xa-dai-thanh"  # a commune of another district
ROLES = ("proposer", "reviewer", "decider", "auditor")
"""The roles held in a unit. The administrator's reach is the whole province by design
(``api.access``; a revocation by an administrator is recorded as such)."""
PUBLIC = {("GET", "/track/{tracking_code}"), ("GET", "/org-units"), ("GET", "/awards"),
          ("GET", "/policy"), ("GET", "/policy/versions"), ("GET", "/public-notices"),
          ("GET", "/problems/{code}"), ("GET", "/healthz"), ("GET", "/readyz"),
          # anyone may object during a public notice, with the published tracking code
          ("POST", "/nominations/{nomination_id}/objections")}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/nominations/{nomination_id}/supplement"):
        {"documents": [{"title": "Báo cáo thành tích bổ sung", "kind": "other"}]},
    ("POST", "/nominations/{nomination_id}/withdraw"): {"reason": "Rút hồ sơ"},
    ("POST", "/nominations/{nomination_id}/objections/{objection_id}/resolution"):
        {"outcome": "dismissed", "note": ""},
    ("POST", "/nominations/{nomination_id}/revoke"):
        {"reason": "Gian dối", "decision_number": "9/QĐ", "decision_date": "2026-02-01"},
    ("POST", "/tasks/{task_id}/review"): {"outcome": "approve", "votes": TALLY},
    ("POST", "/tasks/{task_id}/decision"):
        {"outcome": "awarded", "decision_number": "1/QĐ", "decision_date": "2026-02-01",
         "signer": "Chủ tịch"},
}


def operations(laurel: Laurel) -> list[tuple[str, str]]:
    """Every operation the API documents."""
    paths = create_app(laurel=laurel).openapi()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def on_one_object(path: str) -> bool:
    return "{nomination_id}" in path or "{task_id}" in path


async def test_no_role_of_another_unit_reaches_a_nomination_or_its_task(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    created = await nomination_with_open_review(http, laurel)
    values = {"nomination_id": created["id"], "task_id": created["task_id"],
              "objection_id": "00000000-0000-4000-8000-000000000000"}
    before = laurel.log.last_position()
    checked = 0
    for method, path in operations(laurel):
        if not on_one_object(path) or (method, path) in PUBLIC:
            continue
        body = BODIES.get((method, path)) if method != "GET" else None
        assert method == "GET" or body is not None, f"give {method} {path} a body above"
        url = path.format(**values)
        for role in ROLES:
            response = await http.request(method, url, json=body,
                                          headers=token(f"{role}-x", role, unit=FOREIGN))
            assert response.status_code in (403, 404), (method, path, role, response.text)
            assert_problem(response, response.status_code, response.json()["type"].rsplit(
                "/", 1)[-1])
            checked += 1
    assert checked >= 9 * len(ROLES)
    assert laurel.log.last_position() == before  # and nothing was recorded


async def test_without_a_token_only_the_public_operations_answer(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    created = await nomination_with_open_review(http, laurel)
    values = {"nomination_id": created["id"], "task_id": created["task_id"],
              "objection_id": "00000000-0000-4000-8000-000000000000",
              "tracking_code": created["tracking_code"], "code": "task-closed"}
    for method, path in operations(laurel):
        if (method, path) in PUBLIC:
            continue
        response = await http.request(method, path.format(**values),
                                      json=BODIES.get((method, path), {}) if method != "GET"
                                      else None)
        assert_problem(response, 401, "unauthenticated")
