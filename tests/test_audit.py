"""Auditors: tampering with one stored event is caught and named; a nomination as of any
moment; decision history with tally, rule and policy version; streamed exports."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from api.reads.audit import attachment
from infrastructure.audit_chain import verify_chain
from infrastructure.container import Laurel
from projections.projector import Projector
from tests.support.commands import propose_many, review_many
from tests.support.nominations import FOR, several_nominations, take_through
from tests.support.people import actor, token

AUDITOR = token("inspector", "auditor", unit="hg")


def raw_sql(laurel: Laurel) -> Callable[[str, tuple[Any, ...]], list[Any]]:
    """Run SQL on the event store directly, as an operator with sqlite3 or psql would."""
    s = laurel.settings
    if s.database_url:
        def run_pg(statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
            with psycopg.connect(s.database_url, autocommit=True) as conn:
                cursor = conn.execute(statement.replace("?", "%s").replace(
                    "EVENTS", "laurel_events").replace("ID", "notification_id"), params)
                return cursor.fetchall() if cursor.description else []
        return run_pg

    def run_sqlite(statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with sqlite3.connect(s.data_dir / "events.db") as conn:
            return conn.execute(statement.replace("EVENTS", "stored_events").replace(
                "ID", "rowid"), params).fetchall()
    return run_sqlite


def change_one_byte(sql: Callable[..., list[Any]]) -> int:
    [(state,)] = sql("SELECT state FROM EVENTS WHERE ID = ?", (5,))
    tampered = bytearray(state)
    tampered[len(tampered) // 2] ^= 0x01
    sql("UPDATE EVENTS SET state = ? WHERE ID = ?", (bytes(tampered), 5))
    return 5


def delete_one(sql: Callable[..., list[Any]]) -> int:
    sql("DELETE FROM EVENTS WHERE ID = ?", (7,))
    return 7


def swap_two(sql: Callable[..., list[Any]]) -> int:
    sql("UPDATE EVENTS SET ID = ? WHERE ID = ?", (-1, 3))
    sql("UPDATE EVENTS SET ID = ? WHERE ID = ?", (3, 4))
    sql("UPDATE EVENTS SET ID = ? WHERE ID = ?", (4, -1))
    return 3


def insert_one(sql: Callable[..., list[Any]]) -> int:
    [(oid, version, topic, state)] = sql(
        "SELECT originator_id, originator_version, topic, state FROM EVENTS WHERE ID = ?", (2,))
    sql("INSERT INTO EVENTS (originator_id, originator_version, topic, state) "
        "VALUES (?, ?, ?, ?)", (oid, version + 100, topic, state))
    [(position,)] = sql("SELECT MAX(ID) FROM EVENTS", ())
    return int(position)


@pytest.mark.parametrize(
    ("tamper", "kind"),
    [(change_one_byte, "changed"), (delete_one, "deleted"), (swap_two, "moved"),
     (insert_one, "inserted")],
)
def test_tampering_with_a_stored_event_is_caught_and_named(
    laurel: Laurel, tamper: Callable[..., int], kind: str
) -> None:
    several_nominations(laurel)
    before = verify_chain(laurel.nominations.recorder)
    assert before.intact and before.events == laurel.log.last_position()

    position = tamper(raw_sql(laurel))

    report = verify_chain(laurel.nominations.recorder)
    assert report.first_break is not None, report.render()
    assert (report.first_break.position, report.first_break.kind) == (position, kind)
    assert report.first_break.nomination_id  # names the nomination
    assert f"BROKEN at position {position}" in report.render()


def test_deleting_an_event_and_its_link_still_breaks_the_chain(laurel: Laurel) -> None:
    several_nominations(laurel)
    sql = raw_sql(laurel)
    sql("DELETE FROM EVENTS WHERE ID = ?", (6,))
    table = "laurel_events_chain" if laurel.settings.database_url else "stored_events_chain"
    sql(f"DELETE FROM {table} WHERE notification_id = ?", (6,))
    broken = verify_chain(laurel.nominations.recorder).first_break
    assert broken is not None and (broken.position, broken.kind) == (7, "relinked")


async def test_an_auditor_sees_a_nomination_as_it_was_at_three_moments(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    nomination_id = take_through(laurel, "hg.vi-thanh.phuong-1", ["approve"] * 3, decide=True)
    Projector(laurel.engine, laurel.log).catch_up()
    path = f"/audit/nominations/{nomination_id}"
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # when take_through proposes

    proposed = (await http.get(path, params={"as_of": start.isoformat()}, headers=AUDITOR))
    assert proposed.status_code == 200, proposed.text
    assert (proposed.json()["status"], proposed.json()["version"]) == ("proposed", 1)

    reviewing = (await http.get(path, params={"as_of": (start + timedelta(days=1, hours=1))
                                              .isoformat()}, headers=AUDITOR)).json()
    assert reviewing["status"] == "under_review"
    assert reviewing["open_task"]["unit_id"] == "hg.vi-thanh.phuong-1"
    assert reviewing["policy_version"] == "2024.1"

    now = (await http.get(path, headers=AUDITOR)).json()
    assert now["status"] == "awarded" and now["open_task"] is None
    by_version = (await http.get(path, params={"version": 3}, headers=AUDITOR)).json()
    assert by_version["version"] == 3

    before_it_existed = await http.get(path, params={"as_of": "2020-01-01T00:00:00Z"},
                                       headers=AUDITOR)
    assert before_it_existed.status_code == 404


async def test_decision_history_explains_each_step(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    nomination_id = take_through(laurel, "hg.vi-thanh.phuong-1", ["approve"] * 3, decide=True)
    Projector(laurel.engine, laurel.log).catch_up()
    body = (await http.get(f"/audit/nominations/{nomination_id}/history", headers=AUDITOR)
            ).json()
    reviews = [s for s in body["items"] if s["type"] == "ReviewedByCouncil"]
    assert [r["level"] for r in reviews] == ["unit", "district", "province"]
    first = reviews[0]
    assert first["actor"] == "reviewer@hg.vi-thanh.phuong-1"
    assert first["actor_role"] == "reviewer" and first["actor_unit"] == "hg.vi-thanh.phuong-1"
    assert first["votes"]["for"] == FOR["for"] and first["rule"]["approval_share"] == "1/2"
    assert first["result"]["approved"] is True and first["policy_version"] == "2024.1"


async def test_audit_data_is_for_auditors_of_the_unit_only(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    nomination_id = take_through(laurel, "hg.vi-thanh.phuong-1", ["approve"])
    Projector(laurel.engine, laurel.log).catch_up()
    path = f"/audit/nominations/{nomination_id}/history"
    other_district = token("i2", "auditor", unit="hg.nga-bay")
    assert (await http.get(path, headers=other_district)).status_code == 404
    proposer = token("c", "proposer", unit="hg.vi-thanh.phuong-1")
    assert (await http.get(path, headers=proposer)).status_code == 403
    assert (await http.get("/audit/verify", headers=proposer)).status_code == 403
    assert (await http.post("/audit/verify", headers=AUDITOR)).status_code == 405
    verified = (await http.get("/audit/verify", headers=AUDITOR)).json()
    assert verified["intact"] is True and verified["events"] == laurel.log.last_position()


async def test_an_export_streams_a_units_events_for_a_date_range(
    http: httpx.AsyncClient, laurel: Laurel
) -> None:
    several_nominations(laurel)
    Projector(laurel.engine, laurel.log).catch_up()
    params = {"from": "2026-01-01", "to": "2026-12-31", "unit": "hg.vi-thanh"}
    response = await http.get("/audit/export", params=params, headers=AUDITOR)
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {r["proposing_unit_id"] for r in rows} == {"hg.vi-thanh.phuong-1"}
    reviewed = [r for r in rows if r["type"] == "ReviewedByCouncil"]
    assert reviewed[0]["for"] == str(FOR["for"]) and reviewed[0]["policy_version"] == "2024.1"

    as_json = (await http.get("/audit/export", params={**params, "format": "json"},
                              headers=AUDITOR)).json()
    assert [r["position"] for r in as_json] == [int(r["position"]) for r in rows]

    january = await http.get("/audit/export", headers=AUDITOR,
                             params={**params, "to": "2026-01-05"})
    assert {r["type"] for r in csv.DictReader(io.StringIO(january.text))} == {"Proposed"}
    foreign = token("i", "auditor", unit="hg.nga-bay")
    assert (await http.get("/audit/export", params=params, headers=foreign)).status_code == 404

    # An administrator exports what lies at or below its unit, and nothing else.
    province_admin = token("root", "admin", unit="hg")
    ward_admin = token("ward", "admin", unit="hg.nga-bay.xa-dai-thanh")
    district = {**params, "unit": "hg.vi-thanh"}
    assert (await http.get("/audit/export", params=district,
                           headers=province_admin)).status_code == 200
    for refused in ((ward_admin, district), (province_admin, {**params, "unit": "Phường X"})):
        assert (await http.get("/audit/export", params=refused[1],
                               headers=refused[0])).status_code == 404


def test_a_unit_named_in_any_script_still_names_the_download() -> None:
    """As UTF-8, and in plain ASCII for the clients that read only that."""
    disposition = attachment("laurel-audit-Phường Vị Thanh-2026.csv")
    assert 'filename="laurel-audit-Ph__ng_V__Thanh-2026.csv"' in disposition
    assert "filename*=UTF-8''laurel-audit-Ph%C6%B0%E1%BB%9Dng%20V%E1%BB%8B%20Thanh-" in (
        disposition)


def test_the_chain_continues_across_saves_of_many_nominations_at_once(laurel: Laurel) -> None:
    from domain.commands import NomineeItem

    propose_many(
        laurel.nominations, actor("proposer", "hg.so-yte"),
        [NomineeItem("giay-khen", {"name": f"N{i}", "kind": "individual"}) for i in range(30)],
        datetime(2026, 2, 2, tzinfo=UTC))
    several_nominations(laurel)
    report = verify_chain(laurel.nominations.recorder)
    assert report.intact and report.events == laurel.log.last_position()


def test_the_chain_continues_when_one_save_carries_on_many_nominations(laurel: Laurel) -> None:
    """A council's list reviewed at once: each nomination's link follows its own last
    one, looked up for all of them together."""
    from domain.commands import NomineeItem, ReviewItem

    app, at = laurel.nominations, datetime(2026, 2, 2, tzinfo=UTC)
    _, proposals = propose_many(
        app, actor("proposer", "hg.so-yte"),
        [NomineeItem("giay-khen", {"name": f"N{i}", "kind": "individual"}) for i in range(12)],
        at)
    tasks = [app.open_review(p.id, 0, at) for p in proposals]
    reviewer = actor("reviewer", laurel.policy.plan_route(
        "giay-khen", "hg.so-yte", "individual").reviews[0].unit_id)
    review_many(app, reviewer, [
        ReviewItem(p.id, t.task_id, "approve", FOR) for p, t in zip(proposals, tasks, strict=True)
        if t is not None], at + timedelta(days=1))
    report = verify_chain(app.recorder)
    assert report.intact and report.events == laurel.log.last_position() == 12 * 3


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_laurel_audit_verify_exits_nonzero_at_a_broken_link(laurel: Laurel) -> None:
    several_nominations(laurel)
    command = [sys.executable, "-m", "laurel", "audit", "verify", "--data-dir",
               str(laurel.settings.data_dir)]
    intact = subprocess.run(command, capture_output=True, text=True, check=False)
    assert intact.returncode == 0 and "Intact:" in intact.stdout
    change_one_byte(raw_sql(laurel))
    broken = subprocess.run(command, capture_output=True, text=True, check=False)
    assert broken.returncode == 1 and "BROKEN at position 5" in broken.stdout


def rewrite_whole_chain(laurel: Laurel) -> None:
    """What an operator with full database access could do: change an event, then
    recompute every link so that the chains hold together again."""
    from infrastructure.chained_recorders import (
        GENESIS,
        event_hash,
        next_chain_hash,
        next_nomination_hash,
        originator_key,
    )

    sql = raw_sql(laurel)
    change_one_byte(sql)
    table = "laurel_events_chain" if laurel.settings.database_url else "stored_events_chain"
    chain, last = GENESIS, {}
    for position, oid, version, topic, state in sql(
            "SELECT ID, originator_id, originator_version, topic, state FROM EVENTS "
            "ORDER BY ID", ()):
        key = originator_key(oid)
        own = event_hash(key, version, topic, bytes(state))
        nomination = next_nomination_hash(last.get(key, GENESIS), own)
        chain = next_chain_hash(chain, position, own)
        last[key] = nomination
        sql(f"UPDATE {table} SET event_hash = ?, nomination_hash = ?, chain_hash = ? "
            "WHERE notification_id = ?", (own, nomination, chain, position))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_checkpoint_signed_by_the_auditor_catches_a_rewritten_chain(
    laurel: Laurel, tmp_path: Any
) -> None:
    from infrastructure import checkpoints

    several_nominations(laurel)
    private, public = checkpoints.new_key_pair(tmp_path / "auditor")
    head = verify_chain(laurel.nominations.recorder)
    book = tmp_path / "checkpoints.jsonl"
    checkpoints.append(book, checkpoints.sign(private, head.head_position, head.head_hash))

    rewrite_whole_chain(laurel)

    assert verify_chain(laurel.nominations.recorder).intact  # the chains alone are fooled
    signed = checkpoints.load_verified(book, public)
    broken = verify_chain(laurel.nominations.recorder, signed_heads=signed).first_break
    assert broken is not None and broken.kind == "rewritten"

    forged = book.read_text().replace(head.head_hash, "00" * 32)
    (tmp_path / "forged.jsonl").write_text(forged)
    with pytest.raises(ValueError, match="signature does not verify"):
        checkpoints.load_verified(tmp_path / "forged.jsonl", public)

    command = [sys.executable, "-m", "laurel", "audit", "verify", "--data-dir",
               str(laurel.settings.data_dir), "--checkpoints", str(book), "--public-key",
               str(public)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "rewritten" in result.stdout


def test_several_hundred_nominations_through_every_path_rebuild_identically(
    laurel: Laurel,
) -> None:
    from projections.verify import scratch_url_for, verify_read_models

    ids = [i for _ in range(50) for i in several_nominations(laurel)]
    assert len(set(ids)) == 300
    Projector(laurel.engine, laurel.log).catch_up()
    report = verify_read_models(laurel.engine, laurel.log,
                                scratch_url_for(laurel.settings.read_model_url()))
    assert report.identical, report.render()
    assert report.table("nominations").live_rows == 300
    assert verify_chain(laurel.nominations.recorder).intact


async def test_the_csv_export_never_hands_a_spreadsheet_a_formula(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    """OWASP's CSV injection: text that starts like a formula stays text."""
    from domain.actor import Actor
    from tests.support.commands import propose

    for i, sneaky in enumerate(('=HYPERLINK("http://x.example","Xem")', "+1+1", "@SUM(A1)",
                                "-2+3", "\tTab", "\rCR")):
        propose(laurel.nominations, Actor(sneaky, frozenset({"proposer"}), "hg.vi-thanh"),
                award_code="bang-khen-tinh", nominee={"name": f"Lê Văn {i}",
                                                      "kind": "individual"},
                achievements="", documents=[], at=datetime(2026, 2, 1, tzinfo=UTC))
    Projector(laurel.engine, laurel.log).catch_up()
    response = await http.get("/audit/export", headers=AUDITOR, params={
        "from": "2026-01-01", "to": "2026-12-31", "unit": "hg.vi-thanh"})
    actors = [r["actor"] for r in csv.DictReader(io.StringIO(response.text, newline=""))]
    assert len(actors) == 6
    assert all(a.startswith("'") for a in actors), actors
    assert "'=HYPERLINK(" in response.text
