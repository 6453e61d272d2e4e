"""Emulation clusters and blocks (*cụm, khối thi đua*): defined for a year by the
province's board, their pact, the leader's criteria, the members' self-assessments, each
step's scores, the ranking, and the flag proposed for the unit ranked first."""

from __future__ import annotations

from fastapi import APIRouter, Query, status

from api import cluster_commands as build
from api import deps
from api.cluster_schemas import (
    ClusterCreate,
    ClusterPublic,
    ClusterResult,
    ClustersPublic,
    CriteriaCreate,
    FlagProposalCreate,
    PactCreate,
    ScoresCreate,
    SelfAssessmentCreate,
)
from api.deps import CurrentUser, LaurelDep, NewCommand
from api.problems import PROBLEM_RESPONSES
from api.reads import clusters as reads

router = APIRouter(prefix="/clusters", tags=["clusters"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED)
async def define_cluster(body: ClusterCreate, command: NewCommand) -> ClusterResult:
    """Define a cluster or block of units below yours for a year, with its leader; the
    board (council secretary) or administrator of your unit. Its id comes from its code and
    year: the same code twice in a year is 409 `/problems/cluster-already-defined`."""
    return build.answer(await command.give(build.define(body)))


@router.get("")
async def list_clusters(user: CurrentUser, laurel: LaurelDep,
                        year: int | None = Query(None, ge=1945, le=2200)) -> ClustersPublic:
    """The clusters you may see (of `year`): those your unit belongs to or oversees."""
    return await deps.read_models(
        laurel, lambda conn: reads.clusters_to_read(user, laurel, conn, year))


@router.get("/{cluster_id}")
async def get_cluster(cluster_id: str, user: CurrentUser, laurel: LaurelDep) -> ClusterPublic:
    """A cluster: members, leader, pact, criteria, each member's self-assessment and
    scores, the ranking and the flag's nomination."""
    return await deps.once_projected(
        laurel, lambda conn: reads.cluster_to_read(user, laurel, conn, cluster_id),
        lambda: reads.recorded_for(user, laurel, cluster_id))


@router.post("/{cluster_id}/pact")
async def sign_pact(cluster_id: str, body: PactCreate, command: NewCommand) -> ClusterResult:
    """The signed pact, a document of the leader unit; its clerk or council secretary."""
    return build.answer(await command.give(build.sign_pact(cluster_id, body)))


@router.post("/{cluster_id}/criteria")
async def publish_criteria(cluster_id: str, body: CriteriaCreate,
                           command: NewCommand) -> ClusterResult:
    """The criteria and their points, published once by the leader unit after the pact."""
    return build.answer(await command.give(build.publish_criteria(cluster_id, body)))


@router.post("/{cluster_id}/self-assessments")
async def self_assess(cluster_id: str, body: SelfAssessmentCreate,
                      command: NewCommand) -> ClusterResult:
    """A member unit's clerk: its points on every criterion (at most the criterion's),
    each with its evidence (documents of the unit); again to correct it, until scoring
    begins."""
    return build.answer(await command.give(build.self_assess(cluster_id, body)))


@router.post("/{cluster_id}/scores")
async def score(cluster_id: str, body: ScoresCreate, command: NewCommand) -> ClusterResult:
    """The scores of the step due, for every member and criterion: first the leader unit's
    (clerk or council secretary), then the board's (council secretary of the defining
    unit). Out of turn: 409 `/problems/cluster-step-out-of-order`."""
    return build.answer(await command.give(build.score(cluster_id, body)))


@router.post("/{cluster_id}/ranking")
async def publish_ranking(cluster_id: str, command: NewCommand) -> ClusterResult:
    """The board publishes the ranking from its scores: the greater total first; equal
    totals by each criterion's points in the order published, then by unit code."""
    return build.answer(await command.give(build.publish_ranking(cluster_id)))


@router.post("/{cluster_id}/flag-proposal", status_code=status.HTTP_201_CREATED)
async def propose_flag(cluster_id: str, body: FlagProposalCreate,
                       command: NewCommand) -> ClusterResult:
    """The leader unit's clerk proposes the provincial emulation flag (`co-thi-dua-tinh`)
    for the unit ranked first, a collective named as the unit, its rank and score its
    basis: a nomination on the award's normal route (`nomination_id`)."""
    return build.answer(await command.give(build.propose_flag(cluster_id, body)))
