"""The notifier for a test: over a real SMTP server, or writing the outbox."""

from __future__ import annotations

from sqlalchemy import select

from api.web.accounts import Accounts
from infrastructure.container import Laurel
from infrastructure.directory import Directory
from infrastructure.mail import Mailer
from projections.notifications import notifications
from workflows.notifier import Notifier

PASSWORD = "a-password-for-tests"
PEOPLE = (
    ("proposer@hg.so-yte", "Văn thư Sở Y tế", ("proposer",), "hg.so-yte", "vanthu@soyte.test"),
    ("hoidong.soyte", "Thư ký Hội đồng Sở Y tế", ("reviewer",), "hg.so-yte",
     "hoidong@soyte.test"),
    ("hoidong.tinh", "Thư ký Hội đồng tỉnh", ("reviewer",), "hg", "hoidong@tinh.test"),
)


def add_people(laurel: Laurel) -> None:
    accounts = Accounts(laurel.settings.data_dir / "accounts.json")
    for username, name, roles, unit, email in PEOPLE:
        accounts.add(username, PASSWORD, name, roles, unit, email=email)


def notifier(laurel: Laurel, smtp_port: int | None = None, attempts: int = 5) -> Notifier:
    mailer = Mailer(sender="Laurel <laurel@test.laurel.vn>",
                    outbox=laurel.settings.data_dir / "outbox",
                    host="127.0.0.1" if smtp_port else None, port=smtp_port or 25,
                    starttls=False)
    return Notifier(laurel.nominations, laurel.log, laurel.engine, laurel.policies,
                    Directory.of(laurel.settings.data_dir), mailer,
                    laurel.settings.public_base_url, clock=laurel.clock, attempts=attempts,
                    first_pause=0.01)


def in_app(laurel: Laurel, recipient: str) -> list[dict[str, object]]:
    with laurel.engine.connect() as conn:
        query = (select(notifications).where(notifications.c.recipient == recipient)
                 .order_by(notifications.c.created_at))
        return [dict(row) for row in conn.execute(query).mappings()]
