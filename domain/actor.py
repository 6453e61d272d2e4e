"""Who gives a command: a person acting for an org unit in one or more roles."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import WrongRole
from domain.vocabulary import Role


@dataclass(frozen=True)
class Actor:
    """Who gives a command: their id, their roles and the org unit they act for."""

    id: str
    roles: frozenset[str]
    unit_id: str

    def acting_as(self, role: Role) -> Role:
        if role not in self.roles:
            raise WrongRole(f"This needs the role '{role}'")
        return role


PUBLIC = Actor("public", frozenset({Role.PUBLIC}), "")
"""Anyone without an account, e.g. a citizen objecting during the public notice."""
