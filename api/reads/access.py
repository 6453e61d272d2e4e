"""Who may see what, in one place. A nomination outside your reach is reported as not
found; a task is acted on by the roles of its kind, at its unit."""

from __future__ import annotations

from typing import Any

from domain.actor import Actor
from domain.errors import NotFound, WrongRole
from domain.policy import OrgTree
from domain.vocabulary import Role, TaskKind

OVERSEERS = frozenset({Role.REVIEWER, Role.DECIDER, Role.AUDITOR, Role.ADMIN})
"""Roles that see the nominations of the units below their own. An administrator too:
of the province, that is every unit; of a ward, its ward."""


def visible_units(actor: Actor, org: OrgTree) -> list[str]:
    """The proposing units whose nominations the actor may read."""
    if actor.roles & OVERSEERS:
        return org.subtree(actor.unit_id)
    return [actor.unit_id]


def not_for_the_inbox() -> WrongRole:
    """The refusal of an inbox to someone who neither reviews nor decides."""
    return WrongRole("The inbox is for reviewers and deciders",
                     vi="Việc cần xử lý chỉ dành cho thư ký Hội đồng và người có thẩm quyền "
                        "quyết định")


def require_visible(actor: Actor, org: OrgTree, row: dict[str, Any] | None, what: str,
                    what_vi: str) -> None:
    units = visible_units(actor, org)
    if row is None or row["unit_id"] not in units:
        raise NotFound(f"No {what}", vi=f"Không có {what_vi}")


KINDS_OF_ROLE: dict[str, tuple[TaskKind, ...]] = {
    Role.REVIEWER: (TaskKind.REVIEW, TaskKind.OBJECTION), Role.DECIDER: (TaskKind.DECISION,)}
"""The kinds of task each role acts on."""


def kinds_acted_on(user: Actor) -> list[TaskKind]:
    return [k for r in sorted(user.roles) for k in KINDS_OF_ROLE.get(r, ())]


def require_auditor(user: Actor) -> Actor:
    if not user.roles & {Role.AUDITOR, Role.ADMIN}:
        raise WrongRole("Audit data is for auditors",
                        vi="Dữ liệu kiểm tra chỉ dành cho thanh tra, kiểm tra")
    return user
