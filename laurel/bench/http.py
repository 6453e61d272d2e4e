"""The least HTTP/1.1 client a load generator needs: keep-alive connections, requests
with an optional JSON body, responses with a ``Content-Length``.

httpx costs about 1 ms of CPU per request here, on the same two cores as the API it
measures; this costs a tenth of that, so a figure is the API's, not the client's.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

TRANSPORT_ERRORS = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    StopIteration, ValueError, TimeoutError)
"""What a request may raise when the connection or the server fails it."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Http11Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        split = urlsplit(url)
        self.host, self.port = split.hostname or "127.0.0.1", split.port or 80
        fixed = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        self.fixed = "".join(f"{k}: {v}\r\n" for k, v in fixed.items()).encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, body: Any = None,
                      headers: dict[str, str] | None = None) -> Answer:
        head = f"{method} {path} HTTP/1.1\r\n"
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        payload = b""
        if body is not None:
            payload = json.dumps(body).encode()
            extra += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        request = head.encode() + self.fixed + extra.encode() + b"\r\n" + payload
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        try:
            writer.write(request)
            lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            length = next(int(line.split(":", 1)[1]) for line in lines[1:]
                          if line.lower().startswith("content-length:"))
            return Answer(status, await reader.readexactly(length))
        except TRANSPORT_ERRORS:
            self.close()
            raise

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        answer = await self.request("POST", path, body)
        return answer.status, answer.body

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


class HttpPool:
    """Keep-alive connections to one server, opened as requests need them."""

    def __init__(self, url: str, timeout: float = 30) -> None:
        self.url, self.timeout = url, timeout
        self.idle: list[Http11Connection] = []

    async def request(self, method: str, path: str, *, json: Any = None,
                      headers: dict[str, str] | None = None,
                      params: dict[str, Any] | None = None) -> Answer:
        if params:
            path = f"{path}?{urlencode(params)}"
        while True:
            reused = bool(self.idle)
            connection = self.idle.pop() if reused else Http11Connection(self.url)
            try:
                answer = await asyncio.wait_for(
                    connection.request(method, path, json, headers), self.timeout)
            except (asyncio.IncompleteReadError, ConnectionResetError) as error:
                connection.close()
                if reused and not getattr(error, "partial", b""):
                    continue  # the server had closed it while idle: nothing was answered
                raise
            except BaseException:
                connection.close()  # mid-request: its stream is in no state to reuse
                raise
            self.idle.append(connection)
            return answer

    def close(self) -> None:
        for connection in self.idle:
            connection.close()
        self.idle.clear()


class BlockingConnection:
    """An ``Http11Connection`` for synchronous code, on an event loop of its own: for the
    benches' sequential reads, where httpx's own time would be counted as the API's."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.connection = Http11Connection(url, headers)
        self.loop = asyncio.new_event_loop()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.loop.run_until_complete(
            self.connection.request("GET", path, headers=headers))

    def close(self) -> None:
        self.connection.close()
        self.loop.close()
