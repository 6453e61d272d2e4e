"""The API's HTTP/1.1 connections, with a bounded request head.

uvicorn's httptools protocol takes a request line and headers of any size: four
connections sending 100 MB of headers grew the API by 400 MB. Here a head (request line
and headers) larger than ``MAX_HEAD_BYTES``, or of more than ``MAX_HEADERS`` headers, is
answered ``431 Request Header Fields Too Large`` as problem+json and the connection
closed, before the application sees it. The head is counted as it arrives, so at most one
read past the limit is ever held.
"""

from __future__ import annotations

import json

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


class BoundedHeadProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing an oversized head with 431."""

    head_bytes = 0
    head_complete = True  # until a message begins
    header_count = 0
    refusal = ""

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
