"""``laurel bench --only verification``: the public verification of a certificate.

Certificates issued for awarded nominations (through the application's commands, as the
API gives them), then ``GET /verify/{code}`` (JSON) and its page (``/ui/verify/{code}``)
through the API as its own process, one request at a time over a keep-alive
connection, each beside a bare ``SELECT`` of the nomination's read-model row by primary
key. Goal: p99 ≤ 50 ms. The throttle is opened wide: this measures the page, not the
429s one client gets past its burst.
"""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime

from domain.actor import Actor
from domain.commands import (
    CertificateIssued,
    Context,
    Decide,
    IssueCertificate,
    Proposal,
    Propose,
    Review,
)
from domain.vocabulary import Role
from infrastructure.container import Laurel
from laurel.api_process import api_process
from laurel.bench.commands import Samples, _get, _pk_select
from laurel.bench.http import BlockingConnection
from laurel.bench.report import Figure
from laurel.bench.run import BenchContext
from laurel.system import open_laurel
from projections.projector import Projector
from projections.tables import nominations

GOAL = "p99 ≤ 50 ms"
UNIT = "hg.vi-thanh.phuong-1"
AWARD = "bang-khen-tinh"
VOTES = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}
JSON = {"Accept": "application/json"}


def certified(laurel: Laurel, count: int) -> list[tuple[str, str]]:
    """``count`` nominations proposed, reviewed, awarded and certified: (id, code)."""
    app, now = laurel.nominations, datetime.now(UTC)
    route = laurel.policy.plan_route(AWARD, UNIT, "individual")
    decider = Actor("bench-decider", frozenset({Role.DECIDER}), route.decision.unit_id)
    clerk = Actor("bench-clerk", frozenset({Role.PROPOSER}), UNIT)
    day = now.astimezone(laurel.policy.calendar.zone).date().isoformat()
    made = []
    for i in range(count):
        proposal = app.handle(Propose(AWARD, {"name": f"Nguyễn Thị Hoa {i}",
                                              "kind": "individual"}), Context(clerk, now))
        assert isinstance(proposal, Proposal)
        nomination_id = proposal.id
        for step, level in enumerate(route.reviews):
            task = app.open_review(nomination_id, step, now)
            assert task is not None
            reviewer = Actor("bench-reviewer", frozenset({Role.REVIEWER}), level.unit_id)
            app.handle(Review(nomination_id, task.task_id, "approve", VOTES),
                       Context(reviewer, now))
        decision = app.open_decision(nomination_id, now)
        assert decision is not None
        app.handle(Decide(nomination_id, decision.task_id, "awarded", f"{i + 1}/QĐ-UBND", day,
                          "Chủ tịch"), Context(decider, now))
        issued = app.handle(IssueCertificate(nomination_id), Context(clerk, now))
        assert isinstance(issued, CertificateIssued)
        made.append((str(nomination_id), issued.code))
    return made


def run(context: BenchContext) -> list[Figure]:
    settings = context.fresh_settings("verify").model_copy(update={
        "lookups_per_client": 10**9, "lookups_per_code": 10**9})
    certificates, requests = context.scale(20, 200), context.scale(300, 2000)
    laurel = open_laurel(settings)
    rng = random.Random(22)  # noqa: S311 - sample choice, not secrets
    json_, page, base = Samples(), Samples(), Samples()
    try:
        made = certified(laurel, certificates)
        Projector(laurel.engine, laurel.log).catch_up()
        with api_process(settings) as api, contextlib.closing(BlockingConnection(api.url)) as http:
            for round_ in range(2):  # the first warms the process; the second is measured
                for _ in range(requests if round_ else 20):
                    nomination_id, code = rng.choice(made)
                    if round_:
                        json_.time(_get(http, f"/verify/{code}", JSON))
                        page.time(_get(http, f"/ui/verify/{code}", {}))
                        base.time(_pk_select(laurel.engine, nominations, nomination_id))
                    else:
                        _get(http, f"/verify/{code}", JSON)()
    finally:
        laurel.close()
    details = {"certificates": certificates, "requests": requests, "sequential": True,
               "p50_ms": json_.p50, "failures": dict(json_.failures),
               "page_p50_ms": page.p50, "page_p99_ms": page.p99,
               "page_failures": dict(page.failures),
               "baseline_p50_ms": base.p50, "baseline_p99_ms": base.p99}
    return [Figure("GET /verify/{code} p99 (JSON; its page in details)", "ms", json_.p99,
                   base.p99, "bare SELECT by primary key", GOAL, details)]
