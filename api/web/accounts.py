"""Local accounts for the embedded default: usernames with argon2 password hashes, their
roles and unit, in ``accounts.json`` in the data directory. A production deployment signs
people in with its OpenID Connect provider instead and gives the API its tokens."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.actor import Actor

_hasher = PasswordHasher()


@cache
def _unknown() -> str:
    """Checked against when the username is unknown, so both failures take as long.
    Made on first use: a hash costs argon2's 64 MiB, not to be spent at import."""
    return _hasher.hash(secrets.token_hex(16))

DEMO_ACCOUNTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("vanthu.phuong1", "Văn thư Phường 1", ("proposer",), "hg.vi-thanh.phuong-1"),
    ("hoidong.phuong1", "Thư ký Hội đồng Phường 1", ("reviewer",), "hg.vi-thanh.phuong-1"),
    ("chutich.phuong1", "Chủ tịch UBND Phường 1", ("decider",), "hg.vi-thanh.phuong-1"),
    ("hoidong.vithanh", "Thư ký Hội đồng TP Vị Thanh", ("reviewer",), "hg.vi-thanh"),
    ("chutich.vithanh", "Chủ tịch UBND TP Vị Thanh", ("decider",), "hg.vi-thanh"),
    ("vanthu.sogddt", "Văn thư Sở Giáo dục và Đào tạo", ("proposer",), "hg.so-gddt"),
    ("hoidong.sogddt", "Thư ký Hội đồng Sở Giáo dục và Đào tạo", ("reviewer",), "hg.so-gddt"),
    ("giamdoc.sogddt", "Giám đốc Sở Giáo dục và Đào tạo", ("decider",), "hg.so-gddt"),
    ("vanthu.soyte", "Văn thư Sở Y tế", ("proposer",), "hg.so-yte"),
    ("hoidong.soyte", "Thư ký Hội đồng Sở Y tế", ("reviewer",), "hg.so-yte"),
    ("giamdoc.soyte", "Giám đốc Sở Y tế", ("decider",), "hg.so-yte"),
    ("vanthu.sonnptnt", "Văn thư Sở Nông nghiệp và PTNT", ("proposer",), "hg.so-nnptnt"),
    ("hoidong.sonnptnt", "Thư ký Hội đồng Sở Nông nghiệp và PTNT", ("reviewer",),
     "hg.so-nnptnt"),
    ("giamdoc.sonnptnt", "Giám đốc Sở Nông nghiệp và PTNT", ("decider",), "hg.so-nnptnt"),
    ("hoidong.tinh", "Thư ký Hội đồng tỉnh", ("reviewer",), "hg"),
    ("chuyenvien.tinh", "Chuyên viên Ban Thi đua – Khen thưởng tỉnh", ("reviewer",), "hg"),
    ("truongban.tinh", "Trưởng ban Thi đua – Khen thưởng tỉnh", ("reviewer",), "hg"),
    ("chutich.tinh", "Chủ tịch UBND tỉnh", ("decider",), "hg"),
    ("thanhtra.tinh", "Thanh tra tỉnh", ("auditor",), "hg"),
)
"""The demo province's people: a clerk (proposer) of Phường 1 and of each provincial
department, and the council secretary (reviewer) and head (decider) of every unit their
nominations pass through, so that every award of the demo policy can be taken to its
outcome; the province's inspector (auditor). At the province, the board's specialist
appraises a state award's dossier and its head (the policy's ``head`` of ``hg``) signs
the appraisal off. A central award's outcome is recorded by the
province's chairman when it comes back."""


DEMO_MAIL_DOMAIN = "demo.laurel.vn"
"""The demo accounts' e-mail addresses (``vanthu.phuong1@demo.laurel.vn``): without an
SMTP host their notifications are ``.eml`` files in the data directory's outbox."""


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    roles: tuple[str, ...]
    unit_id: str
    password_hash: str
    email: str = ""
    """Where notifications are e-mailed (``workflows.notifier``); none: in-app only."""
    language: str = "vi"
    """The language of the notifications sent to them."""
    email_enabled: bool = True
    """Whether they want notifications by e-mail too (in-app ones always come)."""

    def actor(self) -> Actor:
        return Actor(self.username, frozenset(self.roles), self.unit_id)


class Accounts:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, Account]:
        if not self.path.exists():
            return {}
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        return {name: Account(**{**data, "roles": tuple(data["roles"])})
                for name, data in raw.items()}

    def add(self, username: str, password: str, name: str, roles: tuple[str, ...],
            unit_id: str, email: str = "") -> Account:
        accounts = self._load()
        account = Account(username, name, roles, unit_id, _hasher.hash(password), email=email)
        accounts[username] = account
        self._write(accounts)
        return account

    def set_preferences(self, username: str, *, email: str, language: str,
                        email_enabled: bool) -> Account | None:
        """A person's notification channels (the notifications page): read by the
        notifier from this file for the next notification."""
        accounts = self._load()
        if username not in accounts:
            return None
        account = accounts[username] = replace(
            accounts[username], email=email.strip(), email_enabled=email_enabled,
            language="en" if language == "en" else "vi")
        self._write(accounts)
        return account

    def _write(self, accounts: dict[str, Account]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        written = self.path.with_suffix(".tmp")
        written.write_text(json.dumps({k: asdict(v) for k, v in accounts.items()},
                                      ensure_ascii=False, indent=1), encoding="utf-8")
        written.chmod(0o600)
        written.replace(self.path)

    def sign_in(self, username: str, password: str) -> Account | None:
        account = self._load().get(username.strip())
        try:
            _hasher.verify(account.password_hash if account else _unknown(), password)
        except (VerificationError, InvalidHashError):
            return None
        return account

    def get(self, username: str) -> Account | None:
        return self._load().get(username)


def seed_demo_accounts(data_dir: Path) -> list[tuple[str, str, str]]:
    """The demo province's accounts, each made once with a random password; (username,
    password, what they do) for ``laurel up`` to print. The passwords are kept in
    ``demo-accounts.txt`` beside the hashes: a demo, not a deployment. A data directory
    made by an older Laurel gets the accounts it lacks."""
    listing = data_dir / "demo-accounts.txt"
    known = listing.read_text(encoding="utf-8") if listing.exists() else ""
    listed = {line.split("\t", 1)[0] for line in known.splitlines()}
    missing = [account for account in DEMO_ACCOUNTS if account[0] not in listed]
    if missing:
        accounts = Accounts(data_dir / "accounts.json")
        for username, name, roles, unit in missing:
            password = secrets.token_urlsafe(9)
            accounts.add(username, password, name, roles, unit,
                         email=f"{username}@{DEMO_MAIL_DOMAIN}")
            known += f"{username}\t{password}\t{','.join(roles)} @ {unit}\n"
        listing.write_text(known, encoding="utf-8")
        listing.chmod(0o600)
    rows = [line.split("\t") for line in known.splitlines()]
    return [(r[0], r[1], r[2]) for r in rows if len(r) == 3]
