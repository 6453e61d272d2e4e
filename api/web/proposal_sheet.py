"""A spreadsheet's rows as the proposal form's rows: a row that names a national ID or a
civil-servant code of the unit's register becomes that person (their name and kind are
the register's); one that names no one of them, or a name other than the register's, is
said so by its number, so the clerk sees it before anything is sent."""

from __future__ import annotations

from api import spreadsheet
from api.web.catalogue import message
from api.web.proposal_form import Row

UNMATCHED = {"national_id": "proposal.unmatched_national_id",
             "civil_servant_code": "proposal.unmatched_civil_servant_code"}


def sheet_rows(records: list[tuple[int, dict[str, str]]],
               matches: dict[int, spreadsheet.PersonMatch],
               lang: str) -> tuple[list[Row], list[str]]:
    """The form's rows, and what the clerk should know of the matching."""
    rows, notes = [], []
    for number, record in records:
        kind = spreadsheet.kind_of(record.get("kind", ""))
        row = Row(name=record.get("name", ""),
                  kind="individual" if kind == "" else (kind or ""),
                  achievements=record.get("achievements", ""),
                  position=record.get("position", ""),
                  direct_worker=spreadsheet.yes(record.get("direct_worker", "")),
                  sheet_row=number, year=record.get("year", "").strip())
        if kind is None:  # said so with what the sheet said, before the form shows a choice
            row.kind = record.get("kind", "")
        match = matches.get(number)
        if match is not None and match.person_id:
            if row.name and spreadsheet.plain(row.name) != spreadsheet.plain(match.name):
                notes.append(message("proposal.other_name", lang, row=number, name=row.name,
                                     registered=match.name))
            row.person_id, row.name, row.kind = match.person_id, "", match.kind
        elif match is not None:
            what = message(UNMATCHED[match.asked], lang, value=match.value)
            notes.append(message("proposal.unmatched", lang, row=number, what=what))
        rows.append(row)
    return rows, notes
