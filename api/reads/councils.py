"""A unit's council roster for the day (``domain.level_steps.Council``), for the JSON API
and the meeting page alike: its term, chair and members with their roles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.reads.access import visible_units
from domain.actor import Actor
from domain.errors import NotFound
from domain.level_steps import MEMBER_ROLES, Council
from domain.policy import Policy
from domain.vocabulary import Label

WRITTEN_OPINIONS: dict[str, Label] = {
    "counted": Label("Ý kiến bằng văn bản của thành viên vắng mặt được tính vào số đồng ý",
                     "Absent members' written opinions in favour count as votes for"),
    "not_counted": Label("Ý kiến bằng văn bản của thành viên vắng mặt được ghi nhận, không "
                         "tính vào kết quả",
                         "Absent members' written opinions are recorded, not counted"),
}


def sitting(policy: Policy, unit_id: str, at: datetime) -> Council | None:
    """The unit's council sitting on ``at``'s day in the policy's calendar (None: none)."""
    return policy.inside_levels.council(unit_id, at.astimezone(policy.calendar.zone).date())


def roster(council: Council) -> dict[str, Any]:
    """The roster as plain data: term, chair, members with their roles named."""
    def member(m: Any) -> dict[str, Any]:
        role = MEMBER_ROLES.get(m.role, Label(m.role, m.role))
        return {"username": m.username, "name": m.name, "role": m.role,
                "role_name": {"vi": role.vi, "en": role.en}}

    said = WRITTEN_OPINIONS.get(council.written_opinions,
                                Label(council.written_opinions, council.written_opinions))
    return {"unit_id": council.unit_id, "term_from": council.term_from,
            "term_to": council.term_to, "chair": member(council.chair) if council.chair
            else None, "members": [member(m) for m in council.members],
            "count": len(council.members), "written_opinions": council.written_opinions,
            "written_opinions_rule": {"vi": said.vi, "en": said.en}}


def council_of(user: Actor, policy: Policy, unit_id: str, at: datetime) -> dict[str, Any]:
    """The roster of a unit the user may read (its own, or below theirs for those who
    oversee); another unit's, or a unit without one, is not found."""
    if unit_id not in visible_units(user, policy.org) or (
            council := sitting(policy, unit_id, at)) is None:
        raise NotFound(f"No council roster for {unit_id}",
                       vi=f"Không có danh sách Hội đồng của đơn vị {unit_id}")
    return {**roster(council), "unit_name": policy.org.get(unit_id).name}
