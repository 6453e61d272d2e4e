"""Documents: a 10 MB file uploaded through the API (its own process, real HTTP) on the
embedded default — the folder store in the data directory — beside a bare copy of the
same bytes on the same disk.

What an upload does beyond the copy is what is measured: the multipart body parsed as it
streams, the bytes hashed, the file flushed to disk and renamed into place, its type
recognised, and the ``Uploaded`` event saved in the hash-chained event store. The
baseline copies the same file and flushes it (``copyfile`` then ``fsync``), as the store
does, so the ratio is the price of the rest. The API process's peak memory is reported
too: a file streams through, it is never held.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

import httpx

from api.auth import issue_token
from laurel.api_process import api_process
from laurel.bench.report import Figure, median
from laurel.bench.run import BenchContext

SIZE = 10 * 1024 * 1024
UNIT = "hg.vi-thanh.phuong-1"
GOAL = "≥ 50 MB/s"


def _source(folder: Path) -> Path:
    """A 10 MB PDF of bytes no compressor or cache could shortcut."""
    path = folder / "bench-source.pdf"
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.write(os.urandom(SIZE - 9))
    return path


def _copy(source: Path, target: Path) -> float:
    began = time.perf_counter()
    shutil.copyfile(source, target)
    with target.open("rb+") as copied:
        os.fsync(copied.fileno())
    seconds = time.perf_counter() - began
    target.unlink()
    return seconds


def _upload(client: httpx.Client, source: Path, headers: dict[str, str]) -> float:
    with source.open("rb") as file:
        began = time.perf_counter()
        answer = client.post("/documents", files={"file": ("bench.pdf", file, "application/pdf")},
                             headers=headers)
        seconds = time.perf_counter() - began
    if answer.status_code != 201:
        raise RuntimeError(f"upload refused: {answer.status_code} {answer.text[:300]}")
    return seconds


def run(context: BenchContext) -> list[Figure]:
    settings = context.fresh_settings("documents")
    rounds = context.scale(10, 30)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    source = _source(context.work_dir)
    token = issue_token(settings.signing_key(), settings.jwt_issuer, sub="bench-clerk",
                        roles=["proposer"], unit=UNIT, minutes=60)
    headers = {"Authorization": f"Bearer {token}"}
    uploads: list[float] = []
    copies: list[float] = []
    with api_process(settings) as api, contextlib.closing(
            httpx.Client(base_url=api.url, timeout=120)) as client:
        for _ in range(2):  # warm: the first upload makes the store's folders
            _upload(client, source, headers)
        for _ in range(rounds):  # alternating, so both see the same moments of the disk
            uploads.append(_upload(client, source, headers))
            copies.append(_copy(source, settings.data_dir / "bench-copy.pdf"))
        peak = api.peak_rss_mib()
        idle = api.idle_rss_mib
    source.unlink()
    megabytes = SIZE / 1e6
    return [Figure(
        "Upload of a 10 MB file through the API, embedded default (folder store)", "MB/s",
        megabytes / median(uploads), megabytes / median(copies),
        "bare copy of the same bytes (copyfile + fsync)", GOAL, {
            "bytes": SIZE, "rounds": rounds,
            "upload_median_ms": round(median(uploads) * 1000, 1),
            "upload_worst_ms": round(max(uploads) * 1000, 1),
            "copy_median_ms": round(median(copies) * 1000, 1),
            "api_idle_rss_mib": idle, "api_peak_rss_mib": peak})]
