"""Local accounts for the embedded default: usernames with argon2 password hashes, their
roles and unit, in ``accounts.json`` in the data directory. A production deployment signs
people in with its OpenID Connect provider instead and gives the API its tokens."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
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
    ("hoidong.vithanh", "Thư ký Hội đồng TP Vị Thanh", ("reviewer",), "hg.vi-thanh"),
    ("hoidong.tinh", "Thư ký Hội đồng tỉnh", ("reviewer",), "hg"),
    ("chutich.tinh", "Chủ tịch UBND tỉnh", ("decider",), "hg"),
    ("thanhtra.tinh", "Thanh tra tỉnh", ("auditor",), "hg"),
)
"""One person per role along the demo province's route, from Phường 1 up to the province."""


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    roles: tuple[str, ...]
    unit_id: str
    password_hash: str

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
            unit_id: str) -> Account:
        accounts = self._load()
        account = Account(username, name, roles, unit_id, _hasher.hash(password))
        accounts[username] = account
        self.path.parent.mkdir(parents=True, exist_ok=True)
        written = self.path.with_suffix(".tmp")
        written.write_text(json.dumps({k: asdict(v) for k, v in accounts.items()},
                                      ensure_ascii=False, indent=1), encoding="utf-8")
        written.chmod(0o600)
        written.replace(self.path)
        return account

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
    """The demo province's accounts, made once with random passwords; (username,
    password, what they do) for ``laurel up`` to print. The passwords are kept in
    ``demo-accounts.txt`` beside the hashes: a demo, not a deployment."""
    listing = data_dir / "demo-accounts.txt"
    if not listing.exists():
        accounts = Accounts(data_dir / "accounts.json")
        lines = []
        for username, name, roles, unit in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(9)
            accounts.add(username, password, name, roles, unit)
            lines.append(f"{username}\t{password}\t{','.join(roles)} @ {unit}")
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        listing.chmod(0o600)
    rows = [line.split("\t") for line in listing.read_text(encoding="utf-8").splitlines()]
    return [(r[0], r[1], r[2]) for r in rows if len(r) == 3]
