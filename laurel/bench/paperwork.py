"""Paperwork: a decision's PDF with a 200-name annex, made from its rows as
``GET /decisions/{id}/pdf`` makes it (the document's data, then Typst), beside the same
decision with an empty annex: what the list itself costs. Median of a few renderings,
after one that warms the fonts. Goal (issue 22): ≤ 2 s."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from api.paperwork import documents
from api.paperwork.render import render
from infrastructure.policy_file import load_policy_book
from infrastructure.settings import BUNDLED_POLICY
from laurel.bench.report import Figure, median
from laurel.bench.run import BenchContext

NAMES = 200
GOAL = "≤ 2 s"
UNIT = "hg.vi-thanh.phuong-1"


def _seconds(make: Callable[[], bytes], runs: int) -> tuple[float, int]:
    make()  # fonts read and laid out once, as a running server has
    samples, size = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        size = len(make())
        samples.append(time.perf_counter() - began)
    return median(samples), size


def run(context: BenchContext) -> list[Figure]:
    policy = load_policy_book(BUNDLED_POLICY).latest
    row: dict[str, Any] = {"unit_id": "hg", "number": "200/QĐ-UBND",
                           "decision_date": "2026-01-15", "authority": "Chủ tịch UBND tỉnh",
                           "signer": "Trương Cảnh Tuyên"}
    items = [{"outcome": "awarded", "nominee_name": f"Nguyễn Thị Hồng Nhung {n}",
              "unit_id": UNIT, "award_code": "bang-khen-tinh"} for n in range(NAMES)]
    runs = context.scale(5, 21)
    full, size = _seconds(lambda: render("decision", documents.decision(policy, row, items)),
                          runs)
    empty, _ = _seconds(lambda: render("decision", documents.decision(policy, row, [])), runs)
    return [Figure(f"decision PDF, {NAMES}-name annex (median)", "s", full, empty,
                   "the same decision, empty annex", GOAL,
                   {"runs": runs, "bytes": size, "toolkit": "typst"})]
