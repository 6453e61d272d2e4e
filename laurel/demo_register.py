"""The demo province's register: people of Phường I with ten years of believable history,
so that the demo shows eligible and ineligible nominees from its first minute.

Seeded once, on the bundled policy only (``laurel up`` calls it), through the register's
own commands, as a province's administrator importing its sheets would: each person is
recorded with their events, in the hash chain like any other. An individual's id comes
from their CCCD, so a second seeding finds the first and records nothing.

Who is here, and what the demo shows with them, for last year's titles (``year``: last
year, the titles a province decides from its last December to this March):

- Nguyễn Thị Hoa, teacher: Lao động tiên tiến each of the last ten years, Chiến sĩ thi
  đua cơ sở the last four and a recognised initiative: eligible for Chiến sĩ thi đua cấp
  tỉnh.
- Trần Văn Nam: Chiến sĩ thi đua cơ sở two years ago and last year, not the year between:
  the provincial title fails, naming the missing year.
- Lê Thị Mai: the provincial chair's Bằng khen four years ago: eligible for the Prime
  Minister's Bằng khen (within five years).
- Phạm Văn Tư: disciplined from March to September last year: not eligible for it.
- Võ Thị Lan: hired on 1 April last year: fewer than ten months of service in it.
- Seventeen more advanced workers of last year (twenty with Hoa, Nam and Mai): 15 % of
  them allows three Chiến sĩ thi đua cơ sở; Hoa and Nam hold two, so one more passes and
  a meeting approving two more is refused with the count. Two of them have initiatives.
- UBND Phường I, a collective, with the provincial Bằng khen of three years ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.actor import Actor
from domain.application import Nominations
from domain.commands import (
    AwardItem,
    Context,
    ImportAwards,
    PersonChanged,
    RecordAward,
    RecordFact,
    RecordService,
    RegisterInitiative,
    RegisterPerson,
)
from domain.person import individual_id
from domain.vocabulary import Role

UNIT = "hg.vi-thanh.phuong-1"
KEEPER = Actor("demo-register", frozenset({Role.ADMIN}), "hg")
"""The province's administrator, who keeps the register of every unit below it."""
CITY = "UBND thành phố Vị Thanh"
PROVINCE = "UBND tỉnh Hậu Giang"
LDTT, CSTDCS, BKT = "lao-dong-tien-tien", "chien-si-thi-dua-co-so", "bang-khen-tinh"


@dataclass(frozen=True)
class DemoPerson:
    name: str
    national_id: str
    birth_date: str
    gender: str
    position: str
    service_start: str
    titles: tuple[tuple[str, int], ...]


def _years(code: str, *years: int) -> tuple[tuple[str, int], ...]:
    return tuple((code, year) for year in years)


WORKERS = ("Đặng Văn Bình", "Huỳnh Văn Cường", "Bùi Văn Dũng", "Lâm Văn Em", "Tô Văn Giàu",
           "Cao Văn Hải", "Đoàn Văn Khoa", "Mai Văn Lộc", "Ngô Văn Minh", "Phan Văn Nghĩa",
           "Quách Văn Phúc", "Thái Văn Quang", "Dương Văn Sang", "Hồ Văn Thành",
           "Kiều Văn Út", "La Văn Vinh", "Âu Văn Xuân")


def demo_people(last: int) -> tuple[DemoPerson, ...]:
    """The demo's people, their history ending with ``last`` (last year)."""
    return (
        DemoPerson("Nguyễn Thị Hoa", "093185001234", "1985-04-12", "female",
                   "Giáo viên Trường Tiểu học Phường I", "2008-09-01",
                   _years(LDTT, *range(last - 9, last + 1))
                   + _years(CSTDCS, *range(last - 3, last + 1))),
        DemoPerson("Trần Văn Nam", "093080004567", "1980-01-20", "male",
                   "Cán bộ Văn phòng UBND phường", "2005-03-01",
                   _years(LDTT, *range(last - 6, last + 1)) + _years(CSTDCS, last - 2, last)),
        DemoPerson("Lê Thị Mai", "093178002468", "1978-07-09", "female",
                   "Trạm trưởng Trạm Y tế phường", "2001-10-15",
                   _years(LDTT, *range(last - 7, last + 1)) + _years(BKT, last - 4)),
        DemoPerson("Phạm Văn Tư", "093075003579", "1975-11-30", "male",
                   "Công chức Địa chính – Xây dựng", "1999-06-01",
                   _years(LDTT, last - 3, last - 2, last - 1)),
        DemoPerson("Võ Thị Lan", "093199005555", "1999-02-14", "female",
                   "Công chức Văn hóa – Xã hội", f"{last}-04-01", ()),
        *(DemoPerson(name, f"093082{700000 + i:06d}", f"1982-05-{i + 1:02d}", "male",
                     "Viên chức", "2010-08-01", _years(LDTT, last))
          for i, name in enumerate(WORKERS)),
    )


def seed_demo_register(app: Nominations, at: datetime) -> int:
    """Record the demo register unless it is there; how many were registered."""
    last = at.year - 1
    people = demo_people(last)
    if app.candidates.person(str(individual_id(people[0].national_id))) is not None:
        return 0

    def give(command: object) -> object:
        return app.handle(command, Context(KEEPER, at))  # type: ignore[arg-type]

    ids: dict[str, UUID] = {}
    for person in people:
        changed = give(RegisterPerson(
            kind="individual", name=person.name, unit_id=UNIT, national_id=person.national_id,
            birth_date=person.birth_date, gender=person.gender, position=person.position))
        assert isinstance(changed, PersonChanged)
        ids[person.name] = changed.person_id
        give(RecordService(changed.person_id, person.service_start,
                           "Quyết định tuyển dụng (hồ sơ cán bộ)"))
    give(ImportAwards(tuple(
        AwardItem(person_id=ids[person.name], award_code=code, year=year,
                  decision_number=f"{100 + row}/QĐ-{'UBND' if code != BKT else 'UBT'}",
                  decision_date=f"{year}-12-{15 + row % 10:02d}",
                  issuer=PROVINCE if code == BKT else CITY, row=row)
        for row, (person, (code, year)) in enumerate(
            ((p, t) for p in people for t in p.titles), start=1))))
    give(RecordFact(ids["Phạm Văn Tư"], "discipline", f"{last}-03-01", f"{last}-09-30",
                    f"Quyết định kỷ luật khiển trách số 45/QĐ-UBND ngày 28/02/{last}"))
    for number, (author, title, scope) in enumerate((
            ("Nguyễn Thị Hoa", "Dạy học theo dự án ở lớp 5", "Giáo dục tiểu học"),
            (WORKERS[0], "Số hóa hồ sơ hộ tịch của phường", "Hành chính"),
            (WORKERS[1], "Sổ theo dõi tiêm chủng điện tử", "Y tế")), start=12):
        give(RegisterInitiative(
            title=title, authors=(ids[author],), recognised_on=f"{last}-05-20",
            recognition=f"Quyết định số {number}/QĐ-HĐSK của Hội đồng sáng kiến thành phố "
                        "Vị Thanh", scope=scope, unit_id=UNIT))
    ward = give(RegisterPerson(kind="collective", name="UBND Phường I", unit_id=UNIT))
    assert isinstance(ward, PersonChanged)
    give(RecordAward(ward.person_id, BKT, last - 3, "88/QĐ-UBT", f"{last - 3}-12-28", PROVINCE))
    return len(people) + 1
