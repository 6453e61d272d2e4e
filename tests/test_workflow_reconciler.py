"""``laurel audit workflows``: every open nomination against its Temporal workflow and
task. On the real dev server and real stores: workflows are terminated, never started or
left behind by hand, as an intruder or an accident would leave them; the reconciler names
each and, asked to, starts it again from the nomination's events, and the nomination
reaches its decision."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.application import Standing
from infrastructure.container import Laurel
from tests.support import commands
from tests.support.journey import (
    DECIDER,
    DISTRICT,
    PROVINCE,
    TALLY,
    UNIT,
    approve,
    propose,
    reviewer,
)
from tests.support.people import person
from tests.support.running import RunningSystem, eventually
from workflows import reconciler as r
from workflows.messages import NominationOutcome, Progress, workflow_id
from workflows.nomination import NominationWorkflow
from workflows.reconciler import Reconciler, Report
from workflows.relay import EventRelay
from workflows.worker import build_worker


def reconciler_of(laurel: Laurel, client: Client, settle: float = 0) -> Reconciler:
    relay = EventRelay(client, laurel.log, laurel.engine, laurel.settings.task_queue)
    return Reconciler(client, laurel.nominations, laurel.log, relay, settle=settle)


def workflow_of(client: Client,
                nomination_id: str) -> WorkflowHandle[NominationWorkflow, NominationOutcome]:
    return client.get_workflow_handle_for(NominationWorkflow.run, workflow_id(nomination_id))


async def at_the_province(system: RunningSystem) -> tuple[str, dict[str, Any]]:
    """A nomination the unit and district have approved, its province review open and
    its workflow waiting on it."""
    nomination_id = await propose(system)
    await approve(system, UNIT)
    await approve(system, DISTRICT)

    async def waiting() -> dict[str, Any] | None:
        inbox = (await system.http.get("/tasks", headers=reviewer(PROVINCE))).json()
        mine = [t for t in inbox["items"] if t["nomination_id"] == nomination_id]
        if not mine:
            return None
        progress = await workflow_of(system.client, nomination_id).query(
            NominationWorkflow.progress)
        return mine[0] if progress.open_task_id == mine[0]["id"] else None

    return nomination_id, await eventually(waiting)


async def terminated_behind_laurels_back(system: RunningSystem, nomination_id: str) -> str:
    workflow = workflow_of(system.client, nomination_id)
    run_id = (await workflow.describe()).run_id
    await workflow.terminate(reason="someone with access to Temporal")
    return run_id


async def reaches_its_decision(system: RunningSystem, nomination_id: str) -> None:
    await approve(system, PROVINCE)
    decision = await system.open_task(DECIDER)
    assert decision["kind"] == "decision" and decision["nomination_id"] == nomination_id


async def test_a_terminated_workflow_is_named_and_started_again_from_the_events(
    system: RunningSystem,
) -> None:
    nomination_id, province_task = await at_the_province(system)
    settled_id, _ = await at_the_province(system)  # one left alone: nothing to say of it
    old_run = await terminated_behind_laurels_back(system, nomination_id)
    reconciler = reconciler_of(system.laurel, system.client)

    report = await reconciler.check()
    assert report.checked == 2
    assert [(d.nomination_id, d.status, d.kind, d.repaired) for d in report.divergences] == [
        (nomination_id, "under_review", r.WORKFLOW_CLOSED, False)]
    assert "terminated" in report.divergences[0].detail
    assert report.unrepaired == report.divergences
    assert nomination_id in report.render() and "NOT repaired" in report.render()
    assert settled_id not in report.render()

    repaired = await reconciler.check(repair=True)
    assert [(d.nomination_id, d.kind, d.repaired) for d in repaired.divergences] == [
        (nomination_id, r.WORKFLOW_CLOSED, True)]
    assert repaired.unrepaired == []
    workflow = workflow_of(system.client, nomination_id)
    described = await workflow.describe()
    assert described.status == WorkflowExecutionStatus.RUNNING and described.run_id != old_run
    progress = await workflow.query(NominationWorkflow.progress)
    assert progress.open_task_id == province_task["id"]
    assert (await reconciler.check()).divergences == []
    # Nothing was recorded twice on the way back: the steps answered what was recorded.
    assert system.laurel.nominations.event_types(uuid.UUID(nomination_id)) == [
        "Proposed", "ReviewOpened", "ReviewedByCouncil", "Forwarded", "ReviewOpened",
        "ReviewedByCouncil", "Forwarded", "ReviewOpened"]

    await reaches_its_decision(system, nomination_id)


async def test_laurel_audit_workflows_names_and_repairs_on_the_command_line(
    system: RunningSystem, temporal: WorkflowEnvironment,
) -> None:
    nomination_id, _ = await at_the_province(system)
    await terminated_behind_laurels_back(system, nomination_id)
    settings = system.laurel.settings
    env = {**os.environ, **settings.as_environment(), "LAUREL_WORKFLOW_CHECK_MINUTES": "0"}
    address = temporal.client.service_client.config.target_host

    async def audit(*options: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "laurel", "audit", "workflows",
            "--temporal-address", address, "--settle", "0", *options, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await process.communicate()
        assert process.returncode is not None
        return process.returncode, out.decode()

    code, out = await audit()
    assert code == 1, out
    assert f"nomination {nomination_id} (under_review): workflow closed" in out
    assert "NOT repaired" in out and "--repair" in out

    code, out = await audit("--repair")
    assert code == 0, out
    assert f"nomination {nomination_id} (under_review): workflow closed" in out
    assert "— repaired" in out and "1 repaired, 0 left" in out

    code, out = await audit()
    assert code == 0 and "Checked 1 open nomination" in out, out
    await reaches_its_decision(system, nomination_id)


async def test_the_periodic_check_repairs_a_workflow_without_being_asked(
    system: RunningSystem,
) -> None:
    nomination_id, _ = await at_the_province(system)
    old_run = await terminated_behind_laurels_back(system, nomination_id)
    stop = asyncio.Event()
    checking = asyncio.create_task(
        reconciler_of(system.laurel, system.client).run(stop, interval=0.2))
    try:
        async def running_again() -> bool:
            described = await workflow_of(system.client, nomination_id).describe()
            return (described.status == WorkflowExecutionStatus.RUNNING
                    and described.run_id != old_run)

        await eventually(running_again)
    finally:
        stop.set()
        await checking
    await reaches_its_decision(system, nomination_id)


# -- without the relay: workflows never started, signals never sent ------------------


@pytest_asyncio.fixture
async def worker_only(laurel: Laurel, temporal: WorkflowEnvironment) -> AsyncIterator[Client]:
    """The worker runs; no relay: nothing starts or signals workflows but the test."""
    async with build_worker(temporal.client, laurel.commands, laurel.settings.task_queue):
        yield temporal.client


def proposed(laurel: Laurel) -> uuid.UUID:
    return commands.propose(laurel.nominations, person("proposer", UNIT),
                            award_code="bang-khen-tinh",
                            nominee={"name": "Trần Văn Bình", "kind": "individual"},
                            achievements="", documents=[], at=datetime.now(UTC)).id


async def open_task_of(laurel: Laurel, nomination_id: uuid.UUID, after: str = "") -> str:
    async def opened() -> str | None:
        task = laurel.nominations.standing(nomination_id).open_task_id
        return task if task and task != after else None

    return await eventually(opened)


async def test_a_nomination_whose_workflow_never_started_is_named_then_started(
    laurel: Laurel, worker_only: Client,
) -> None:
    nomination_id = proposed(laurel)

    # Just proposed, it is moving: named only once it has been still for a while.
    assert (await reconciler_of(laurel, worker_only, settle=120).check()).divergences == []
    reconciler = reconciler_of(laurel, worker_only)
    report = await reconciler.check()
    assert [(d.nomination_id, d.status, d.kind) for d in report.divergences] == [
        (str(nomination_id), "proposed", r.NO_WORKFLOW)]

    repaired = await reconciler.check(repair=True)
    assert [(d.kind, d.repaired) for d in repaired.divergences] == [(r.NO_WORKFLOW, True)]
    assert await open_task_of(laurel, nomination_id)
    assert laurel.nominations.event_types(nomination_id) == ["Proposed", "ReviewOpened"]


async def test_a_workflow_left_behind_by_a_lost_signal_is_named_and_caught_up(
    laurel: Laurel, worker_only: Client,
) -> None:
    nomination_id = proposed(laurel)
    reconciler = reconciler_of(laurel, worker_only)
    await reconciler.check(repair=True)  # starts its workflow
    task = await open_task_of(laurel, nomination_id)
    commands.review(laurel.nominations, nomination_id, task, person("reviewer", UNIT),
                    outcome="approve", votes=TALLY, note="", at=datetime.now(UTC))
    # No relay: the workflow never hears of the approval.

    report = await reconciler.check()
    assert [(d.status, d.kind) for d in report.divergences] == [
        ("under_review", r.WRONG_STEP)]
    assert f"waits on task {task}, which is closed (approve)" in report.divergences[0].detail

    repaired = await reconciler.check(repair=True)
    assert [(d.kind, d.repaired) for d in repaired.divergences] == [(r.WRONG_STEP, True)]
    district_task = await open_task_of(laurel, nomination_id, after=task)
    assert laurel.nominations.standing(nomination_id).open_task_id == district_task
    assert laurel.nominations.event_types(nomination_id)[-2:] == ["Forwarded", "ReviewOpened"]


async def test_a_workflow_that_does_not_answer_is_named_and_left_alone(
    laurel: Laurel, temporal: WorkflowEnvironment,
) -> None:
    nomination_id = proposed(laurel)
    async with build_worker(temporal.client, laurel.commands, laurel.settings.task_queue):
        await reconciler_of(laurel, temporal.client).check(repair=True)
        await open_task_of(laurel, nomination_id)
    # The worker is gone: nothing answers the workflow's queries.
    reconciler = reconciler_of(laurel, temporal.client)
    reconciler.answer_within = 1
    report = await reconciler.check(repair=True)
    assert [(d.kind, d.repaired) for d in report.divergences] == [(r.NO_ANSWER, False)]
    assert laurel.settings.task_queue in report.divergences[0].detail


# -- what is named, case by case -----------------------------------------------------


def standing(status: str, open_task: str = "", **outcomes: str) -> Standing:
    return Standing(status=status, review_steps=3, public_notice=False, outcomes=outcomes,
                    supplements=0, objections={}, open_task_id=open_task,
                    modified_at=datetime.now(UTC) - timedelta(hours=1))


def progress(waiting: str | None, review_steps: int = 3, **outcomes: str) -> Progress:
    return Progress(review_steps, waiting, dict(outcomes), confirms=True)


@pytest.mark.parametrize(("store", "workflow", "named"), [
    (standing("under_review", "t2", t1="approve"), progress("t2", t1="approve"), None),
    (standing("returned", "", t1="return"), progress("t1", t1="return"), None),
    (standing("public_notice", "", t1="approve"), progress("t1", t1="approve"), None),
    (standing("under_review", "t2", t1="approve"), progress("t1"), r.WRONG_STEP),
    (standing("under_review", "t2", t1="approve"), progress(None), r.WRONG_STEP),
    (standing("awaiting_decision", "d", t1="approve"), progress("t1", t1="approve"),
     r.WRONG_STEP),
    (standing("returned", "", t1="return"), progress("t1"), r.WRONG_STEP),
    (standing("under_review", "t1"), progress("t1", review_steps=0), r.WRONG_STEP),
    (standing("under_review", "", t1="approve"), progress("t1", t1="approve"),
     r.TASK_MISSING),
    (standing("proposed"), progress(None), r.TASK_MISSING),
])
def test_each_divergence_is_named(store: Standing, workflow: Progress,
                                  named: str | None) -> None:
    found = r._compared(store, workflow)
    assert (found and found[0]) == named


def test_a_report_says_what_is_left() -> None:
    report = Report(3, [r.Divergence("n1", "under_review", r.WORKFLOW_CLOSED, "x", True),
                        r.Divergence("n2", "proposed", r.NO_ANSWER, "y")], repairing=True)
    assert [d.nomination_id for d in report.unrepaired] == ["n2"]
    assert report.render().splitlines() == [
        "Checked 3 open nomination(s) against their workflows.",
        "  nomination n1 (under_review): workflow closed: x — repaired",
        "  nomination n2 (proposed): no answer: y — NOT repaired",
        "2 divergence(s): 1 repaired, 1 left.",
    ]
