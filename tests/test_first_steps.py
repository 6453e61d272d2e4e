"""A newcomer's first minutes: a token from another terminal or folder is one the service
accepts, or a refusal that says what to pass; the address people type leads to the pages."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest

from api.auth import verify_token
from infrastructure.settings import Settings
from laurel.supervisor import find_executable
from tests.support.people import JWT_SECRET

CLERK = ["--sub", "clerk", "--role", "proposer", "--unit", "hg.vi-thanh.phuong-1"]


def laurel_token(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``laurel token`` as typed in a terminal in ``cwd``, with no Laurel settings but
    ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    return subprocess.run([find_executable("laurel"), "token", *args], cwd=cwd,
                          env={**clean, **env}, capture_output=True, text=True, check=False)


def test_a_token_without_the_services_key_is_refused_and_says_what_to_pass(
    tmp_path: Path,
) -> None:
    refused = laurel_token(*CLERK, cwd=tmp_path)
    assert refused.returncode == 2 and refused.stdout == ""
    assert str(tmp_path / "laurel-data" / "jwt-secret") in refused.stderr
    assert "--data-dir" in refused.stderr and "LAUREL_JWT_SECRET" in refused.stderr
    assert list(tmp_path.iterdir()) == []  # no key of its own, nobody else's folder made


def test_a_token_from_another_folder_is_signed_with_the_services_key(tmp_path: Path) -> None:
    service = Settings(data_dir=tmp_path / "service" / "laurel-data")
    key = service.signing_key()  # as `laurel up` makes it on its first start
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    given_dir = laurel_token("--data-dir", str(service.data_dir), *CLERK, cwd=elsewhere)
    assert given_dir.returncode == 0, given_dir.stderr
    assert verify_token(key, "laurel", given_dir.stdout.strip()).unit_id == (
        "hg.vi-thanh.phuong-1")
    given_env = laurel_token(*CLERK, cwd=elsewhere, LAUREL_JWT_SECRET=JWT_SECRET)
    assert verify_token(JWT_SECRET, "laurel", given_env.stdout.strip()).id == "clerk"
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_address_people_type_leads_to_the_pages(http: httpx.AsyncClient) -> None:
    root = await http.get("/")
    assert root.status_code in (303, 307) and root.headers["location"] == "/ui"
    page = await http.get("/", follow_redirects=True)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "/" not in (await http.get("/openapi.json")).json()["paths"]
    assert (await http.get("/docs")).status_code == 200
