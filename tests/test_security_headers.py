"""Browsers are told how little to trust: the pages run only Laurel's own scripts and
styles (no inline ones, so injected markup cannot run), are framed by no one, and are not
cached; every answer forbids type sniffing. The browser tests check that the policy
refuses nothing the pages do (``tests/support/browser.py``)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.support.nominations import PROPOSER

TEMPLATES = Path(__file__).resolve().parent.parent / "api" / "web" / "templates"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_pages_and_the_api_send_the_security_headers(http: httpx.AsyncClient) -> None:
    page = await http.get("/ui/login")
    policy = page.headers["content-security-policy"]
    for directive in ("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'", "base-uri 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"

    assert "no-store" not in (await http.get("/ui/static/laurel.css")).headers.get(
        "cache-control", "")
    api = await http.get("/nominations", headers=PROPOSER)
    assert api.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in api.headers["content-security-policy"]
    docs = await http.get("/docs")  # its viewer comes from a CDN, with an inline script
    assert docs.status_code == 200 and "content-security-policy" not in docs.headers


def test_no_template_holds_an_inline_script_style_or_handler() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\son[a-z]+=|\sstyle=|js:|hx-on",
                        re.IGNORECASE)
    found = [f"{t.name}: {m.group(0)}" for t in sorted(TEMPLATES.glob("*.html"))
             for m in inline.finditer(t.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_options_and_a_wrong_method_name_every_method_a_path_takes(
    http: httpx.AsyncClient,
) -> None:
    options = await http.options("/nominations")
    assert options.status_code == 204
    assert options.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    wrong = await http.delete("/nominations", headers=PROPOSER)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert wrong.headers["content-type"] == "application/problem+json"
    task = await http.options("/tasks/7f0c/review")
    assert task.headers["allow"] == "OPTIONS, POST"
    assert (await http.options("/no/such/thing")).status_code == 404
    # HEAD where Allow names it: GET's answer without its body; elsewhere 405.
    listed = await http.get("/nominations", headers=PROPOSER)
    head = await http.head("/nominations", headers=PROPOSER)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == listed.headers["content-length"]
    assert head.headers["content-type"] == "application/json"
    unauthenticated = await http.head("/nominations")
    assert unauthenticated.status_code == 401 and unauthenticated.content == b""
    not_here = await http.head("/tasks/7f0c/review", headers=PROPOSER)
    assert not_here.status_code == 405 and not_here.headers["allow"] == "OPTIONS, POST"
