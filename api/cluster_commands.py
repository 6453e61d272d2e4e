"""The cluster commands the routes and pages give (``domain.clusters``), built from their
bodies, and what they answer."""

from __future__ import annotations

from uuid import UUID

from api.cluster_schemas import (
    ClusterCreate,
    ClusterResult,
    CriteriaCreate,
    FlagProposalCreate,
    PactCreate,
    ScoresCreate,
    SelfAssessmentCreate,
)
from domain.cluster import Criterion
from domain.clusters import (
    CriterionAssessed,
    DefineCluster,
    ProposeFlag,
    PublishCriteria,
    PublishRanking,
    ScoreMembers,
    SelfAssess,
    SignPact,
)
from domain.commands import ClusterChanged, Result
from domain.errors import NotFound


def cluster_key(cluster_id: str) -> UUID:
    try:
        return UUID(cluster_id)
    except ValueError:
        raise NotFound(f"No cluster {cluster_id}",
                       vi=f"Không có cụm, khối thi đua {cluster_id}") from None


def define(body: ClusterCreate) -> DefineCluster:
    return DefineCluster(body.code, body.name, body.kind, body.year, tuple(body.members),
                         body.leader)


def sign_pact(cluster_id: str, body: PactCreate) -> SignPact:
    return SignPact(cluster_key(cluster_id), body.document_id, body.signed_on.isoformat())


def publish_criteria(cluster_id: str, body: CriteriaCreate) -> PublishCriteria:
    return PublishCriteria(cluster_key(cluster_id), tuple(
        Criterion(c.code, c.name, c.max_points) for c in body.criteria))


def self_assess(cluster_id: str, body: SelfAssessmentCreate) -> SelfAssess:
    return SelfAssess(cluster_key(cluster_id), tuple(
        CriterionAssessed(i.criterion, i.points, tuple(i.evidence), i.note)
        for i in body.items))


def score(cluster_id: str, body: ScoresCreate) -> ScoreMembers:
    return ScoreMembers(cluster_key(cluster_id),
                        {unit: dict(points) for unit, points in body.points.items()},
                        body.step, body.note)


def publish_ranking(cluster_id: str) -> PublishRanking:
    return PublishRanking(cluster_key(cluster_id))


def propose_flag(cluster_id: str, body: FlagProposalCreate) -> ProposeFlag:
    return ProposeFlag(cluster_key(cluster_id), body.achievements)


def answer(result: Result) -> ClusterResult:
    assert isinstance(result, ClusterChanged)
    path = f"/clusters/{result.cluster_id}"
    links = {"self": path, "page": f"/ui{path}"}
    if result.nomination_id:
        links["nomination"] = f"/nominations/{result.nomination_id}"
    return ClusterResult(id=str(result.cluster_id), status=result.status,
                         version=result.version, nomination_id=result.nomination_id,
                         links=links)
