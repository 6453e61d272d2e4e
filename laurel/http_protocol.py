"""The API's HTTP/1.1 connections, with a bounded request head.

uvicorn's httptools protocol takes a request line and headers of any size: four
connections sending 100 MB of headers grew the API by 400 MB. Here a head (request line
and headers) larger than ``MAX_HEAD_BYTES``, or of more than ``MAX_HEADERS`` headers, is
answered ``431 Request Header Fields Too Large`` as problem+json and the connection
closed, before the application sees it. The head is counted as it arrives, so at most one
read past the limit is ever held.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.problems import HTTP_PROBLEMS, problem_type

CODE = "header-fields-too-large"
MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 100


def too_large_response(detail: str) -> bytes:
    """The answer, in English: the head that would say which language was not read."""
    problem = HTTP_PROBLEMS[CODE]
    body = json.dumps({"type": problem_type(CODE), "status": problem.status,
                       "title": problem.title, "detail": detail}).encode()
    return (b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: application/problem+json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n"
            b"connection: close\r\n\r\n" + body)


class OneWriteTransport:
    """A connection's transport on which an answer's head waits for its body.

    uvicorn writes a response's status line and headers, then its body, each with a
    write of its own: two system calls and two TCP segments for every JSON answer, the
    client woken twice. Here the head is held until the next write (or the close, or the
    loop's next turn, for an answer without a body) and goes out with it: the same bytes
    in the same order, in one write.
    """

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._held is not None:
            data, self._held = self._held + bytes(data), None
        elif data[:5] == b"HTTP/":
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
            return
        self._transport.write(data)

    def flush(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class BoundedHeadProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing an oversized head with 431."""

    head_bytes = 0
    head_complete = True  # until a message begins
    header_count = 0
    refusal = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self.transport = OneWriteTransport(self.transport, self.loop)  # type: ignore[assignment]

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.head_complete, self.head_bytes, self.header_count = False, 0, 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_count += 1
        if self.header_count > MAX_HEADERS:
            # Raised inside the parser, it comes back as a parse error: send_400_response.
            self.refusal = f"The request has more than {MAX_HEADERS} header fields"
            raise ValueError(self.refusal)
        super().on_header(name, value)

    def send_400_response(self, msg: str) -> None:
        if self.refusal:
            self.refuse(self.refusal)
        else:
            super().send_400_response(msg)

    def on_headers_complete(self) -> None:
        self.head_complete = True
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if not self.head_complete:  # the read that begins a head is not counted: one read
            self.head_bytes += len(data)
        super().data_received(data)
        if self.transport.is_closing() or self.head_complete:
            return
        if self.head_bytes > MAX_HEAD_BYTES:
            self.refuse(f"The request line and headers passed {MAX_HEAD_BYTES} bytes")

    def refuse(self, detail: str) -> None:
        self.logger.warning("Refused a request head: %s", detail)
        self.transport.write(too_large_response(detail))
        self.transport.close()
