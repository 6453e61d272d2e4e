"""Object-level authorization, generated from the OpenAPI document: every operation on
one nomination or task, called by every role from another unit, finds nothing there
(404) or is refused for the role (403) — never an answer that shows the object, never a
change (OWASP API1, BOLA). Every operation called without a token is 401, but for the
public ones. In the unit that holds the object, each role may do exactly its part
(CASES): the allowed roles succeed, the others get 403 (API5) or, where the object is
not theirs to see, 404. A new route joins the matrix by itself and fails the test until
it is given a body and its allowed roles below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx

from api.app import create_app
from domain.actor import PUBLIC as PUBLIC_ACTOR
from domain.commands import (
    Context,
    DecisionItem,
    DecisionRecorded,
    DocumentStored,
    InitiativeChanged,
    IssueCertificate,
    LodgeObjection,
    MovementChanged,
    Objected,
    PersonChanged,
    RecordDecision,
    RecordFact,
    RegisterInitiative,
    UploadDocument,
)
from domain.inside_level import Appraise, LevelWork
from domain.movements import LaunchMovement
from domain.registrations import RegisterTitles
from domain.vocabulary import AppraisalConclusion
from infrastructure.container import Laurel
from infrastructure.files import put_stream
from projections.projector import Projector
from tests.support.clusters import CLUSTER_STATES, cluster_body, cluster_in
from tests.support.commands import decide, lodge_objection, propose, register_person, review
from tests.support.nominations import (
    NOMINATION,
    TALLY,
    at_council,
    day_in_vietnam,
    nomination_with_open_review,
)
from tests.support.people import person, token
from tests.support.problems import assert_problem

FOREIGN = "hg.nga-bay.xa-dai-thanh"  # a commune of another district
ROLES = ("proposer", "reviewer", "decider", "auditor", "admin")
"""The roles held in a unit. An administrator reaches the units below its own, like a
reviewer (``api.reads.access``; a revocation by an administrator is recorded as such)."""
PUBLIC = {("GET", "/track/{tracking_code}"), ("GET", "/org-units"), ("GET", "/awards"),
          ("GET", "/policy"), ("GET", "/policy/versions"), ("GET", "/public-notices"),
          ("GET", "/problems/{code}"), ("GET", "/healthz"), ("GET", "/readyz"),
          # anyone may object during a public notice, with the published tracking code,
          # and confirm it with the code e-mailed to them (the objection's id and the code
          # are the proof)
          ("POST", "/nominations/{nomination_id}/objections"),
          ("POST", "/nominations/{nomination_id}/objections/{objection_id}/confirmation"),
          # a certificate's verification and the register of results are for everyone
          ("GET", "/verify/{code}"), ("GET", "/public/awards")}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/nominations/{nomination_id}/supplement"):
        {"documents": [{"title": "Báo cáo thành tích bổ sung", "kind": "other"}]},
    ("POST", "/nominations/{nomination_id}/withdraw"): {"reason": "Rút hồ sơ"},
    ("POST", "/nominations/{nomination_id}/objections/{objection_id}/resolution"):
        {"outcome": "dismissed", "note": ""},
    ("POST", "/nominations/{nomination_id}/revoke"):
        {"reason": "Gian dối", "decision_number": "9/QĐ", "decision_date": day_in_vietnam()},
    ("POST", "/tasks/{task_id}/review"): {"outcome": "approve", "votes": TALLY},
    ("POST", "/tasks/{task_id}/assign"): {"assignee": None},  # a claim for oneself
    ("POST", "/tasks/{task_id}/decision"):
        {"outcome": "awarded", "decision_number": "1/QĐ", "decision_date": day_in_vietnam(),
         "signer": "Chủ tịch"},
    ("POST", "/decisions"):
        {"decision_number": "2/QĐ", "decision_date": day_in_vietnam(), "signer": "Chủ tịch",
         "items": [{"task_id": "00000000-0000-4000-8000-000000000000", "outcome": "awarded"}]},
    ("POST", "/people/{person_id}/transfers"):
        {"to_unit": "hg.vi-thanh.phuong-3", "on": "2025-09-01"},
    ("POST", "/people/{person_id}/awards"):
        {"award_code": "lao-dong-tien-tien", "year": 2022, "decision_number": "3/QĐ",
         "decision_date": "2023-01-10", "issuer": "UBND phường"},
    ("POST", "/people/{person_id}/facts"):
        {"fact": "discipline", "start": "2025-03-01", "evidence": "QĐ 45/QĐ-UBND"},
    ("POST", "/people/{person_id}/facts/{fact_id}/end"):
        {"end": "2025-09-01", "evidence": "QĐ 90/QĐ-UBND"},
    ("POST", "/people/{person_id}/service"): {"start": "2010-09-01", "evidence": "QĐ 7"},
    ("POST", "/people/{person_id}/corrections"):
        {"changes": {"position": "Tổ trưởng chuyên môn"}, "reason": "Bổ nhiệm"},
    ("POST", "/nominations/{nomination_id}/certificate/reissue"): {"reason": "Bị mất"},
    ("POST", "/tasks/{task_id}/appraisal"): {"conclusion": "eligible",
                                             "documents_complete": True},
    ("POST", "/tasks/{task_id}/sign-off"): {"agreed": True},
    ("POST", "/tasks/{task_id}/consultations/{agency}"): {"answer": "agrees"},
    ("POST", "/movements/{movement_id}/close"): {"result": "Tổng kết"},
}
DECISION_NUMBERS = iter(range(100, 10_000))
"""Each decision recorded here has a number of its own in the register."""
REGISTERED = iter(range(1000, 10_000))
"""Each person registered here has a national ID of their own."""


def registered(laurel: Laurel, unit: str = "hg.vi-thanh.phuong-1") -> dict[str, str]:
    """A woman of ``unit`` in the register, projected; her id and national ID."""
    national_id = f"093185{next(REGISTERED):06d}"
    person_id = register_person(laurel.nominations, person("proposer", unit),
                                at=datetime.now(UTC), name="Lê Thị Mai",
                                national_id=national_id, birth_date="1985-03-03",
                                gender="female")
    fact_id = laurel.nominations.handle(RecordFact(
        person_id, "investigation", "2025-02-01", "", "QĐ 3"),
        Context(person("proposer", unit), datetime.now(UTC)))
    assert isinstance(fact_id, PersonChanged)
    initiative = laurel.nominations.handle(RegisterInitiative(
        "Sổ tay điện tử", (person_id,), "2025-05-05", "QĐ 5/QĐ-HĐSK"),
        Context(person("proposer", unit), datetime.now(UTC)))
    assert isinstance(initiative, InitiativeChanged)
    Projector(laurel.engine, laurel.log).catch_up()
    return {"person_id": str(person_id), "national_id": national_id,
            "fact_id": fact_id.fact_id, "initiative_id": str(initiative.initiative_id)}


PDF = b"%PDF-1.7\nTo trinh\n%%EOF\n"


def a_document(laurel: Laurel, unit: str = "hg.vi-thanh.phuong-1") -> str:
    """A document of ``unit``, its file in the store: its id."""
    stored = put_stream(laurel.files, [PDF])
    uploaded = laurel.nominations.handle(
        UploadDocument(stored.sha256, stored.size, "application/pdf", "to-trinh.pdf"),
        Context(person("proposer", unit), datetime.now(UTC)))
    assert isinstance(uploaded, DocumentStored)
    return str(uploaded.document_id)


def a_new_person() -> dict[str, str]:
    """The body of a registration no one made before."""
    return {"name": "Phạm Văn Bình", "national_id": f"093090{next(REGISTERED):06d}",
            "birth_date": "1990-05-05", "gender": "male"}


def operations(laurel: Laurel) -> list[tuple[str, str]]:
    """Every operation the API documents."""
    paths = create_app(laurel=laurel).openapi()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def on_one_object(path: str) -> bool:
    return any(f"{{{name}}}" in path
               for name in ("nomination_id", "task_id", "person_id", "initiative_id",
                            "document_id"))


async def test_no_role_of_another_unit_reaches_a_nomination_or_its_task(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    created = await nomination_with_open_review(http, laurel)
    values = {"nomination_id": created["id"], "task_id": created["task_id"],
              "objection_id": "00000000-0000-4000-8000-000000000000",
              **registered(laurel), "document_id": a_document(laurel), "agency": "cuc-thue"}
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
              "tracking_code": created["tracking_code"], "code": "task-closed",
              "person_id": "00000000-0000-4000-8000-000000000000",
              "fact_id": "00000000-0000-4000-8000-000000000000",
              "initiative_id": "00000000-0000-4000-8000-000000000000",
              "document_id": "00000000-0000-4000-8000-000000000000",
              "decision_id": "00000000-0000-4000-8000-000000000000",
              "proposal_id": created["id"], "unit_id": "hg", "agency": "cuc-thue",
              "movement_id": "00000000-0000-4000-8000-000000000000",
              "cluster_id": "00000000-0000-4000-8000-000000000000"}
    for method, path in operations(laurel):
        if (method, path) in PUBLIC:
            continue
        response = await http.request(method, path.format(**values),
                                      json=BODIES.get((method, path), {}) if method != "GET"
                                      else None)
        assert_problem(response, 401, "unauthenticated")


# -- the own-unit half: each role of the unit holding the object may do exactly its part --

PROVINCE = "hg"
OWN = "hg.vi-thanh.phuong-1"
UNANIMOUS = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}
NONE_FOR = {"members": 5, "present": 5, "for": 0, "against": 5, "abstain": 0}
EVERYONE = frozenset(ROLES)
AUDITORS = frozenset({"auditor", "admin"})
KEEPERS = frozenset({"proposer", "admin"})
"""Who keeps the register of a unit."""


@dataclass(frozen=True)
class Case:
    """An operation, the state its object is put in first, and the roles it allows."""

    state: str
    holder: str
    """Which unit's people act: the proposing unit, the task's, the notice's or the
    deciding unit's."""
    allowed: frozenset[str]
    body: dict[str, Any] | None = None
    query: dict[str, str] | None = None
    unseen: frozenset[str] = frozenset()
    """Roles to whom the object does not exist (404): a proposer sees only the
    nominations of their own unit, not those it reviews above it."""


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/nominations"): Case("none", "proposing", frozenset({"proposer"}), NOMINATION),
    ("POST", "/proposals"):
        Case("none", "proposing", frozenset({"proposer"}), {"items": [NOMINATION]}),
    ("GET", "/nominations"): Case("none", "proposing", EVERYONE),
    ("GET", "/nominations/{nomination_id}"): Case("in_review", "proposing", EVERYONE),
    ("GET", "/nominations/{nomination_id}/history"): Case("in_review", "proposing", EVERYONE),
    ("GET", "/nominations/{nomination_id}/eligibility"): Case("in_review", "proposing", EVERYONE),
    ("POST", "/nominations/{nomination_id}/supplement"):
        Case("returned", "proposing", frozenset({"proposer"})),
    ("POST", "/nominations/{nomination_id}/withdraw"):
        Case("in_review", "proposing", frozenset({"proposer"})),
    # Signed in or not, anyone may object during the public notice.
    ("POST", "/nominations/{nomination_id}/objections"):
        Case("objected", "notice", EVERYONE, {"text": "Thành tích chưa đúng"}),
    ("POST", "/nominations/{nomination_id}/objections/{objection_id}/resolution"):
        Case("objected", "notice", frozenset({"reviewer"}), unseen=frozenset({"proposer"})),
    # Whoever holds the code sent to the objector's address confirms it, signed in or not.
    ("POST", "/nominations/{nomination_id}/objections/{objection_id}/confirmation"):
        Case("awaiting_code", "notice", EVERYONE),
    ("POST", "/objections/dismissal"):
        Case("objected", "notice", frozenset({"reviewer"}), unseen=frozenset({"proposer"})),
    ("POST", "/nominations/{nomination_id}/revoke"):
        Case("awarded", "deciding", frozenset({"decider", "admin"}),
             unseen=frozenset({"proposer"})),
    ("GET", "/tasks"): Case("in_review", "task", frozenset({"reviewer", "decider"})),
    ("GET", "/tasks/{task_id}"): Case("in_review", "task", frozenset({"reviewer"})),
    ("POST", "/tasks/{task_id}/review"): Case("in_review", "task", frozenset({"reviewer"})),
    ("POST", "/tasks/bulk-review"): Case("in_review", "task", frozenset({"reviewer"})),
    ("POST", "/tasks/{task_id}/decision"):
        Case("awaiting_decision", "deciding", frozenset({"decider"})),
    # A decision as a record: the deciding unit's decider gives it; whoever sees one of
    # its nominations reads it. The paperwork is read like the nominations it is of.
    ("POST", "/decisions"): Case("awaiting_decision", "deciding", frozenset({"decider"})),
    # a reviewer claims a review task; the unit's head (decider, administrator) too
    ("POST", "/tasks/{task_id}/assign"):
        Case("in_review", "task", frozenset({"reviewer", "decider", "admin"})),
    # Inside the province before its council: the board's secretary records the agencies'
    # answers, its specialist appraises; only the head the policy names signs the
    # appraisal off (truongban.tinh in the demo), no role of the unit as such.
    ("POST", "/tasks/{task_id}/consultations/{agency}"):
        Case("consulting", "notice", frozenset({"reviewer"})),
    ("POST", "/tasks/{task_id}/appraisal"):
        Case("appraising", "notice", frozenset({"reviewer"})),
    ("POST", "/tasks/{task_id}/sign-off"): Case("appraised", "notice", frozenset()),
    # Movements: launched and closed by the unit's clerk, secretary, head or administrator,
    # read by everyone it concerns; registrations kept by the register's keepers.
    ("POST", "/movements"): Case("none", "proposing", EVERYONE - {"auditor"}),
    ("GET", "/movements"): Case("none", "proposing", EVERYONE),
    ("GET", "/movements/{movement_id}"): Case("movement", "proposing", EVERYONE),
    ("POST", "/movements/{movement_id}/close"):
        Case("movement", "proposing", EVERYONE - {"auditor"}),
    ("POST", "/registrations"): Case("person", "proposing", KEEPERS),
    ("POST", "/registrations/withdrawal"): Case("registered", "proposing", KEEPERS),
    ("GET", "/registrations"): Case("none", "proposing", EVERYONE),
    # Clusters: the province's board (council secretary) or administrator defines one and
    # publishes its ranking; the leader unit's clerk or secretary records the pact, the
    # criteria and its scores, its clerk proposes the flag; a member's clerk assesses it.
    ("POST", "/clusters"): Case("cluster_none", "board", frozenset({"reviewer", "admin"})),
    ("GET", "/clusters"): Case("none", "proposing", EVERYONE),
    ("GET", "/clusters/{cluster_id}"): Case("cluster_defined", "leader", EVERYONE),
    ("POST", "/clusters/{cluster_id}/pact"):
        Case("cluster_defined", "leader", frozenset({"proposer", "reviewer"})),
    ("POST", "/clusters/{cluster_id}/criteria"):
        Case("cluster_pact", "leader", frozenset({"proposer", "reviewer"})),
    ("POST", "/clusters/{cluster_id}/self-assessments"):
        Case("cluster_assessing", "member", frozenset({"proposer"})),
    ("POST", "/clusters/{cluster_id}/scores"):
        Case("cluster_assessed", "leader", frozenset({"proposer", "reviewer"})),
    ("POST", "/clusters/{cluster_id}/ranking"):
        Case("cluster_scored", "board", frozenset({"reviewer"})),
    ("POST", "/clusters/{cluster_id}/flag-proposal"):
        Case("cluster_ranked", "leader", frozenset({"proposer"})),
    # A council's roster: everyone of the unit reads it (the units below do not).
    ("GET", "/councils/{unit_id}"): Case("in_review", "deciding", EVERYONE),
    ("POST", "/delegations"):
        Case("none", "proposing", frozenset({"reviewer", "decider", "admin"}),
             {"to": "someone-else", "until": "2099-01-01T00:00:00+07:00"}),
    ("GET", "/decisions/{decision_id}"): Case("decided", "proposing", EVERYONE),
    ("GET", "/decisions/{decision_id}/pdf"): Case("decided", "proposing", EVERYONE),
    ("GET", "/proposals/{proposal_id}/pdf"): Case("in_review", "proposing", EVERYONE),
    ("GET", "/nominations/{nomination_id}/minutes/{task_id}"):
        Case("reviewed", "proposing", EVERYONE),
    ("GET", "/audit/verify"): Case("none", "proposing", AUDITORS),
    ("GET", "/audit/export"): Case("none", "proposing", AUDITORS,
                                   query={"from": "2026-01-01", "to": "2026-12-31"}),
    ("GET", "/audit/nominations/{nomination_id}"): Case("in_review", "proposing", AUDITORS),
    # The year's reports: anyone, of the units they may see (their own, by default).
    ("GET", "/reports/statistics"): Case("none", "proposing", EVERYONE),
    ("GET", "/reports/awarded-list"): Case("none", "proposing", EVERYONE),
    ("GET", "/reports/processing-times"): Case("none", "proposing", EVERYONE),
    ("GET", "/audit/nominations/{nomination_id}/history"):
        Case("in_review", "proposing", AUDITORS),
    # The register: its unit's clerk (or an administrator of it or above) keeps it.
    ("POST", "/people"): Case("none", "proposing", KEEPERS),
    ("GET", "/people"): Case("none", "proposing", EVERYONE),
    ("GET", "/people/{person_id}"): Case("person", "proposing", EVERYONE),
    ("POST", "/people/{person_id}/transfers"): Case("person", "proposing", KEEPERS),
    ("POST", "/people/{person_id}/corrections"): Case("person", "proposing", KEEPERS),
    ("POST", "/people/{person_id}/awards"): Case("person", "proposing", KEEPERS),
    ("GET", "/people/{person_id}/awards"): Case("person", "proposing", EVERYONE),
    ("POST", "/people/awards/import"): Case("person", "proposing", KEEPERS),
    # What eligibility is decided on: the same keepers record it.
    ("POST", "/people/{person_id}/facts"): Case("person", "proposing", KEEPERS),
    ("POST", "/people/{person_id}/facts/{fact_id}/end"): Case("person", "proposing", KEEPERS),
    ("POST", "/people/{person_id}/service"): Case("person", "proposing", KEEPERS),
    ("POST", "/initiatives"): Case("person", "proposing", KEEPERS),
    ("GET", "/initiatives"): Case("none", "proposing", EVERYONE),
    ("GET", "/initiatives/{initiative_id}"): Case("person", "proposing", EVERYONE),
    # Files of the dossier: whoever acts on a unit's dossiers adds them; everyone who may
    # read its dossiers reads them (an inspector reads, never adds).
    ("POST", "/documents"): Case("none", "proposing", EVERYONE - {"auditor"}),
    ("GET", "/documents/{document_id}"): Case("document", "proposing", EVERYONE),
    # Certificates: whoever sees the awarded nomination prints it (the first issues it);
    # a lost one is reissued by the deciding unit's decider, or an administrator.
    ("GET", "/nominations/{nomination_id}/certificate"): Case("awarded", "proposing", EVERYONE),
    ("POST", "/nominations/{nomination_id}/certificate/reissue"):
        Case("certified", "deciding", frozenset({"decider", "admin"}),
             unseen=frozenset({"proposer"})),
}


def put_in_state(laurel: Laurel, state: str) -> dict[str, str]:
    """A new nomination of the own unit driven to ``state`` through the application, as
    the workflow and councils would; the ids and units an operation on it needs."""
    if state == "person":
        return {"proposing": OWN, **registered(laurel, OWN)}
    if state == "registered":
        values = {"proposing": OWN, **registered(laurel, OWN)}
        laurel.nominations.handle(RegisterTitles(
            UUID(values["person_id"]), datetime.now(UTC).year + 1, ("co-thi-dua-tinh",)),
            Context(person("proposer", OWN), datetime.now(UTC)))
        return values
    if state == "movement":
        launched = laurel.nominations.handle(LaunchMovement(
            "Thi đua đổi mới", f"{next(DECISION_NUMBERS)}/QĐ-UBND", day_in_vietnam(), (OWN,),
            "2026-01-01", "2026-12-31", ("giay-khen",), "2026-01-01", "2099-12-31"),
            Context(person("proposer", OWN), datetime.now(UTC)))
        assert isinstance(launched, MovementChanged)
        Projector(laurel.engine, laurel.log).catch_up()
        return {"proposing": OWN, "movement_id": str(launched.movement_id)}
    if state in CLUSTER_STATES:
        return cluster_in(laurel, state)
    if state in ("consulting", "appraising", "appraised"):
        return _inside_the_province(laurel, state)
    if state == "document":
        return {"proposing": OWN, "document_id": a_document(laurel, OWN)}
    now = datetime.now(UTC)
    award = "bang-khen-thu-tuong" if state in ("objected", "awaiting_code") else "bang-khen-tinh"
    proposal = propose(
        laurel.nominations, person("proposer", OWN), award_code=award,
        nominee={"name": "Lê Văn Tám", "kind": "individual"},
        achievements="", documents=[], procedure="standard", at=now)
    nomination_id = proposal.id
    route = laurel.policy.plan_route(award, OWN, "individual")
    values = {"nomination_id": str(nomination_id), "tracking_code": proposal.tracking_code,
              "proposing": OWN, "task": OWN, "notice": route.reviews[-1].unit_id,
              "deciding": route.decision.unit_id, "proposal_id": str(nomination_id)}
    for step, level in enumerate(route.reviews):
        task = laurel.nominations.open_review(nomination_id, step, now)
        assert task is not None
        values["task_id"] = task.task_id
        if state == "in_review":
            break
        review(laurel.nominations, nomination_id, task.task_id, person("reviewer", level.unit_id),
               outcome="return" if state == "returned" else "approve",
               votes=at_council(laurel, level.unit_id,
                                NONE_FOR if state == "returned" else UNANIMOUS, now),
               note="", at=now)
        if state == "returned":
            break
    if state == "objected":
        laurel.nominations.open_public_notice(nomination_id, now)
        values["objection_id"] = lodge_objection(
            laurel.nominations, nomination_id, PUBLIC_ACTOR, text="Chưa đúng", contact="", at=now)
    if state == "awaiting_code":  # lodged without an account; its code sent to its author
        laurel.nominations.open_public_notice(nomination_id, now)
        lodged = laurel.nominations.handle(
            LodgeObjection(nomination_id, "Chưa đúng", "dan@example.vn"),
            Context(PUBLIC_ACTOR, now))
        assert isinstance(lodged, Objected) and lodged.code
        values["objection_id"], values["code"] = lodged.objection_id, lodged.code
    if state in ("awaiting_decision", "awarded", "decided", "certified"):
        task = laurel.nominations.open_decision(nomination_id, now)
        assert task is not None
        values["task_id"] = task.task_id
    if state == "decided":  # by a decision record, its number the next of the register
        recorded = laurel.nominations.handle(RecordDecision(
            (DecisionItem(nomination_id, values["task_id"], "awarded"),),
            f"{next(DECISION_NUMBERS)}/QĐ-UBND", day_in_vietnam(now), "Chủ tịch"),
            Context(person("decider", values["deciding"]), now))
        assert isinstance(recorded, DecisionRecorded)
        values["decision_id"] = str(recorded.decision_id)
    if state in ("awarded", "certified"):
        decide(laurel.nominations, nomination_id, values["task_id"],
               person("decider", values["deciding"]), outcome="awarded",
               decision_number="5/QĐ", decision_date=day_in_vietnam(now),
               signer="Chủ tịch", at=now)
    if state == "certified":  # its certificate issued, then lost
        laurel.nominations.handle(IssueCertificate(nomination_id),
                                  Context(person("proposer", OWN), now))
    Projector(laurel.engine, laurel.log).catch_up()
    return values


def _inside_the_province(laurel: Laurel, state: str) -> dict[str, str]:
    """A Labour Order of the own unit at the province, its agencies asked (``consulting``),
    their time lapsed and the dossier's appraisal open (``appraising``), then appraised
    by the board's specialist (``appraised``)."""
    now = datetime.now(UTC)
    award = "huan-chuong-lao-dong-hang-ba"
    nomination_id = propose(
        laurel.nominations, person("proposer", OWN), award_code=award,
        nominee={"name": "Lê Văn Tám", "kind": "individual"}, achievements="", documents=[],
        at=now).id
    route = laurel.policy.plan_route(award, OWN, "individual")
    for step, level in enumerate(route.reviews[:-1]):
        task = laurel.nominations.open_review(nomination_id, step, now)
        assert task is not None
        review(laurel.nominations, nomination_id, task.task_id,
               person("reviewer", level.unit_id), outcome="approve",
               votes=at_council(laurel, level.unit_id, UNANIMOUS, now), note="", at=now)
    province, last = route.reviews[-1].unit_id, len(route.reviews) - 1
    work = LevelWork(laurel.nominations)
    opened = work.open_consultation(nomination_id, last, now)
    assert opened is not None
    if state != "consulting":
        assert work.lapse_consultation(nomination_id, opened.task_id,
                                       now + timedelta(days=30)) is None
        opened = work.open_appraisal(nomination_id, last, 0, now + timedelta(days=30))
        assert opened is not None
    if state == "appraised":
        laurel.nominations.handle(Appraise(nomination_id, opened.task_id,
                                           AppraisalConclusion.ELIGIBLE, True),
                                  Context(person("reviewer", province), now))
    Projector(laurel.engine, laurel.log).catch_up()
    return {"nomination_id": str(nomination_id), "task_id": opened.task_id,
            "proposing": OWN, "notice": province, "agency": "cuc-thue"}


def test_every_operation_is_in_the_own_unit_matrix(laurel: Laurel) -> None:
    unlisted = [op for op in operations(laurel) if op not in PUBLIC and op not in CASES]
    assert not unlisted, f"say which roles may do these: {unlisted}"


async def test_each_role_of_the_holding_unit_does_exactly_its_part(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    for (method, path), case in CASES.items():
        for role in ROLES:
            values = put_in_state(laurel, case.state) if case.state != "none" else {
                "proposing": OWN}
            body = case.body or BODIES.get((method, path))
            if path == "/decisions":
                body = {**BODIES[(method, path)], "items": [
                    {"task_id": values["task_id"], "outcome": "awarded"}]}
            if path == "/councils/{unit_id}":
                values = {**values, "unit_id": values[case.holder]}
            if path == "/tasks/bulk-review":
                body = {"items": [{"task_id": values["task_id"], "outcome": "approve",
                                   "votes": TALLY}]}
            if path == "/objections/dismissal":
                body = {"items": [{"nomination_id": values["nomination_id"],
                                   "objection_id": values["objection_id"]}], "abuse": True}
            if path.endswith("/confirmation"):
                body = {"code": values["code"]}
            if path == "/people":
                body = a_new_person()
            if (method, path) == ("POST", "/movements"):
                body = {"name": "Thi đua đổi mới", "scope": [OWN],
                        "decision_number": f"{next(DECISION_NUMBERS)}/QĐ-UBND",
                        "decision_date": day_in_vietnam(), "period_from": "2026-01-01",
                        "period_to": "2026-12-31", "award_codes": ["giay-khen"],
                        "dossier_from": "2026-01-01", "dossier_until": "2099-12-31"}
            if method == "POST" and path.startswith("/registrations"):
                body = {"person_id": values["person_id"], "year": datetime.now(UTC).year + 1,
                        "award_codes": ["co-thi-dua-tinh"]} if path == "/registrations" else {
                    "person_id": values["person_id"], "year": datetime.now(UTC).year + 1,
                    "award_code": "co-thi-dua-tinh", "reason": "Nhầm"}
            if (method, path) == ("POST", "/initiatives"):
                body = {"title": "Phần mềm quản lý", "authors": [values["person_id"]],
                        "recognised_on": "2025-06-10", "recognition": "QĐ 12/QĐ-HĐSK"}
            if method == "POST" and path.startswith("/clusters"):
                body = cluster_body(path, values)
            files = None
            if path == "/people/awards/import":
                body, files = None, {"file": ("lich-su.csv", (
                    "Họ và tên,Số CCCD,Danh hiệu/Hình thức,Năm,Số quyết định,Ngày quyết định,"
                    f"Cơ quan ban hành\nLê Thị Mai,{values['national_id']},Lao động tiên tiến,"
                    "2022,4/QĐ,10/01/2023,UBND phường\n").encode())}
            if (method, path) == ("POST", "/documents"):
                body, files = None, {"file": ("to-trinh.pdf", PDF)}
            before = laurel.log.last_position()
            response = await http.request(
                method, path.format(**values), json=body if method != "GET" else None,
                files=files, params=case.query,
                headers=token(f"{role}-own", role, unit=values[case.holder]))
            if role in case.allowed:
                assert response.status_code < 300, (method, path, role, response.text)
                continue
            if role in case.unseen:
                assert_problem(response, 404, "not-found")
            else:
                assert_problem(response, 403, "wrong-role")
            assert laurel.log.last_position() == before, (method, path, role)
