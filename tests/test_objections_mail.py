"""The mailer that sends an objector's code (and, later, other notices): through a real
SMTP server (aiosmtpd) when one is configured, else as .eml files in the data
directory's outbox; a server that cannot be reached is said, and the objection answers
that its code was not sent."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from infrastructure.container import Laurel
from infrastructure.mail import Mailer, MailNotSent, Message
from infrastructure.settings import Settings
from tests.support.mail import code_in, free_port, outbox, smtp_server
from tests.support.nominations import in_public_notice

MESSAGE = Message(to="Hoa <hoa@example.vn>", subject="Mã xác nhận — thử",
                  text="Mã của bạn: 123456\nChúc mừng năm mới.",
                  html="<p>Mã của bạn: <b>123456</b></p>")


def test_a_message_goes_through_the_smtp_server_in_both_forms(tmp_path: Path) -> None:
    with smtp_server() as inbox:
        mailer = Mailer.of(Settings(data_dir=tmp_path, smtp_host="127.0.0.1",
                                    smtp_port=inbox.port, smtp_starttls=False,
                                    mail_from="Laurel <laurel@hg.gov.vn>"))
        mailer.send(MESSAGE)
    received = inbox.messages[0]
    assert received["X-Envelope-To"] == "hoa@example.vn"
    assert str(received["From"]) == "Laurel <laurel@hg.gov.vn>"
    assert str(received["Subject"]) == "Mã xác nhận — thử"
    assert inbox.text().splitlines() == ["Mã của bạn: 123456", "Chúc mừng năm mới."]
    html = received.get_body(preferencelist=("html",))
    assert html is not None and "<b>123456</b>" in str(html.get_content())
    assert not (tmp_path / "outbox").exists()


def test_without_an_smtp_host_each_message_is_an_eml_file_for_the_owner_only(
    tmp_path: Path,
) -> None:
    mailer = Mailer.of(Settings(data_dir=tmp_path))
    mailer.send(MESSAGE)
    mailer.send(Message(to="an@example.vn", subject="Hai", text="Mã: 654321"))
    written = sorted((tmp_path / "outbox").iterdir())
    assert [p.suffix for p in written] == [".eml", ".eml"]  # no half-written file left
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "outbox").stat().st_mode) == 0o700
    assert [code_in(m) for m in outbox(tmp_path)] == ["123456", "654321"]


def test_a_server_that_cannot_be_reached_is_named(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    mailer = Mailer.of(Settings(data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port))
    with pytest.raises(MailNotSent, match=f"127.0.0.1:{port}"):
        mailer.send(MESSAGE)


async def test_the_objection_says_its_code_was_not_sent_when_the_mail_fails(
    laurel: Laurel,
) -> None:
    laurel.settings = laurel.settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": free_port()})
    nomination_id = in_public_notice(laurel)
    code = str(vars(next(iter(laurel.nominations.events.get(nomination_id))))["tracking_code"])
    app = create_app(laurel=laurel)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://laurel") as http:
        lodged = await http.post(f"/nominations/{nomination_id}/objections", json={
            "text": "…", "contact": "hoa@example.vn", "tracking_code": code})
    assert lodged.status_code == 201
    assert (lodged.json()["confirmation"], lodged.json()["holds"]) == ("code_not_sent", False)
    assert laurel.nominations.status(nomination_id) == "public_notice"
