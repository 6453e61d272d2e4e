"""An emulation cluster or block (*cụm, khối thi đua*) for one year: its member units and
its rotating leader (*trưởng cụm*), the pact they signed (*giao ước thi đua*), the criteria
the leader published with their points, each member's self-assessment with its evidence,
the scores of each approval step (the leader's, then the province's board), the ranking
and the flag (*Cờ thi đua*) proposed for the unit that leads it (domain.md, "Movements,
registrations and clusters").

A cluster is known by its code and year (``cluster_id``): defining it twice is a second
creation of one aggregate, which the store refuses. Each step comes in its turn; the
aggregate refuses one out of turn, points outside a criterion's range, and anyone but the
unit whose step it is. The apply side only copies what the events say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.errors import ClusterStepOutOfOrder, InvalidClusterPoints, PolicyError, WrongRole
from domain.vocabulary import Role

_CLUSTERS = UUID("7d0b5c8e-2f4a-4f3e-8b61-1c9e5a7d3f02")
KINDS = ("cluster", "block")
"""A cluster (*cụm*) groups units of one area; a block (*khối*), units of one trade."""
SCORING_STEPS = ("leader", "board")
"""The approval steps that score the members, in order, when the policy names none
(``cluster_scoring_steps``): the cluster's leader, then the province's board (the unit
that defined the cluster). The board publishes the ranking from the last step's scores."""
LEADER_ROLES = (Role.PROPOSER, Role.REVIEWER)
"""Who acts for the leader unit: its clerk or its council's secretary."""
TIE_RULE = "total, then criteria in order, then unit code"
"""How equal totals are ranked: the greater points on the first criterion published,
then on the next, and so on; then by unit code, alphabetically."""
MAX_POINTS = 1000


def cluster_id(code: str, year: int) -> UUID:
    """A cluster's id: its code (spaces and case aside) and its year."""
    return uuid5(_CLUSTERS, f"{' '.join(code.split()).casefold()}\n{year}")


def read_scoring_steps(d: Mapping[str, Any]) -> tuple[str, ...]:
    """The policy's ``cluster_scoring_steps``: some of ``SCORING_STEPS``, each once, in the
    order they score (all of them, leader first, when it says nothing)."""
    raw = d.get("cluster_scoring_steps", list(SCORING_STEPS))
    if (not isinstance(raw, list) or not raw or len(set(raw)) != len(raw)
            or any(step not in SCORING_STEPS for step in raw)):
        raise PolicyError("cluster_scoring_steps",
                          f"expected a list of distinct steps of {', '.join(SCORING_STEPS)}")
    return tuple(raw)


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: float


class Cluster(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str
        request: str
        """A digest of the keyed request that gave it (empty without a key)."""

        def apply(self, aggregate: Cluster) -> None:
            aggregate.requests.add(self.request)

    class Defined(Event, Aggregate.Created):
        code: str
        name: str
        kind: str
        year: int
        members: list[str]
        leader: str
        board: str
        """The unit whose board defined it and scores in the board's step."""
        steps: list[str]

        def apply(self, aggregate: Cluster) -> None:
            super().apply(aggregate)
            aggregate.code, aggregate.name, aggregate.kind = self.code, self.name, self.kind
            aggregate.year, aggregate.leader, aggregate.board = (self.year, self.leader,
                                                                 self.board)
            aggregate.members = list(self.members)
            aggregate.steps = list(self.steps)

    class PactSigned(Event):
        document_id: str
        signed_on: str

        def apply(self, aggregate: Cluster) -> None:
            super().apply(aggregate)
            aggregate.pact = {"document_id": self.document_id, "signed_on": self.signed_on}

    class CriteriaPublished(Event):
        criteria: list[dict[str, Any]]

        def apply(self, aggregate: Cluster) -> None:
            super().apply(aggregate)
            aggregate.criteria = [Criterion(**c) for c in self.criteria]

    class SelfAssessed(Event):
        unit_id: str
        points: dict[str, float]
        evidence: dict[str, list[str]]
        """Each criterion's evidence: the ids of documents of the unit."""
        notes: dict[str, str]

        def apply(self, aggregate: Cluster) -> None:
            super().apply(aggregate)
            aggregate.self_assessed[self.unit_id] = dict(self.points)

    class Scored(Event):
        step: str
        points: dict[str, dict[str, float]]
        """Each member's points per criterion."""
        note: str

        def apply(self, aggregate: Cluster) -> None:
            super().apply(aggregate)
            aggregate.scores[self.step] = {u: dict(p) for u, p in self.points.items()}

    class RankingPublished(Event):
        ranking: list[dict[str, Any]]
        """``unit_id``, ``score``, ``rank`` (1 first), best first."""
        tie_rule: str

        def apply(self, aggregate: Cluster) -> None:
            super().apply(aggregate)
            aggregate.ranking = [dict(r) for r in self.ranking]

    class FlagProposed(Event):
        nomination_id: str
        unit_id: str

        def apply(self, aggregate: Cluster) -> None:
            super().apply(aggregate)
            aggregate.flag_nomination_id = self.nomination_id

    def __init__(self) -> None:
        self.requests: set[str] = {""}
        self.code: str
        self.name: str
        self.kind: str
        self.year: int
        self.members: list[str]
        self.leader: str
        self.board: str
        self.steps: list[str]
        self.pact: dict[str, str] | None = None
        self.criteria: list[Criterion] = []
        self.self_assessed: dict[str, dict[str, float]] = {}
        self.scores: dict[str, dict[str, dict[str, float]]] = {}
        self.ranking: list[dict[str, Any]] = []
        self.flag_nomination_id = ""

    # -- where it stands ------------------------------------------------------------

    @property
    def status(self) -> str:
        if self.flag_nomination_id:
            return "flag_proposed"
        if self.ranking:
            return "ranked"
        if self.scores:
            return "scored" if len(self.scores) == len(self.steps) else "scoring"
        if self.criteria:
            return "assessing"
        return "pact_signed" if self.pact else "defined"

    def next_step(self) -> str:
        """The approval step that scores next ("": every one has)."""
        return next((s for s in self.steps if s not in self.scores), "")

    def step_unit(self, step: str) -> str:
        return self.leader if step == "leader" else self.board

    # -- deciding -------------------------------------------------------------------

    @classmethod
    def define(cls, *, actor: Actor, role: str, code: str, name: str, kind: str, year: int,
               members: list[str], leader: str, steps: list[str], at: datetime,
               request: str = "") -> Cluster:
        """The caller checked the units against the org tree and the actor's reach."""
        return cls._create(
            cls.Defined, id=cluster_id(code, year), timestamp=at, actor=actor.id,
            actor_role=role, actor_unit=actor.unit_id, request=request, code=code, name=name,
            kind=kind, year=year, members=members, leader=leader, board=actor.unit_id,
            steps=steps)

    def sign_pact(self, actor: Actor, *, document_id: str, signed_on: str, at: datetime,
                  request: str = "") -> None:
        role = self.require_leader(actor)
        if self.pact is not None:
            raise _out_of_order("The pact is recorded already", "Giao ước đã được ghi nhận")
        self.trigger_event(self.PactSigned, timestamp=at, **_by(actor, role, request),
                           document_id=document_id, signed_on=signed_on)

    def publish_criteria(self, actor: Actor, criteria: list[Criterion], *, at: datetime,
                         request: str = "") -> None:
        role = self.require_leader(actor)
        if self.pact is None:
            raise _out_of_order("The criteria come after the pact is signed",
                                "Chỉ công bố tiêu chí sau khi đã ký giao ước")
        if self.criteria:
            raise _out_of_order("The criteria are published already",
                                "Tiêu chí đã được công bố")
        if not criteria:
            raise InvalidClusterPoints("Publish at least one criterion",
                                       vi="Cần công bố ít nhất một tiêu chí")
        codes = [c.code for c in criteria]
        if len(set(codes)) != len(codes) or not all(c.strip() for c in codes):
            raise InvalidClusterPoints("Each criterion needs a code of its own",
                                       vi="Mỗi tiêu chí cần một mã riêng, không trùng")
        for c in criteria:
            if not 0 < c.max_points <= MAX_POINTS:
                raise InvalidClusterPoints(
                    f"Criterion {c.code}: its points are more than 0 and at most {MAX_POINTS}",
                    vi=f"Tiêu chí {c.code}: điểm tối đa phải lớn hơn 0 và không quá "
                       f"{MAX_POINTS}")
        self.trigger_event(self.CriteriaPublished, timestamp=at, **_by(actor, role, request),
                           criteria=[{"code": c.code, "name": c.name,
                                      "max_points": c.max_points} for c in criteria])

    def self_assess(self, actor: Actor, *, points: dict[str, float],
                    evidence: dict[str, list[str]], notes: dict[str, str], at: datetime,
                    request: str = "") -> None:
        role = self.require_member(actor)
        if not self.criteria:
            raise _out_of_order("The leader has not published the criteria yet",
                                "Trưởng cụm chưa công bố tiêu chí")
        if self.scores:
            raise _out_of_order("Scoring has begun: the self-assessments are closed",
                                "Đã bắt đầu chấm điểm: không tự chấm điểm được nữa")
        cleaned = self._checked(points, f"unit {actor.unit_id}",
                                f"đơn vị {actor.unit_id}")
        unknown = (set(evidence) | set(notes)) - set(cleaned)
        if unknown:
            raise InvalidClusterPoints(f"No criterion {sorted(unknown)[0]}",
                                       vi=f"Không có tiêu chí {sorted(unknown)[0]}")
        self.trigger_event(self.SelfAssessed, timestamp=at, **_by(actor, role, request),
                           unit_id=actor.unit_id, points=cleaned,
                           evidence={k: list(v) for k, v in evidence.items() if v},
                           notes={k: v for k, v in notes.items() if v})

    def score(self, actor: Actor, *, step: str, points: dict[str, dict[str, float]],
              note: str, at: datetime, request: str = "") -> None:
        due = self.next_step()
        if not self.criteria:
            raise _out_of_order("The leader has not published the criteria yet",
                                "Trưởng cụm chưa công bố tiêu chí")
        if not due:
            raise _out_of_order("Every step has scored the members already",
                                "Các bước chấm điểm đã hoàn tất")
        if step and step != due:
            raise _out_of_order(f"The step that scores now is '{due}', not '{step}'",
                                f"Bước chấm điểm hiện tại là '{due}', không phải '{step}'")
        role = self.require_leader(actor) if due == "leader" else self.require_board(actor)
        missing = [u for u in self.members if u not in self.self_assessed]
        if missing:
            raise _out_of_order(
                f"Not every member has assessed itself yet: {', '.join(missing)}",
                f"Còn đơn vị chưa tự chấm điểm: {', '.join(missing)}")
        others = set(points) - set(self.members)
        if others:
            raise InvalidClusterPoints(f"{sorted(others)[0]} is no member of the cluster",
                                       vi=f"{sorted(others)[0]} không là thành viên của cụm")
        scored: dict[str, dict[str, float]] = {}
        for unit_id in self.members:
            if unit_id not in points:
                raise InvalidClusterPoints(f"The points of {unit_id} are missing",
                                           vi=f"Thiếu điểm của đơn vị {unit_id}")
            scored[unit_id] = self._checked(points[unit_id], f"unit {unit_id}",
                                            f"đơn vị {unit_id}")
        self.trigger_event(self.Scored, timestamp=at, **_by(actor, role, request), step=due,
                           points=scored, note=note)

    def publish_ranking(self, actor: Actor, *, at: datetime, request: str = "") -> None:
        role = self.require_board(actor)
        if self.next_step() or not self.scores:
            raise _out_of_order("The ranking comes after every step has scored",
                                "Chỉ công bố xếp hạng sau khi các bước đã chấm điểm")
        if self.ranking:
            raise _out_of_order("The ranking is published already",
                                "Kết quả xếp hạng đã được công bố")
        self.trigger_event(self.RankingPublished, timestamp=at, **_by(actor, role, request),
                           ranking=ranked(self.members, self.criteria,
                                          self.scores[self.steps[-1]]),
                           tie_rule=TIE_RULE)

    def require_flag_open(self, actor: Actor) -> Role:
        """Who may propose the flag, and when: the leader unit's clerk, once the ranking
        is published, once."""
        role = actor.acting_as(Role.PROPOSER)
        if actor.unit_id != self.leader:
            raise WrongRole("The cluster's leader unit proposes its flag",
                            vi="Đơn vị trưởng cụm đề nghị Cờ thi đua của cụm")
        if not self.ranking:
            raise _out_of_order("The flag is proposed from the published ranking",
                                "Chỉ đề nghị Cờ thi đua sau khi công bố xếp hạng")
        if self.flag_nomination_id:
            raise _out_of_order(
                f"The flag is proposed already (nomination {self.flag_nomination_id})",
                f"Đã đề nghị Cờ thi đua (hồ sơ {self.flag_nomination_id})")
        return role

    def flag_proposed(self, actor: Actor, *, nomination_id: str, at: datetime,
                      request: str = "") -> None:
        role = self.require_flag_open(actor)
        self.trigger_event(self.FlagProposed, timestamp=at, **_by(actor, role, request),
                           nomination_id=nomination_id, unit_id=self.ranking[0]["unit_id"])

    # -- helpers --------------------------------------------------------------------

    def require_member(self, actor: Actor) -> str:
        """A member unit's clerk, who assesses the unit."""
        role = actor.acting_as(Role.PROPOSER)
        if actor.unit_id not in self.members:
            raise WrongRole("Only the cluster's member units assess themselves",
                            vi="Chỉ đơn vị thành viên của cụm, khối mới tự chấm điểm")
        return role

    def require_leader(self, actor: Actor) -> str:
        if actor.unit_id != self.leader or not actor.roles & set(LEADER_ROLES):
            raise WrongRole("This is the cluster's leader unit's to do (its clerk or "
                            "council secretary)",
                            vi="Việc này do đơn vị trưởng cụm thực hiện (văn thư hoặc thư ký "
                               "Hội đồng)")
        return next(r for r in LEADER_ROLES if r in actor.roles)

    def require_board(self, actor: Actor) -> str:
        if actor.unit_id != self.board:
            raise WrongRole("This is the board's to do (the unit that defined the cluster)",
                            vi="Việc này do Ban Thi đua – Khen thưởng (đơn vị lập cụm) thực "
                               "hiện")
        return actor.acting_as(Role.REVIEWER)

    def _checked(self, points: dict[str, float], whose: str,
                 whose_vi: str) -> dict[str, float]:
        """Points for every criterion and none other, each from 0 to its maximum."""
        found: dict[str, float] = {}
        given = dict(points)
        for c in self.criteria:
            if c.code not in given:
                raise InvalidClusterPoints(f"{whose}: the points of criterion {c.code} are "
                                           "missing",
                                           vi=f"{whose_vi}: thiếu điểm tiêu chí {c.code}")
            value = float(given.pop(c.code))
            if not 0 <= value <= c.max_points:
                raise InvalidClusterPoints(
                    f"{whose}: criterion {c.code} takes 0 to {c.max_points:g} points, not "
                    f"{value:g}",
                    vi=f"{whose_vi}: tiêu chí {c.code} chấm từ 0 đến {c.max_points:g} điểm, "
                       f"không phải {value:g}")
            found[c.code] = round(value, 2)
        if given:
            raise InvalidClusterPoints(f"No criterion {sorted(given)[0]}",
                                       vi=f"Không có tiêu chí {sorted(given)[0]}")
        return found


def total(points: dict[str, float]) -> float:
    return round(sum(points.values()), 2)


def ranked(members: list[str], criteria: list[Criterion],
           points: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """The members best first (``TIE_RULE``), each with its total and rank."""
    order = sorted(members, key=lambda u: (-total(points[u]),
                                           *(-points[u][c.code] for c in criteria), u))
    return [{"unit_id": u, "score": total(points[u]), "rank": i + 1}
            for i, u in enumerate(order)]


def _by(actor: Actor, role: str, request: str) -> dict[str, str]:
    return {"actor": actor.id, "actor_role": str(role), "actor_unit": actor.unit_id,
            "request": request}


def _out_of_order(detail: str, vi: str) -> ClusterStepOutOfOrder:
    return ClusterStepOutOfOrder(detail, vi=vi)
