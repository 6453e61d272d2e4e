"""Sending e-mail: one message (to, subject, a text body, optionally HTML) at a time.

With an SMTP host configured (``smtp_host``, ``smtp_port``, ``smtp_user``,
``smtp_password``, ``smtp_starttls``, ``mail_from``), each message goes through it. Without
one — the embedded default, a demo, a test of the pages — each message is written as an
``.eml`` file under ``<data_dir>/outbox/``: nothing leaves the machine, and whoever runs it
can open the file in any mail client (or read the code in it).

``send`` blocks (SMTP is a conversation over the network); ``deliver`` runs it on a worker
thread, so the API's event loop keeps serving other requests meanwhile. Whoever sends a
message decides what a failure means to them: ``MailNotSent`` says it was not handed over.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from uuid import uuid4

from infrastructure.settings import Settings

SMTP_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Message:
    """One e-mail to one address."""

    to: str
    subject: str
    text: str
    html: str = ""
    """An HTML alternative to ``text``, when there is one."""
    message_id: str = ""
    """The Message-ID to send it with (a fresh one if empty): a sender that may repeat a
    message after a crash gives the same one, so the repeat is known as such."""


class MailNotSent(RuntimeError):
    """The message could not be handed to the SMTP server (or written to the outbox)."""


@dataclass(frozen=True)
class Mailer:
    sender: str
    """The From address."""
    outbox: Path
    """Where messages are written when there is no SMTP host."""
    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = None
    starttls: bool = True

    @classmethod
    def of(cls, settings: Settings) -> Mailer:
        return cls(sender=settings.mail_from, outbox=settings.data_dir / "outbox",
                   host=settings.smtp_host or None, port=settings.smtp_port,
                   user=settings.smtp_user, password=settings.smtp_password,
                   starttls=settings.smtp_starttls)

    def compose(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(datetime.now(UTC))
        mail["Message-ID"] = message.message_id or make_msgid(
            domain=self.sender.rpartition("@")[2] or None)
        mail.set_content(message.text)
        if message.html:
            mail.add_alternative(message.html, subtype="html")
        return mail

    def send(self, message: Message) -> None:
        """Hand the message over (blocking); ``MailNotSent`` if it could not be."""
        mail = self.compose(message)
        try:
            if self.host:
                self._over_smtp(mail)
            else:
                self._to_outbox(mail)
        except (OSError, smtplib.SMTPException) as error:
            where = f"{self.host}:{self.port}" if self.host else str(self.outbox)
            raise MailNotSent(f"The message to {message.to} was not sent ({where}): "
                              f"{error}") from error

    async def deliver(self, message: Message) -> None:
        """``send``, on a worker thread: the event loop is not held up by the network."""
        await asyncio.to_thread(self.send, message)

    def _over_smtp(self, mail: EmailMessage) -> None:
        assert self.host is not None
        with smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_S) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(mail)

    def _to_outbox(self, mail: EmailMessage) -> None:
        """Written aside, then renamed into place: a reader never sees half a message.
        Readable by the service's account only (it may hold a confirmation code)."""
        self.outbox.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.outbox / f"{stamp}-{uuid4().hex[:8]}.eml"
        draft = target.with_name(f".{target.name}.part")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(mail.as_bytes())
            draft.rename(target)
        except BaseException:
            with contextlib.suppress(OSError):
                draft.unlink()
            raise
