"""Eligibility as policy data: each kind of rule passes and fails with its reasons in
Vietnamese and English and the awards or facts it used; the policy file states the rules,
names the line of a bad one, and the catalogue shows them to clients."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from domain.eligibility import (
    Check,
    ConsecutiveTitles,
    EarlierAward,
    EligibilitySubject,
    Fact,
    HeldAward,
    Initiative,
    InitiativeUse,
    MinimumService,
    NoDisqualifier,
    Quota,
    QuotaCount,
    Rule,
    Service,
    UnusedInitiative,
    Verdict,
    evaluate,
)
from domain.errors import PolicyError
from domain.policy_reader import read_policy_book
from infrastructure.policy_file import PolicyFileError, load_policy_book
from infrastructure.settings import BUNDLED_POLICY
from laurel.cli import main
from laurel.policy_check import diff_policies

DEMO_TEXT = BUNDLED_POLICY.read_text(encoding="utf-8")
DEMO = yaml.safe_load(DEMO_TEXT)
REFORM = BUNDLED_POLICY.parent / "reform-2025.yaml"
CATALOGUE = load_policy_book(BUNDLED_POLICY).latest.awards
CSTD_CS, LDTT, BK_TINH = "chien-si-thi-dua-co-so", "lao-dong-tien-tien", "bang-khen-tinh"
CSTD_TINH = "chien-si-thi-dua-tinh"
BASIS = "Luật Thi đua, khen thưởng 2022, Điều 22 khoản 1"
ON = date(2025, 1, 20)  # the year-end review of 2024
SCHOOL = "Trường THPT Vị Thanh"


def held(award: str, year: int, number: str = "") -> HeldAward:
    return HeldAward(award, year, number or f"{year - 2000}/QĐ-UBND",
                     date(year + 1, 1, 15), "Chủ tịch UBND thành phố Vị Thanh")


def words(result: Check) -> tuple[str, str]:
    """A check's explanation in Vietnamese and English."""
    return result.explanation.vi, result.explanation.en


def check(rule: Rule, subject: EligibilitySubject, award: str = CSTD_TINH,
          year: int = 2024, on: date = ON) -> Check:
    verdict = evaluate([rule], subject, year, on, award=award, catalogue=CATALOGUE)
    [only] = verdict.checks
    assert verdict.eligible is only.passed
    assert only.rule == rule.kind and only.legal_basis == rule.legal_basis
    return only


# -- prerequisite titles over consecutive years ---------------------------------------

THREE_CSTD = ConsecutiveTitles(CSTD_CS, 3, BASIS)


def test_three_consecutive_titles_ending_with_the_nomination_year_pass() -> None:
    history = (held(CSTD_CS, 2021), held(CSTD_CS, 2022), held(CSTD_CS, 2023),
               held(CSTD_CS, 2024), held(LDTT, 2024))
    result = check(THREE_CSTD, EligibilitySubject(awards=history))
    assert result.passed
    assert words(result) == (
        "Đạt danh hiệu Chiến sĩ thi đua cơ sở đủ 3 năm liên tục 2022–2024",
        "Held the title Grassroots emulation fighter in each of the 3 consecutive years "
        "2022–2024")
    assert result.evidence == history[1:4]


def test_a_gap_in_the_consecutive_years_fails_naming_the_missing_year() -> None:
    history = (held(CSTD_CS, 2021), held(CSTD_CS, 2022), held(CSTD_CS, 2024))
    result = check(THREE_CSTD, EligibilitySubject(awards=history))
    assert not result.passed
    assert words(result) == (
        "Thiếu danh hiệu Chiến sĩ thi đua cơ sở năm 2023 (cần đủ 3 năm liên tục 2022–2024)",
        "Did not hold the title Grassroots emulation fighter in 2023 (needs all 3 "
        "consecutive years 2022–2024)")
    assert result.evidence == (history[1], history[2])


def test_a_revoked_title_does_not_count() -> None:
    revoked = HeldAward(CSTD_CS, 2023, "23/QĐ-UBND", date(2024, 1, 15), "UBND",
                        revoked_on=date(2024, 9, 1))
    history = (held(CSTD_CS, 2022), revoked, held(CSTD_CS, 2024))
    assert not check(THREE_CSTD, EligibilitySubject(awards=history)).passed
    assert check(THREE_CSTD, EligibilitySubject(awards=history), on=date(2024, 8, 1)).passed


def test_a_title_of_the_same_year_is_named_as_that_year() -> None:
    rule = ConsecutiveTitles(LDTT, 1, "Luật Thi đua, khen thưởng 2022, Điều 23 khoản 1 điểm a")
    passed = check(rule, EligibilitySubject(awards=(held(LDTT, 2024),)), award=CSTD_CS)
    assert (passed.explanation.vi, passed.explanation.en) == (
        "Đạt danh hiệu Lao động tiên tiến năm 2024", "Held the title Advanced worker in 2024")
    failed = check(rule, EligibilitySubject(awards=(held(LDTT, 2023),)), award=CSTD_CS)
    assert (failed.explanation.vi, failed.explanation.en) == (
        "Thiếu danh hiệu Lao động tiên tiến năm 2024",
        "Did not hold the title Advanced worker in 2024")
    assert failed.evidence == ()


# -- an earlier award within N years -------------------------------------------------

EARLIER = EarlierAward((BK_TINH,), 5, "Luật Thi đua, khen thưởng 2022 (Bằng khen của Thủ tướng)")


def test_an_earlier_award_within_the_years_passes_naming_its_decision() -> None:
    bang_khen = held(BK_TINH, 2021, "125/QĐ-UBND")
    result = check(EARLIER, EligibilitySubject(awards=(held(BK_TINH, 2016), bang_khen)),
                   award="bang-khen-thu-tuong")
    assert result.passed and result.evidence == (bang_khen,)
    assert words(result) == (
        "Đã được tặng Bằng khen của Chủ tịch UBND tỉnh năm 2021 (Quyết định số 125/QĐ-UBND "
        "ngày 15/01/2022), trong 5 năm trước năm 2024 (2019–2023)",
        "Received the Provincial certificate of merit for 2021 (decision 125/QĐ-UBND of "
        "15/01/2022), within the 5 years before 2024 (2019–2023)")


def test_an_earlier_award_too_long_ago_fails_naming_the_latest() -> None:
    old = held(BK_TINH, 2017)
    result = check(EARLIER, EligibilitySubject(awards=(old, held(CSTD_CS, 2023))),
                   award="bang-khen-thu-tuong")
    assert not result.passed and result.evidence == (old,)
    assert words(result) == (
        "Chưa được tặng Bằng khen của Chủ tịch UBND tỉnh trong 5 năm 2019–2023; lần gần nhất "
        "năm 2017, đã quá 5 năm",
        "Received no Provincial certificate of merit in the 5 years 2019–2023; the latest, "
        "for 2017, is more than 5 years old")


def test_an_award_of_the_nomination_year_itself_is_not_an_earlier_one() -> None:
    result = check(EARLIER, EligibilitySubject(awards=(held(BK_TINH, 2024),)),
                   award="bang-khen-thu-tuong")
    assert not result.passed and result.evidence == ()


# -- minimum service -----------------------------------------------------------------

SERVICE = MinimumService(10, "Thông tư 15/2025/TT-BNV, Điều 2")


def test_enough_months_of_service_by_the_end_of_the_year_pass() -> None:
    since = Service(date(2023, 7, 1), "Quyết định tuyển dụng số 88/QĐ-SNV")
    result = check(SERVICE, EligibilitySubject(service=since), award=LDTT)
    assert result.passed and result.evidence == (since,)
    assert words(result) == (
        "Đã công tác 18 tháng tính đến 31/12/2024 (từ 01/07/2023; cần ít nhất 10 tháng)",
        "Served 18 months by 31/12/2024 (since 01/07/2023; at least 10 needed)")


def test_someone_hired_in_march_has_not_served_ten_full_months_by_december() -> None:
    result = check(SERVICE, EligibilitySubject(service=Service(date(2024, 3, 15))), award=LDTT)
    assert not result.passed
    assert words(result) == (
        "Mới công tác 9 tháng tính đến 31/12/2024 (từ 15/03/2024; cần ít nhất 10 tháng)",
        "Served only 9 months by 31/12/2024 (since 15/03/2024; at least 10 needed)")


def test_no_start_of_service_fails_saying_so() -> None:
    result = check(SERVICE, EligibilitySubject(), award=LDTT)
    assert not result.passed and result.evidence == ()
    assert result.explanation.vi == "Chưa có ngày bắt đầu công tác (cần ít nhất 10 tháng)"


# -- disqualifiers -------------------------------------------------------------------

NO_DISQUALIFIER = NoDisqualifier(("discipline", "investigation", "inspection", "complaint"),
                                 "Nghị định 152/2025/NĐ-CP")


def test_a_discipline_overlapping_the_nomination_year_fails_with_its_decision() -> None:
    discipline = Fact("discipline", date(2024, 3, 1), date(2024, 8, 31),
                      "Quyết định kỷ luật số 45/QĐ-UBND")
    result = check(NO_DISQUALIFIER, EligibilitySubject(facts=(discipline,)))
    assert not result.passed and result.evidence == (discipline,)
    assert words(result) == (
        "Bị kỷ luật từ 01/03/2024 đến 31/08/2024 (Quyết định kỷ luật số 45/QĐ-UBND), trong "
        "thời gian xét (từ 01/01/2024 đến 20/01/2025)",
        "Within the period considered (from 01/01/2024 to 20/01/2025): discipline from "
        "01/03/2024 to 31/08/2024 (Quyết định kỷ luật số 45/QĐ-UBND)")


def test_a_discipline_that_ended_before_the_year_passes_and_is_shown() -> None:
    discipline = Fact("discipline", date(2022, 6, 1), date(2023, 5, 31), "QĐ 12/QĐ-UBND")
    result = check(NO_DISQUALIFIER, EligibilitySubject(facts=(discipline,)))
    assert result.passed and result.evidence == (discipline,)
    assert words(result) == (
        "Không bị kỷ luật, điều tra, thanh tra, kiểm tra hay khiếu nại, tố cáo chưa giải "
        "quyết xong từ 01/01/2024 đến 20/01/2025; kỷ luật từ 01/06/2022 đến 31/05/2023 "
        "(QĐ 12/QĐ-UBND) đã kết thúc trước đó",
        "No discipline, investigation, inspection or unresolved complaint from 01/01/2024 to "
        "20/01/2025; discipline from 01/06/2022 to 31/05/2023 (QĐ 12/QĐ-UBND) ended before")


def test_an_investigation_still_open_fails_and_one_of_another_kind_is_not_asked() -> None:
    open_case = Fact("investigation", date(2025, 1, 5), None, "Công văn 7/CSĐT")
    result = check(NO_DISQUALIFIER, EligibilitySubject(facts=(open_case,)))
    assert not result.passed
    assert "điều tra từ 05/01/2025 (chưa kết thúc)" in result.explanation.vi
    assert "investigation from 05/01/2025 (not yet over)" in result.explanation.en
    only_discipline = NoDisqualifier(("discipline",), "Quy chế của tỉnh")
    assert check(only_discipline, EligibilitySubject(facts=(open_case,))).passed


# -- an initiative used once ---------------------------------------------------------

UNUSED = UnusedInitiative("Luật Thi đua, khen thưởng 2022, Điều 23 khoản 1 điểm b")
TEACHING = Initiative("SK-2024-031", "Dạy học Hóa theo dự án ở trường THPT",
                      date(2024, 11, 20), "Quyết định số 301/QĐ-SGDĐT")


def test_a_recognised_initiative_not_used_before_passes() -> None:
    result = check(UNUSED, EligibilitySubject(initiative=TEACHING))
    assert result.passed and result.evidence == (TEACHING,)
    assert words(result) == (
        "Sáng kiến “Dạy học Hóa theo dự án ở trường THPT” được công nhận ngày 20/11/2024, "
        "Quyết định số 301/QĐ-SGDĐT, chưa dùng làm căn cứ khen thưởng nào khác",
        "The initiative “Dạy học Hóa theo dự án ở trường THPT”, recognised on 20/11/2024, "
        "Quyết định số 301/QĐ-SGDĐT, has not been the basis of another award")


def test_an_initiative_already_used_elsewhere_fails_naming_where() -> None:
    use = InitiativeUse(TEACHING.id, CSTD_CS, 2024, "Trường THCS Tân Bình", "nom-17")
    result = check(UNUSED, EligibilitySubject(initiative=TEACHING, initiative_uses=(use,),
                                              nomination_id="nom-42"))
    assert not result.passed and result.evidence == (TEACHING, use)
    assert words(result) == (
        "Sáng kiến “Dạy học Hóa theo dự án ở trường THPT” đã được dùng làm căn cứ khen "
        "thưởng: Chiến sĩ thi đua cơ sở năm 2024 của Trường THCS Tân Bình — mỗi sáng kiến "
        "chỉ được dùng một lần",
        "The initiative “Dạy học Hóa theo dự án ở trường THPT” was already the basis of the "
        "Grassroots emulation fighter for 2024 at Trường THCS Tân Bình — an initiative may be "
        "used only once")


def test_the_nomination_s_own_use_of_its_initiative_does_not_count_against_it() -> None:
    own = InitiativeUse(TEACHING.id, CSTD_TINH, 2024, SCHOOL, "nom-42")
    assert check(UNUSED, EligibilitySubject(initiative=TEACHING, initiative_uses=(own,),
                                            nomination_id="nom-42")).passed


def test_no_initiative_or_one_not_yet_recognised_fails() -> None:
    none = check(UNUSED, EligibilitySubject())
    assert not none.passed
    assert none.explanation.vi == "Chưa nêu sáng kiến được công nhận làm căn cứ đề nghị"
    pending = Initiative("SK-2025-002", "Số hóa hồ sơ một cửa")
    result = check(UNUSED, EligibilitySubject(initiative=pending))
    assert not result.passed and result.evidence == (pending,)
    assert (result.explanation.vi, result.explanation.en) == (
        "Sáng kiến “Số hóa hồ sơ một cửa” chưa được công nhận",
        "The initiative “Số hóa hồ sơ một cửa” has not been recognised")


# -- quotas per unit and year --------------------------------------------------------

QUOTA = Quota(Fraction(15, 100), LDTT, "Nghị định 98/2023/NĐ-CP (tỷ lệ 15 %, mặc định)")


def counts(holders: int, base: int = 20) -> EligibilitySubject:
    return EligibilitySubject(quotas=(QuotaCount(SCHOOL, 2024, CSTD_CS, holders, LDTT, base),))


def test_a_quota_reached_exactly_by_this_nomination_passes() -> None:
    result = check(QUOTA, counts(2), award=CSTD_CS)
    assert result.passed and result.evidence == counts(2).quotas
    assert words(result) == (
        "Trường THPT Vị Thanh năm 2024: kể cả người này có 3 Chiến sĩ thi đua cơ sở, trong "
        "mức tối đa 3 người (15 % của 20 người đạt Lao động tiên tiến)",
        "Trường THPT Vị Thanh, 2024: with this nomination, 3 holders of Grassroots emulation "
        "fighter of at most 3 (15 % of the 20 holders of Advanced worker)")


def test_a_quota_already_full_fails_with_the_counts() -> None:
    result = check(QUOTA, counts(3), award=CSTD_CS)
    assert not result.passed and result.evidence == counts(3).quotas
    assert words(result) == (
        "Trường THPT Vị Thanh năm 2024 đã có 3 Chiến sĩ thi đua cơ sở, mức tối đa là 3 người "
        "(15 % của 20 người đạt Lao động tiên tiến); thêm người này là 4, vượt định mức",
        "Trường THPT Vị Thanh already has 3 holders of Grassroots emulation fighter for 2024, "
        "at most 3 allowed (15 % of the 20 holders of Advanced worker); this nomination would "
        "make 4, over the quota")


def test_a_quota_rounds_down_and_a_small_unit_may_have_none() -> None:
    assert not check(QUOTA, counts(0, base=6), award=CSTD_CS).passed  # 15 % of 6 is 0.9
    assert check(QUOTA, counts(0, base=7), award=CSTD_CS).passed  # 1.05: one


def test_a_quota_without_the_unit_s_counts_fails_saying_what_is_missing() -> None:
    result = check(QUOTA, EligibilitySubject(), award=CSTD_CS)
    assert not result.passed and result.evidence == ()
    assert result.explanation.vi == ("Chưa có số người đạt Lao động tiên tiến và Chiến sĩ thi "
                                     "đua cơ sở của đơn vị năm 2024 để tính định mức")


# -- the verdict ---------------------------------------------------------------------


def teacher() -> EligibilitySubject:
    """Nguyễn Thị Hoa, Chemistry teacher: three years of Chiến sĩ thi đua cơ sở."""
    return EligibilitySubject(
        awards=tuple(held(t, y) for y in (2022, 2023, 2024) for t in (LDTT, CSTD_CS)),
        facts=(Fact("discipline", date(2019, 2, 1), date(2019, 12, 31), "QĐ 3/QĐ-THPT"),),
        service=Service(date(2012, 9, 1)), initiative=TEACHING, nomination_id="nom-42")


def test_a_verdict_is_eligible_only_when_every_check_passes() -> None:
    rules = [THREE_CSTD, UNUSED, NO_DISQUALIFIER]
    verdict = evaluate(rules, teacher(), 2024, ON, award=CSTD_TINH, catalogue=CATALOGUE)
    assert verdict.eligible and verdict.failed == ()
    assert [c.rule for c in verdict.checks] == ["consecutive_titles", "unused_initiative",
                                                "no_disqualifier"]
    used = InitiativeUse(TEACHING.id, CSTD_CS, 2024, SCHOOL, "nom-9")
    reused = EligibilitySubject(**{**teacher().__dict__, "initiative_uses": (used,)})
    verdict = evaluate(rules, reused, 2024, ON, award=CSTD_TINH, catalogue=CATALOGUE)
    assert not verdict.eligible and [c.rule for c in verdict.failed] == ["unused_initiative"]


def test_an_award_without_rules_is_open_to_anyone_it_is_given_to() -> None:
    verdict = evaluate([], EligibilitySubject(), 2024, ON, award="giay-khen",
                       catalogue=CATALOGUE)
    assert verdict.eligible and verdict.to_dict() == {"eligible": True, "checks": []}


def test_a_verdict_is_recorded_in_both_languages_and_read_back_the_same() -> None:
    rules = [THREE_CSTD, EARLIER, SERVICE, NO_DISQUALIFIER, UNUSED, QUOTA]
    subject = EligibilitySubject(**{**teacher().__dict__, "quotas": counts(1).quotas})
    verdict = evaluate(rules, subject, 2024, ON, award=CSTD_CS, catalogue=CATALOGUE)
    recorded = yaml.safe_load(yaml.safe_dump(verdict.to_dict(), allow_unicode=True))
    assert Verdict.from_dict(recorded) == verdict
    english = verdict.for_language("en")
    assert english["eligible"] is False
    assert english["checks"][1] == {
        "rule": "earlier_award", "passed": False, "legal_basis": EARLIER.legal_basis,
        "explanation": "Received no Provincial certificate of merit in the 5 years 2019–2023",
        "evidence": []}
    assert english["checks"][0]["evidence"][0] == {
        "kind": "award", "award": CSTD_CS, "year": 2022, "decision_number": "22/QĐ-UBND",
        "decision_date": "2023-01-15", "issuer": "Chủ tịch UBND thành phố Vị Thanh",
        "revoked_on": None}
    assert verdict.for_language("vi")["checks"][1]["explanation"].startswith("Chưa được tặng")


# -- the rules as policy data --------------------------------------------------------


def with_rules(rules: Any, award: int = 5) -> dict[str, Any]:
    doc = copy.deepcopy(DEMO)
    doc["awards"][award]["eligibility"] = rules
    return doc


def read_error(doc: Mapping[str, Any]) -> tuple[str, str]:
    with pytest.raises(PolicyError) as refused:
        read_policy_book([doc])
    return refused.value.where, refused.value.what


def test_the_reader_reads_every_kind_of_rule() -> None:
    rules = [
        {"consecutive_titles": {"title": CSTD_CS, "years": 3}, "legal_basis": BASIS},
        {"earlier_award": {"awards": [BK_TINH], "within_years": 5}, "legal_basis": "a"},
        {"minimum_service": {"months": 10}, "legal_basis": "b"},
        {"no_disqualifier": {"kinds": ["discipline"]}, "legal_basis": "c"},
        {"no_disqualifier": None, "legal_basis": "d"},
        {"unused_initiative": {}, "legal_basis": "e"},
        {"quota": {"share": "15/100", "of": LDTT}, "legal_basis": "f"},
    ]
    award = read_policy_book([with_rules(rules)]).latest.awards[CSTD_TINH]
    assert award.eligibility == (
        ConsecutiveTitles(CSTD_CS, 3, BASIS), EarlierAward((BK_TINH,), 5, "a"),
        MinimumService(10, "b"), NoDisqualifier(("discipline",), "c"),
        NoDisqualifier(("discipline", "investigation", "inspection", "complaint"), "d"),
        UnusedInitiative("e"), Quota(Fraction(3, 20), LDTT, "f"),
    )


@pytest.mark.parametrize(
    ("rule", "where", "what"),
    [
        ({"consecutive_titles": {"title": "x", "years": 3}, "legal_basis": BASIS},
         "awards[5].eligibility[0].consecutive_titles.title", "unknown award 'x'"),
        ({"consecutive_titles": {"title": CSTD_CS, "years": 0}, "legal_basis": BASIS},
         "awards[5].eligibility[0].consecutive_titles.years",
         "expected a whole number from 1 to 50, got 0"),
        ({"consecutive_titles": {"title": CSTD_CS}, "legal_basis": BASIS},
         "awards[5].eligibility[0].consecutive_titles", "missing 'years'"),
        ({"consecutive_titles": {"title": CSTD_CS, "years": 3, "year": 3}, "legal_basis": BASIS},
         "awards[5].eligibility[0].consecutive_titles.year", "not a parameter of this rule"),
        ({"consecutive_titles": {"title": CSTD_CS, "years": 3}},
         "awards[5].eligibility[0]",
         "missing 'legal_basis': every rule cites the law it applies"),
        ({"unused_initiative": {}, "legal_basis": " "},
         "awards[5].eligibility[0].legal_basis", "expected the text of the legal basis, got ' '"),
        ({"prior_title": {}, "legal_basis": BASIS}, "awards[5].eligibility[0]",
         "name one kind of rule (consecutive_titles, earlier_award, minimum_service, "
         "no_disqualifier, unused_initiative, quota, registered); got 'prior_title'"),
        ({"earlier_award": {"awards": [BK_TINH, "bang-khen-bo"], "within_years": 5},
          "legal_basis": BASIS},
         "awards[5].eligibility[0].earlier_award.awards[1]", "unknown award 'bang-khen-bo'"),
        ({"no_disqualifier": {"kinds": ["discipline", "debt"]}, "legal_basis": BASIS},
         "awards[5].eligibility[0].no_disqualifier.kinds[1]",
         "choose from discipline, investigation, inspection, complaint, got 'debt'"),
        ({"quota": {"share": "15/10", "of": LDTT}, "legal_basis": BASIS},
         "awards[5].eligibility[0].quota.share", "must lie between 0 and 1, got '15/10'"),
        ({"quota": {"share": "15%", "of": LDTT}, "legal_basis": BASIS},
         "awards[5].eligibility[0].quota.share",
         "not a fraction such as 15/100 or 0.15: '15%'"),
        ({"quota": {"share": "15/100", "of": LDTT, "per": "district_year"},
          "legal_basis": BASIS},
         "awards[5].eligibility[0].quota.per", "choose from unit_year"),
        ("unused_initiative", "awards[5].eligibility[0]",
         "expected a rule such as {minimum_service: {months: 10}, legal_basis: \"…\"}"),
    ],
)
def test_a_wrong_rule_is_refused_with_its_place(rule: Any, where: str, what: str) -> None:
    assert read_error(with_rules([rule])) == (where, what)


def test_rules_that_are_not_a_list_are_refused() -> None:
    assert read_error(with_rules({"unused_initiative": {}})) == (
        "awards[5].eligibility", "expected a list of rules")


def test_a_rule_may_name_an_award_listed_after_its_own() -> None:
    rule = {"earlier_award": {"awards": ["chien-si-thi-dua-toan-quoc"], "within_years": 2},
            "legal_basis": BASIS}
    award = read_policy_book([with_rules([rule], award=0)]).latest.awards["giay-khen"]
    assert award.eligibility == (EarlierAward(("chien-si-thi-dua-toan-quoc",), 2, BASIS),)


def bad_file(tmp_path: Path) -> Path:
    old = f"consecutive_titles: {{title: {CSTD_CS}, years: 3}}"
    assert old in DEMO_TEXT
    path = tmp_path / "policy.yaml"
    path.write_text(DEMO_TEXT.replace(old, "consecutive_titles: {title: chien-si-co-so, "
                                           "years: 3}", 1), encoding="utf-8")
    return path


def the_line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    [number] = [i for i, line in enumerate(lines, start=1) if text in line]
    return number


def test_a_bad_rule_in_the_policy_file_is_reported_at_its_line(tmp_path: Path) -> None:
    path = bad_file(tmp_path)
    with pytest.raises(PolicyFileError) as caught:
        load_policy_book(path)
    assert str(caught.value) == (
        f"{path}:{the_line_of(path, 'chien-si-co-so,')}: awards[5].eligibility[0]."
        "consecutive_titles.title: unknown award 'chien-si-co-so'")


def test_laurel_policy_check_names_the_line_of_a_bad_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAUREL_POLICY_FILE", str(BUNDLED_POLICY))
    monkeypatch.delenv("LAUREL_DATABASE_URL", raising=False)
    path = bad_file(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["policy", "check", str(path), "--data-dir", str(tmp_path / "d")])
    assert exited.value.code == 2
    assert (f"{path}:{the_line_of(path, 'chien-si-co-so,')}: awards[5].eligibility[0]."
            "consecutive_titles.title: unknown award") in capsys.readouterr().err


def test_policy_check_shows_the_rules_a_new_version_changes() -> None:
    old = load_policy_book(BUNDLED_POLICY).latest
    award = old.awards[CSTD_CS]
    stricter = replace(award.eligibility[2], share=Fraction(1, 10))
    new = replace(old, version="2026.1", awards={
        **old.awards, CSTD_CS: replace(award, eligibility=(*award.eligibility[:2], stricter))})
    assert diff_policies(old, new)[1:3] == [
        "  changed: chien-si-thi-dua-co-so (Grassroots emulation fighter)",
        "    eligibility: consecutive_titles(title=lao-dong-tien-tien, years=1), "
        "unused_initiative(), quota(share=3/20, of=lao-dong-tien-tien, per=unit_year), "
        "no_disqualifier(kinds=discipline+investigation+inspection+complaint)  becomes  "
        "consecutive_titles(title=lao-dong-tien-tien, years=1), unused_initiative(), "
        "quota(share=1/10, of=lao-dong-tien-tien, per=unit_year)"]


# -- the demo province's rules -------------------------------------------------------


def kinds(award: Any) -> list[str]:
    return [rule.kind for rule in award.eligibility]


def test_the_demo_province_states_the_rules_of_its_awards() -> None:
    for policy in (*load_policy_book(BUNDLED_POLICY).versions,
                   *load_policy_book(REFORM).versions):
        awards = policy.awards
        assert kinds(awards[CSTD_TINH]) == ["consecutive_titles", "unused_initiative",
                                            "no_disqualifier"]
        assert awards[CSTD_TINH].eligibility[0] == ConsecutiveTitles(
            CSTD_CS, 3, awards[CSTD_TINH].eligibility[0].legal_basis)
        assert kinds(awards[CSTD_CS]) == ["consecutive_titles", "unused_initiative", "quota",
                                          "no_disqualifier"]
        assert awards[CSTD_CS].eligibility[2] == Quota(
            Fraction(15, 100), LDTT, awards[CSTD_CS].eligibility[2].legal_basis)
        [earlier, _] = awards["bang-khen-thu-tuong"].eligibility
        assert earlier == EarlierAward((BK_TINH,), 5, earlier.legal_basis)
        assert kinds(awards["giay-khen"]) == ["no_disqualifier"]
        assert all(rule.legal_basis for award in awards.values()
                   for rule in award.eligibility), policy.version


def test_the_demo_teacher_is_eligible_for_the_provincial_title_and_a_gap_is_not() -> None:
    policy = load_policy_book(BUNDLED_POLICY).latest
    rules = policy.awards[CSTD_TINH].eligibility
    verdict = evaluate(rules, teacher(), 2024, ON, award=CSTD_TINH, catalogue=policy.awards)
    assert verdict.eligible, verdict.failed
    gap = EligibilitySubject(**{**teacher().__dict__, "awards": teacher().awards[2:]})
    verdict = evaluate(rules, gap, 2024, ON, award=CSTD_TINH, catalogue=policy.awards)
    assert [c.explanation.vi for c in verdict.failed] == [
        "Thiếu danh hiệu Chiến sĩ thi đua cơ sở năm 2022 (cần đủ 3 năm liên tục 2022–2024)"]


async def test_the_awards_catalogue_shows_each_award_s_rules(http: httpx.AsyncClient) -> None:
    awards = {a["code"]: a for a in (await http.get("/awards")).json()["items"]}
    rules = awards[CSTD_CS]["eligibility"]
    assert [r["kind"] for r in rules] == ["consecutive_titles", "unused_initiative", "quota",
                                          "no_disqualifier"]
    quota = rules[2]
    assert quota["parameters"] == {"share": "3/20", "of": LDTT, "per": "unit_year"}
    assert quota["legal_basis"]
    assert quota["description"] == {
        "vi": "Không quá 15 % số người đạt Lao động tiên tiến của đơn vị trong năm",
        "en": "At most 15 % of the unit's holders of Advanced worker in the year"}
    assert awards[CSTD_TINH]["eligibility"][0]["parameters"] == {"title": CSTD_CS, "years": 3}
    assert awards["bang-khen-tinh"]["eligibility"][0]["kind"] == "no_disqualifier"
