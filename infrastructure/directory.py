"""Who is who, for the notifier: the people of ``accounts.json`` in the data directory
(the pages' account store, ``api.web.accounts``), read as a directory of units and roles,
with each person's e-mail address and channel preferences.

Read here, beneath the floors that send (``workflows.notifier``), from the same file the
pages write: the notifier must not reach up into the pages' code, and a preference a
person saves is in force for the next notification, with no copy to keep in step.
A deployment that signs people in by OpenID Connect lists its people here the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    roles: tuple[str, ...]
    unit_id: str
    email: str = ""
    language: str = "vi"
    email_enabled: bool = True

    @property
    def email_address(self) -> str:
        """Where e-mail goes: none if they have no address or turned e-mail off."""
        return self.email if self.email and self.email_enabled else ""


class Directory:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def of(cls, data_dir: Path) -> Directory:
        return cls(data_dir / "accounts.json")

    def people(self) -> list[Person]:
        """Read afresh each time: the pages change preferences while the notifier runs."""
        if not self.path.exists():
            return []
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        return [Person(username=name, name=str(data.get("name", name)),
                       roles=tuple(data.get("roles", ())), unit_id=str(data.get("unit_id", "")),
                       email=str(data.get("email") or ""),
                       language="en" if data.get("language") == "en" else "vi",
                       email_enabled=bool(data.get("email_enabled", True)))
                for name, data in raw.items()]

    def get(self, username: str) -> Person | None:
        return next((p for p in self.people() if p.username == username), None)

    def of_unit(self, unit_id: str, role: str) -> list[Person]:
        return [p for p in self.people() if p.unit_id == unit_id and role in p.roles]
