"""What every command on one nomination shares, wherever it is given (the application's
commands, a decision's items): the version its caller read, and the answer it leaves.

A command is told who may act first: a version tells no one outside the nomination's
reach that it exists. A stale read then explains any other refusal better than the state
the caller did not see; the changed copy is never saved.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from domain.commands import Changed
from domain.errors import DomainError, NotFound, StaleVersion, WrongRole
from domain.nomination import Nomination


def act_on_read(nomination: Nomination, act: Callable[[Nomination], object],
                expected_version: int | None) -> None:
    """``act`` on the nomination as its caller read it (``If-Match``: ``expected_version``;
    None: any), the version asked only after the command's own refusals of reach."""
    read = nomination.version
    try:
        act(nomination)
    except (NotFound, WrongRole):
        raise
    except DomainError:
        require_version(nomination.id, read, expected_version)
        raise
    require_version(nomination.id, read, expected_version)


def require_version(nomination_id: UUID, version: int, expected_version: int | None) -> None:
    """The version the caller acted on (``If-Match``), refused if no longer the latest."""
    if expected_version is not None and version != expected_version:
        raise StaleVersion(
            f"You acted on version {expected_version} of nomination {nomination_id}; "
            f"it is at version {version} now: read it again",
            vi=f"Bạn thao tác trên phiên bản {expected_version} của hồ sơ đề nghị, nhưng hồ "
               f"sơ nay đã ở phiên bản {version}: hãy tải lại hồ sơ. Chưa ghi "
               f"nhận gì")


def changed(nomination: Nomination) -> Changed:
    """What a command on one nomination answers: where it stands now."""
    return Changed(nomination.id, nomination.status, nomination.version,
                   nomination.dossier_version)
