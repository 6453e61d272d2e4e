"""Bearer JWTs (HS256, algorithm pinned): who the caller is, their roles and unit."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import jwt

from api.problems import Unauthenticated
from domain.actor import Actor
from domain.vocabulary import ACCOUNT_ROLES

ROLES = ACCOUNT_ROLES
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


_VERIFIED: dict[tuple[str, str, str], tuple[Actor, float]] = {}
_VERIFIED_MAX = 4096


def verify_token(key: str, issuer: str, token: str) -> Actor:
    """The caller a token names, if it is signed with ``key`` and has not expired.

    A token verified once is remembered (by its exact bytes and the key) until it
    expires: decoding and checking it again cost more than the rest of a request's
    authentication. Tokens refused are never remembered.
    """
    remembered = _VERIFIED.get((key, issuer, token))
    if remembered is not None:
        actor, expires = remembered
        if time.time() < expires:
            return actor
        _VERIFIED.pop((key, issuer, token), None)
        raise Unauthenticated.expired()
    actor, expires = _decode(key, issuer, token)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[(key, issuer, token)] = (actor, expires)
    return actor


def _decode(key: str, issuer: str, token: str) -> tuple[Actor, float]:
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], issuer=issuer,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated.expired() from None
    except jwt.InvalidTokenError as error:
        raise Unauthenticated.invalid(error) from None
    return person_named(claims["sub"], claims.get("roles"), claims.get("unit")), float(
        claims["exp"])


def person_named(sub: object, roles: object, unit: object) -> Actor:
    """The person a verified token names, by Laurel or by the OpenID provider: someone
    with at least one of Laurel's roles, in a unit. A token of roles Laurel does not know
    is refused, not taken for a person who may only read."""
    if not isinstance(roles, list) or not isinstance(unit, str) or not unit:
        raise Unauthenticated("The sign-in names no roles or no unit",
                              vi="Lần đăng nhập không ghi vai trò hoặc đơn vị")
    known = frozenset(r for r in roles if r in ROLES)
    if not known:
        named = ", ".join(map(str, roles)) or "none"
        raise Unauthenticated(
            f"The sign-in names no role of Laurel's ({', '.join(ROLES)}); it named: {named}",
            vi=f"Lần đăng nhập không ghi vai trò nào của Laurel ({', '.join(ROLES)}); "
               f"vai trò được ghi: {named}")
    return Actor(str(sub), known, unit)
