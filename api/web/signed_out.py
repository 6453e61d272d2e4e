"""Sessions ended by signing out, kept until their cookie would have expired anyway.

The session is a signed cookie: without a record on the server, a copy of it taken before
sign-out would still work for the rest of its eight hours. Each session names a random
``sid``; signing out records it here, in a file of the data directory that every API
process reads (again only when it changed)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

SESSION_SECONDS = 8 * 3600


class SignedOut:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen: tuple[float, dict[str, float]] = (-1.0, {})

    def _read(self) -> dict[str, float]:
        try:
            changed = self.path.stat().st_mtime
        except FileNotFoundError:
            return {}
        if changed != self._seen[0]:
            try:
                self._seen = changed, dict(json.loads(self.path.read_text(encoding="utf-8")))
            except (ValueError, OSError):
                self._seen = changed, {}
        return self._seen[1]

    def ended(self, sid: str) -> bool:
        return sid in self._read()

    def end(self, sid: str) -> None:
        with self._lock:
            now = time.time()
            kept = {s: until for s, until in self._read().items() if until > now}
            kept[sid] = now + SESSION_SECONDS
            written = self.path.with_suffix(".tmp")
            written.write_text(json.dumps(kept), encoding="utf-8")
            written.chmod(0o600)
            written.replace(self.path)
