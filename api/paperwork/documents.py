"""What each document says, made from the record's rows: the decision with its annex,
the proposal (tờ trình) with its nominee list, a council's minutes with its tally. Plain
data for the templates (``render``), in Vietnamese, the language the documents are signed
in; the names of units, awards and authorities are the policy's.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from domain.ballot import Recusal
from domain.policy import OrgUnit, Policy

ADMINISTRATIVE = frozenset({"province", "city", "town", "district", "commune", "ward",
                            "township"})
"""Kinds of unit whose acts are issued by their People's Committee (Ủy ban nhân dân)."""
KINDS = {"individual": "Cá nhân", "collective": "Tập thể", "household": "Hộ gia đình"}
OUTCOMES = {"awarded": "Khen thưởng", "not_awarded": "Không khen thưởng"}
REVIEW_OUTCOMES = {"approve": "Thông qua, đề nghị cấp trên xem xét",
                   "reject": "Không thông qua", "return": "Trả lại để bổ sung hồ sơ"}
BASES = ("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
         "Căn cứ các văn bản quy định chi tiết thi hành Luật Thi đua, khen thưởng;")


def date_words(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _unit(policy: Policy, unit_id: str) -> OrgUnit | None:
    return policy.org.units.get(unit_id)


def _name(policy: Policy, unit_id: str) -> str:
    unit = _unit(policy, unit_id)
    return unit.name if unit else unit_id


def issuer(policy: Policy, unit_id: str) -> dict[str, str]:
    """The issuer's two lines (the authority above it, the issuing body) and the place
    a document is dated at (the province's name)."""
    unit = _unit(policy, unit_id)
    if unit is None:
        return {"issuer_above": "", "issuer": unit_id, "place": ""}
    if unit.kind in ADMINISTRATIVE or unit.parent_id is None:
        above, body = "Ủy ban nhân dân", unit.name
    else:
        above, body = _name(policy, unit.parent_id), unit.name
    root = unit
    while root.parent_id is not None and (parent := _unit(policy, root.parent_id)):
        root = parent
    place = root.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    return {"issuer_above": above, "issuer": body, "place": place}


def _award(policy: Policy, code: str) -> str:
    award = policy.awards.get(code)
    return award.name.vi if award else code


def decision(policy: Policy, row: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """A decision (Quyết định) with its annex: who is awarded which award (Article 1),
    who is not (Article 2, when any), and the closing article."""
    day = _day(row["decision_date"])
    awarded = [i for i in items if i["outcome"] == "awarded"]
    refused = [i for i in items if i["outcome"] != "awarded"]
    by_award = Counter(_award(policy, i["award_code"]) for i in awarded)
    articles = []
    if awarded:
        forms = "; ".join(f"{name} ({count})" for name, count in by_award.items())
        articles.append(f"Khen thưởng {len(awarded)} cá nhân, tập thể, hộ gia đình có tên "
                        f"trong danh sách kèm theo, với hình thức: {forms}.")
    if refused:
        articles.append(f"Không khen thưởng {len(refused)} trường hợp có tên trong danh sách "
                        f"kèm theo.")
    articles.append("Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị "
                    "và các cá nhân, tập thể có tên trong danh sách kèm theo chịu trách "
                    "nhiệm thi hành Quyết định này.")
    return {
        **issuer(policy, row["unit_id"]), "number": row["number"],
        "date_words": date_words(day), "date_short": f"{day:%d/%m/%Y}",
        "authority": row["authority"], "authority_title": row["authority"],
        "bases": [*BASES, "Xét đề nghị của Hội đồng Thi đua – Khen thưởng,"],
        "articles": articles,
        "signer_title": row["authority"], "signer": row["signer"],
        "recipients": [f"Như Điều {len(articles)};", "Lưu: VT."],
        "annex_title": "CÁ NHÂN, TẬP THỂ ĐƯỢC QUYẾT ĐỊNH KHEN THƯỞNG",
        "annex_headers": ["STT", "Họ và tên / Tên tập thể", "Đơn vị", "Hình thức khen thưởng",
                          "Kết quả"],
        "annex_rows": [[str(n), i["nominee_name"], _name(policy, i["unit_id"]),
                        _award(policy, i["award_code"]), OUTCOMES.get(i["outcome"], "")]
                       for n, i in enumerate(items, start=1)],
    }


def proposal(policy: Policy, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A proposal (Tờ trình) of a unit to the council above it, with its nominee list."""
    first = rows[0]
    day = first["proposed_at"].date() if isinstance(first["proposed_at"], datetime) else \
        _day(str(first["proposed_at"]))
    reviews = first["route"].get("reviews") or []
    to_unit = reviews[0]["unit_id"] if reviews else first["unit_id"]
    unit_name = _name(policy, first["unit_id"])
    by_award = Counter(_award(policy, r["award_code"]) for r in rows)
    forms = "; ".join(f"{name}: {count}" for name, count in by_award.items())
    return {
        **issuer(policy, first["unit_id"]),
        "number": f"{(first['proposal_id'] or first['id'])[:8].upper()}/TTr",
        "date_words": date_words(day),
        "addressee": f"Hội đồng Thi đua – Khen thưởng {_name(policy, to_unit)}",
        "paragraphs": [
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 và các văn bản hướng dẫn thi "
            "hành;",
            f"Căn cứ thành tích đạt được, {unit_name} kính đề nghị xét khen thưởng cho "
            f"{len(rows)} cá nhân, tập thể có tên trong danh sách kèm theo ({forms}).",
            "Hồ sơ đề nghị gồm: tờ trình, báo cáo thành tích, biên bản họp xét của Hội đồng "
            "Thi đua – Khen thưởng đơn vị và các tài liệu kèm theo.",
            "Kính đề nghị Hội đồng xem xét.",
        ],
        "signer_title": "Thủ trưởng đơn vị", "signer": "",
        "recipients": ["Như trên;", "Lưu: VT."],
        "annex_headers": ["STT", "Họ và tên / Tên tập thể", "Đối tượng",
                          "Hình thức đề nghị", "Thành tích"],
        "annex_rows": [[str(n), r["nominee_name"], KINDS.get(r["nominee_kind"], ""),
                        _award(policy, r["award_code"]), _short(r["achievements"])]
                       for n, r in enumerate(rows, start=1)],
    }


def minutes(policy: Policy, row: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """A council's minutes (Biên bản) of its review of a nomination: members, those
    present, the secret ballot's tally, the vote rule applied, the outcome."""
    data = entry["data"]
    votes, rule = data["votes"], data.get("rule") or {}
    unit_id = data.get("unit_id") or entry.get("unit_id") or ""
    held = entry["occurred_at"]
    day = held.date() if isinstance(held, datetime) else _day(str(held))
    share = _share(votes, (data.get("result") or {}).get("written_opinions") == "counted")
    paragraphs = [
        f"Hồi {held:%H giờ %M}, {date_words(day)}, Hội đồng Thi đua – Khen thưởng "
        f"{_name(policy, unit_id)} họp xét hồ sơ đề nghị khen thưởng.",
        *_roster(data.get("council")),
        f"Thành viên Hội đồng: {votes['members']}; có mặt: {votes['present']} "
        f"(vắng mặt: {votes['members'] - votes['present']}).",
        f"Hồ sơ: {row['nominee_name']} ({KINDS.get(row['nominee_kind'], '')}), "
        f"{_name(policy, row['unit_id'])}; hình thức đề nghị: "
        f"{_award(policy, row['award_code'])}; mã hồ sơ {row['tracking_code']}.",
        f"Quy tắc biểu quyết: có mặt ≥ {rule.get('quorum', '')} tổng số thành viên; "
        f"đồng ý {'≥' if rule.get('comparison') == 'at_least' else '>'} "
        f"{rule.get('approval_share', '')} tổng số thành viên.",
        "Kết quả bỏ phiếu kín:",
    ]
    conclusion = [f"Tỷ lệ đồng ý trên tổng số thành viên: {share}.",
                  f"Kết luận: {REVIEW_OUTCOMES.get(data['outcome'], data['outcome'])}."]
    if data.get("note"):
        conclusion.append(f"Ý kiến khác: {data['note']}")
    if data.get("override_reason"):
        conclusion.append(f"Lý do đề nghị dù chưa đạt điều kiện: {data['override_reason']}")
    return {
        **issuer(policy, unit_id), "number": f"{str(data['task_id'])[:8].upper()}/BB-HĐTĐKT",
        "date_words": date_words(day), "council": _name(policy, unit_id),
        "paragraphs": paragraphs,
        "tally_headers": ["STT", "Nội dung", "Số phiếu"],
        "tally_rows": [["1", "Đồng ý", str(votes["for"])],
                       ["2", "Không đồng ý", str(votes["against"])],
                       ["3", "Không biểu quyết", str(votes["abstain"])],
                       *_written(votes)],
        "conclusion": conclusion, "secretary": "", "chair": "",
    }


def _roster(council: dict[str, Any] | None) -> list[str]:
    """Where the council has a roster (``domain.ballot.Ballot.to_dict``, recorded with the
    review): its term and count, and each member who stepped aside from this nomination
    and why; nothing where the members were typed."""
    if not council:
        return []
    said = [f"Danh sách Hội đồng nhiệm kỳ {_day(council['term_from']):%d/%m/%Y} – "
            f"{_day(council['term_to']):%d/%m/%Y}: {council['roster']} thành viên."]
    if recused := council.get("recused"):
        aside = "; ".join(Recusal(**r).said("vi") for r in recused)
        said.append(f"Không tham gia xét hồ sơ này: {aside}.")
    return said


def _written(votes: dict[str, int]) -> list[list[str]]:
    """Written opinions of members absent, where any were given."""
    given = [(said, count) for said, count in (
        ("Ý kiến bằng văn bản đồng ý", votes.get("written_for")),
        ("Ý kiến bằng văn bản không đồng ý", votes.get("written_against"))) if count]
    return [[str(n), said, str(count)] for n, (said, count) in enumerate(given, start=4)]


def _share(votes: dict[str, int], written_counted: bool) -> str:
    """Those in favour of the ballot's members, the written opinions of absent members
    counted where the roster says so (as the review's result counted them)."""
    members = votes.get("members") or 0
    if not members:
        return "0%"
    favour = votes["for"] + ((votes.get("written_for") or 0) if written_counted else 0)
    return f"{favour}/{members} ({float(Fraction(favour, members)) * 100:.1f}%)"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
