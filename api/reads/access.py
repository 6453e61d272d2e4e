"""Who may see what, in one place. A nomination outside your reach is reported as not
found; a task is acted on by the roles of its kind, at its unit; who objected to a
nomination is the board's to know alone (``as_seen_by``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.actor import Actor
from domain.errors import NotFound, WrongRole
from domain.policy import OrgTree
from domain.vocabulary import Role, TaskKind

OVERSEERS = frozenset({Role.REVIEWER, Role.DECIDER, Role.AUDITOR, Role.ADMIN})
"""Roles that see the nominations of the units below their own. An administrator too:
of the province, that is every unit; of a ward, its ward."""


def is_uuid(value: str) -> bool:
    """Whether a path's id can name anything: another is not found, never a 500."""
    try:
        UUID(value)
    except ValueError:
        return False
    return True


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
    Role.REVIEWER: (TaskKind.REVIEW, TaskKind.OBJECTION, TaskKind.APPRAISAL,
                    TaskKind.CONSULTATION),
    Role.DECIDER: (TaskKind.DECISION,)}
"""The kinds of task each role acts on."""


def kinds_acted_on(user: Actor) -> list[TaskKind]:
    return [k for r in sorted(user.roles) for k in KINDS_OF_ROLE.get(r, ())]


def require_auditor(user: Actor) -> Actor:
    if not user.roles & {Role.AUDITOR, Role.ADMIN}:
        raise WrongRole("Audit data is for auditors",
                        vi="Dữ liệu kiểm tra chỉ dành cho thanh tra, kiểm tra")
    return user


# -- objectors: who may know who objected --------------------------------------------------

OBJECTOR_EVENTS = frozenset({"ObjectionLodged", "ObjectionConfirmed", "ObjectionCodeRejected"})
"""Events whose actor is the objector (signed in, or the public)."""
OBJECTOR_FIELDS = ("contact",)
"""What an objection records of its author besides the actor."""
SEALED_FIELDS = ("code_salt", "code_digest")
"""A confirmation code's seal: no reader's (the read models never hold it either)."""


def sees_objectors(user: Actor, route: dict[str, Any]) -> bool:
    """The board that verifies the objections to a nomination: reviewers of the unit that
    gave its public notice (the last level reviewing it). They alone learn who objected
    and how to reach them; no one else does — not the proposing unit, not a council below,
    not an inspector — so that an objector need not fear those they object to."""
    reviews = route.get("reviews") or []
    return Role.REVIEWER in user.roles and bool(reviews) and (
        reviews[-1]["unit_id"] == user.unit_id)


def reads_objections(user: Actor, route: dict[str, Any]) -> bool:
    """What an objection says: the board's, and inspectors' (auditors and administrators
    of the unit or above), who may check how the board dealt with it."""
    return bool(user.roles & {Role.AUDITOR, Role.ADMIN}) or sees_objectors(user, route)


def as_seen_by(user: Actor, route: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """A history entry (``type``, ``actor``…, ``data``) as ``user`` may see it: an
    objection's author — the account that lodged or confirmed it, its contact — only for
    the board (``sees_objectors``), what it says only for those who ``reads_objections``;
    everyone else sees that an objection was lodged, when, and how it was resolved."""
    if entry["type"] == "Proposed" and "notify_email" in entry["data"].get("nominee", {}):
        return _nominee_contact_as_seen_by(user, entry)
    if entry["type"] not in OBJECTOR_EVENTS:
        return entry
    data = {k: v for k, v in entry["data"].items() if k not in SEALED_FIELDS}
    withheld = []
    if not sees_objectors(user, route):
        withheld += [k for k in OBJECTOR_FIELDS if k in data]
        entry = {**entry, "actor": "", "actor_role": "", "actor_unit": ""}
    if "text" in data and not reads_objections(user, route):
        withheld.append("text")
    for key in withheld:
        del data[key]
    if withheld:
        data["withheld"] = withheld
    return {**entry, "data": data}


def _nominee_contact_as_seen_by(user: Actor, entry: dict[str, Any]) -> dict[str, Any]:
    """The nominee's own address, given to be told of the decision: the proposing unit's
    and inspectors' to see, no other reader's."""
    if entry["actor_unit"] == user.unit_id or user.roles & {Role.AUDITOR, Role.ADMIN}:
        return entry
    nominee = {k: v for k, v in entry["data"]["nominee"].items() if k != "notify_email"}
    return {**entry, "data": {**entry["data"], "nominee": nominee,
                              "withheld": ["nominee.notify_email"]}}
