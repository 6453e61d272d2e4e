"""Working days: deadlines count weekdays that are not public holidays, in local time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class WorkingCalendar:
    utc_offset_hours: int = 7  # Vietnam keeps one offset all year
    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> timezone:
        return timezone(timedelta(hours=self.utc_offset_hours))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same local time of day, ``days`` working days later.

        A task opened on a day off counts from the next working day."""
        local = start.astimezone(self.zone)
        while not self.is_working_day(local.date()):
            local += timedelta(days=1)
        counted = 0
        while counted < days:
            local += timedelta(days=1)
            if self.is_working_day(local.date()):
                counted += 1
        return local.astimezone(start.tzinfo)
