"""Issuing certificates (``IssueCertificate``, ``ReissueCertificate``), given through
``Nominations.handle`` like every other command, so every issue records who did it.

Only an awarded nomination has a certificate. The first request for it issues it (whoever
may see the nomination asks for it; the one who did is recorded); later ones are
answered with the same certificate. A reissue, for a lost certificate, is for the
deciding unit's decider or an administrator at or above it, as a revocation is: a new
number of the register and a new code, the old certificate recorded as replaced by it.

The number comes from the issuing unit's register of the year (``CertificateRegister``),
saved in the same transaction as the certificate: a conflict (another issue took the
number meanwhile, another first request issued the nomination's certificate) stores
nothing, and the command is given again on what is stored now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.actor import Actor
from domain.certificate import (
    Certificate,
    CertificateRegister,
    NominationCertificates,
    certificate_id,
    new_code,
    record_id,
    register_id,
    register_number,
    register_suffix,
)
from domain.commands import (
    CertificateCommand,
    CertificateIssued,
    Context,
    IssueCertificate,
    ReissueCertificate,
)
from domain.errors import ConcurrentChange, NoCertificateYet, NotAwarded, NotFound
from domain.nomination import Nomination
from domain.vocabulary import Role, Status

if TYPE_CHECKING:
    from domain.application import Nominations

ATTEMPTS = 32
"""Times a command is given at most, losing a race for a number each time but the last:
each loss is another issue stored, so this many issues at once still all get theirs. (In
the API one thread gives a process's commands; races come from other processes.)"""
ISSUERS = (Role.DECIDER, Role.ADMIN, Role.PROPOSER, Role.REVIEWER, Role.AUDITOR)
"""The role recorded for whoever asked first, by precedence among theirs."""


class Certificates:
    """The certificates' side of ``Nominations``: same event store, same saves."""

    def __init__(self, app: Nominations) -> None:
        self.app = app

    def handle(self, command: CertificateCommand, context: Context) -> CertificateIssued:
        request = command.digest(context)
        for attempt in range(ATTEMPTS):
            try:
                match command:
                    case IssueCertificate():
                        return self._issue(command.nomination_id, context)
                    case ReissueCertificate():
                        return self._reissue(command, context, request)
            except ConcurrentChange:
                if attempt == ATTEMPTS - 1:
                    raise
        raise TypeError(f"{type(command).__name__} is not a certificate command")

    def find(self, certificate: UUID) -> Certificate | None:
        """The certificate as the event store holds it (None: no such certificate)."""
        return _found(self.app, certificate, Certificate)

    def of(self, nomination_id: UUID) -> Certificate | None:
        """The nomination's certificate in force (None: none issued)."""
        record = _found(self.app, record_id(nomination_id), NominationCertificates)
        return None if record is None else self.find(record.current)

    # -- the commands ---------------------------------------------------------------

    def _issue(self, nomination_id: UUID, context: Context) -> CertificateIssued:
        self.app.require_saved(record_id(nomination_id))
        record = _found(self.app, record_id(nomination_id), NominationCertificates)
        nomination = self._awarded(nomination_id)
        if record is not None:
            found = self.find(record.current)
            assert found is not None
            return _issued(found, issued=False)
        role = next((r for r in ISSUERS if r in context.actor.roles), Role.PUBLIC)
        register, certificate = self._new(nomination, context, role, replaces="", reason="")
        started = NominationCertificates.start(nomination_id, certificate.id, context.actor,
                                               role, context.at)
        self.app._save(register, certificate, started)
        return _issued(certificate, issued=True)

    def _reissue(self, command: ReissueCertificate, context: Context,
                 request: str) -> CertificateIssued:
        nomination_id = command.nomination_id
        self.app.require_saved(record_id(nomination_id))
        nomination = self.app._get(nomination_id)
        role = self._reissuer(nomination, context.actor)
        record = _found(self.app, record_id(nomination_id), NominationCertificates)
        if record is not None and request in record.requests and request:
            found = self.find(record.current)  # this keyed request, sent again
            assert found is not None
            return _issued(found, issued=False)
        self._awarded(nomination_id)
        old = None if record is None else self.find(record.current)
        if record is None or old is None:
            raise NoCertificateYet("No certificate was issued for this nomination yet",
                                   vi="Hồ sơ này chưa được cấp giấy chứng nhận")
        reason = " ".join(command.reason.split())
        register, certificate = self._new(nomination, context, role, replaces=old.number,
                                          reason=reason)
        old.replace(certificate.number, reason, context.actor, role, context.at)
        record.reissue(certificate.id, reason, context.actor, role, context.at, request)
        self.app._save(register, certificate, old, record)
        return _issued(certificate, issued=True)

    # -- shared ---------------------------------------------------------------------

    def _awarded(self, nomination_id: UUID) -> Nomination:
        nomination = self.app._get(nomination_id)
        if nomination.status != Status.AWARDED:
            raise NotAwarded(
                f"The nomination is {nomination.status}: only an awarded one has a "
                "certificate",
                vi="Hồ sơ chưa có hoặc không còn quyết định khen thưởng, nên không cấp giấy "
                   "chứng nhận")
        return nomination

    def _reissuer(self, nomination: Nomination, actor: Actor) -> str:
        """The deciding unit's decider, or an administrator at or above it (as for a
        revocation); anyone else finds no such nomination."""
        deciding = nomination.route.decision.unit_id
        policy = self.app.policy_of(nomination)
        if Role.ADMIN in actor.roles and deciding in policy.org.subtree(actor.unit_id):
            return Role.ADMIN
        if actor.unit_id == deciding:
            return actor.acting_as(Role.DECIDER)
        raise NotFound("No such nomination", vi="Không có hồ sơ đề nghị này")

    def _new(self, nomination: Nomination, context: Context, role: str, *, replaces: str,
             reason: str) -> tuple[CertificateRegister, Certificate]:
        """The next number of the deciding unit's register this year, given to a new
        certificate of ``nomination`` (both unsaved)."""
        policy = self.app.policy_of(nomination)
        unit_id = nomination.route.decision.unit_id
        year = context.at.astimezone(policy.calendar.zone).year
        self.app.require_saved(register_id(unit_id, year))
        register = (_found(self.app, register_id(unit_id, year), CertificateRegister)
                    or CertificateRegister.open(unit_id, year, context.actor, role, context.at))
        code = new_code()
        serial = register.take(certificate_id(code), context.actor, role, context.at)
        unit = policy.org.units.get(unit_id)
        suffix = register_suffix(unit) if unit is not None else "GCN"
        certificate = Certificate.issue(
            code=code, actor=context.actor, role=role, at=context.at,
            nomination_id=str(nomination.id), number=register_number(serial, year, suffix),
            unit_id=unit_id, year=year, nominee_name=str(nomination.nominee.get("name", "")),
            nominee_unit=nomination.unit_id, award_code=nomination.award_code,
            replaces=replaces, reason=reason, **self._decided(nomination.id))
        return register, certificate

    def _decided(self, nomination_id: UUID) -> dict[str, Any]:
        """The award's decision, from the nomination's last ``Decided`` event, and that
        event's version (the record the certificate's proof points to)."""
        decided: Nomination.Decided | None = None
        for event in self.app.repository.event_store.get(nomination_id):
            if isinstance(event, Nomination.Decided):
                decided = event
        assert decided is not None, "an awarded nomination was decided"
        return {"decided_version": decided.originator_version,
                "decision": {"number": decided.decision_number, "date": decided.decision_date,
                             "signer": decided.signer, "authority": decided.authority}}


A = TypeVar("A")


def _found(app: Nominations, aggregate_id: UUID, kind: type[A]) -> A | None:
    try:
        found: object = app.repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None
    return found if isinstance(found, kind) else None


def _issued(certificate: Certificate, *, issued: bool) -> CertificateIssued:
    return CertificateIssued(certificate.id, UUID(str(certificate.facts["nomination_id"])),
                             certificate.code, certificate.number, issued)
