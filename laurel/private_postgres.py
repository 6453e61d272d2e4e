"""A PostgreSQL server of one's own, and a proxy that puts it some milliseconds away.

For what must not touch the shared server (127.0.0.1:5432, which other runs use): stop it
and start it again (``tests/test_store_unavailable.py``), or reach it through a delay
(``laurel bench --only write-ceiling``). The cluster lives in a temporary directory,
listens on a free port of 127.0.0.1 with trust authentication, and is removed at the end.
Made with Debian's ``initdb``/``pg_ctl``, run as the ``postgres`` account when this one is
root (the server refuses to run as root).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")),
        reverse=True)), None)
    if found is None:
        raise FileNotFoundError(f"{name} (PostgreSQL's server programs) is not installed")
    return found


def available() -> bool:
    try:
        _bin("initdb")
        _bin("pg_ctl")
    except FileNotFoundError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateCluster:
    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.port = port
        self.data = directory / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as, *command], check=True,  # noqa: S603 (our own programs)
                       stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self._as:
            entry = pwd.getpwnam("postgres")
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        self._run(_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.directory}'\nfsync = off\n"
                       "max_connections = 200\n")

    def start(self) -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"),
                  "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """A fresh PostgreSQL server, started; stopped and removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="laurel-pg-"))
    directory.chmod(0o755)
    cluster = PrivateCluster(directory / "cluster", _free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


class DelayProxy:
    """A TCP proxy on 127.0.0.1 that forwards each chunk to the server ``delay`` seconds
    after it arrived, and each chunk back ``delay_back`` seconds after (order kept). Runs
    its own event loop on a thread. The event loop's timers are good to about a
    millisecond: measure the round trip it gives (``round_trip_ms``)."""

    def __init__(self, target_port: int, delay: float, delay_back: float = 0) -> None:
        self.target_port = target_port
        self.delay = delay
        self.delay_back = delay_back
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="delay-proxy", daemon=True)

    def __enter__(self) -> DelayProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        async def shut() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(shut(), self._loop)
        self._thread.join(5)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1",
                                                                 self.target_port)
        except OSError:
            writer.close()
            return
        for sock in (writer.get_extra_info("socket"), up_writer.get_extra_info("socket")):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(self._pipe(reader, up_writer, self.delay),
                                 self._pipe(up_reader, writer, self.delay_back),
                                 return_exceptions=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    delay: float) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def send() -> None:
            while True:
                due, chunk = await queue.get()
                if not chunk:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(chunk)
                await writer.drain()
            writer.close()

        sender = asyncio.ensure_future(send())
        try:
            while chunk := await reader.read(65536):
                queue.put_nowait((time.monotonic() + delay, chunk))
        finally:
            queue.put_nowait((0.0, b""))
            with contextlib.suppress(asyncio.CancelledError):
                await sender


@contextlib.contextmanager
def delay_proxy_process(target_port: int, delay: float) -> Iterator[int]:
    """A ``DelayProxy`` in a process of its own (so that it never waits for the measured
    process's GIL, nor that process for its); its port."""
    import sys

    proxy = subprocess.Popen(  # noqa: S603 - this module, run as a program
        [sys.executable, "-m", "laurel.private_postgres", str(target_port), str(delay)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert proxy.stdout is not None
        yield int(proxy.stdout.readline())
    finally:
        proxy.terminate()
        proxy.wait(10)


def round_trip_ms(url: str, queries: int = 200) -> float:
    """The median time of ``SELECT 1`` over one connection to ``url``, in ms."""
    import statistics

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        times = []
        for _ in range(queries):
            start = time.perf_counter()
            conn.execute("SELECT 1").fetchone()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    import sys

    with DelayProxy(int(sys.argv[1]), float(sys.argv[2])) as running:
        print(running.port, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
