"""The board's acts on many objections at once."""

from __future__ import annotations

from fastapi import APIRouter

from api import commands
from api.deps import NewCommand
from api.problems import PROBLEM_RESPONSES
from api.schemas import DismissalResult, ObjectionDismissalCreate
from domain.commands import Dismissed

router = APIRouter(prefix="/objections", tags=["nominations"], responses=PROBLEM_RESPONSES)


@router.post("/dismissal")
async def dismiss_objections(body: ObjectionDismissalCreate,
                             command: NewCommand) -> DismissalResult:
    """The board of the level that gave notice dismisses many pending objections, of one
    nomination or several, in one act (with `abuse`: as abuse, a flood say): each its own
    event, all or none. One refused item refuses the list: the problem names it and
    nothing is recorded."""
    dismissed = await command.give(commands.dismiss_objections(command.user, command.laurel,
                                                               body))
    assert isinstance(dismissed, Dismissed)
    return DismissalResult(nominations=[commands.action_result(c)
                                        for c in dismissed.nominations])
