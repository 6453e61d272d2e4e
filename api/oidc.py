"""Signing in with the deployment's OpenID Connect provider, in production.

The provider's ID tokens name the person (``sub``), their roles and their unit in two
claims whose names the settings give. The API accepts such a token as a bearer token;
the pages sign people in with the authorization-code flow (PKCE, state, nonce). The
embedded default has no provider: local accounts and ``laurel token`` instead.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from api.auth import person_named
from api.problems import Unauthenticated
from domain.actor import Actor
from infrastructure.settings import Settings

ALGORITHMS = ["RS256", "ES256"]


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    roles_claim: str = "roles"
    unit_claim: str = "unit"
    _configuration: dict[str, Any] = field(default_factory=dict)
    _keys: jwt.PyJWKClient | None = None

    @classmethod
    def of(cls, settings: Settings) -> Provider | None:
        if not settings.oidc_issuer:
            return None
        return cls(settings.oidc_issuer.rstrip("/"), settings.oidc_client_id or "",
                   settings.oidc_client_secret or "", settings.oidc_roles_claim,
                   settings.oidc_unit_claim)

    async def configuration(self) -> dict[str, Any]:
        """The provider's discovery document, fetched once."""
        if not self._configuration:
            async with httpx.AsyncClient(timeout=10) as client:
                answer = await client.get(f"{self.issuer}/.well-known/openid-configuration")
                answer.raise_for_status()
                self._configuration = answer.json()
        return self._configuration

    def issued(self, token: str) -> bool:
        """Whether the token says this provider issued it (checked for real in verify)."""
        try:
            said = jwt.decode(token, options={"verify_signature": False}).get("iss", "")
        except jwt.InvalidTokenError:
            return False
        return isinstance(said, str) and said.rstrip("/") == self.issuer

    async def verify(self, token: str, nonce: str | None = None) -> Actor:
        """The person an ID token names, if the provider signed it for this client."""
        configuration = await self.configuration()
        if self._keys is None:
            self._keys = jwt.PyJWKClient(configuration["jwks_uri"], cache_keys=True)
        try:
            key = await asyncio.to_thread(self._keys.get_signing_key_from_jwt, token)
            claims = jwt.decode(token, key.key, algorithms=ALGORITHMS,
                                audience=self.client_id, issuer=configuration["issuer"],
                                options={"require": ["exp", "iat", "sub", "iss", "aud"]})
        except jwt.ExpiredSignatureError:
            raise Unauthenticated.expired() from None
        except (jwt.InvalidTokenError, jwt.PyJWKClientError) as error:
            raise Unauthenticated.invalid(error) from None
        if nonce is not None and not secrets.compare_digest(str(claims.get("nonce", "")),
                                                            nonce):
            raise Unauthenticated("The sign-in answer is not for this sign-in",
                                  vi="Kết quả đăng nhập không khớp với lần đăng nhập này")
        return person_named(claims["sub"], claims.get(self.roles_claim),
                            claims.get(self.unit_claim))

    async def sign_in_url(self, redirect_uri: str) -> tuple[str, dict[str, str]]:
        """Where to send the browser, and what to keep in its session for the answer."""
        configuration = await self.configuration()
        kept = {"state": secrets.token_urlsafe(24), "nonce": secrets.token_urlsafe(24),
                "verifier": secrets.token_urlsafe(48)}
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(kept["verifier"].encode()).digest()).rstrip(b"=").decode()
        query = urlencode({"response_type": "code", "client_id": self.client_id,
                           "redirect_uri": redirect_uri, "scope": "openid profile",
                           "state": kept["state"], "nonce": kept["nonce"],
                           "code_challenge": challenge, "code_challenge_method": "S256"})
        return f"{configuration['authorization_endpoint']}?{query}", kept

    async def signed_in(self, code: str, redirect_uri: str, kept: dict[str, str]) -> Actor:
        """Exchange the answer's code for an ID token, and the person it names."""
        configuration = await self.configuration()
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(configuration["token_endpoint"], data={
                "grant_type": "authorization_code", "code": code,
                "redirect_uri": redirect_uri, "code_verifier": kept["verifier"],
                "client_id": self.client_id, "client_secret": self.client_secret})
        if answer.status_code != 200 or "id_token" not in answer.json():
            raise Unauthenticated("The provider refused the sign-in",
                                  vi="Hệ thống đăng nhập của cơ quan từ chối lần đăng nhập này")
        return await self.verify(answer.json()["id_token"], nonce=kept["nonce"])
