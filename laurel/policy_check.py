"""``laurel policy check``: what a new policy file would change, before it is deployed.

The report says whether the file is valid, which of its versions applies today, what the
newest version changes against the version in force (levels, units, awards), and what
happens to the nominations in flight: each keeps the route it was given when it was
proposed, so a removed level still reviews the nominations already on their way through
it, while new nominations are planned under the new version.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, select

from domain.policy import CENTRAL, STANDARD, Award, OrgUnit, Policy, PolicyBook, Route
from domain.vocabulary import CLOSED_STATUSES
from infrastructure.policy_file import load_policy_book
from projections.tables import nominations

IN_FLIGHT_COLUMNS = ("id", "tracking_code", "status", "policy_version", "current_level",
                     "current_unit_id", "route")
INDENT = "  "


class PolicyCheckFailed(Exception):
    """The file reads well but cannot replace the policy in force; ``report`` says why."""

    def __init__(self, report: str, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.report = report
        self.problems = tuple(problems)


def read_in_flight(engine: Engine) -> list[dict[str, Any]]:
    """The nominations not yet closed, from the read models (none if they are not there)."""
    if not inspect(engine).has_table(nominations.name):
        return []
    columns = [nominations.c[name] for name in IN_FLIGHT_COLUMNS]
    query = (
        select(*columns)
        .where(nominations.c.status.not_in(sorted(CLOSED_STATUSES)))
        .order_by(nominations.c.policy_version, nominations.c.proposed_at, nominations.c.id)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def check_policy(
    file: Path, current: PolicyBook, in_flight: list[dict[str, Any]],
    today: date | None = None,
) -> str:
    """The report on ``file`` against the ``current`` policy book.

    Raises ``PolicyFileError`` (``file:line: where: what``) when the file is not a valid
    policy, and ``PolicyCheckFailed`` with the whole report when it is valid but would
    strand nominations in flight (it drops a version they were proposed under).
    """
    today = today or datetime.now(UTC).date()
    book = load_policy_book(file)
    in_force = current.active(today)
    target = book.latest
    out: list[str] = []
    problems: list[str] = []
    warnings: list[str] = []

    out.append(f"Policy file {file}: valid, {_plural(len(book.versions), 'version')}.")
    out.append("")
    out.append("Versions in the file:")
    active = book.active(today)
    for p in book.versions:
        notes = []
        if p is active:
            notes.append(f"active today ({today.isoformat()})")
        if p.effective_from > today:
            notes.append(f"takes effect in {(p.effective_from - today).days} days")
        out.append(f"{INDENT}{p.version:<10} effective from {p.effective_from.isoformat()}"
                   + (f"  <- {', '.join(notes)}" if notes else ""))
    out.append(f"In force now: {in_force.version} (effective from "
               f"{in_force.effective_from.isoformat()}), from the current policy.")
    out.append("")

    for p in book.versions:
        if p.version in {v.version for v in current.versions}:
            before = current.version(p.version)
            if before != p:
                sections = ", ".join(_changed_sections(before, p))
                warnings.append(
                    f"version {p.version} differs from the one in force ({sections}); a version "
                    "that nominations were proposed under should not be edited - add a new "
                    "version instead"
                )
    file_versions = {p.version for p in book.versions}
    used = Counter(str(row["policy_version"]) for row in in_flight)
    for version, n in used.items():
        if version not in file_versions:
            problems.append(
                f"{_plural(n, 'nomination')} in flight were proposed under {version}, which "
                "this file does not hold; keep that version in the file"
            )
    warnings.extend(
        f"version {p.version} of the policy in force is not in this file"
        for p in current.versions if p.version not in file_versions and not used[p.version]
    )

    if target.version == in_force.version and target == in_force:
        out.append(f"{target.version} is the version in force; nothing changes.")
    else:
        out.append(f"Changes in {target.version} (from {target.effective_from.isoformat()}) "
                   f"against {in_force.version}, in force now:")
        out.extend(f"{INDENT}{line}" for line in diff_policies(in_force, target)
                   or ["no difference"])
    out.append("")
    out.extend(_in_flight_section(in_flight, book, target))
    out.append("")
    out.extend(_new_nominations_section(in_force, target, today))

    if warnings:
        out.append("")
        out.append("Warnings:")
        out.extend(f"{INDENT}- {w}" for w in warnings)
    if problems:
        out.append("")
        out.append("Problems (the file cannot replace the policy in force):")
        out.extend(f"{INDENT}- {p}" for p in problems)
        raise PolicyCheckFailed("\n".join(out), problems)
    return "\n".join(out)


# -- the difference between two versions ---------------------------------------------


def diff_policies(old: Policy, new: Policy) -> list[str]:
    """What ``new`` changes against ``old``, one line per fact (sub-items indented)."""
    lines: list[str] = []
    lines.extend(_section("Levels", _diff_levels(old, new)))
    lines.extend(_section("Organisation units", _diff_units(old, new)))
    lines.extend(_section("Awards", _diff_awards(old, new)))
    lines.extend(_section("Vote rule, deadlines and calendar", _diff_rules(old, new)))
    return lines


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"{title}:", *(f"{INDENT}{line}" for line in lines)] if lines else []


def _diff_levels(old: Policy, new: Policy) -> list[str]:
    lines = [f"removed: {code} ({old.level_names[code].vi} / {old.level_names[code].en})"
             for code in old.levels if code not in new.levels]
    lines += [f"added: {code} ({new.level_names[code].vi} / {new.level_names[code].en})"
              for code in new.levels if code not in old.levels]
    kept = [code for code in new.levels if code in old.levels]
    if kept != [code for code in old.levels if code in new.levels]:
        lines.append(f"reordered: {' < '.join(new.levels)}")
    for code in kept:
        if old.level_names[code] != new.level_names[code]:
            lines.append(f"renamed: {code} '{old.level_names[code].vi}' -> "
                         f"'{new.level_names[code].vi}'")
    return lines


def _unit(unit: OrgUnit) -> str:
    return f"{unit.id} '{unit.name}'"


def _diff_units(old: Policy, new: Policy) -> list[str]:
    before, after = old.org.units, new.org.units
    taken_over = {fid for u in after.values() for fid in u.formerly}
    lines: list[str] = []
    for unit in after.values():
        if not unit.formerly:
            continue
        sources = ", ".join(_unit(before[f]) if f in before else f"{f} (not in {old.version})"
                            for f in unit.formerly)
        if unit.id not in before and len(unit.formerly) == 1:
            lines.append(f"renamed with a new id: {sources} -> {_unit(unit)}")
        else:
            lines.append(f"merged: {sources} -> {_unit(unit)}")
    for uid, unit in after.items():
        if uid in before and before[uid].name != unit.name:
            lines.append(f"renamed: {uid} '{before[uid].name}' -> '{unit.name}'")
        if uid in before and before[uid].level != unit.level:
            lines.append(f"changed level: {uid} {before[uid].level} -> {unit.level}")
    moved: dict[tuple[str | None, str | None], list[str]] = defaultdict(list)
    for uid, unit in after.items():
        if uid in before and before[uid].parent_id != unit.parent_id:
            moved[(before[uid].parent_id, unit.parent_id)].append(uid)
    for (was, now), ids in moved.items():
        lines.append(f"moved from {was or 'the top'} to {now or 'the top'}: {', '.join(ids)}")
    removed = [u for uid, u in before.items() if uid not in after and uid not in taken_over]
    if removed:
        lines.append(f"removed ({len(removed)}, taken over by no unit):")
        lines.extend(f"{INDENT}{_unit(u)} [{u.level}]" for u in removed)
    added = [u for uid, u in after.items() if uid not in before and not u.formerly]
    if added:
        lines.append(f"added ({len(added)}):")
        lines.extend(f"{INDENT}{_unit(u)} [{u.level}]" for u in added)
    return lines


def _chain(chain: Iterable[str]) -> str:
    return " -> ".join(chain)


def _days(days: Mapping[str, int]) -> str:
    return ", ".join(f"{level} {n}" for level, n in days.items()) or "none"


def _diff_awards(old: Policy, new: Policy) -> list[str]:
    lines = [f"removed: {code} ({a.name.en})" for code, a in old.awards.items()
             if code not in new.awards]
    lines += [f"added: {code} ({a.name.en}): {_chain(a.chain)}, decided by {a.authority.en}"
              for code, a in new.awards.items() if code not in old.awards]
    for code, award in new.awards.items():
        if code in old.awards:
            changes = _award_changes(old.awards[code], award)
            if changes:
                lines.append(f"changed: {code} ({award.name.en})")
                lines.extend(f"{INDENT}{change}" for change in changes)
    return lines


def _award_changes(a: Award, b: Award) -> list[str]:
    changes: list[str] = []
    if a.name != b.name:
        changes.append(f"name: '{a.name.vi}' -> '{b.name.vi}'")
    if a.chain != b.chain:
        changes.append(f"chain: {_chain(a.chain)}  becomes  {_chain(b.chain)}")
    if a.deciding_level != b.deciding_level or a.authority != b.authority:
        changes.append(f"decided: at {a.deciding_level} by {a.authority.en} "
                       f"({a.authority.vi})  becomes  at {b.deciding_level} by "
                       f"{b.authority.en} ({b.authority.vi})")
    if a.vote != b.vote:
        changes.append(f"vote: {a.vote.describe()}  becomes  {b.vote.describe()}")
    if a.public_notice != b.public_notice:
        changes.append(f"public notice: {_yes(a.public_notice)} -> {_yes(b.public_notice)}")
    if dict(a.review_days) != dict(b.review_days):
        changes.append(f"review days: {_days(a.review_days)}  becomes  {_days(b.review_days)}")
    if a.eligibility != b.eligibility:
        changes.append(f"eligibility: {_rules(a)}  becomes  {_rules(b)}")
    if a.nominee_kinds != b.nominee_kinds:
        changes.append(f"nominees: {', '.join(sorted(a.nominee_kinds))} -> "
                       f"{', '.join(sorted(b.nominee_kinds))}")
    for name in sorted({*a.procedures, *b.procedures} - {STANDARD}):
        pa, pb = a.procedures.get(name), b.procedures.get(name)
        if pa is None:
            changes.append(f"{name} procedure: added")
        elif pb is None:
            changes.append(f"{name} procedure: removed")
        elif pa.chain != pb.chain or dict(pa.review_days) != dict(pb.review_days):
            changes.append(f"{name} procedure: {_chain(pa.chain)} ({_days(pa.review_days)})  "
                           f"becomes  {_chain(pb.chain)} ({_days(pb.review_days)})")
    return changes


def _rules(award: Award) -> str:
    """An award's rules in one line: "quota(share=3/20, of=lao-dong-tien-tien, …), …"."""
    def written(value: Any) -> str:
        return "+".join(map(str, value)) if isinstance(value, list) else str(value)

    return ", ".join(
        f"{rule.kind}({', '.join(f'{k}={written(v)}' for k, v in rule.parameters().items())})"
        for rule in award.eligibility) or "no rules"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _diff_rules(old: Policy, new: Policy) -> list[str]:
    lines: list[str] = []
    if old.vote != new.vote:
        lines.append(f"default vote: {old.vote.describe()}  becomes  {new.vote.describe()}")
    for name, label in (("decision_days", "decision days"), ("notice_days", "notice days"),
                        ("reminder_share", "reminder at share of the time")):
        was, now = getattr(old, name), getattr(new, name)
        if was != now:
            lines.append(f"{label}: {was} -> {now}")
    oc, nc = old.calendar, new.calendar
    if oc.utc_offset_hours != nc.utc_offset_hours:
        lines.append(f"local time: UTC{oc.utc_offset_hours:+d} -> UTC{nc.utc_offset_hours:+d}")
    if oc.weekend != nc.weekend:
        lines.append("weekend days changed")
    gone, new_days = sorted(oc.holidays - nc.holidays), sorted(nc.holidays - oc.holidays)
    if gone:
        lines.append(f"holidays no longer kept: {', '.join(d.isoformat() for d in gone)}")
    if new_days:
        lines.append(f"holidays added: {', '.join(d.isoformat() for d in new_days)}")
    return lines or ["unchanged"]


def _changed_sections(old: Policy, new: Policy) -> list[str]:
    names = {"levels": "levels", "level_names": "levels", "vote": "vote", "awards": "awards",
             "org": "org_units", "calendar": "calendar", "decision_days": "deadlines",
             "notice_days": "deadlines", "reminder_share": "deadlines",
             "effective_from": "effective_from"}
    return sorted({section for attr, section in names.items()
                   if getattr(old, attr) != getattr(new, attr)})


# -- nominations in flight and new ones ----------------------------------------------


@dataclass(frozen=True)
class _Ahead:
    """The levels and units a nomination in flight is at now or has still to pass."""

    levels: tuple[str, ...]
    units: tuple[str, ...]
    at_now: str | None


def _ahead(row: Mapping[str, Any]) -> _Ahead:
    route = Route.from_dict(row["route"])
    level, unit = row.get("current_level"), row.get("current_unit_id")
    steps = list(route.reviews)
    if level is None:
        remaining = steps
    else:
        here = next((i for i, s in enumerate(steps) if (s.level, s.unit_id) == (level, unit)),
                    next((i for i, s in enumerate(steps) if s.level == level), None))
        # Not a review level: at the decision, or with the central government.
        remaining = steps[here:] if here is not None else []
    levels = [s.level for s in remaining]
    units = [s.unit_id for s in remaining]
    if route.decision.level != CENTRAL:
        levels.append(route.decision.level)
        units.append(route.decision.unit_id)
    return _Ahead(tuple(dict.fromkeys(levels)), tuple(dict.fromkeys(units)),
                  str(level) if level is not None else None)


def _in_flight_section(
    in_flight: list[dict[str, Any]], book: PolicyBook, target: Policy
) -> list[str]:
    out = ["Nominations in flight:"]
    if not in_flight:
        out.append(f"{INDENT}none")
        return out
    by_version: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in in_flight:
        by_version[str(row["policy_version"])].append(row)
    out.append(f"{INDENT}{_plural(len(in_flight), 'nomination')} not yet decided, "
               "by the version they were proposed under and where they are now:")
    known = {p.version: p for p in book.versions}
    for version, rows in by_version.items():
        where = Counter(str(r["current_level"] or "not yet at a level") for r in rows)
        order = (*known[version].levels, CENTRAL) if version in known else ()
        counts = ", ".join(f"{level} {where[level]}" for level in sorted(
            where, key=lambda lv: (order.index(lv) if lv in order else len(order), lv)))
        out.append(f"{INDENT * 2}{version:<10} {len(rows):>4}   ({counts})")
    out.append(f"{INDENT}Each keeps the route recorded when it was proposed, whatever the "
               f"version in force when its next step opens.")
    for version, rows in by_version.items():
        if version == target.version:
            out.append(f"{INDENT}{_plural(len(rows), 'nomination')} in flight under "
                       f"{version} follow {target.version} already.")
            continue
        ahead = [_ahead(r) for r in rows]
        line = (f"{INDENT}{_plural(len(rows), 'nomination')} in flight under {version} "
                "keep their route")
        gone_levels = [lv for lv in dict.fromkeys(x for a in ahead for x in a.levels)
                       if lv not in target.levels]
        facts = []
        for level in gone_levels:
            passing = [a for a in ahead if level in a.levels]
            now = sum(1 for a in passing if a.at_now == level)
            facts.append(
                f"{len(passing)} of them will still pass the {level} level (removed in "
                f"{target.version}): {now} at it now, {len(passing) - now} still to reach it"
            )
        out.append(line + ("; " + "; ".join(facts) if facts else "") + ".")
        orphans: Counter[str] = Counter()
        merged: Counter[str] = Counter()
        for a in ahead:
            for uid in a.units:
                if uid in target.org.units:
                    continue
                if _heir(target, uid) is None:
                    orphans[uid] += 1
                else:
                    merged[uid] += 1
        old = known[version].org.units if version in known else {}
        if orphans:
            out.append(f"{INDENT * 2}Their routes name units that {target.version} no "
                       "longer has; those steps stay with those units' councils and heads:")
            out.extend(f"{INDENT * 3}{uid}" + (f" '{old[uid].name}'" if uid in old else "")
                       + f": {_plural(n, 'nomination')}" for uid, n in orphans.items())
        if merged:
            out.append(f"{INDENT * 2}Their routes name units that {target.version} merged "
                       "or renamed; those steps stay addressed to the old unit id:")
            out.extend(f"{INDENT * 3}{uid} (now part of {_heir(target, uid)}): "
                       f"{_plural(n, 'nomination')}" for uid, n in merged.items())
    return out


def _heir(policy: Policy, unit_id: str) -> str | None:
    return next((u.id for u in policy.org.units.values() if unit_id in u.formerly), None)


def _new_nominations_section(in_force: Policy, target: Policy, today: date) -> list[str]:
    when = ("from today" if target.effective_from <= today
            else f"from {target.effective_from.isoformat()}")
    if target.version == in_force.version:
        return [f"New nominations: planned under {target.version}, as now."]
    out = [f"New nominations: proposed {when} are planned under {target.version}:"]
    for code, award in target.awards.items():
        before = in_force.awards.get(code)
        if before is None:
            note = "new award"
        elif before.chain != award.chain or before.deciding_level != award.deciding_level:
            note = f"was {_chain(before.chain)}"
        else:
            continue
        out.append(f"{INDENT}{code}: {_chain(award.chain)}, decided at {award.deciding_level} "
                   f"by {award.authority.en} ({note})")
    heirs = [u for u in target.org.units.values() if u.formerly]
    if heirs:
        out.append(f"{INDENT}Users of a merged or renamed unit propose for the unit that took "
                   "it over:")
        out.extend(f"{INDENT * 2}{', '.join(u.formerly)} -> {u.id}" for u in heirs)
    return out


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
