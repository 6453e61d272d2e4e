"""Children that end with their parent: ``laurel up``'s children, and an API's worker
processes, stop once the process that started them is gone, however it ended."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger("laurel")

EXIT_WITH_PARENT = "LAUREL_EXIT_WITH_PARENT"
"""Names the pid of the process that started this one (``laurel up`` for its children; an
API for its worker processes): the child stops once that parent is gone."""

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn``: the kernel sends the child SIGTERM when this process ends, even
    by SIGKILL (the Temporal server is a Go binary and cannot watch for itself). Linux
    watches the thread that started the child: start children from a thread that lives
    as long as they should."""
    libc = _libc
    if libc is None:
        return None
    parent = os.getpid()

    def in_the_child() -> None:  # after fork, before exec: no locks, no imports
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # died before the request took hold
            os._exit(1)

    return in_the_child


def exit_with_parent(grace: float = 5) -> None:
    """In a child of ``laurel up``: once its parent is gone, stop as on SIGTERM, and exit
    anyway after ``grace`` seconds (Temporal may be gone too, and a graceful stop wait
    for it). The events and read models are safe from a hard exit: chaos tests it."""
    expected = os.environ.get(EXIT_WITH_PARENT)
    if not expected:
        return
    parent = int(expected)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        log.warning("its parent (pid %d) is gone: stopping", parent)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
