"""Benchmark figures, the printed table and the JSON file."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# A process's memory: read where the API process is started, used across the bench.
from laurel.api_process import peak_rss_mib as peak_rss_mib
from laurel.api_process import process_tree as process_tree
from laurel.api_process import rss_mib as rss_mib


@dataclass
class Figure:
    name: str
    unit: str
    laurel: float
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        assert self.baseline is not None
        return self.laurel / self.baseline


def percentile(samples: Sequence[float], share: float) -> float:
    """The ``share`` quantile (0..1) of the samples, nearest rank."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_cores() -> float:
    """Cores' worth of CPU the whole machine used over the last 0.5 s (/proc/stat)."""

    def busy_and_total() -> tuple[int, int]:
        try:
            with Path("/proc/stat").open() as stat:
                ticks = [int(t) for t in stat.readline().split()[1:]]
        except OSError:  # not Linux: nothing to wait for
            return 0, 1
        idle = ticks[3] + ticks[4]  # idle and iowait
        return sum(ticks) - idle, sum(ticks)

    busy, total = busy_and_total()
    time.sleep(0.5)
    busy2, total2 = busy_and_total()
    return (busy2 - busy) / max(total2 - total, 1) * (os.cpu_count() or 1)


def wait_until_quiet(below: float = 0.15, patience: float = 30.0) -> None:
    """Wait (at most ``patience`` s) until the machine is nearly idle: what the run before
    left behind (the database vacuuming its new rows, the Temporal server finishing its
    queues) must not be billed to the next run."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline and busy_cores() > below:
        pass


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
            "at": datetime.now(UTC).isoformat(timespec="seconds")}


def render(figures: Sequence[Figure], backend: str) -> str:
    def num(value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"

    rows = [("figure", "Laurel", "baseline (same run)", "ratio", "goal")]
    for f in figures:
        base = f"{num(f.baseline)} {f.unit} ({f.baseline_name})" if f.baseline else "—"
        ratio = f"{f.ratio:.0%}" if f.ratio is not None else "—"
        laurel = f"{num(f.laurel)} {f.unit}"
        if "p50_ms" in f.details and "p99_ms" in f.details:  # a rate's latency beside it
            laurel += f", p50 {f.details['p50_ms']:.1f} / p99 {f.details['p99_ms']:.1f} ms"
        rows.append((f.name, laurel, base, ratio, f.goal or "—"))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [f"Laurel benchmarks — backend {backend}"]
    for i, row in enumerate(rows):
        lines.append(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if i == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(path: Path, figures: Sequence[Figure], backend: str, quick: bool) -> None:
    path.write_text(json.dumps({
        "machine": machine(), "backend": backend, "quick": quick,
        "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
    }, indent=2, ensure_ascii=False))
