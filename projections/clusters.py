"""The clusters' read models (``projections.cluster_tables``), made from the ``Cluster``
events alone (``domain.cluster``): each event is a statement on rows keyed by the
cluster, so a rebuild makes the same rows. A cluster's events all belong to it, so the
part of a rebuild that holds them makes its rows, in order.

Read here too: a cluster's row with its members and each step's scores, and the clusters
of a year (``cluster_view``, ``clusters_of``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.engine import Connection

from domain.cluster import Cluster, total
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections.cluster_tables import cluster_members, cluster_scores, clusters
from projections.pending import Write, prepare_insert


def writes(conn: Connection, events: Sequence[LoggedEvent]) -> list[Write]:
    """The statements the cluster events among ``events`` make, in their order."""
    found: list[Write] = []
    for logged in events:
        e: Any = logged.event
        if isinstance(e, Cluster.Event):
            found += _writes_of(conn, logged.nomination_id, e)
    return found


def _writes_of(conn: Connection, key: str, e: Any) -> list[Write]:
    at = utc(e.timestamp)
    touched = _run(conn, update(clusters).where(clusters.c.id == key).values(
        updated_at=at, version=e.originator_version))
    match e:
        case Cluster.Defined():
            return [
                prepare_insert(conn, clusters, [dict(
                    id=key, code=e.code, name=e.name, kind=e.kind, year=e.year,
                    leader=e.leader, board=e.board, members=list(e.members),
                    steps=list(e.steps), pact_document_id=None, pact_signed_on=None,
                    criteria=None, tie_rule=None, ranked_at=None, flag_nomination_id=None,
                    flag_unit_id=None, defined_at=at, defined_by=e.actor, updated_at=at,
                    version=e.originator_version)]),
                prepare_insert(conn, cluster_members, [dict(
                    cluster_id=key, unit_id=unit_id, position=i, self_points=None,
                    self_total=None, evidence=None, notes=None, self_assessed_at=None,
                    self_assessed_by=None, score=None, rank=None)
                    for i, unit_id in enumerate(e.members)])]
        case Cluster.PactSigned():
            return [touched, _run(conn, update(clusters).where(clusters.c.id == key).values(
                pact_document_id=e.document_id, pact_signed_on=e.signed_on))]
        case Cluster.CriteriaPublished():
            return [touched, _run(conn, update(clusters).where(clusters.c.id == key).values(
                criteria=list(e.criteria)))]
        case Cluster.SelfAssessed():
            return [touched, _run(conn, update(cluster_members).where(_member(key, e.unit_id))
                                  .values(self_points=dict(e.points), self_total=total(e.points),
                                          evidence=dict(e.evidence), notes=dict(e.notes),
                                          self_assessed_at=at, self_assessed_by=e.actor))]
        case Cluster.Scored():
            return [touched, prepare_insert(conn, cluster_scores, [dict(
                cluster_id=key, step=e.step, unit_id=unit_id, points=dict(points),
                total=total(points), scored_at=at, scored_by=e.actor, scored_unit=e.actor_unit,
                note=e.note) for unit_id, points in e.points.items()])]
        case Cluster.RankingPublished():
            return [touched, _run(conn, update(clusters).where(clusters.c.id == key).values(
                tie_rule=e.tie_rule, ranked_at=at)), *(
                _run(conn, update(cluster_members).where(_member(key, r["unit_id"])).values(
                    score=r["score"], rank=r["rank"])) for r in e.ranking)]
        case Cluster.FlagProposed():
            return [touched, _run(conn, update(clusters).where(clusters.c.id == key).values(
                flag_nomination_id=e.nomination_id, flag_unit_id=e.unit_id))]
    return []


def _member(key: str, unit_id: str) -> Any:
    return and_(cluster_members.c.cluster_id == key, cluster_members.c.unit_id == unit_id)


def _run(conn: Connection, statement: Any) -> Write:
    def run() -> None:
        conn.execute(statement)
    return run


# -- reading ----------------------------------------------------------------------


def cluster_view(conn: Connection, key: str) -> dict[str, Any] | None:
    """The cluster's row, with ``member_rows`` (in the definition's order) and
    ``scores`` (each step's points by member); None: no such cluster."""
    row = conn.execute(select(clusters).where(clusters.c.id == key)).mappings().first()
    if row is None:
        return None
    members = conn.execute(select(cluster_members).where(cluster_members.c.cluster_id == key)
                           .order_by(cluster_members.c.position)).mappings()
    scores: dict[str, dict[str, dict[str, Any]]] = {}
    for s in conn.execute(select(cluster_scores).where(cluster_scores.c.cluster_id == key)
                          ).mappings():
        scores.setdefault(s["step"], {})[s["unit_id"]] = dict(s)
    return {**row, "member_rows": [dict(m) for m in members], "scores": scores}


def clusters_of(conn: Connection, year: int | None = None) -> list[dict[str, Any]]:
    """Every cluster (of ``year``), newest year first, then by code; with the steps that
    have scored (``scored_steps``)."""
    query = select(clusters).order_by(clusters.c.year.desc(), clusters.c.code)
    if year is not None:
        query = query.where(clusters.c.year == year)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    scored: dict[str, set[str]] = {}
    if rows:
        for cluster_id, step in conn.execute(
                select(cluster_scores.c.cluster_id, cluster_scores.c.step).distinct()
                .where(cluster_scores.c.cluster_id.in_([r["id"] for r in rows]))):
            scored.setdefault(cluster_id, set()).add(step)
    return [{**r, "scored_steps": sorted(scored.get(r["id"], ()))} for r in rows]
