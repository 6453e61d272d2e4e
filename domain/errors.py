"""Named domain errors. Each has a stable ``code`` that the API turns into a problem type."""

from __future__ import annotations


class DomainError(Exception):
    """A command that the process does not allow."""

    code = "domain-error"
    title = "The commendation process does not allow this"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    code = "not-found"
    title = "No such resource"


class UnknownAward(DomainError):
    code = "unknown-award"
    title = "Unknown award"


class UnknownOrgUnit(DomainError):
    code = "unknown-org-unit"
    title = "Unknown organisation unit"


class NomineeNotEligible(DomainError):
    code = "nominee-not-eligible"
    title = "This kind of nominee cannot receive this award"


class WrongLevel(DomainError):
    code = "wrong-level"
    title = "The action does not belong at this level"


class WrongRole(DomainError):
    code = "wrong-role"
    title = "Your role does not allow this action"


class WrongTaskKind(DomainError):
    code = "wrong-task-kind"
    title = "This task does not take that action"


class TaskClosed(DomainError):
    code = "task-closed"
    title = "The task is already closed"


class InvalidVoteTally(DomainError):
    code = "invalid-vote-tally"
    title = "The council's vote tally is not consistent"


class InvalidTransition(DomainError):
    code = "invalid-transition"
    title = "The nomination is not in a state that allows this"


class PolicyError(DomainError):
    """A policy document is wrong at ``where`` (a path such as ``awards[3].chain``)."""

    code = "invalid-policy"
    title = "The policy data is not valid"

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what


class StaleVersion(DomainError):
    """The caller acted on a version of the nomination that is no longer the latest
    (``If-Match``): nothing was recorded."""

    code = "stale-version"
    title = "The nomination has changed since the version you acted on"


class IdempotencyKeyReused(DomainError):
    """An idempotency key already used for another request by the same person."""

    code = "idempotency-key-reused"
    title = "This idempotency key was used for another request"


class ConcurrentChange(DomainError):
    code = "concurrent-change"
    title = "Someone else changed this nomination at the same moment"


class QuorumNotMet(DomainError):
    code = "quorum-not-met"
    title = "Too few council members were present to vote"


class OutcomeContradictsTally(DomainError):
    code = "outcome-contradicts-tally"
    title = "The recorded outcome is not what the ballot gives"


class ProcedureNotOffered(DomainError):
    code = "procedure-not-offered"
    title = "This award is not given under that procedure"


class NotInPublicNotice(DomainError):
    code = "not-in-public-notice"
    title = "The nomination is not open for objections"


class BulkItemRefused(DomainError):
    """One item of a list was refused; nothing of the list was recorded."""

    code = "bulk-item-refused"
    title = "An item of the list was refused, so none was recorded"

    def __init__(self, index: int, error: DomainError) -> None:
        super().__init__(f"items[{index}]: {error.detail}")
        self.index = index
        self.error = error
