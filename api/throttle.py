"""Throttles: how often one client address may lodge objections or look up tracking codes,
and how often one nomination takes objections or one code is looked up, from anyone.

Each is a token bucket: a client may act ``burst`` times in a row, then once more each
time ``seconds`` pass; past it, 429 ``/problems/too-many-requests`` with ``Retry-After``
(the seconds until the next one is taken). The buckets live in the API process's memory:
an API of several processes (``api_workers``) keeps a set in each, so a client whose
requests are spread over them gets up to that many times the burst. They are forgotten
on a restart. The client is the address the request came from (``request.client``):
behind a reverse proxy, start uvicorn with ``--forwarded-allow-ips`` naming the proxy, so
that it is the proxy's ``X-Forwarded-For``, not the proxy, that is counted.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from api.problems import TooManyRequests
from infrastructure.settings import Settings

MAX_KEYS = 100_000
"""Buckets one throttle keeps at most; past it, those full again are dropped first."""


@dataclass
class _Bucket:
    tokens: float
    at: float


class Buckets:
    """Token buckets by key: ``burst`` tokens, one more every ``seconds``."""

    def __init__(self, burst: int, seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.seconds, self.clock = burst, seconds, clock
        self._buckets: dict[str, _Bucket] = {}

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may act again (0: it may now)."""
        bucket = self._filled(key)
        return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) * self.seconds

    def take(self, key: str) -> None:
        self._filled(key).tokens -= 1

    def _filled(self, key: str) -> _Bucket:
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_KEYS:
                self._forget(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) / self.seconds)
        bucket.at = now
        return bucket

    def _forget(self, now: float) -> None:
        """Drop the buckets full again (forgetting them changes nothing), else the half
        least recently used."""
        full = [k for k, b in self._buckets.items()
                if b.tokens + (now - b.at) / self.seconds >= self.burst]
        for key in full or sorted(self._buckets, key=lambda k: self._buckets[k].at)[
                :len(self._buckets) // 2]:
            del self._buckets[key]


class Throttles:
    """The API's throttles, from the settings (``app.state.throttles``)."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.objections_by_client = Buckets(settings.objections_per_client,
                                            settings.objection_client_seconds, clock)
        self.objections_by_nomination = Buckets(settings.objections_per_nomination,
                                                settings.objection_nomination_seconds, clock)
        self.lookups_by_client = Buckets(settings.lookups_per_client,
                                         settings.lookup_client_seconds, clock)
        self.lookups_by_code = Buckets(settings.lookups_per_code, settings.lookup_code_seconds,
                                       clock)
        self.sign_ins_by_account = Buckets(5, 60, clock)
        self.sign_ins_by_client = Buckets(20, 15, clock)
        self._lock = threading.Lock()

    def sign_in(self, client: str, username: str, failed: bool = False) -> None:
        """A password about to be tried for ``username`` from ``client`` (refused while
        too many have failed), or one that failed (``failed``: counted). Five wrong in a
        row for an account, then one a minute; twenty from an address, then one every
        15 s. A right password counts nothing."""
        counted = ((self.sign_ins_by_account, username.strip().lower(),
                    "failed sign-ins to this account",
                    "lần đăng nhập sai vào tài khoản này"),
                   (self.sign_ins_by_client, client, "failed sign-ins from your address",
                    "lần đăng nhập sai từ địa chỉ của bạn"))
        if failed:
            with self._lock:
                for buckets, key, _, _ in counted:
                    buckets.take(key)
        else:
            self._refuse_if_empty(*counted)

    def objection(self, client: str, nomination: str) -> None:
        """An objection lodged by ``client`` to ``nomination`` (its id)."""
        self._take(
            (self.objections_by_client, client, "objections from your address",
             "ý kiến phản ánh từ địa chỉ của bạn"),
            (self.objections_by_nomination, nomination, "objections to this nomination",
             "ý kiến phản ánh về hồ sơ này"))

    def confirmation(self, client: str) -> None:
        """A code typed back by ``client``: counted with its lookups (a wrong code is also
        counted on its objection, which locks after a few)."""
        self._take((self.lookups_by_client, client, "requests from your address",
                    "yêu cầu từ địa chỉ của bạn"))

    def lookup(self, client: str, code: str) -> None:
        """A tracking code looked up by ``client`` (as typed, normalised by the caller)."""
        self._take(
            (self.lookups_by_client, client, "lookups from your address",
             "lượt tra cứu từ địa chỉ của bạn"),
            (self.lookups_by_code, code, "lookups of this tracking code",
             "lượt tra cứu mã này"))

    def _take(self, *counted: tuple[Buckets, str, str, str]) -> None:
        """Take a token from each bucket, or from none (refused by the longest wait)."""
        with self._lock:
            self._refuse_if_empty(*counted)
            for buckets, key, _, _ in counted:
                buckets.take(key)

    @staticmethod
    def _refuse_if_empty(*counted: tuple[Buckets, str, str, str]) -> None:
        waits = [(buckets.wait(key), what, what_vi) for buckets, key, what, what_vi
                 in counted]
        wait, what, what_vi = max(waits, key=lambda w: w[0])
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise TooManyRequests(
                seconds, f"Too many {what} in a short time; try again in {seconds} s",
                vi=f"Có quá nhiều {what_vi} trong thời gian ngắn; hãy thử lại sau "
                   f"{seconds} giây")


def throttles_of(request: Request) -> Throttles:
    throttles: Throttles = request.app.state.throttles
    return throttles


def client_of(request: Request) -> str:
    """The address a request came from (behind a proxy trusted by uvicorn, the one the
    proxy names)."""
    return request.client.host if request.client else "unknown"
