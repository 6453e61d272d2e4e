"""Emulation clusters driven for a test through ``Nominations.handle``: a cluster of
three wards of Vị Thanh led by Phường I, defined by the province's board, put in each
state its routes act on; the body each route takes; and units entered in the register and
registered for the provincial flag (without which no flag is proposed for them)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from domain.cluster import Criterion
from domain.clusters import (
    CriterionAssessed,
    DefineCluster,
    PublishCriteria,
    PublishRanking,
    ScoreMembers,
    SelfAssess,
    SignPact,
)
from domain.commands import (
    ClusterChanged,
    Command,
    Context,
    DocumentStored,
    RegisterPerson,
    UploadDocument,
)
from domain.person import collective_id
from domain.registrations import RegisterTitles
from infrastructure.container import Laurel
from infrastructure.files import put_stream
from projections.projector import Projector
from tests.support.people import person

LEADER, MEMBER, BOARD = "hg.vi-thanh.phuong-1", "hg.vi-thanh.phuong-3", "hg"
MEMBERS = (LEADER, MEMBER, "hg.vi-thanh.xa-vi-tan")
CRITERIA = [{"code": "TC1", "name": "Hoàn thành nhiệm vụ", "max_points": 40},
            {"code": "TC2", "name": "Cải cách hành chính", "max_points": 30}]
POINTS = {LEADER: {"TC1": 30, "TC2": 20}, MEMBER: {"TC1": 35, "TC2": 25},
          MEMBERS[2]: {"TC1": 25, "TC2": 25}}
CLUSTER_STATES = ("cluster_none", "cluster_defined", "cluster_pact", "cluster_assessing",
                  "cluster_assessed", "cluster_scored", "cluster_ranked")
"""In order: no cluster yet (its board's units named), defined, its pact signed, its
criteria published, every member assessed, every step scored, its ranking published."""
PDF = b"%PDF-1.7\n" + "Giao ước thi đua\n".encode() * 50 + b"%%EOF\n"
_codes = itertools.count(1)


def cluster_in(laurel: Laurel, state: str) -> dict[str, str]:
    """A new cluster in ``state``, projected: its id, a document of its leader, and the
    units who act on it (``leader``, ``member``, ``board``)."""
    values = {"leader": LEADER, "member": MEMBER, "board": BOARD, "proposing": LEADER,
              "code": f"CUM-{next(_codes)}"}
    app, now = laurel.nominations, datetime.now(UTC)

    def give(command: Command, role: str, unit: str) -> Any:
        return app.handle(command, Context(person(role, unit), now))

    stored = put_stream(laurel.files, [PDF])
    document = give(UploadDocument(stored.sha256, stored.size, "application/pdf",
                                   "giao-uoc.pdf"), "proposer", LEADER)
    assert isinstance(document, DocumentStored)
    values["document_id"] = str(document.document_id)
    if state != "cluster_none":
        defined = give(DefineCluster(values["code"], "Cụm các phường, xã", "cluster",
                                     now.year, MEMBERS, LEADER), "reviewer", BOARD)
        assert isinstance(defined, ClusterChanged)
        cluster_id = defined.cluster_id
        values["cluster_id"] = str(cluster_id)
        done = CLUSTER_STATES.index(state)
        if done > 1:
            give(SignPact(cluster_id, values["document_id"], "2026-01-15"), "proposer", LEADER)
        if done > 2:
            give(PublishCriteria(cluster_id, tuple(Criterion(**c) for c in CRITERIA)),
                 "proposer", LEADER)
        if done > 3:
            for unit, points in POINTS.items():
                give(SelfAssess(cluster_id, tuple(CriterionAssessed(code, p)
                                                  for code, p in points.items())),
                     "proposer", unit)
        if done > 4:
            give(ScoreMembers(cluster_id, POINTS), "reviewer", LEADER)
            give(ScoreMembers(cluster_id, POINTS), "reviewer", BOARD)
        if done > 5:
            give(PublishRanking(cluster_id), "reviewer", BOARD)
            registered_for_the_flag(laurel, [MEMBER])  # ranked first
    Projector(laurel.engine, laurel.log).catch_up()
    return values


FLAG = "co-thi-dua-tinh"


def registered_for_the_flag(laurel: Laurel, units: list[str]) -> dict[str, str]:
    """Each unit entered in the register as a collective (its own name) and registered for
    the provincial flag this year, by its clerk, as a unit does at the start of the year;
    unit → its id in the register. Entered once, however often asked."""
    app, now = laurel.nominations, datetime.now(UTC)
    entered = {}
    for unit in units:
        clerk = Context(person("proposer", unit), now)
        key = collective_id(unit, "")
        if app.candidates.person(str(key)) is None:
            app.handle(RegisterPerson(kind="collective",
                                      name=laurel.policy.org.get(unit).name), clerk)
        app.handle(RegisterTitles(key, now.year, (FLAG,)), clerk)
        entered[unit] = str(key)
    return entered


def cluster_body(path: str, values: dict[str, str]) -> dict[str, Any] | None:
    """The body each of the clusters' commands takes, for the cluster ``values`` names."""
    if path == "/clusters":
        return {"code": values["code"], "name": "Cụm các phường, xã", "kind": "cluster",
                "year": datetime.now(UTC).year, "members": list(MEMBERS), "leader": LEADER}
    return {
        "pact": {"document_id": values.get("document_id", ""), "signed_on": "2026-01-15"},
        "criteria": {"criteria": CRITERIA},
        "self-assessments": {"items": [{"criterion": code, "points": p}
                                       for code, p in POINTS[MEMBER].items()]},
        "scores": {"points": POINTS},
        "ranking": {},
        "flag-proposal": {},
    }.get(path.rsplit("/", 1)[-1])
