"""Reaching Temporal: the one place a Temporal client is made from Laurel's settings.

Every process that talks to Temporal (the worker, the relay, ``laurel ready``,
``laurel audit workflows``, ``laurel chaos``) connects through ``connect``. The settings
say how:

* nothing (the embedded dev server on localhost): plain gRPC;
* ``temporal_tls_cert`` + ``temporal_tls_key``: mutual TLS with that client certificate
  (a self-hosted cluster, or Temporal Cloud's mTLS namespaces);
* ``temporal_tls_ca``: the CA that signed the server's certificate, when the system's
  roots do not know it (alone: TLS without a client certificate);
* ``temporal_tls_server_name``: the name to expect on the server's certificate, when it
  is not the address's host (a load balancer's address, an IP);
* ``temporal_tls`` true: TLS with the system's roots and nothing else given;
* ``temporal_api_key``: an API key (Temporal Cloud), always sent over TLS;
* ``temporal_namespace``: the namespace (Temporal Cloud's are ``name.account``).

Settings given by half (a certificate without its key, a key without its certificate,
``temporal_tls`` false beside a certificate, a file that cannot be read) are refused
with a message naming the variables, before any connection is tried.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infrastructure.settings import Settings

if TYPE_CHECKING:
    from temporalio.client import Client

log = logging.getLogger(__name__)


class TemporalSettingsError(ValueError):
    """The Temporal settings contradict each other or name a file that cannot be read."""


def _read(settings: Settings, setting: str) -> bytes | None:
    path: Path | None = getattr(settings, setting)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        raise TemporalSettingsError(f"LAUREL_{setting.upper()}: cannot read {path}: "
                                    f"{error.strerror}") from None


def temporal_options(settings: Settings) -> dict[str, Any]:
    """What ``Client.connect`` is given besides the address: ``namespace``, ``tls`` (False,
    True for the system's roots, or a ``TLSConfig``) and ``api_key``. Certificates are
    read from their files here; a missing one is named."""
    from temporalio.service import TLSConfig

    if (settings.temporal_tls_cert is None) != (settings.temporal_tls_key is None):
        given, missing = (("LAUREL_TEMPORAL_TLS_CERT", "LAUREL_TEMPORAL_TLS_KEY")
                          if settings.temporal_tls_cert else
                          ("LAUREL_TEMPORAL_TLS_KEY", "LAUREL_TEMPORAL_TLS_CERT"))
        raise TemporalSettingsError(
            "LAUREL_TEMPORAL_TLS_CERT and LAUREL_TEMPORAL_TLS_KEY go together: the client "
            f"certificate and its private key ({given} is set, {missing} is not)")
    tls_files = (settings.temporal_tls_cert or settings.temporal_tls_ca
                 or settings.temporal_tls_server_name)
    if settings.temporal_tls is False and (tls_files or settings.temporal_api_key):
        raise TemporalSettingsError(
            "LAUREL_TEMPORAL_TLS is false, but TLS settings are given "
            "(LAUREL_TEMPORAL_TLS_CERT/_KEY/_CA/_SERVER_NAME or LAUREL_TEMPORAL_API_KEY, "
            "which is only ever sent over TLS): unset it or them")
    tls: TLSConfig | bool = False
    if tls_files:
        tls = TLSConfig(server_root_ca_cert=_read(settings, "temporal_tls_ca"),
                        client_cert=_read(settings, "temporal_tls_cert"),
                        client_private_key=_read(settings, "temporal_tls_key"),
                        domain=settings.temporal_tls_server_name)
    elif settings.temporal_tls or settings.temporal_api_key:
        tls = True
    if not tls and not _loopback(settings.temporal_address):
        log.warning("Temporal at %s is reached without TLS or an API key: whoever can "
                    "reach it can signal or end nominations' workflows (set "
                    "LAUREL_TEMPORAL_TLS_CERT and _KEY, or LAUREL_TEMPORAL_API_KEY)",
                    settings.temporal_address)
    return {"namespace": settings.temporal_namespace, "tls": tls,
            "api_key": settings.temporal_api_key or None}


async def connect(settings: Settings) -> Client:
    """A client of the Temporal the settings name, secured as they say."""
    # Imported here: the processes that never talk to Temporal (the projector, a
    # rebuild's helpers) start a fifth of a second sooner without it.
    from temporalio.client import Client

    return await Client.connect(settings.temporal_address, **temporal_options(settings))


def _loopback(address: str) -> bool:
    host = address.rsplit(":", 1)[0].strip("[]")
    return host == "localhost" or host == "::1" or host.startswith("127.")
