"""The event loop Laurel's processes run on: uvloop where it is installed.

The worker, relay and projector spend a fifth of their CPU in the event loop itself
(py-spy under the end-to-end load: callbacks from the Temporal core, thread hand-offs,
sockets); uvloop does the same work in C. The API gets it from uvicorn already.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on uvloop, or on asyncio's own loop where uvloop is missing."""
    try:
        import uvloop
    except ImportError:  # Windows: uvloop is not built there
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)
