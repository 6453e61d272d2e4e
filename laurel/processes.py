"""Each of Laurel's long-running processes, runnable alone (``laurel worker`` …)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import uvicorn
from sqlalchemy import Engine
from temporalio.client import Client

from infrastructure import metrics
from infrastructure.container import bootstrap
from infrastructure.database import make_engine
from infrastructure.directory import Directory
from infrastructure.leadership import Leadership
from infrastructure.mail import Mailer
from infrastructure.metrics import Progress
from infrastructure.positions import NOTIFIER, PROJECTOR, RELAY
from infrastructure.settings import Settings
from infrastructure.temporal import TemporalSettingsError, connect
from laurel.parent import EXIT_WITH_PARENT, exit_with_parent
from laurel.system import open_laurel
from projections.projector import Projector
from projections.schema import prepare_read_models
from workflows.notifier import Notifier
from workflows.reconciler import Reconciler
from workflows.relay import EventRelay
from workflows.worker import build_worker

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("laurel")


COLLECTOR_THRESHOLDS = (50_000, 20, 10)
"""The cycle collector's generation thresholds in Laurel's processes (Python's: 700, 10,
10). A request or an event makes thousands of short-lived objects, nearly all freed by
reference counting; at 700 the collector ran every few requests and, every few seconds,
walked every object the process holds: 13 % of the API's CPU under load (measured with
``gc.callbacks``), 1 % at 50,000. Cyclic garbage still goes, once 50,000 objects are
waiting."""


def tune_collector() -> None:
    """Called where each process starts: ``laurel <process>`` and each API worker."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM: the process finishes its batch and leaves."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def connect_with_retry(settings: Settings, stop: asyncio.Event) -> Client | None:
    """Temporal may still be starting: keep trying, until told to stop."""
    delay = 0.2
    while not stop.is_set():
        try:
            return await connect(settings)
        except TemporalSettingsError as error:  # no retry mends the settings
            raise SystemExit(f"laurel: {error}") from None
        except Exception as error:
            log.warning("Temporal at %s not reachable yet: %s", settings.temporal_address, error)
            try:
                await asyncio.wait_for(stop.wait(), timeout=delay)
            except TimeoutError:
                delay = min(delay * 2, 5)
    return None


async def keep_running(
    name: str, run: Callable[[asyncio.Event], Awaitable[None]], stop: asyncio.Event
) -> None:
    """Run a log follower; if it fails (a store or Temporal away), resume it later from
    its stored position rather than exit."""
    delay = 0.5
    while not stop.is_set():
        try:
            await run(stop)
            return
        except Exception:
            log.exception("%s failed; resuming from its stored position in %.1f s", name, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            delay = min(delay * 2, 30)


async def run_worker(settings: Settings) -> None:
    stop = stop_on_signals()
    laurel = bootstrap(settings)
    client = await connect_with_retry(settings, stop)
    if client is None:
        return
    worker = build_worker(client, laurel.commands, settings.task_queue,
                          sandboxed=settings.workflow_sandbox,
                          shutdown_grace=timedelta(seconds=settings.worker_shutdown_seconds))
    async with worker, metrics.heartbeat(settings.data_dir, Progress(metrics.WORKER)):
        log.info("worker polling task queue %s", settings.task_queue)
        await stop.wait()
        log.info("worker stopping: the steps in flight have %s s to finish",
                 settings.worker_shutdown_seconds)
    # Leaving the block waited for them; the command thread is closed after.
    laurel.close()


async def run_relay(settings: Settings) -> None:
    stop = stop_on_signals()
    laurel = bootstrap(settings)
    client = await connect_with_retry(settings, stop)
    if client is None:
        return
    progress = Progress(RELAY)
    relay = EventRelay(client, laurel.log, laurel.engine, settings.task_queue,
                       progress=progress)

    async def follow(lost: asyncio.Event) -> None:
        followers = [keep_running("relay", relay.run, lost)]
        if settings.workflow_check_minutes:
            # Every open nomination against its workflow, now and then; repaired where
            # safe: by the leading relay only.
            reconciler = Reconciler(client, laurel.nominations, laurel.log, relay)
            interval = settings.workflow_check_minutes * 60
            followers.append(keep_running(
                "workflow audit", lambda lost: reconciler.run(lost, interval), lost))
        await asyncio.gather(*followers)

    await while_leading(settings, laurel.engine, progress, follow, stop)
    laurel.close()


async def run_notifier(settings: Settings) -> None:
    """Needs no Temporal: it reads the event log and writes to it, and sends mail."""
    stop = stop_on_signals()
    laurel = bootstrap(settings)
    progress = Progress(NOTIFIER)
    notifier = Notifier(laurel.nominations, laurel.log, laurel.engine, laurel.policies,
                        Directory.of(settings.data_dir), Mailer.of(settings),
                        settings.public_base_url, clock=laurel.clock, progress=progress)
    await while_leading(settings, laurel.engine, progress,
                        lambda lost: keep_running("notifier", notifier.run, lost), stop)
    laurel.close()


async def run_projector(settings: Settings) -> None:
    stop = stop_on_signals()
    laurel = open_laurel(settings)  # refuses to start on read models of another version
    progress = Progress(PROJECTOR)
    projector = Projector(laurel.engine, laurel.log, progress=progress)
    await while_leading(settings, laurel.engine, progress,
                        lambda lost: keep_running("projector", projector.run, lost), stop)
    laurel.close()


METRICS_PORT_OFFSET = {RELAY: 0, PROJECTOR: 1, NOTIFIER: 2}
"""Each follower's metrics port, from ``metrics_port``: ``laurel up`` runs all three on
one machine with the same settings."""


async def while_leading(settings: Settings, engine: Engine, progress: Progress,
                        follow: Callable[[asyncio.Event], Awaitable[None]],
                        stop: asyncio.Event) -> None:
    """Run ``follow`` while this process holds its kind's lease (``Leadership``), until
    ``stop``; meanwhile write the heartbeat ``laurel alive`` reads and, with
    ``metrics_port``, serve the metrics and ``/livez``."""
    leadership = Leadership(engine, progress.consumer, retry=settings.leader_retry_seconds)
    server = None
    if settings.metrics_port:
        port = settings.metrics_port + METRICS_PORT_OFFSET[progress.consumer]
        server = await metrics.serve(settings.metrics_host, port, progress,
                                     settings.stalled_seconds)
        log.info("%s metrics on http://%s:%d/metrics", progress.consumer,
                 settings.metrics_host, port)
    try:
        async with metrics.heartbeat(settings.data_dir, progress):
            await leadership.lead(stop, follow, progress)
    finally:
        if server is not None:
            server.close()
            await server.wait_closed()


def run_api(settings: Settings) -> None:
    from api.app import create_app  # here: the worker, relay and projector need no web app

    # Checked here too, so that a changed schema stops the process with its message
    # before uvicorn starts (its workers would each fail in their lifespan).
    engine = make_engine(settings.read_model_url())
    try:
        prepare_read_models(engine)
    finally:
        engine.dispose()
    options: dict[str, Any] = {"host": settings.api_host, "port": settings.api_port,
                               "log_level": "info", "access_log": False,
                               "http": "laurel.http_protocol:BoundedHeadProtocol"}
    if settings.api_workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # Each worker process builds its own app, from the environment it inherits.
    os.environ.update(settings.as_environment())
    if os.environ.get(EXIT_WITH_PARENT):  # they go when this process goes
        os.environ[EXIT_WITH_PARENT] = str(os.getpid())
    uvicorn.run("laurel.processes:api_from_environment", factory=True,
                workers=settings.api_workers, **options)


def api_from_environment() -> FastAPI:
    """The API of the settings in the environment (a worker process of ``run_api``)."""
    from api.app import create_app

    tune_collector()
    exit_with_parent()
    return create_app(Settings())
