"""A proposal form's nominee rows: what each holds (someone chosen from the register, or a
name and kind where the policy allows a nominee named only; the year; the initiative; a
reason to go on despite a failed rule), read from the posted form, checked, and turned
into the API's items. Kept apart from the handlers so that the rows' rules are read in
one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from api.web.catalogue import message
from domain.policy import NOMINEE_KINDS, Policy

MAX_ROWS = 500
EARLIEST_YEAR = 1945


@dataclass
class Row:
    """One nominee's fields as the form holds them."""

    name: str = ""
    kind: str = "individual"
    """"" when a spreadsheet named a kind that is none: the clerk chooses."""
    achievements: str = ""
    position: str = ""
    direct_worker: bool = False
    sheet_row: int = 0
    """The spreadsheet's row it came from (0: typed in)."""
    person_id: str = ""
    """Chosen from the register: the register gives the name and kind."""
    query: str = ""
    """What the clerk typed to find the person in the register."""
    year: str = ""
    initiative_id: str = ""
    override_reason: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    """(person id, how the person is shown) the row's list offers: the one chosen and
    those the clerk's search found."""
    searched: bool = False
    refusal: list[str] = field(default_factory=list)
    """Why the last submission refused this row (each failed rule explained)."""
    ask_override: bool = False

    @property
    def blank(self) -> bool:
        return not (self.name or self.achievements or self.position or self.person_id)

    def item(self, award_code: str) -> dict[str, Any]:
        """The row as an item of ``POST /proposals``."""
        nominee: dict[str, Any] = {"direct_worker": self.direct_worker, "title": self.position}
        if self.person_id:
            nominee["person_id"] = self.person_id
        else:
            nominee.update(name=self.name, kind=self.kind)
        return {"award_code": award_code, "achievements": self.achievements,
                "nominee": nominee, "year": int(self.year) if self.year.isdigit() else None,
                "initiative_id": self.initiative_id,
                "override_reason": self.override_reason}


@dataclass
class Terms:
    """What the whole proposal's nominees share besides the award: the kind of
    commendation, the movement it is made in, an ad-hoc commendation's ceremony."""

    commendation_type: str = "merit"
    movement_id: str = ""
    ceremony_date: str = ""

    @classmethod
    def of(cls, form: FormData) -> Terms:
        return cls(str(form.get("commendation_type", "") or "merit").strip(),
                   str(form.get("movement_id", "")).strip(),
                   str(form.get("ceremony_date", "")).strip())

    def item(self) -> dict[str, Any]:
        """The fields each item of ``POST /proposals`` takes of them."""
        return {"commendation_type": self.commendation_type, "movement_id": self.movement_id,
                "ceremony_date": self.ceremony_date or None}


def form_rows(form: FormData) -> list[Row]:
    rows = []
    for i in range(MAX_ROWS):
        if f"name_{i}" not in form:
            break
        sheet_row = str(form.get(f"row_{i}", ""))
        rows.append(Row(
            name=str(form.get(f"name_{i}", "")).strip(),
            kind=str(form.get(f"kind_{i}", "")),
            achievements=str(form.get(f"achievements_{i}", "")).strip(),
            position=str(form.get(f"position_{i}", "")).strip(),
            direct_worker=form.get(f"direct_{i}") == "on",
            sheet_row=int(sheet_row) if sheet_row.isdigit() else 0,
            person_id=str(form.get(f"person_{i}", "")).strip(),
            query=str(form.get(f"q_{i}", "")).strip()[:100],
            year=str(form.get(f"year_{i}", "")).strip(),
            initiative_id=str(form.get(f"initiative_{i}", "")).strip(),
            override_reason=str(form.get(f"override_{i}", "")).strip(),
            ask_override=bool(str(form.get(f"override_{i}", "")).strip())))
    return rows


def row_label(row: Row, n: int, lang: str) -> str:
    """"Người được đề nghị 2 (Nguyễn Thị Hoa)", or the spreadsheet's row."""
    named = message("proposal.row_error", lang, row=row.sheet_row, error="").rstrip(": ") \
        if row.sheet_row else message("proposal.nominee", lang, n=n)
    shown = row.name or dict(row.choices).get(row.person_id, "").split(" — ")[0]
    return f"{named} ({shown})" if shown else named


def row_errors(rows: list[Row], award_code: str, policy: Policy, lang: str, this_year: int,
               skip_blank: bool = True) -> list[str]:
    """What is wrong with each row, named by its spreadsheet row (or its place in the
    form), in ``lang``. A blank row (no one chosen, no name, achievements or position) is
    left out. Someone chosen from the register needs no name or kind here: the register
    gives them (and the proposal checks their history)."""
    award = policy.awards.get(award_code)
    errors = []
    listed = 0
    for n, row in enumerate(rows, start=1):
        if skip_blank and row.blank:
            continue
        listed += 1
        wrong = [] if row.person_id else _named_only(row, award, policy, lang)
        if row.year and not (row.year.isdigit() and EARLIEST_YEAR <= int(row.year) <= this_year):
            wrong.append(message("proposal.bad_year", lang, year=row.year))
        for what in wrong:
            errors.append(message("proposal.row_error", lang, row=row.sheet_row, error=what)
                          if row.sheet_row else
                          f"{message('proposal.nominee', lang, n=n)}: {what}")
    if not listed and skip_blank:
        errors.append(message("proposal.no_rows", lang))
    return errors


def _named_only(row: Row, award: Any, policy: Policy, lang: str) -> list[str]:
    """What is wrong with a nominee named only, outside the register."""
    wrong = []
    if not row.name:
        wrong.append(message("proposal.empty_name", lang))
    if not row.kind:
        wrong.append(message("proposal.kind_missing", lang))
    elif row.kind not in NOMINEE_KINDS:
        wrong.append(message("proposal.kind_unknown", lang, kind=row.kind))
    elif award is not None and row.kind not in award.nominee_kinds:
        wrong.append(message("proposal.kind_not_allowed", lang,
                             award=getattr(award.name, lang),
                             kind=message(f"nominee.{row.kind}", lang).lower()))
    elif row.kind not in policy.unregistered_nominees:
        wrong.append(message("proposal.must_register", lang,
                             kind=message(f"nominee.{row.kind}", lang)))
    return wrong
