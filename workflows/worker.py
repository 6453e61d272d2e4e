"""The Temporal worker that runs nomination workflows and their activities."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import (
    PollerBehaviorAutoscaling,
    UnsandboxedWorkflowRunner,
    Worker,
    WorkflowRunner,
)
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from infrastructure.group_commit import GroupCommit
from workflows.activities import NominationActivities
from workflows.nomination import NominationWorkflow

WORKFLOW_TASK_POLLERS = PollerBehaviorAutoscaling()
"""As many workflow-task polls as the server keeps answering: a fixed five (the SDK's
default, one of them for the shared queue every new workflow starts on) caps how many
workflows start per second; the bench's bare baseline polls the same way."""


SHUTDOWN_GRACE = timedelta(seconds=30)
"""The default of ``LAUREL_WORKER_SHUTDOWN_SECONDS``."""


def build_worker(
    client: Client, commands: GroupCommit, task_queue: str, sandboxed: bool = True,
    shutdown_grace: timedelta = SHUTDOWN_GRACE,
) -> Worker:
    """``sandboxed``: run the workflow in Temporal's sandbox, which refuses
    non-deterministic calls (the clock, randomness, I/O) as they happen. The tests and
    the replay of recorded histories always run it so; a production worker may leave it
    off and save the sandbox's cost on every activation.

    ``shutdown_grace``: once asked to stop (SIGTERM, a rolling deploy), the worker polls
    no more and gives the steps in flight this long to finish and be reported to
    Temporal before it cancels them. A step cut short is not lost (each is idempotent and
    Temporal retries it on another worker), but it is taken twice and the nomination
    waits for the retry; with the grace it is taken once."""
    activities = NominationActivities(commands)
    runner: WorkflowRunner = UnsandboxedWorkflowRunner()
    if sandboxed:
        # Our own modules are deterministic and side-effect free at import: pass them
        # through rather than re-import them in the sandbox for every workflow run.
        runner = SandboxedWorkflowRunner(restrictions=SandboxRestrictions.default
                                         .with_passthrough_modules("workflows", "domain",
                                                                   "eventsourcing"))
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[NominationWorkflow],
        activities=activities.all(),
        workflow_runner=runner,
        workflow_task_poller_behavior=WORKFLOW_TASK_POLLERS,
        # Every step runs as a local activity: no polls for activity tasks that never come.
        no_remote_activities=True,
        graceful_shutdown_timeout=shutdown_grace,
    )
