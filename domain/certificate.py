"""Certificates of an award (*giấy chứng nhận*), numbered in the issuing unit's register
and verifiable by anyone with their code (domain.md, "Decisions, certificates,
publication").

Three aggregates, all in the nominations' event store (so the hash chain covers them):

- ``CertificateRegister``: one per issuing unit and year, holding the last number given.
  Issuing saves the register's next version with the certificate in one transaction, so
  two issues that raced for the same number conflict in the store, and the loser retries
  with the next: a number is never used twice, and none is skipped.
- ``Certificate``: one per certificate, its id derived from its verification code
  (``certificate_id``), so the public page finds it by the code alone, no index needed.
  A lost certificate's replacement is a new certificate; the old one records that it was
  replaced, and by which number.
- ``NominationCertificates``: one per nomination, its id derived from the nomination's,
  naming the certificate in force. Its creation is what makes the first issue happen
  once: two first requests racing both try to create it, and the store keeps one.
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.policy import OrgUnit

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not mistaken."""
CODE_BITS = 80
"""A code's randomness: 2⁸⁰ codes, not to be guessed or walked through (16 symbols)."""
_TYPOS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_CERTIFICATES = UUID("5f0b8f3e-2c4d-4e0a-9d7c-61b2a8e4c3f1")
"""Namespace of the certificates' ids (from their code), the registers' (from unit and
year) and the nominations' certificate records (from the nomination)."""


def new_code() -> str:
    """A fresh verification code, ``XXXX-XXXX-XXXX-XXXX`` (80 random bits)."""
    number = secrets.randbits(CODE_BITS)
    symbols = "".join(CROCKFORD[(number >> shift) & 31]
                      for shift in range(CODE_BITS - 5, -1, -5))
    return code_form(symbols)


def code_form(symbols: str) -> str:
    return "-".join(symbols[i:i + 4] for i in range(0, len(symbols), 4))


def normalised_code(typed: str) -> str:
    """A code as people type it — spaces, dashes, lower case, O for 0, I or L for 1 — in
    its printed form; anything else comes back as its letters and digits (no code)."""
    letters = "".join(c for c in unicodedata.normalize("NFKC", typed).upper() if c.isalnum())
    letters = letters.translate(_TYPOS)
    if len(letters) == CODE_BITS // 5 and all(c in CROCKFORD for c in letters):
        return code_form(letters)
    return letters


def certificate_id(code: str) -> UUID:
    """The certificate a code names (its printed form, ``normalised_code``)."""
    return uuid5(_CERTIFICATES, f"certificate\n{code}")


def register_id(unit_id: str, year: int) -> UUID:
    return uuid5(_CERTIFICATES, f"register\n{unit_id}\n{year}")


def record_id(nomination_id: UUID) -> UUID:
    """The id of the nomination's certificate record (``NominationCertificates``)."""
    return uuid5(_CERTIFICATES, f"nomination\n{nomination_id}")


def register_number(serial: int, year: int, suffix: str) -> str:
    """As printed: ``15/2026/GCN-UBND``."""
    return f"{serial}/{year}/{suffix}"


ADMINISTRATIVE = frozenset({"province", "city", "town", "district", "commune", "ward",
                            "township"})
"""Kinds of unit whose acts are issued by their People's Committee (Ủy ban nhân dân)."""


def register_suffix(unit: OrgUnit) -> str:
    """The register's sign after the number: ``GCN-UBND`` for a People's Committee, else
    the unit's initials (``Sở Giáo dục và Đào tạo``: ``GCN-SGDĐT``)."""
    if unit.kind in ADMINISTRATIVE or unit.parent_id is None:
        return "GCN-UBND"
    initials = "".join(word[0] for word in unit.name.split() if word.lower() != "và")
    return f"GCN-{initials.upper()}"


class _Event(Aggregate.Event):
    actor: str
    actor_role: str
    actor_unit: str


class CertificateRegister(Aggregate):
    """A unit's certificate register for one year: the last number given."""

    class Opened(_Event, Aggregate.Created):
        unit_id: str
        year: int

        def apply(self, aggregate: CertificateRegister) -> None:
            aggregate.unit_id, aggregate.year = self.unit_id, self.year

    class Numbered(_Event):
        serial: int
        certificate_id: str

        def apply(self, aggregate: CertificateRegister) -> None:
            aggregate.last = self.serial

    def __init__(self) -> None:
        self.last = 0
        self.unit_id: str
        self.year: int

    @classmethod
    def open(cls, unit_id: str, year: int, actor: Actor, role: str,
             at: datetime) -> CertificateRegister:
        return cls._create(cls.Opened, id=register_id(unit_id, year), timestamp=at,
                           actor=actor.id, actor_role=role, actor_unit=actor.unit_id,
                           unit_id=unit_id, year=year)

    def take(self, certificate: UUID, actor: Actor, role: str, at: datetime) -> int:
        """The next number, given to ``certificate``."""
        self.trigger_event(self.Numbered, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, serial=self.last + 1,
                           certificate_id=str(certificate))
        return self.last


FACTS = ("nomination_id", "code", "number", "unit_id", "year", "nominee_name", "nominee_unit",
         "award_code", "decision", "decided_version", "replaces", "reason", "actor",
         "actor_role", "actor_unit")
"""What a certificate's issue states (``Certificate.facts``)."""


class Certificate(Aggregate):
    """One certificate as issued: what it states, and whether it was replaced."""

    class Issued(_Event, Aggregate.Created):
        nomination_id: str
        code: str
        number: str
        """The register number, as printed (``15/2026/GCN-UBND``)."""
        unit_id: str
        """The issuing (deciding) unit, whose register the number is of."""
        year: int
        nominee_name: str
        nominee_unit: str
        """The proposing unit (the nominee's)."""
        award_code: str
        decision: dict[str, str]
        """The award's decision as the nomination records it: ``number``, ``date``,
        ``signer``, ``authority``."""
        decided_version: int
        """The nomination's version whose event (``Decided``) awarded it: its proof."""
        replaces: str = ""
        """The number of the certificate this one replaces ("" for the first)."""
        reason: str = ""
        """Why it was issued again (a lost certificate); "" for the first."""

        def apply(self, aggregate: Certificate) -> None:
            aggregate.facts = {name: getattr(self, name) for name in FACTS}
            aggregate.issued_at = self.timestamp

    class Replaced(_Event):
        by_number: str
        reason: str

        def apply(self, aggregate: Certificate) -> None:
            aggregate.replaced_by = self.by_number

    def __init__(self) -> None:
        self.replaced_by = ""
        self.facts: dict[str, Any]
        self.issued_at: datetime

    @classmethod
    def issue(cls, *, code: str, actor: Actor, role: str, at: datetime,
              **facts: Any) -> Certificate:
        return cls._create(cls.Issued, id=certificate_id(code), timestamp=at, actor=actor.id,
                           actor_role=role, actor_unit=actor.unit_id, code=code, **facts)

    def replace(self, by_number: str, reason: str, actor: Actor, role: str,
                at: datetime) -> None:
        self.trigger_event(self.Replaced, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, by_number=by_number, reason=reason)

    @property
    def number(self) -> str:
        return str(self.facts["number"])

    @property
    def code(self) -> str:
        return str(self.facts["code"])


class NominationCertificates(Aggregate):
    """The certificates a nomination was issued, the last one in force."""

    class Started(_Event, Aggregate.Created):
        nomination_id: str
        certificate_id: str

        def apply(self, aggregate: NominationCertificates) -> None:
            aggregate.certificates = [self.certificate_id]

    class Reissued(_Event):
        certificate_id: str
        reason: str
        request: str = ""
        """A digest of the keyed request that reissued it (empty without a key)."""

        def apply(self, aggregate: NominationCertificates) -> None:
            aggregate.certificates.append(self.certificate_id)
            aggregate.requests.add(self.request)

    def __init__(self) -> None:
        self.certificates: list[str] = []
        self.requests: set[str] = {""}

    @classmethod
    def start(cls, nomination_id: UUID, certificate: UUID, actor: Actor, role: str,
              at: datetime) -> NominationCertificates:
        return cls._create(cls.Started, id=record_id(nomination_id), timestamp=at,
                           actor=actor.id, actor_role=role, actor_unit=actor.unit_id,
                           nomination_id=str(nomination_id), certificate_id=str(certificate))

    def reissue(self, certificate: UUID, reason: str, actor: Actor, role: str,
                at: datetime, request: str = "") -> None:
        self.trigger_event(self.Reissued, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, certificate_id=str(certificate),
                           reason=reason, request=request)

    @property
    def current(self) -> UUID:
        return UUID(self.certificates[-1])
