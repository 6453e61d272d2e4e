"""Emulation clusters and blocks as their readers see them: the units of a cluster (its
members) and the units over them (the board that defined it, and whoever oversees one of
the members, as for nominations: ``visible_units``); to anyone else one does not exist."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection

from api import labels
from api.cluster_schemas import (
    ClusterPublic,
    ClustersPublic,
    ClusterSummary,
    CriterionPublic,
    MemberPublic,
    StepScore,
)
from api.reads.access import is_uuid, visible_units
from domain.actor import Actor
from domain.clusters import Clusters
from domain.errors import NotFound
from domain.policy import Policy
from infrastructure.container import Laurel
from projections.clusters import cluster_view, clusters_of

KINDS = {"cluster": ("Cụm thi đua", "Emulation cluster"),
         "block": ("Khối thi đua", "Emulation block")}
STATUSES = {
    "defined": ("Đã lập, chờ ký giao ước", "Defined, the pact to be signed"),
    "pact_signed": ("Đã ký giao ước, chờ công bố tiêu chí",
                    "Pact signed, the criteria to be published"),
    "assessing": ("Các đơn vị đang tự chấm điểm", "The members are assessing themselves"),
    "scoring": ("Đang chấm điểm", "Being scored"),
    "scored": ("Đã chấm điểm, chờ công bố xếp hạng", "Scored, the ranking to be published"),
    "ranked": ("Đã công bố xếp hạng", "Ranking published"),
    "flag_proposed": ("Đã đề nghị Cờ thi đua", "Flag proposed"),
}
STEPS = {"leader": ("Trưởng cụm chấm điểm", "Scored by the leader"),
         "board": ("Ban Thi đua – Khen thưởng chấm điểm", "Scored by the board")}
TIE_RULES = {"total, then criteria in order, then unit code": (
    "Bằng tổng điểm thì xét điểm từng tiêu chí theo thứ tự công bố, sau đó theo mã đơn vị",
    "Equal totals: the points of each criterion in the order published, then the unit "
    "code")}


def _no_cluster(cluster_id: str) -> NotFound:
    return NotFound(f"No cluster {cluster_id}", vi=f"Không có cụm, khối thi đua {cluster_id}")


def may_see(user: Actor, laurel: Laurel, board: str, members: list[str]) -> bool:
    units = set(visible_units(user, laurel.policy.org))
    return board in units or any(m in units for m in members)


def status_of(view: dict[str, Any], scored_steps: list[str] | set[str]) -> str:
    if view["flag_nomination_id"]:
        return "flag_proposed"
    if view["ranked_at"] is not None:
        return "ranked"
    if scored_steps:
        return "scored" if set(view["steps"]) <= set(scored_steps) else "scoring"
    if view["criteria"]:
        return "assessing"
    return "pact_signed" if view["pact_document_id"] else "defined"


def visible_cluster(user: Actor, laurel: Laurel, conn: Connection,
                    cluster_id: str) -> dict[str, Any]:
    view = cluster_view(conn, cluster_id) if is_uuid(cluster_id) else None
    if view is None or not may_see(user, laurel, view["board"], view["members"]):
        raise _no_cluster(cluster_id)
    return view


def cluster_public(policy: Policy, view: dict[str, Any]) -> ClusterPublic:
    path = f"/clusters/{view['id']}"
    status = status_of(view, set(view["scores"]))

    def name(unit_id: str) -> str:
        return labels.unit_name(policy, unit_id) or unit_id

    members = [MemberPublic(
        unit_id=m["unit_id"], unit_name=name(m["unit_id"]),
        leader=m["unit_id"] == view["leader"], self_points=m["self_points"],
        self_total=m["self_total"], evidence=m["evidence"] or {}, notes=m["notes"] or {},
        self_assessed_at=m["self_assessed_at"],
        scores=[StepScore(step=step, step_name=labels.label(STEPS, step),
                          points=view["scores"][step][m["unit_id"]]["points"],
                          total=view["scores"][step][m["unit_id"]]["total"],
                          scored_by=view["scores"][step][m["unit_id"]]["scored_by"],
                          scored_at=view["scores"][step][m["unit_id"]]["scored_at"])
                for step in view["steps"] if m["unit_id"] in view["scores"].get(step, {})],
        score=m["score"], rank=m["rank"]) for m in view["member_rows"]]
    next_step = next((s for s in view["steps"] if s not in view["scores"]), "")
    return ClusterPublic(
        id=view["id"], code=view["code"], name=view["name"], kind=view["kind"],
        kind_name=labels.label(KINDS, view["kind"]), year=view["year"], status=status,
        status_name=labels.label(STATUSES, status), leader=view["leader"],
        leader_name=name(view["leader"]), board=view["board"], board_name=name(view["board"]),
        steps=view["steps"], next_step=next_step if view["criteria"] else "",
        pact_document_id=view["pact_document_id"], pact_signed_on=view["pact_signed_on"],
        criteria=[CriterionPublic(**c) for c in view["criteria"] or []],
        members=members,
        ranking=sorted((m for m in members if m.rank is not None),
                       key=lambda m: m.rank or 0),
        tie_rule=labels.label(TIE_RULES, view["tie_rule"]) if view["tie_rule"] else None,
        flag_nomination_id=view["flag_nomination_id"], flag_unit_id=view["flag_unit_id"],
        version=view["version"],
        links={"self": path, "page": f"/ui{path}",
               **({"nomination": f"/nominations/{view['flag_nomination_id']}"}
                  if view["flag_nomination_id"] else {})})


def cluster_to_read(user: Actor, laurel: Laurel, conn: Connection,
                    cluster_id: str) -> ClusterPublic:
    return cluster_public(laurel.policy, visible_cluster(user, laurel, conn, cluster_id))


def clusters_to_read(user: Actor, laurel: Laurel, conn: Connection,
                     year: int | None) -> ClustersPublic:
    policy = laurel.policy
    items = []
    for row in clusters_of(conn, year):
        if not may_see(user, laurel, row["board"], row["members"]):
            continue
        status = status_of(row, row["scored_steps"])
        items.append(ClusterSummary(
            id=row["id"], code=row["code"], name=row["name"], kind=row["kind"],
            kind_name=labels.label(KINDS, row["kind"]), year=row["year"], status=status,
            status_name=labels.label(STATUSES, status), leader=row["leader"],
            leader_name=labels.unit_name(policy, row["leader"]) or row["leader"],
            members=len(row["members"]), flag_nomination_id=row["flag_nomination_id"],
            links={"self": f"/clusters/{row['id']}", "page": f"/ui/clusters/{row['id']}"}))
    return ClustersPublic(items=items)


def recorded_for(user: Actor, laurel: Laurel, cluster_id: str, version: int = 0) -> bool:
    """Whether the event store holds this cluster (at ``version`` or later) for ``user``:
    worth waiting for the read models to show it."""
    if not is_uuid(cluster_id):
        return False
    cluster = Clusters(laurel.nominations).find(UUID(cluster_id))
    return (cluster is not None and cluster.version >= version
            and may_see(user, laurel, cluster.board, cluster.members))
