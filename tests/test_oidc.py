"""Production sign-in with an OpenID Connect provider: the API takes the provider's ID
tokens as bearer tokens, and the pages sign people in with the authorization-code flow
(PKCE, state, nonce). The provider here is a small but real one, served over HTTP on
this machine with its own RSA key: Laurel fetches its discovery document and keys, and
exchanges codes with it, as it would with a province's identity service."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
import pytest_asyncio
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from api.app import create_app
from infrastructure.container import Laurel
from laurel.supervisor import free_port
from tests.support.people import JWT_SECRET, token

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNIT = "hg.vi-thanh.phuong-1"
CLIENT_ID, CLIENT_SECRET = "laurel", "client-secret-for-the-test"


class Provider:
    """Signs in whoever ``person`` is, at once (consent is the provider's business)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.person: dict[str, Any] = {"sub": "nguyen.van.an", "roles": ["proposer"],
                                       "unit": UNIT}
        self.codes: dict[str, dict[str, str]] = {}
        self.server = uvicorn.Server(uvicorn.Config(Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/jwks", self.jwks), Route("/authorize", self.authorize),
            Route("/token", self.token_endpoint, methods=["POST"]),
        ]), host="127.0.0.1", port=self.port, log_level="warning"))

    def id_token(self, audience: str = CLIENT_ID, nonce: str = "",
                 key: rsa.RSAPrivateKey | None = None) -> str:
        now = int(time.time())
        claims = {**self.person, "iss": self.url, "aud": audience, "iat": now,
                  "exp": now + 600, "nonce": nonce}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": "k1"})

    async def discovery(self, request: Request) -> Response:
        return JSONResponse({"issuer": self.url, "jwks_uri": f"{self.url}/jwks",
                             "authorization_endpoint": f"{self.url}/authorize",
                             "token_endpoint": f"{self.url}/token"})

    async def jwks(self, request: Request) -> Response:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return JSONResponse({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})

    async def authorize(self, request: Request) -> Response:
        asked = request.query_params
        assert asked["client_id"] == CLIENT_ID and asked["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = dict(asked)
        answer = urlencode({"code": code, "state": asked["state"]})
        return RedirectResponse(f"{asked['redirect_uri']}?{answer}", status_code=302)

    async def token_endpoint(self, request: Request) -> Response:
        form = await request.form()
        asked = self.codes.pop(str(form["code"]), None)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(
            str(form["code_verifier"]).encode()).digest()).rstrip(b"=").decode()
        if (asked is None or form["client_secret"] != CLIENT_SECRET
                or challenge != asked["code_challenge"]
                or form["redirect_uri"] != asked["redirect_uri"]):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse({"id_token": self.id_token(nonce=asked["nonce"]),
                             "token_type": "Bearer"})


@pytest.fixture
def provider() -> Iterator[Provider]:
    served = Provider()
    thread = threading.Thread(target=served.server.run, daemon=True)
    thread.start()
    while not served.server.started:
        time.sleep(0.02)
    yield served
    served.server.should_exit = True
    thread.join(10)


@pytest_asyncio.fixture
async def laurel_app(laurel: Laurel, provider: Provider) -> AsyncIterator[httpx.AsyncClient]:
    settings = laurel.settings.model_copy(update={
        "oidc_issuer": provider.url, "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET})
    app = create_app(settings=settings, laurel=laurel)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://laurel") as client:
            yield client


async def test_the_api_takes_the_providers_id_tokens_and_nothing_forged(
    laurel_app: httpx.AsyncClient, provider: Provider,
) -> None:
    def bearer(value: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {value}"}

    assert (await laurel_app.get("/nominations", headers=bearer(
        provider.id_token()))).status_code == 200
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for refused in (provider.id_token(audience="another-app"),
                    provider.id_token(key=other_key)):
        answer = await laurel_app.get("/nominations", headers=bearer(refused))
        assert answer.status_code == 401, answer.text
    # Laurel's own tokens still work beside the provider's.
    assert (await laurel_app.get("/nominations", headers=token(
        "clerk", "proposer", unit=UNIT))).status_code == 200
    # Roles Laurel does not know are no pass to read the unit's nominations, from either.
    provider.person["roles"] = ["superuser", "guest"]
    now = int(time.time())
    laurels_own = jwt.encode({"sub": "x", "roles": ["superuser"], "unit": UNIT, "iss": "laurel",
                              "iat": now, "exp": now + 600}, JWT_SECRET, algorithm="HS256")
    for unknown in (bearer(provider.id_token()), bearer(laurels_own)):
        answer = await laurel_app.get("/nominations", headers=unknown)
        assert answer.status_code == 401, answer.text
        assert "superuser" in answer.json()["detail"]


async def test_the_pages_sign_in_with_the_provider(
    laurel_app: httpx.AsyncClient, provider: Provider,
) -> None:
    login = await laurel_app.get("/ui/login")
    assert "/ui/login/oidc" in login.text
    started = await laurel_app.get("/ui/login/oidc?next=/ui/nominations")
    assert started.status_code == 303
    to_provider = started.headers["location"]
    assert to_provider.startswith(f"{provider.url}/authorize?")
    async with httpx.AsyncClient() as browser_at_provider:
        answered = await browser_at_provider.get(to_provider)
    back = urlsplit(answered.headers["location"])
    assert back.path == "/ui/login/oidc/callback"

    forged = {**parse_qs(back.query), "state": ["not-the-state"]}
    refused = await laurel_app.get(f"{back.path}?{urlencode(forged, doseq=True)}")
    assert refused.status_code == 401

    # The real answer, in a new sign-in (the forged one consumed the first).
    started = await laurel_app.get("/ui/login/oidc?next=/ui/nominations")
    async with httpx.AsyncClient() as browser_at_provider:
        answered = await browser_at_provider.get(started.headers["location"])
    back = urlsplit(answered.headers["location"])
    signed = await laurel_app.get(f"{back.path}?{back.query}")
    assert signed.status_code == 303 and signed.headers["location"] == "/ui/nominations"
    page = await laurel_app.get("/ui/nominations")
    assert page.status_code == 200 and "nguyen.van.an" in page.text
