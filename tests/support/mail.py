"""A real SMTP server for a test (aiosmtpd), and the messages it received."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

CODE = re.compile(r"\b(\d{6})\b")


@dataclass
class Inbox:
    """What the server received, in order."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def text(self, index: int = -1) -> str:
        body = self.messages[index].get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content())

    def code(self, index: int = -1) -> str:
        """The confirmation code a message holds (its first 6-digit number)."""
        found = CODE.search(self.text(index))
        assert found, self.text(index)
        return found.group(1)

    def to(self, index: int = -1) -> str:
        return str(self.messages[index]["To"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    """An SMTP server on a free local port, in a thread of its own, while in the block."""
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def outbox(data_dir: Path) -> list[EmailMessage]:
    """The messages written to ``<data_dir>/outbox/`` (no SMTP host), oldest first."""
    found = []
    for path in sorted((data_dir / "outbox").glob("*.eml")):
        parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        found.append(parsed)
    return found


def code_in(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = CODE.search(str(body.get_content()))
    assert found, body
    return found.group(1)
