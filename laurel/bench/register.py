"""A province's register of people filled in bulk for ``laurel bench --only people``: the
read models written directly, as ``laurel.bench.commands`` fills the nominations', with
what the people projector would write (``projections.people``,
``projections.person_search``) — a million people take minutes this way, hours through
the event store.

The people are believable: Vietnamese names with their family names about as common as
they are (``Nguyễn`` nearly two in five), men's and women's middle and given names, a
fifth with two middle names; a 12-digit CCCD (province, century and sex, year of birth,
serial), a civil-servant code for most; spread over every unit of the bundled province;
each with ten years of awards (``person_awards``) as a civil servant collects them —
*Lao động tiên tiến* most years, *Chiến sĩ thi đua cơ sở* now and then, a unit's *Giấy
khen*, rarely a provincial *Bằng khen*. A person's history is written together, as a
province's ten-year sheet is imported (``POST /people/awards/import``).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, text

from laurel.bench.commands import row_id
from projections.pending import prepare_insert
from projections.people_tables import people, person_awards, person_units
from projections.person_search import found_by, person_terms, term_rows

Rows = list[dict[str, Any]]

_FAMILY = [("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), ("Huỳnh", 5.0),
           ("Hoàng", 3.0), ("Võ", 3.9), ("Phan", 4.5), ("Đặng", 2.1), ("Bùi", 2.0),
           ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5),
           ("Trương", 1.0), ("Đinh", 0.7), ("Lâm", 0.6), ("Châu", 0.4), ("Tạ", 0.3)]
_MIDDLE = {"male": ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Thành", "Ngọc", "Xuân",
                    "Trọng", "Hoàng", "Thanh"],
           "female": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Thúy",
                      "Phương", "Bích", "Hồng"]}
_GIVEN = {"male": ["Anh", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hoàng", "Hùng",
                   "Huy", "Khánh", "Khoa", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc",
                   "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn",
                   "Việt", "Vinh", "Hưng"],
          "female": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
                     "Hồng", "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga",
                     "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thủy",
                     "Trang", "Trinh", "Uyên", "Yến"]}
_POSITIONS = ["Giáo viên", "Chuyên viên", "Bác sĩ", "Điều dưỡng", "Kế toán", "Cán bộ địa chính",
              "Trưởng phòng", "Phó trưởng phòng", "Nhân viên"]
HISTORY_YEARS = 10
_YEARLY = [("lao-dong-tien-tien", 0.45), ("chien-si-thi-dua-co-so", 0.08),
           ("giay-khen", 0.06), ("bang-khen-tinh", 0.005)]
"""(award, chance a year) for each person: about five awards each over ten years."""
_ISSUER = {"lao-dong-tien-tien": "Thủ trưởng đơn vị", "chien-si-thi-dua-co-so": "Thủ trưởng đơn vị",
           "giay-khen": "Thủ trưởng đơn vị", "bang-khen-tinh": "Chủ tịch UBND tỉnh"}
PROVINCE_CODE = "093"  # Hậu Giang's on a CCCD
CCCD_SAMPLE = 97


def person_id(i: int) -> str:
    """The i-th person's id: random-looking, found again from i alone."""
    return row_id("person", i)


def national_id(i: int, birth_year: int, sex: str) -> str:
    """A CCCD: province, century and sex (0/1 born in the 1900s, 2/3 after), two digits
    of the year of birth, a serial (distinct for the first 10⁶ people)."""
    century_sex = (0 if birth_year < 2000 else 2) + (1 if sex == "female" else 0)
    return f"{PROVINCE_CODE}{century_sex}{birth_year % 100:02d}{i % 1_000_000:06d}"


def civil_servant_code(i: int) -> str:
    return f"CC-{2000 + i % 25}-{i:07d}"


@dataclass(frozen=True)
class Names:
    """What a person is called, drawn as often as such names are."""

    families: list[str]
    weights: list[float]

    @classmethod
    def vietnamese(cls) -> Names:
        return cls([f for f, _ in _FAMILY], [w for _, w in _FAMILY])

    def family(self, rng: random.Random) -> str:
        return rng.choices(self.families, self.weights)[0]

    def name(self, rng: random.Random, sex: str) -> str:
        middles = [rng.choice(_MIDDLE[sex])]
        if rng.random() < 0.2:
            middles.append(rng.choice(_MIDDLE[sex][1:]))
        return " ".join([self.family(rng), *dict.fromkeys(middles), rng.choice(_GIVEN[sex])])


@dataclass
class Register:
    """What has been filled so far, for the queries to pick from."""

    units: list[str]
    people: int = 0
    terms: int = 0
    awards: int = 0
    by_unit: Counter[str] = field(default_factory=Counter)
    cccds: list[str] = field(default_factory=list)
    """Some people's CCCDs (one in ``CCCD_SAMPLE``), to search by."""
    seconds: float = 0.0


def fake_people(register: Register, names: Names, start: int, count: int,
                rng: random.Random, now: datetime) -> tuple[Rows, Rows, Rows, Rows]:
    """People, the unit each joined, their awards of ten years and their terms."""
    persons: Rows = []
    units: Rows = []
    awards: Rows = []
    terms: Rows = []
    this_year = now.year
    for i in range(start, start + count):
        key = person_id(i)
        sex = "female" if rng.random() < 0.5 else "male"
        birth = datetime(1965, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(365 * 38))
        unit_id = rng.choice(register.units)
        name = names.name(rng, sex)
        code = civil_servant_code(i) if rng.random() < 0.8 else ""
        registered = now - timedelta(days=rng.uniform(0, 3650))
        cccd = national_id(i, birth.year, sex)
        row = {"id": key, "kind": "individual", "national_id": cccd,
               "civil_servant_code": code, "name": name,
               "birth_date": birth.date().isoformat(), "gender": sex,
               "position": rng.choice(_POSITIONS), "unit_id": unit_id, "team": "",
               "registered_at": registered, "updated_at": registered, "version": 1}
        persons.append(row)
        units.append({"position": i + 1, "person_id": key, "unit_id": unit_id,
                      "from_unit_id": None, "since": registered.date().isoformat(),
                      "actor": "bench-clerk", "actor_role": "proposer", "actor_unit": unit_id})
        version = 1
        for year in range(this_year - HISTORY_YEARS, this_year):
            for award, chance in _YEARLY:
                if rng.random() >= chance:
                    continue
                version += 1
                awards.append({
                    "id": f"{key}/{version}", "person_id": key, "award_code": award,
                    "year": year, "decision_number": f"{rng.randrange(1, 3000)}/QĐ-UBND",
                    "decision_date": f"{year + 1}-01-{rng.randrange(5, 28):02d}",
                    "issuer": _ISSUER[award], "source": "register", "nomination_id": None,
                    "revoked": False, "recorded_at": registered, "unit_id": unit_id,
                    "revoked_on": None})
        terms += term_rows(key, found_by(row))
        if i % CCCD_SAMPLE == 0:
            register.cccds.append(cccd)
        register.by_unit[unit_id] += 1
    return persons, units, awards, terms


def _columns_of(table: Table, rows: Rows) -> Rows:
    """The rows with the table's columns exactly (those it lacks left out, those it has
    beyond these None): the register's tables grow columns as eligibility is built."""
    names = list(table.c.keys())
    if set(rows[0]) == set(names):
        return rows
    return [{name: row.get(name) for name in names} for row in rows]


def fill(engine: Engine, register: Register, target: int, rng: random.Random,
         batch: int = 5_000) -> None:
    """Bulk-insert people until there are ``target``, with the projector's own bulk
    insert (``COPY`` on PostgreSQL); then what autovacuum would do after such a load."""
    names, now = Names.vietnamese(), datetime.now(UTC)
    start = time.perf_counter()
    tables: tuple[Table, ...] = (people, person_units, person_awards, person_terms)
    while register.people < target:
        count = min(batch, target - register.people)
        made = fake_people(register, names, register.people, count, rng, now)
        with engine.begin() as conn:
            for table, rows in zip(tables, made, strict=True):
                if rows:
                    prepare_insert(conn, table, _columns_of(table, rows))()
        register.people += count
        register.awards += len(made[2])
        register.terms += len(made[3])
    analyze = "VACUUM (ANALYZE)" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(analyze))
    register.seconds += time.perf_counter() - start
