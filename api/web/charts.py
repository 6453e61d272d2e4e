"""The year's figures from the read models, drawn as SVG bar charts: the kind a province
publishes at its year-end review. Each chart carries its numbers as a table too, for
screen readers and for copying."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any

from markupsafe import Markup
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from api import labels
from api.access import visible_units
from domain.actor import Actor
from domain.nomination import AWARDED
from infrastructure.container import Laurel
from projections.tables import nominations, tasks


@dataclass
class YearFigures:
    by_award: Counter[str] = field(default_factory=Counter)
    by_level: Counter[str] = field(default_factory=Counter)
    award_names: dict[str, dict[str, str]] = field(default_factory=dict)
    by_kind: Counter[str] = field(default_factory=Counter)
    direct_workers: int = 0
    individuals: int = 0
    overdue_by_unit: Counter[str] = field(default_factory=Counter)
    unit_names: dict[str, str] = field(default_factory=dict)


def year_figures(conn: Connection, laurel: Laurel, user: Actor, year: int) -> YearFigures:
    """Awards decided in ``year`` among the nominations the user may see, and the reviews
    overdue now, by unit."""
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    units = visible_units(user, laurel.policy.org)
    awarded = and_(nominations.c.status == AWARDED, nominations.c.updated_at >= start,
                   nominations.c.updated_at < end)
    if units is not None:
        awarded = and_(awarded, nominations.c.unit_id.in_(units))
    figures = YearFigures()
    rows = conn.execute(select(nominations.c.award_code, nominations.c.nominee_kind,
                               nominations.c.nominee).where(awarded))
    for award_code, kind, nominee in rows:
        figures.by_award[award_code] += 1
        figures.by_kind[kind] += 1
        if kind == "individual":
            figures.individuals += 1
            figures.direct_workers += bool(nominee.get("direct_worker"))
    policy = laurel.policy
    figures.award_names = {code: labels.award_name(policy, code) for code in figures.by_award}
    for code, count in figures.by_award.items():
        award = policy.awards.get(code)
        figures.by_level[award.deciding_level if award else "unit"] += count
    overdue = select(tasks.c.unit_id, func.count()).where(
        tasks.c.status == "open", tasks.c.overdue.is_(True)).group_by(tasks.c.unit_id)
    for unit_id, count in conn.execute(overdue):
        if units is None or unit_id in units:
            figures.overdue_by_unit[unit_id] = count
            figures.unit_names[unit_id] = labels.unit_name(policy, unit_id) or unit_id
    return figures


def bar_chart(title: str, bars: list[tuple[str, int]], unit_label: str,
              none_text: str, key: int = 0) -> Markup:
    """Horizontal bars, labelled with their values; an empty chart says so."""
    if not bars:
        return Markup("<p>{}</p>").format(none_text)
    height, label_width, width = 28, 260, 560
    top = max(v for _, v in bars) or 1
    parts = [f'<svg role="img" aria-labelledby="chart-{key}" width="{width}" '
             f'height="{height * len(bars) + 10}" viewBox="0 0 {width} '
             f'{height * len(bars) + 10}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart-{key}">{escape(title)}</title>']
    for i, (label, value) in enumerate(bars):
        y = i * height + 5
        bar = int((width - label_width - 60) * value / top)
        parts.append(f'<text x="0" y="{y + 18}" font-size="13" fill="#1a1a1a">'
                     f'{escape(label[:40])}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{max(bar, 1)}" '
                     f'height="{height - 10}" fill="#8a1c1c"/>')
        parts.append(f'<text x="{label_width + bar + 6}" y="{y + 18}" font-size="13" '
                     f'fill="#1a1a1a">{value}</text>')
    parts.append("</svg>")
    rows = "".join(f"<tr><th scope=\"row\">{escape(label)}</th><td>{value}</td></tr>"
                   for label, value in bars)
    table = (f'<details><summary>{escape(unit_label)}</summary><table><caption>'
             f'{escape(title)}</caption><tbody>{rows}</tbody></table></details>')
    # Every piece of text in it went through escape() above.
    return Markup("".join(parts) + table)  # noqa: S704


def render_all(figures: YearFigures, t: Callable[[str], str],
               pick: Callable[[dict[str, str]], str]) -> list[tuple[str, Markup]]:
    none = t("dashboard.none")
    share = (f"{100 * figures.direct_workers / figures.individuals:.0f} %"
             if figures.individuals else "—")
    charts: list[tuple[str, Any]] = [
        (t("dashboard.by_level"), bar_chart(t("dashboard.by_level"), [
            (t(f"level.{lv}"), n) for lv, n in figures.by_level.most_common()],
            t("col.count"), none, key=1)),
        (t("dashboard.by_award"), bar_chart(t("dashboard.by_award"), [
            (pick(figures.award_names[c]), n) for c, n in figures.by_award.most_common()],
            t("col.count"), none, key=2)),
        (t("dashboard.kinds"), bar_chart(t("dashboard.kinds"), [
            (t(f"proposal.{k}") if k in ("individual", "collective") else k, n)
            for k, n in figures.by_kind.most_common()], t("col.count"), none, key=3)),
        (f"{t('dashboard.direct')}: {share}", bar_chart(t("dashboard.direct"), [
            (t("proposal.direct_worker"), figures.direct_workers),
            (t("proposal.individual"), figures.individuals)] if figures.individuals else [],
            t("col.count"), none, key=4)),
        (t("dashboard.overdue"), bar_chart(t("dashboard.overdue"), [
            (figures.unit_names[u], n) for u, n in figures.overdue_by_unit.most_common(15)],
            t("col.count"), none, key=5)),
    ]
    return charts
