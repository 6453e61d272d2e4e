"""The API process refuses an oversized request head with 431 and keeps serving: a
megabyte of headers, or a thousand of them, is turned away without the memory growing
with it, and ordinary requests on the same server are answered as before."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from infrastructure.settings import Settings
from laurel.api_process import api_process, rss_mib
from laurel.http_protocol import OneWriteTransport


def send_raw(url: str, head: bytes) -> bytes:
    """Send a request head over a plain socket; the server's first answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10) as s:
        # Refused before everything was sent: the answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            s.sendall(head)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
        return answer


def test_an_oversized_request_head_is_refused_with_431(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", jwt_secret="k" * 40)
    with api_process(settings) as api:
        before = rss_mib(api.pid)
        huge = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (8 * 1024 * 1024)
        for _ in range(4):
            answer = send_raw(api.url, huge + b"\r\n\r\n")
            assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
            assert b'"type": "/problems/header-fields-too-large"' in answer
        many = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(
            f"X-H{i}: v\r\n".encode() for i in range(1000)) + b"\r\n"
        assert send_raw(api.url, many).startswith(b"HTTP/1.1 431 ")
        assert rss_mib(api.pid) - before < 50  # not 4 × 8 MB kept, nor copies of it

        ordinary = httpx.get(f"{api.url}/healthz", headers={"X-Trace": "t" * 2000})
        assert ordinary.status_code == 200
        keep_alive = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 3
        assert send_raw(api.url, keep_alive[:-2] + b"Connection: close\r\n\r\n").count(
            b"HTTP/1.1 200 OK") == 3


class _Recorded:
    """A transport that keeps what is written to it, a write at a time."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def test_an_answer_goes_out_in_one_write_its_bytes_in_order() -> None:
    loop = asyncio.new_event_loop()
    try:
        recorded = _Recorded()
        transport = OneWriteTransport(recorded, loop)  # type: ignore[arg-type]
        transport.write(b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n")
        transport.write(b"{}")
        assert recorded.writes == [b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}"]
        # A head without a body (HEAD, 204) goes out on the loop's next turn …
        transport.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        assert len(recorded.writes) == 1
        loop.run_until_complete(asyncio.sleep(0))
        assert recorded.writes[-1] == b"HTTP/1.1 204 No Content\r\n\r\n"
        # … or before the connection is closed, never after nor lost.
        transport.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n")
        transport.close()
        assert recorded.writes[-1] == b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n"
        assert recorded.closed and transport.is_closing()
    finally:
        loop.close()


def test_answers_with_and_without_a_body_come_back_whole_and_in_order(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", jwt_secret="k" * 40)
    with api_process(settings) as api:
        pipelined = (b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = send_raw(api.url, pipelined)
        heads = re.findall(rb"HTTP/1\.1 \d{3} [^\r]*", answer)
        # The HEAD's answer is GET's head without its body (content-length as GET's).
        assert heads == [b"HTTP/1.1 200 OK", b"HTTP/1.1 200 OK", b"HTTP/1.1 404 Not Found"]
        assert answer.count(b'{"status":"ok"}') == 1
        assert answer.count(b"content-length: 15\r\n") == 2
        assert answer.endswith(b"}")  # the 404's problem, whole
