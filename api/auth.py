"""Bearer JWTs (HS256, algorithm pinned): who the caller is, their roles and unit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import jwt

from api.problems import Unauthenticated
from domain.nomination import Actor

ROLES = ("proposer", "reviewer", "decider", "auditor", "admin")
ALGORITHM = "HS256"


def issue_token(
    key: str, issuer: str, *, sub: str, roles: Iterable[str], unit: str, minutes: int,
    now: datetime | None = None,
) -> str:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ValueError(f"Roles must be among {', '.join(ROLES)}; got {roles}")
    issued = now or datetime.now(UTC)
    claims = {"sub": sub, "roles": roles, "unit": unit, "iss": issuer,
              "iat": issued, "exp": issued + timedelta(minutes=minutes)}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def verify_token(key: str, issuer: str, token: str) -> Actor:
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], issuer=issuer,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("The token has expired") from None
    except jwt.InvalidTokenError as error:
        raise Unauthenticated(f"The token is not valid: {error}") from None
    roles = claims.get("roles")
    unit = claims.get("unit")
    if not isinstance(roles, list) or not isinstance(unit, str) or not unit:
        raise Unauthenticated("The token names no roles or no unit")
    return Actor(id=str(claims["sub"]), roles=frozenset(r for r in roles if r in ROLES),
                 unit_id=unit)
