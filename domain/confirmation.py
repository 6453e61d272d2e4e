"""Codes that confirm an objector's e-mail address before their objection holds anything.

Anyone may object during a public notice without an account, and an objection holds a
state-level award until the board resolves it: a flood of them would hold it for
nothing. So an objection from someone without an account holds the nomination only once
its author has shown that the e-mail address they gave is theirs, by typing back the
6-digit code sent to it.

The record keeps a salted HMAC of the code, never the code: the key is the service's own
(derived from its signing key), so a copy of the event store alone does not give the code
away, even though a 6-digit code is quickly guessed from an unkeyed hash. A code lasts
``CODE_MINUTES``; ``CODE_ATTEMPTS`` wrong tries lock it for good (the objector may lodge
the objection again).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

CODE_DIGITS = 6
CODE_MINUTES = 30
CODE_ATTEMPTS = 5
"""Wrong codes an objection takes; the last of them locks it."""

_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}")


def email_address(contact: str) -> str | None:
    """The e-mail address a contact is, if it is one (a phone number, a postal address or
    nothing is not)."""
    candidate = contact.strip()
    return candidate if _EMAIL.fullmatch(candidate) else None


_FULL_WIDTH = {ord("０") + i: str(i) for i in range(10)}


def typed_code(typed: str) -> str:
    """A code as typed, its digits only ("123 456" and "123-456" are "123456"; full-width
    digits count as digits)."""
    return "".join(c for c in typed.translate(_FULL_WIDTH) if c in "0123456789")


@dataclass(frozen=True)
class SealedCode:
    """What the record keeps of a code: enough to check one typed back, not to tell it."""

    salt: str
    digest: str
    expires_at: datetime


class ConfirmationCodes:
    """Makes codes and checks them, with a key only the service holds."""

    def __init__(self, secret: str | bytes) -> None:
        raw = secret.encode() if isinstance(secret, str) else secret
        self._key = hmac.new(raw, b"laurel objection confirmation codes", hashlib.sha256).digest()

    def new(self, at: datetime) -> tuple[str, SealedCode]:
        """A fresh code (to send) and its seal (to record), valid ``CODE_MINUTES`` from
        ``at``."""
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        salt = secrets.token_hex(16)
        return code, SealedCode(salt, self.digest(salt, code),
                                at + timedelta(minutes=CODE_MINUTES))

    def digest(self, salt: str, code: str) -> str:
        return hmac.new(self._key, f"{salt}:{typed_code(code)}".encode(),
                        hashlib.sha256).hexdigest()

    def matches(self, salt: str, digest: str, typed: str) -> bool:
        return hmac.compare_digest(self.digest(salt, typed), digest)
