"""The ``laurel`` command: start the service or one of its processes, issue tokens."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laurel import event_loop

if TYPE_CHECKING:
    from infrastructure.settings import Settings
# The settings (and the store modules they import) are imported where a command needs
# them: ``laurel alive``, a liveness probe run every few seconds, needs none (0.5 s of
# CPU a probe otherwise).


def _settings(args: argparse.Namespace) -> Settings:
    from infrastructure.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "port", None):
        overrides["api_port"] = args.port
    if getattr(args, "host", None):
        overrides["api_host"] = args.host
    if getattr(args, "temporal_address", None):
        overrides["temporal_address"] = args.temporal_address
    if getattr(args, "notice_minutes", None):
        overrides["notice_minutes"] = args.notice_minutes
    return Settings(**overrides)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of minutes above 0, got {text!r}")
    return value


def cmd_up(args: argparse.Namespace) -> int:
    from laurel.supervisor import up

    up(_settings(args), external_temporal=bool(args.temporal_address))
    return 0


def cmd_process(args: argparse.Namespace) -> int:
    from infrastructure.store_schema import check_at_start
    from laurel import processes
    from laurel.parent import exit_with_parent
    from projections.schema import ReadModelSchemaChanged

    settings = _settings(args)
    processes.tune_collector()
    exit_with_parent()
    check_at_start(settings)  # before anything starts: the schema, the library's settings
    try:
        if args.command == "api":
            processes.run_api(settings)
            return 0
        runner = {"worker": processes.run_worker, "relay": processes.run_relay,
                  "projector": processes.run_projector,
                  "notifier": processes.run_notifier}[args.command]
        event_loop.run(runner(settings))
    except ReadModelSchemaChanged as changed:
        print(f"laurel {args.command}: {changed}", file=sys.stderr)
        return 2
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from api.auth import issue_token
    from infrastructure.policy_file import load_policy_book

    settings = _settings(args)
    units = {u for p in load_policy_book(settings.policy_file).versions for u in p.org.units}
    if args.unit not in units:
        print(f"laurel token: no unit '{args.unit}' (see GET /org-units)", file=sys.stderr)
        return 2
    key = settings.stored_signing_key()
    if key is None:  # a new key here would sign tokens the running service refuses
        print(f"laurel token: no signing key: LAUREL_JWT_SECRET is unset and there is no "
              f"{settings.signing_key_file.resolve()}.\n"
              "Pass --data-dir DIR, the folder 'laurel up' keeps its data in (it prints it), "
              "or set LAUREL_JWT_SECRET to the service's key.", file=sys.stderr)
        return 2
    try:
        token = issue_token(key, settings.jwt_issuer, sub=args.sub,
                            roles=args.role, unit=args.unit, minutes=args.minutes)
    except ValueError as error:
        print(f"laurel token: {error}", file=sys.stderr)
        return 2
    print(token)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Make or upgrade the event store and the read models (``laurel.migrate``); exit 0
    when they are at this Laurel's schema version."""
    from laurel.migrate import migrate
    from projections.schema import ReadModelSchemaChanged

    try:
        print(f"laurel migrate: {migrate(_settings(args))}", flush=True)
    except ReadModelSchemaChanged as changed:
        print(f"laurel migrate: {changed}", file=sys.stderr)
        return 2
    return 0


def cmd_ready(args: argparse.Namespace) -> int:
    from infrastructure.container import bootstrap
    from infrastructure.temporal import connect

    settings = _settings(args)
    try:
        laurel = bootstrap(settings)
        laurel.log.last_position()
        laurel.close()

        async def ping() -> None:
            client = await asyncio.wait_for(connect(settings), 5)
            await client.service_client.check_health()

        asyncio.run(ping())
    except Exception as error:
        print(f"not ready: {error}", file=sys.stderr)
        code = 1
    else:
        print("ready")
        code = 0
    # Out at once: after a TLS connection the Temporal SDK's runtime thread may still
    # call into Python while the interpreter finalises, which then aborts (SIGABRT, one
    # run in three): a probe's exit status must be its answer.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def cmd_alive(args: argparse.Namespace) -> int:
    """A liveness probe: reads the heartbeat files the process writes every second (no
    connection, no start-up work, not even the settings' modules: 0.1 s of CPU, most of
    it Python's own start, where importing them cost 0.5 s);
    exit 1 if one is stale or its leader is stuck."""
    from infrastructure.metrics import check_heartbeats, probe_settings

    data_dir, stalled_seconds = probe_settings(args.data_dir)
    seen = check_heartbeats(data_dir, args.process, stalled_seconds, pid=args.pid)
    if not seen:
        print(f"not alive: no {args.process} is running here (no heartbeat in "
              f"{data_dir / 'heartbeats'})", file=sys.stderr)
        return 1
    for each in seen:
        print(("alive: " if each.alive else "not alive: ") + each.said,
              file=sys.stdout if each.alive else sys.stderr)
    return 0 if all(each.alive for each in seen) else 1


def progress(done: int, total: int) -> None:
    """A progress bar on the terminal for long walks over the event log."""
    width = 40
    filled = width * done // max(total, 1)
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} events", end="",
          flush=True)


def cmd_rebuild(args: argparse.Namespace) -> int:
    from infrastructure import damage
    from infrastructure.container import bootstrap
    from laurel.rebuild import rebuild_read_models

    # A rebuild's statements (an index made over every row) may outlast the statement
    # timeout of serving processes: it runs without one.
    settings = _settings(args).model_copy(update={"database_statement_timeout": 0})
    for found in damage.damaged_files(settings, thorough=True):
        if found.is_event_store:
            print(f"laurel projections rebuild: {found}", file=sys.stderr)
            return 3
        # The read models are rebuilt from the events whatever their file holds.
        print(f"The read models file {found.path} is damaged ({found.cause}); set aside as "
              f"{damage.set_aside(found.path).name}.")
    laurel = bootstrap(settings)

    applied = rebuild_read_models(laurel, progress, processes=args.processes)
    print(f"\nRebuilt the read models from {applied} events.")
    laurel.close()
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from laurel.system import open_laurel
    from projections.verify import scratch_url_for, verify_read_models

    settings = _settings(args).model_copy(update={"database_statement_timeout": 0})  # (rebuild)
    laurel = open_laurel(settings)

    try:
        report = verify_read_models(laurel.engine, laurel.log,
                                    scratch_url_for(settings.read_model_url()), progress)
    finally:
        laurel.close()
    print(f"\n{report.render()}")
    return 0 if report.identical else 1


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """The hash chains, then every stored file against the hash its upload recorded."""
    from api.reads.documents import files_report
    from api.reads.documents import render as render_files
    from infrastructure import checkpoints
    from infrastructure.audit_chain import verify_chain
    from infrastructure.container import bootstrap

    heads = None
    if args.checkpoints:
        if not args.public_key:
            print("laurel audit verify: --checkpoints needs --public-key", file=sys.stderr)
            return 2
        try:
            heads = checkpoints.load_verified(Path(args.checkpoints), Path(args.public_key))
        except ValueError as error:
            print(f"laurel audit verify: {error}", file=sys.stderr)
            return 1
    laurel = bootstrap(_settings(args))
    try:
        report = verify_chain(laurel.nominations.recorder, progress, heads)
        files, cited = files_report(laurel)
    finally:
        laurel.close()
    print(f"\n{report.render()}")
    if heads:
        print(f"Checked against {len(heads)} signed checkpoint(s).")
    print(render_files(files, cited))
    return 0 if report.intact and files.intact else 1


def cmd_audit_workflows(args: argparse.Namespace) -> int:
    from temporalio.service import RPCError

    from infrastructure.container import bootstrap
    from infrastructure.temporal import connect
    from workflows.reconciler import Reconciler, Report
    from workflows.relay import EventRelay

    settings = _settings(args)
    laurel = bootstrap(settings)

    async def check() -> Report | str:
        try:
            client = await asyncio.wait_for(connect(settings), 10)
        except Exception as error:
            return f"cannot connect: {error}"
        relay = EventRelay(client, laurel.log, laurel.engine, settings.task_queue)
        reconciler = Reconciler(client, laurel.nominations, laurel.log, relay,
                                settle=args.settle)
        try:
            return await reconciler.check(repair=args.repair)
        except RPCError as error:
            return f"{error.status.name if error.status else 'error'}: {error}"

    try:
        report = asyncio.run(check())
    finally:
        laurel.close()
    if isinstance(report, str):
        print(f"laurel audit workflows: Temporal at {settings.temporal_address} (namespace "
              f"{settings.temporal_namespace}): {report}", file=sys.stderr)
        return 2
    print(report.render())
    return 1 if report.unrepaired else 0


def cmd_audit_keygen(args: argparse.Namespace) -> int:
    from infrastructure.checkpoints import new_key_pair

    private, public = new_key_pair(Path(args.out))
    print(f"Private key (keep it with the auditor, not on the server): {private}")
    print(f"Public key: {public}")
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from infrastructure import checkpoints
    from infrastructure.audit_chain import verify_chain
    from infrastructure.container import bootstrap

    laurel = bootstrap(_settings(args))
    try:
        report = verify_chain(laurel.nominations.recorder)
    finally:
        laurel.close()
    if not report.intact:
        print(report.render())
        print("laurel audit checkpoint: refusing to sign a broken chain", file=sys.stderr)
        return 1
    checkpoint = checkpoints.sign(Path(args.key), report.head_position, report.head_hash)
    checkpoints.append(Path(args.checkpoints), checkpoint)
    print(f"Signed the head at position {checkpoint.position} ({checkpoint.chain_hash}) "
          f"into {args.checkpoints}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from laurel.bench.run import bench

    out = Path(args.out or f"laurel-bench-{args.backend}{'-quick' if args.quick else ''}.json")
    return bench(args.backend, args.quick, out, args.only, args.people)


def cmd_chaos(args: argparse.Namespace) -> int:
    from laurel.chaos import chaos

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt  # so that the service it started is stopped too

    signal.signal(signal.SIGTERM, interrupt)
    if args.fleet:
        from laurel.fleet import fleet

        found = fleet(args.nominations, starts=args.starts, outage=args.outage,
                      every=args.every * 3, seed=args.seed)
        print(found.render())
        return 1 if (found.mismatches or found.start_crashes or found.regressions
                     or found.signalled_twice or found.server_errors) else 0
    outcome = chaos(args.backend, args.nominations, interval=(args.every / 2, args.every * 1.5),
                    seed=args.seed)
    print(outcome.render())
    return 1 if outcome.mismatches else 0


def cmd_policy_check(args: argparse.Namespace) -> int:
    from infrastructure.container import bootstrap
    from infrastructure.policy_file import PolicyFileError, load_policy_book
    from laurel.policy_check import PolicyCheckFailed, check_policy, read_in_flight

    settings = _settings(args)
    try:
        current = load_policy_book(settings.policy_file)
    except PolicyFileError as error:
        print(f"laurel policy check: the policy in force cannot be read: {error}",
              file=sys.stderr)
        return 1
    in_flight: list[dict[str, Any]] = []
    if settings.uses_postgres or (settings.data_dir / "readmodels.db").exists():
        try:
            laurel = bootstrap(settings)
            try:
                in_flight = read_in_flight(laurel.engine)
            finally:
                laurel.close()
        except Exception as error:
            print(f"Cannot read the read models ({error}); nominations in flight are not "
                  "counted.\n")
    else:
        print(f"No read models found in {settings.data_dir}; nothing in flight.\n")
    try:
        print(check_policy(Path(args.file), current, in_flight))
    except PolicyFileError as error:
        print(error, file=sys.stderr)
        return 2
    except PolicyCheckFailed as failed:
        print(failed.report)
        return 2
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="laurel", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def with_data_dir(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--data-dir", help="where SQLite files and keys live "
                        "(default $LAUREL_DATA_DIR or ./laurel-data)")
        return sp

    up = with_data_dir(sub.add_parser("up", help="start the whole service"))
    up.add_argument("--port", type=int, help="API port (default 8000)")
    up.add_argument("--host", help="API address to bind (default 127.0.0.1)")
    up.add_argument("--temporal-address", help="use this Temporal server, start none")
    up.add_argument("--notice-minutes", type=_positive, metavar="MINUTES",
                    help="a rehearsal: public notices last MINUTES instead of the policy's "
                    "days, so a central award is finished in minutes (never in production)")
    up.set_defaults(func=cmd_up)
    for name in ("api", "worker", "relay", "projector", "notifier"):
        sp = with_data_dir(sub.add_parser(name, help=f"run only the {name}"))
        sp.set_defaults(func=cmd_process)
    token = with_data_dir(sub.add_parser("token", help="print a bearer token"))
    token.add_argument("--sub", required=True, help="the user's id")
    token.add_argument("--role", required=True, action="append",
                       help="proposer, reviewer, decider, auditor or admin; repeatable")
    token.add_argument("--unit", required=True, help="org unit id, e.g. hg.vi-thanh")
    token.add_argument("--minutes", type=int, default=12 * 60, help="validity (default 720)")
    token.set_defaults(func=cmd_token)
    migrating = with_data_dir(sub.add_parser(
        "migrate", help="make or upgrade the event store and the read models (run before "
        "the processes start; laurel up runs it), and record the schema version"))
    migrating.set_defaults(func=cmd_migrate)
    ready = with_data_dir(sub.add_parser("ready", help="exit 0 when every store is reachable"))
    ready.set_defaults(func=cmd_ready)
    alive = with_data_dir(sub.add_parser(
        "alive", help="exit 0 when the relay, projector or notifier of this machine is "
        "alive: standing by, or leading and keeping up with the log; or its worker's event "
        "loop runs (reads the heartbeat each writes)"))
    alive.add_argument("process", choices=("relay", "projector", "notifier", "worker"))
    alive.add_argument("--pid", type=int, help="only the process with this id")
    alive.set_defaults(func=cmd_alive)
    proj = sub.add_parser("projections", help="manage the read models")
    proj_sub = proj.add_subparsers(dest="action", required=True)
    rebuild = with_data_dir(proj_sub.add_parser("rebuild", help="drop and rebuild them"))
    rebuild.add_argument("--processes", type=int, default=None,
                         help="share the work among this many processes (default: one "
                         "per core, at most 8)")
    rebuild.set_defaults(func=cmd_rebuild)
    verify = with_data_dir(proj_sub.add_parser(
        "verify", help="rebuild them aside and compare row by row; exit 1 if they differ"))
    verify.set_defaults(func=cmd_verify)
    audit = sub.add_parser("audit", help="check the record")
    audit_sub = audit.add_subparsers(dest="action", required=True)
    chain = with_data_dir(audit_sub.add_parser(
        "verify", help="walk the event store's hash chains and hash every stored file "
        "again; exit 1 at a broken link or a changed or missing file"))
    chain.add_argument("--checkpoints", help="a file of signed checkpoints to hold it to")
    chain.add_argument("--public-key", help="the auditor's Ed25519 public key (PEM)")
    chain.set_defaults(func=cmd_audit_verify)
    flows = with_data_dir(audit_sub.add_parser(
        "workflows", help="compare every open nomination with its Temporal workflow and "
        "task; name each divergence; exit 1 if any is left unrepaired"))
    flows.add_argument("--temporal-address", help="the Temporal server (laurel up prints "
                       "it; default $LAUREL_TEMPORAL_ADDRESS or 127.0.0.1:7233)")
    flows.add_argument("--repair", action="store_true",
                       help="start again, from the nomination's events, each workflow that "
                       "is missing, closed or on the wrong step (without it: report only)")
    flows.add_argument("--settle", type=float, default=120, metavar="SECONDS",
                       help="leave nominations that changed this recently to a later run "
                       "(default 120: a moving nomination is a step ahead of its workflow "
                       "for a moment)")
    flows.set_defaults(func=cmd_audit_workflows)
    keygen = audit_sub.add_parser("keygen", help="make an auditor's Ed25519 key pair")
    keygen.add_argument("--out", required=True, help="folder for auditor.key, auditor.pub")
    keygen.set_defaults(func=cmd_audit_keygen)
    signing = with_data_dir(audit_sub.add_parser(
        "checkpoint", help="verify the chain, then sign its head with the auditor's key"))
    signing.add_argument("--key", required=True, help="the auditor's private key (PEM)")
    signing.add_argument("--checkpoints", required=True, help="file to append the checkpoint")
    signing.set_defaults(func=cmd_audit_checkpoint)
    bench = sub.add_parser("bench", help="measure Laurel beside the limits of its parts")
    bench.add_argument("--quick", action="store_true", help="a minute-long run")
    bench.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    bench.add_argument("--out", help="JSON file (default laurel-bench-BACKEND.json)")
    bench.add_argument("--only", action="append",
                       choices=("commands", "reads", "projections", "end", "people",
                                "eligibility", "documents", "paperwork", "verification",
                                "write-ceiling"),
                       help="run only these suites (reads: the reads and searches at "
                            "scale, without the commands; people: person search and "
                            "the eligibility history read in a register filled in bulk; "
                            "eligibility: the rules worked out on a nominee from an event "
                            "store holding the register; documents: a 10 MB upload "
                            "through the API beside a bare copy of its bytes; paperwork: a "
                            "decision PDF with a 200-name annex beside an empty one; "
                            "verification: GET /verify/{code} beside a bare SELECT; "
                            "write-ceiling: commands/s, single and grouped, with a private "
                            "PostgreSQL 2-3 ms away, beside bare locked transactions; only "
                            "when chosen)")
    bench.add_argument("--people", type=int, metavar="N",
                       help="the register's size for the people suite (default 10,000) "
                            "and the eligibility suite (10,000 quick, 100,000 otherwise); "
                            "1000000 for the issue's goal")
    bench.set_defaults(func=cmd_bench)
    chaos = sub.add_parser("chaos", help="run nominations while killing processes at "
                           "random; check nothing was lost (exit 1 on any mismatch)")
    chaos.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    chaos.add_argument("--nominations", type=int, default=300)
    chaos.add_argument("--every", type=float, default=2.5,
                       help="mean seconds between kills (default 2.5)")
    chaos.add_argument("--seed", type=int, help="for the same choices of victims and moments")
    chaos.add_argument("--fleet", action="store_true",
                       help="two of every process on a private PostgreSQL server: start them "
                            "all at once --starts times, then kill the leading relay and "
                            "projector and stop PostgreSQL for --outage s while nominations "
                            "run (laurel/fleet.py)")
    chaos.add_argument("--starts", type=int, default=10)
    chaos.add_argument("--outage", type=float, default=15.0)
    chaos.set_defaults(func=cmd_chaos)
    pol = sub.add_parser("policy", help="work with policy files")
    pol_sub = pol.add_subparsers(dest="action", required=True)
    check = with_data_dir(pol_sub.add_parser(
        "check", help="validate a policy file and show what it would change"))
    check.add_argument("file", metavar="FILE", help="the policy file (YAML) to check")
    check.set_defaults(func=cmd_policy_check)
    return p


def main(argv: Sequence[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(processName)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    try:
        code = args.func(args)
    except Exception as error:
        from infrastructure import damage
        from infrastructure.settings import UnsafeLibrarySetting
        from infrastructure.store_schema import SchemaNotMigrated

        if isinstance(error, SchemaNotMigrated | UnsafeLibrarySetting):
            print(f"laurel {args.command}: {error}", file=sys.stderr)
            sys.exit(2)
        if not damage.is_damage(error):
            raise
        # A damaged file, met wherever it was next read: named, with its remedy.
        found: list[object] = [*damage.damaged_files(_settings(args), thorough=True)]
        for each in found or [f"A file of {_settings(args).data_dir} is damaged ({error})."]:
            print(f"laurel {args.command}: {each}", file=sys.stderr)
        code = 3
    sys.exit(code)
