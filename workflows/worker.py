"""The Temporal worker that runs nomination workflows and their activities."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker

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
        activity_executor=executor,
    )
