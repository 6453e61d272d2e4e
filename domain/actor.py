"""Who gives a command: a person acting for an org unit in one or more roles."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import WrongRole
from domain.vocabulary import Label, Role

ROLE_NAMES = {
    Role.PROPOSER: Label("Văn thư đơn vị đề nghị", "Proposing clerk"),
    Role.REVIEWER: Label("Thư ký Hội đồng Thi đua – Khen thưởng", "Council secretary"),
    Role.DECIDER: Label("Người có thẩm quyền quyết định", "Decision maker"),
    Role.AUDITOR: Label("Thanh tra, kiểm tra", "Inspector"),
    Role.ADMIN: Label("Quản trị hệ thống", "Administrator"),
    Role.PUBLIC: Label("Người dân (không có tài khoản)", "Member of the public (no account)"),
    Role.SYSTEM: Label("Hệ thống (tự động)", "The system (automatic)"),
}


@dataclass(frozen=True)
class Actor:
    """Who gives a command: their id, their roles and the org unit they act for."""

    id: str
    roles: frozenset[str]
    unit_id: str

    def acting_as(self, role: Role) -> Role:
        if role not in self.roles:
            name = ROLE_NAMES[role]
            raise WrongRole(f"This needs the role of {name.en.lower()} ('{role}')",
                            vi=f"Việc này cần vai trò {name.vi_in_sentence} ('{role}')")
        return role


PUBLIC = Actor("public", frozenset({Role.PUBLIC}), "")
"""Anyone without an account, e.g. a citizen objecting during the public notice."""
