"""The Temporal worker that runs nomination workflows and their activities."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from domain.application import Nominations
from workflows.activities import NominationActivities
from workflows.nomination import NominationWorkflow


def build_worker(
    client: Client, app: Nominations, task_queue: str, executor: ThreadPoolExecutor
) -> Worker:
    activities = NominationActivities(app)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[NominationWorkflow],
        activities=activities.all(),
        # Our own modules are deterministic and side-effect free at import: pass them
        # through rather than re-import them in the sandbox for every workflow run.
        workflow_runner=SandboxedWorkflowRunner(
            restrictions=SandboxRestrictions.default.with_passthrough_modules(
                "workflows", "domain", "eventsourcing")),
        activity_executor=executor,
    )
