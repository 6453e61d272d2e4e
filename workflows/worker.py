"""The Temporal worker that runs nomination workflows and their activities."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from domain.application import Nominations
from workflows.activities import NominationActivities
from workflows.nomination import NominationWorkflow


def build_worker(
    client: Client, app: Nominations, task_queue: str, executor: ThreadPoolExecutor,
    sandboxed: bool = True,
) -> Worker:
    """``sandboxed``: run the workflow in Temporal's sandbox, which refuses
    non-deterministic calls (the clock, randomness, I/O) as they happen. The tests and
    the replay of recorded histories always run it so; a production worker may leave it
    off and save the sandbox's cost on every activation."""
    activities = NominationActivities(app)
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
        activity_executor=executor,
    )
