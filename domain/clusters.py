"""Emulation clusters and blocks given through ``Nominations.handle``: defined by the
province's board, their pact, criteria, self-assessments, scores and ranking recorded on
the ``Cluster`` (``domain.cluster``), and the flag proposed for the unit the ranking puts
first, a nomination of ``co-thi-dua-tinh`` like any other (``Propose``), whose ``basis``
names the cluster, its year, the rank and the score. The nomination and the cluster's
``FlagProposed`` are saved in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.cluster import KINDS, Cluster, Criterion, cluster_id
from domain.commands import NOT_ASKED, ClusterChanged, Command, Context, Proposal, Propose
from domain.document import load_document
from domain.errors import (
    ClusterAlreadyDefined,
    ConcurrentChange,
    InvalidCluster,
    NotFound,
    WrongRole,
)
from domain.person import collective_id
from domain.vocabulary import Role

if TYPE_CHECKING:
    from domain.application import Nominations

FLAG_AWARD = "co-thi-dua-tinh"
"""The flag a cluster proposes for the unit its ranking puts first."""
DEFINERS = (Role.REVIEWER, Role.ADMIN)
"""Who defines a unit's clusters: its board (the council's secretary) or administrator."""


@dataclass(frozen=True)
class ClusterCommand(Command):
    """A command on the clusters (``Clusters.handle``)."""


@dataclass(frozen=True)
class OnCluster(ClusterCommand):
    """A command on a cluster defined already."""

    cluster_id: UUID = field(metadata=NOT_ASKED)


@dataclass(frozen=True)
class DefineCluster(ClusterCommand):
    label = "cluster"
    code: str
    name: str
    kind: str
    year: int
    members: tuple[str, ...]
    leader: str = ""
    """"" : the leadership rotates from last year's cluster of the same code."""


@dataclass(frozen=True)
class SignPact(OnCluster):
    label = "cluster pact"
    document_id: str
    signed_on: str


@dataclass(frozen=True)
class PublishCriteria(OnCluster):
    label = "cluster criteria"
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class CriterionAssessed:
    criterion: str
    points: float
    evidence: tuple[str, ...] = ()
    """Ids of documents of the member unit (``POST /documents``)."""
    note: str = ""


@dataclass(frozen=True)
class SelfAssess(OnCluster):
    label = "cluster self-assessment"
    items: tuple[CriterionAssessed, ...]


@dataclass(frozen=True)
class ScoreMembers(OnCluster):
    label = "cluster scores"
    points: dict[str, dict[str, float]]
    """Each member unit's points per criterion."""
    step: str = ""
    """The step that scores ("": the one due now)."""
    note: str = ""


@dataclass(frozen=True)
class PublishRanking(OnCluster):
    label = "cluster ranking"


@dataclass(frozen=True)
class ProposeFlag(OnCluster):
    label = "cluster flag"
    achievements: str = ""


class Clusters:
    """The clusters' side of ``Nominations``: same event store, same saves."""

    def __init__(self, app: Nominations) -> None:
        self.app = app

    def handle(self, command: ClusterCommand, context: Context) -> ClusterChanged:
        request = command.digest(context)
        actor, at = context.actor, context.at
        if isinstance(command, DefineCluster):
            return self._define(command, context, request)
        assert isinstance(command, OnCluster)
        cluster = self.get(command.cluster_id)
        if request and request in cluster.requests:
            return _changed(cluster)  # the same keyed request again: as it stands
        match command:
            case SignPact():
                cluster.require_leader(actor)
                self._own_document(command.document_id, actor.unit_id)
                cluster.sign_pact(actor, document_id=command.document_id,
                                  signed_on=self._day(command.signed_on, context),
                                  at=at, request=request)
            case PublishCriteria():
                cluster.publish_criteria(actor, [
                    Criterion(" ".join(c.code.split()), " ".join(c.name.split()),
                              float(c.max_points)) for c in command.criteria],
                    at=at, request=request)
            case SelfAssess():
                cluster.require_member(actor)
                for item in command.items:
                    for document_id in item.evidence:
                        self._own_document(document_id, actor.unit_id)
                cluster.self_assess(
                    actor, points={i.criterion: i.points for i in command.items},
                    evidence={i.criterion: list(i.evidence) for i in command.items},
                    notes={i.criterion: i.note.strip() for i in command.items},
                    at=at, request=request)
            case ScoreMembers():
                cluster.score(actor, step=command.step, points=command.points,
                              note=command.note.strip(), at=at, request=request)
            case PublishRanking():
                cluster.publish_ranking(actor, at=at, request=request)
            case ProposeFlag():
                return self._propose_flag(cluster, command, context, request)
            case _:
                raise TypeError(f"{type(command).__name__} is not a command of the clusters")
        self.app._save(cluster)
        return _changed(cluster)

    def get(self, key: UUID) -> Cluster:
        """The cluster to act on; within a group commit, once saved (``SaveFirst``)."""
        self.app.require_saved(key)
        found = self.find(key)
        if found is None:
            raise NotFound(f"No cluster {key}", vi=f"Không có cụm, khối thi đua {key}")
        return found

    def find(self, key: UUID) -> Cluster | None:
        try:
            found: object = self.app.repository.get(key)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Cluster) else None

    def _define(self, command: DefineCluster, context: Context,
                request: str) -> ClusterChanged:
        actor = context.actor
        role = next((r for r in DEFINERS if r in actor.roles), None)
        if role is None:
            raise WrongRole("The board (council secretary) or an administrator of the unit "
                            "defines its clusters",
                            vi="Thư ký Hội đồng hoặc quản trị của đơn vị lập cụm, khối thi đua")
        policy = self.app.policies.active(context.at.date())
        code, name = " ".join(command.code.split()), " ".join(command.name.split())
        if not code or not name:
            raise InvalidCluster("A cluster needs a code and a name",
                                 vi="Cụm, khối thi đua cần có mã và tên")
        if command.kind not in KINDS:
            raise InvalidCluster(f"A cluster's kind is cluster or block, not {command.kind!r}",
                                 vi=f"Loại phải là cụm (cluster) hoặc khối (block), không phải "
                                    f"{command.kind!r}")
        this_year = context.at.astimezone(policy.calendar.zone).year
        if not this_year - 1 <= command.year <= this_year + 1:
            raise InvalidCluster(f"A cluster is defined for {this_year - 1} to "
                                 f"{this_year + 1}, not {command.year}",
                                 vi=f"Chỉ lập cụm, khối cho các năm {this_year - 1} đến "
                                    f"{this_year + 1}, không phải {command.year}")
        members = list(dict.fromkeys(command.members))
        if len(members) < 2 or len(members) != len(command.members):
            raise InvalidCluster("A cluster has two member units or more, each listed once",
                                 vi="Cụm, khối có từ hai đơn vị thành viên trở lên, mỗi đơn "
                                    "vị ghi một lần")
        for unit_id in members:
            if unit_id == actor.unit_id or not policy.org.is_within(unit_id, actor.unit_id):
                raise InvalidCluster(f"'{unit_id}' is not a unit below yours",
                                     vi=f"'{unit_id}' không phải đơn vị trực thuộc đơn vị bạn")
        leader = self._leader(code, command.year, members, command.leader.strip())
        new_id = cluster_id(code, command.year)
        if (earlier := self.find(new_id)) is not None:
            if request and request in earlier.requests:
                return _changed(earlier)
            raise _defined_already(code, command.year)
        cluster = Cluster.define(actor=actor, role=role, code=code, name=name,
                                 kind=command.kind, year=command.year, members=members,
                                 leader=leader,
                                 steps=list(policy.cluster_scoring_steps),
                                 at=context.at, request=request)
        try:
            self.app._save(cluster)
        except ConcurrentChange:
            raise _defined_already(code, command.year) from None
        return _changed(cluster)

    def _leader(self, code: str, year: int, members: list[str], named: str) -> str:
        """The year's leader: the one named, or, none named, the member that follows last
        year's leader in last year's order (*luân phiên*). The leadership rotates: last
        year's leader does not lead again the next year."""
        before = self.find(cluster_id(code, year - 1))
        if named and named not in members:
            raise InvalidCluster("The leader is one of the member units",
                                 vi="Trưởng cụm phải là một đơn vị thành viên")
        if before is None:
            if not named:
                raise InvalidCluster(
                    f"Name the leader: cluster {code} had no year {year - 1} to rotate from",
                    vi=f"Hãy chọn trưởng cụm: cụm, khối {code} không có năm {year - 1} để "
                       "luân phiên")
            return named
        if named == before.leader:
            raise InvalidCluster(
                f"The leadership rotates: {named} led {code} in {year - 1}",
                vi=f"Trưởng cụm luân phiên: {named} đã làm trưởng cụm {code} năm {year - 1}")
        if named:
            return named
        order = [*before.members, *[m for m in members if m not in before.members]]
        at = order.index(before.leader) if before.leader in order else -1
        return next(m for m in order[at + 1:] + order[:at + 1]
                    if m in members and m != before.leader)

    def _propose_flag(self, cluster: Cluster, command: ProposeFlag, context: Context,
                      request: str) -> ClusterChanged:
        """The flag of the unit ranked first, proposed by the leader unit's clerk: the
        unit as the register knows it (refused if it does not: the flag goes only to
        those registered for it), its score and rank its basis."""
        cluster.require_flag_open(context.actor)
        first = cluster.ranking[0]
        policy = self.app.policies.active(context.at.date())
        unit = policy.org.get(first["unit_id"])
        achievements = command.achievements.strip() or (
            f"Dẫn đầu {'cụm' if cluster.kind == 'cluster' else 'khối'} thi đua {cluster.name} "
            f"năm {cluster.year}: {first['score']:g} điểm, hạng {first['rank']}")
        # The unit as the register knows it, if it does: the award's rules (the year's
        # registration among them) are then checked on it; named only, it is refused
        # where the award asks for a registration (``Candidates.require_registrable``).
        in_register = collective_id(unit.id, "")
        nominee: dict[str, Any] = (
            {"person_id": str(in_register), "kind": "collective"}
            if self.app.candidates.person(str(in_register)) is not None
            else {"name": unit.name, "kind": "collective"})
        propose = Propose(
            award_code=FLAG_AWARD, nominee=nominee,
            achievements=achievements, year=cluster.year, commendation_type="merit",
            basis={"cluster_id": str(cluster.id), "year": cluster.year,
                   "rank": first["rank"], "score": first["score"],
                   "unit_id": unit.id})
        # Keyed by the cluster, so a retry after a lost answer finds the same nomination.
        flag_context = Context(context.actor, context.at, None, f"cluster-flag {cluster.id}")
        if self.app.collected() is not None:  # within a group commit: saved with it
            proposal = self._flag(cluster, propose, flag_context, context, request)
        else:
            with self.app.collecting_saves() as collected:
                proposal = self._flag(cluster, propose, flag_context, context, request)
            self.app.save_collected(collected)
        return _changed(cluster, str(proposal.id))

    def _flag(self, cluster: Cluster, propose: Propose, flag_context: Context,
              context: Context, request: str) -> Proposal:
        proposal = self.app.handle(propose, flag_context)
        assert isinstance(proposal, Proposal)
        cluster.flag_proposed(context.actor, nomination_id=str(proposal.id), at=context.at,
                              request=request)
        self.app._save(cluster)
        return proposal

    def _own_document(self, document_id: str, unit_id: str) -> None:
        document = load_document(self.app, document_id)
        if document is None or document.unit_id != unit_id:
            raise NotFound(f"No document {document_id} of your unit",
                           vi=f"Không có tài liệu {document_id} của đơn vị bạn")

    def _day(self, text: str, context: Context) -> str:
        policy = self.app.policies.active(context.at.date())
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise InvalidCluster(f"'{text}' is not a date such as 2026-01-15",
                                 vi=f"'{text}' không phải ngày hợp lệ (ví dụ 2026-01-15)") from None
        if day > context.at.astimezone(policy.calendar.zone).date():
            raise InvalidCluster("The pact cannot be signed on a later day than today",
                                 vi="Ngày ký giao ước không thể sau ngày hôm nay")
        return day.isoformat()


def _changed(cluster: Cluster, nomination_id: str = "") -> ClusterChanged:
    return ClusterChanged(cluster.id, cluster.status, cluster.version,
                          nomination_id or cluster.flag_nomination_id)


def _defined_already(code: str, year: int) -> ClusterAlreadyDefined:
    return ClusterAlreadyDefined(f"Cluster {code} of {year} is defined already",
                                 vi=f"Cụm, khối {code} năm {year} đã được lập")


def flag_basis(nomination: dict[str, Any]) -> dict[str, Any] | None:
    """A nomination's basis, when a cluster's ranking is what it rests on."""
    basis = nomination.get("basis")
    return basis if isinstance(basis, dict) and "cluster_id" in basis else None
