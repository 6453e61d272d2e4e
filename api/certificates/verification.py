"""What the public verification page says of a certificate code, without an account:
who received which award by which decision, whether the award was revoked since (read
from the event store, so a revocation shows at once, not once a read model caught up),
whether this certificate was replaced (by which number), and the record's proof.

Nothing personal beyond the nominee's name, unit and award. The proof is the hash of the
nomination's ``Decided`` event and of the certificate's issue, each with its link in the
chain, and the latest auditor-signed checkpoint covering them (``infrastructure.proofs``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from api import labels
from domain.certificate import certificate_id, normalised_code
from domain.certificates import Certificates
from domain.errors import NotFound
from domain.nomination import Nomination
from domain.vocabulary import Status
from infrastructure.container import Laurel
from infrastructure.proofs import EventProof, SignedCheckpoints, chain_hash_at, event_proof

VALID, REVOKED, REPLACED = "valid", "revoked", "replaced"


def verification(laurel: Laurel, typed: str, checkpoints: SignedCheckpoints) -> dict[str, Any]:
    """The verification of the code ``typed`` (as people type it); ``NotFound`` for a
    code of no certificate."""
    code = normalised_code(typed)
    app = laurel.nominations
    certificate = Certificates(app).find(certificate_id(code))
    if certificate is None:
        raise NotFound("No certificate has this verification code",
                       vi="Không có giấy chứng nhận nào mang mã xác minh này")
    facts = certificate.facts
    nomination_id = UUID(facts["nomination_id"])
    nomination = app._get(nomination_id)
    policy = app.policy_of(nomination)
    revocation = _revocation(laurel, nomination) if nomination.status == Status.REVOKED else None
    state = (REVOKED if revocation else REPLACED if certificate.replaced_by else VALID)
    proofs = [_proof(laurel, "decided", nomination_id, int(facts["decided_version"])),
              _proof(laurel, "issued", certificate.id, 1)]
    recorded = [p for p in proofs if p["position"]]
    covering = max((p["position"] for p in recorded), default=0)
    return {
        "code": code, "state": state,
        "valid": state == VALID,
        "number": certificate.number,
        "issued_at": certificate.issued_at,
        "nominee_name": facts["nominee_name"],
        "unit": {"id": facts["nominee_unit"],
                 "name": labels.unit_name(policy, facts["nominee_unit"]) or facts["nominee_unit"]},
        "award": {"code": facts["award_code"],
                  "name": labels.award_name(policy, facts["award_code"])},
        "issuer": {"id": facts["unit_id"],
                   "name": labels.unit_name(policy, facts["unit_id"]) or facts["unit_id"]},
        "decision": {k: facts["decision"][k] for k in ("number", "date", "authority")},
        "revocation": revocation,
        "replaced_by": certificate.replaced_by or None,
        "replaces": facts["replaces"] or None,
        "proof": {"events": proofs, "checkpoint": _checkpoint(laurel, checkpoints, covering),
                  "head": _head(laurel)},
    }


def _revocation(laurel: Laurel, nomination: Nomination) -> dict[str, str] | None:
    """The revoking decision, from the nomination's latest ``Revoked`` event."""
    for event in laurel.nominations.repository.event_store.get(nomination.id, desc=True):
        if isinstance(event, Nomination.Revoked):
            return {"number": event.decision_number, "date": event.decision_date}
    return None


def _proof(laurel: Laurel, what: str, originator: UUID, version: int) -> dict[str, Any]:
    found: EventProof | None = event_proof(laurel.nominations.recorder, originator, version)
    return {"event": what, "position": 0, "event_hash": "", "previous_hash": "",
            "chain_hash": "", "intact": False, **(asdict(found) if found else {})}


def _checkpoint(laurel: Laurel, checkpoints: SignedCheckpoints,
                position: int) -> dict[str, Any] | None:
    """The latest auditor-signed checkpoint at or after ``position``, and whether the
    chain stored now still passes through it."""
    if not position:
        return None
    signed = checkpoints.covering(position)
    if signed is None:
        return None
    stored = chain_hash_at(laurel.nominations.recorder, signed.position)
    return {"position": signed.position, "chain_hash": signed.chain_hash,
            "signed_at": signed.signed_at, "signature": signed.signature,
            "matches": stored == signed.chain_hash}


def _head(laurel: Laurel) -> dict[str, Any] | None:
    """The chain's head now: not signed, but what the next checkpoint will cover."""
    recorder = laurel.nominations.recorder
    position = recorder.max_notification_id() or 0
    stored = chain_hash_at(recorder, position) if position else None
    return {"position": position, "chain_hash": stored} if stored else None

