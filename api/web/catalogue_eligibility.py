"""The pages' words for eligibility — the checklist, its evidence, the quota meter, the
reasons to go on despite a failed rule, a nominee chosen from the register — in Vietnamese
and English; part of the one catalogue (``api.web.catalogue``)."""

from __future__ import annotations

ELIGIBILITY_MESSAGES: dict[str, tuple[str, str]] = {
    "check.title": ("Điều kiện, tiêu chuẩn khen thưởng", "The award's conditions"),
    "check.live": ("Kiểm tra theo hồ sơ hiện có, ngày {day} (quy định phiên bản {version}).",
                   "Checked against the record as it stands on {day} (policy version "
                   "{version})."),
    "check.recorded": ("Kết quả kiểm tra đã ghi nhận ngày {day} (quy định phiên bản "
                       "{version}).",
                       "The check as recorded on {day} (policy version {version})."),
    "check.none": ("Hình thức khen thưởng này không có điều kiện riêng cần kiểm tra.",
                   "This award has no conditions of its own to check."),
    "check.eligible": ("Đủ điều kiện", "Meets the conditions"),
    "check.not_eligible": ("Chưa đủ điều kiện", "Does not meet the conditions"),
    "check.unchecked_all": ("Chưa kiểm tra được: Hội đồng xem xét theo hồ sơ",
                            "Not checked: the council judges from the dossier"),
    "check.passed": ("Đạt", "Met"),
    "check.failed": ("Không đạt", "Not met"),
    "check.not_checked": ("Chưa kiểm tra", "Not checked"),
    "check.rule": ("Điều kiện", "Condition"),
    "check.result": ("Kết quả", "Result"),
    "check.explanation": ("Giải thích", "Explanation"),
    "check.evidence": ("Căn cứ", "Evidence"),
    "check.legal_basis": ("Cơ sở pháp lý", "Legal basis"),
    "check.override": ("Đề nghị dù chưa đủ điều kiện: {reason}",
                       "Proposed although the conditions are not met: {reason}"),
    "check.override_review": ("Hội đồng {level} duyệt dù chưa đủ điều kiện: {reason}",
                              "Approved by the {level} council although the conditions are "
                              "not met: {reason}"),
    "check.override_when": ("ghi nhận lúc {moment}", "recorded at {moment}"),
    "check.quota_meter": ("Định mức: {counted}/{limit} ({share} của {base_holders} {base})",
                          "Quota: {counted}/{limit} ({share} of {base_holders} {base})"),
    "check.quota_over": ("vượt định mức", "over the quota"),
    "check.evidence_award": ("{award} năm {year}", "{award} for {year}"),
    "check.evidence_decision": ("Quyết định số {number}", "decision {number}"),
    "check.evidence_decision_day": ("ngày {day}", "of {day}"),
    "check.evidence_revoked": ("đã thu hồi ngày {day}", "revoked on {day}"),
    "check.evidence_fact": ("{fact} từ {start} đến {end}", "{fact} from {start} to {end}"),
    "check.evidence_fact_open": ("{fact} từ {start}, chưa kết thúc",
                                 "{fact} from {start}, not yet over"),
    "check.evidence_service": ("Bắt đầu công tác từ {start}", "In service since {start}"),
    "check.evidence_initiative": ("Sáng kiến “{title}”, công nhận ngày {day}",
                                  "Initiative “{title}”, recognised on {day}"),
    "check.evidence_initiative_new": ("Sáng kiến “{title}”, chưa được công nhận",
                                      "Initiative “{title}”, not yet recognised"),
    "check.evidence_use": ("Đã dùng làm căn cứ cho {award} năm {year} của {unit}",
                           "Used as the basis of the {award} for {year} at {unit}"),
    "check.evidence_quota": ("{unit} năm {year}: {holders} {award} (chưa kể hồ sơ này), "
                             "{base_holders} {base}",
                             "{unit}, {year}: {holders} holders of {award} (not counting "
                             "this one), {base_holders} of {base}"),
    "rule_kind.consecutive_titles": ("Danh hiệu liên tục", "Consecutive titles"),
    "rule_kind.earlier_award": ("Khen thưởng trước đó", "An earlier award"),
    "rule_kind.minimum_service": ("Thời gian công tác", "Time in service"),
    "rule_kind.no_disqualifier": ("Không vi phạm", "No disqualifier"),
    "rule_kind.unused_initiative": ("Sáng kiến", "Initiative"),
    "rule_kind.quota": ("Định mức", "Quota"),
    "rule_kind.registered": ("Đăng ký thi đua", "Registration"),
    "check.evidence_registration": ("Đăng ký {award} năm {year} ngày {day}",
                                    "Registered for the {award} for {year} on {day}"),
    "refusal.not_eligible": ("{who} chưa đủ điều kiện:", "{who} does not meet the "
                             "conditions:"),
    "refusal.override_hint": ("Bổ sung lịch sử khen thưởng của người này, hoặc nêu lý do vẫn "
                              "đề nghị ở ô “Lý do đề nghị dù chưa đủ điều kiện” rồi gửi lại.",
                              "Complete this person's history, or give the reason to propose "
                              "them all the same in “Reason to go on despite the conditions”, "
                              "then send again."),
    "refusal.duplicate": ("{who}: đã có hồ sơ {code} đề nghị hình thức khen thưởng này cho "
                          "cùng năm.", "{who}: nomination {code} already proposes this award "
                          "for the same year."),
    "proposal.person": ("Chọn từ danh sách cá nhân, tập thể", "Chosen from the register"),
    "proposal.person_none": ("— Không chọn (ghi tên bên dưới) —",
                             "— None (named below) —"),
    "proposal.person_find": ("Tìm trong danh sách (họ tên, số CCCD, mã công chức)",
                             "Find in the register (name, national ID, civil-servant code)"),
    "proposal.person_search": ("Tìm", "Find"),
    "proposal.person_found": ("Tìm thấy {count} người.", "{count} found."),
    "proposal.person_chosen": ("Đã chọn: {name}", "Chosen: {name}"),
    "proposal.named_only": ("Nếu không có trong danh sách: họ tên, đối tượng",
                            "If not in the register: name and kind"),
    "proposal.year": ("Năm thành tích", "Year of the achievements"),
    "proposal.initiative": ("Sáng kiến làm căn cứ (nếu có)",
                            "The initiative it rests on (if any)"),
    "proposal.initiative_none": ("— Không có —", "— None —"),
    "proposal.override": ("Lý do đề nghị dù chưa đủ điều kiện",
                          "Reason to go on despite the conditions"),
    "proposal.override_hint": ("Lý do được ghi nhận và hiển thị cho mọi cấp xét duyệt sau.",
                               "The reason is recorded and shown to every later reviewer."),
    "proposal.must_register": ("{kind} phải được chọn từ danh sách cá nhân, tập thể",
                               "a nominee of kind {kind} is chosen from the register"),
    "proposal.bad_year": ("năm thành tích “{year}” không hợp lệ",
                          "the year “{year}” is not a year"),
    "proposal.unmatched": ("Dòng {row}: không có người nào của đơn vị có {what}; dòng này "
                           "được ghi theo họ tên",
                           "Row {row}: no one of your units has {what}; the row is kept by "
                           "its name"),
    "proposal.unmatched_national_id": ("số CCCD {value}", "national ID {value}"),
    "proposal.unmatched_civil_servant_code": ("mã công chức {value}", "civil-servant code {value}"),
    "proposal.other_name": ("Dòng {row}: họ tên “{name}” khác với danh sách ({registered})",
                            "Row {row}: the name “{name}” differs from the register's "
                            "({registered})"),
    "meeting.eligible": ("Điều kiện", "Conditions"),
    "meeting.override": ("Lý do duyệt dù chưa đủ điều kiện",
                         "Reason to approve despite the conditions"),
    "meeting.refused": ("Chưa ghi kết quả phiên họp: hồ sơ thứ {n} ({name}) chưa đủ điều "
                        "kiện.", "The meeting's outcome was not recorded: nomination {n} "
                        "({name}) does not meet the conditions."),
    "meeting.refused_hint": ("Không có hồ sơ nào được ghi. Bỏ chọn hồ sơ này, hoặc nêu lý do "
                             "duyệt dù chưa đủ điều kiện, rồi xác nhận lại.",
                             "Nothing was recorded. Leave this nomination out, or give the "
                             "reason to approve it all the same, then confirm again."),
    "review.override": ("Lý do duyệt dù chưa đủ điều kiện (nếu có)",
                        "Reason to approve despite the conditions (if any)"),
}
