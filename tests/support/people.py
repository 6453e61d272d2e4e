"""Who acts in a test: bearer-token headers for the API, Actors for the domain."""

from __future__ import annotations

from api.auth import issue_token
from domain.actor import Actor

JWT_SECRET = "a-test-signing-key-that-is-long-enough-for-hs256"


def token(sub: str, *roles: str, unit: str) -> dict[str, str]:
    """Authorization headers for a user with these roles at this unit."""
    jwt = issue_token(JWT_SECRET, "laurel", sub=sub, roles=roles, unit=unit, minutes=60)
    return {"Authorization": f"Bearer {jwt}"}


def person(role: str, unit: str) -> Actor:
    """Someone holding this one role at this unit, named after both."""
    return Actor(f"{role}@{unit}", frozenset({role}), unit)


actor = person
"""The same person, by the name the read-model tests give it."""
