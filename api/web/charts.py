"""The year's figures from the read models, drawn as SVG bar charts: the kind a province
publishes at its year-end review. Each chart carries its numbers as a table too, for
screen readers and for copying."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from markupsafe import Markup

from api.reads.dashboard import YearFigures
from domain.policy import NOMINEE_KINDS


def bar_chart(title: str, bars: Sequence[tuple[str, float]], unit_label: str,
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
    stats = figures.statistics
    charts: list[tuple[str, Any]] = [
        (t("dashboard.by_level"), bar_chart(t("dashboard.by_level"), [
            (pick(figures.level_names[lv]) if lv in figures.level_names else t(f"level.{lv}"),
             n) for lv, n in figures.by_level.most_common()],
            t("col.count"), none, key=1)),
        (t("dashboard.by_award"), bar_chart(t("dashboard.by_award"), [
            (pick(figures.award_names[c]), n) for c, n in figures.by_award.most_common()],
            t("col.count"), none, key=2)),
        (t("dashboard.kinds"), bar_chart(t("dashboard.kinds"), [
            (t(f"nominee.{k}") if k in NOMINEE_KINDS else k, n)
            for k, n in figures.by_kind.most_common()], t("col.count"), none, key=3)),
        (t("dashboard.gender"), bar_chart(t("dashboard.gender"), [
            (t(f"dashboard.gender.{g}"), figures.by_gender[g])
            for g in ("female", "male", "unknown") if figures.by_gender[g]],
            t("col.count"), none, key=6)),
        (f"{t('dashboard.direct')}: {share}", bar_chart(t("dashboard.direct"), [
            (t("proposal.direct_worker"), figures.direct_workers),
            (t("nominee.individual"), figures.individuals)] if figures.individuals else [],
            t("col.count"), none, key=4)),
        (t("dashboard.times"), bar_chart(t("dashboard.times"), [
            (pick(lt.level_name), lt.median_days) for lt in figures.times],
            t("dashboard.days"), none, key=7)),
        (t("dashboard.on_time"), bar_chart(t("dashboard.on_time"), [
            (pick(lt.level_name), round(100 * lt.on_time_share)) for lt in figures.times],
            t("dashboard.percent"), none, key=8)),
    ]
    if stats is not None and any(g.key for g in stats.by_movement):
        charts.append((t("dashboard.by_movement"), bar_chart(t("dashboard.by_movement"), [
            (g.name if g.key else t("dashboard.no_movement"), g.total)
            for g in stats.by_movement], t("col.count"), none, key=9)))
    if stats is not None and any(g.key for g in stats.by_cluster):
        charts.append((t("dashboard.by_cluster"), bar_chart(t("dashboard.by_cluster"), [
            (g.name if g.key else t("dashboard.no_cluster"), g.total)
            for g in stats.by_cluster], t("col.count"), none, key=10)))
    charts.append((t("dashboard.overdue"), bar_chart(t("dashboard.overdue"), [
        (figures.unit_names[u], n) for u, n in figures.overdue_by_unit.most_common(15)],
        t("col.count"), none, key=5)))
    return charts
