"""Vietnamese and English labels for statuses and steps, in one place."""

from __future__ import annotations

from domain.policy import Policy
from domain.vocabulary import Status

STATUS: dict[str, tuple[str, str]] = {
    Status.PROPOSED: ("Đã đề nghị", "Proposed"),
    Status.UNDER_REVIEW: ("Đang xét duyệt", "Under council review"),
    Status.AWAITING_DECISION: ("Chờ quyết định", "Awaiting decision"),
    Status.AWARDED: ("Đã khen thưởng", "Awarded"),
    Status.NOT_AWARDED: ("Không khen thưởng", "Not awarded"),
    Status.REJECTED: ("Không được Hội đồng thông qua", "Rejected by the council"),
    Status.RETURNED: ("Trả lại để bổ sung", "Returned for supplement"),
    Status.PUBLIC_NOTICE: ("Đang công khai, lấy ý kiến", "Public notice, comment period"),
    Status.ON_HOLD: ("Tạm dừng do có ý kiến phản ánh", "On hold: an objection is being verified"),
    Status.AWAITING_CENTRAL: ("Đã trình Trung ương, chờ kết quả",
                              "Forwarded to central government"),
    Status.WITHDRAWN: ("Đã rút đề nghị", "Withdrawn"),
    Status.REVOKED: ("Đã thu hồi", "Revoked"),
}

EVENT: dict[str, tuple[str, str]] = {
    "Proposed": ("Đề nghị khen thưởng", "Nomination proposed"),
    "NotificationPrepared": ("Lập thông báo", "Notification prepared"),
    "NotificationDelivered": ("Đã gửi thông báo", "Notification delivered"),
    "NotificationFailed": ("Gửi thông báo không thành công", "Notification not delivered"),
    "NotificationRead": ("Người nhận đã đọc thông báo", "Notification read"),
    "ReviewOpened": ("Hội đồng bắt đầu xét", "Council review opened"),
    "ReviewOverdue": ("Quá hạn xét duyệt", "Review overdue"),
    "ReviewedByCouncil": ("Hội đồng Thi đua – Khen thưởng đã xét", "Reviewed by the council"),
    "Forwarded": ("Trình lên cấp trên", "Forwarded to the next level"),
    "DecisionOpened": ("Trình người có thẩm quyền quyết định", "Sent for decision"),
    "Decided": ("Đã có quyết định", "Decided"),
    "ReviewReminderSent": ("Nhắc hạn xét duyệt", "Review deadline reminder"),
    "ReviewEscalated": ("Báo cáo người đứng đầu do quá hạn", "Escalated to the level's head"),
    "Supplemented": ("Đã bổ sung hồ sơ", "Dossier supplemented"),
    "PublicNoticeOpened": ("Công khai, lấy ý kiến", "Public notice opened"),
    "ObjectionLodged": ("Có ý kiến phản ánh", "Objection lodged"),
    "ObjectionConfirmed": ("Ý kiến phản ánh được xác nhận, hồ sơ tạm dừng",
                           "Objection confirmed: the nomination is held"),
    "ObjectionCodeRejected": ("Nhập sai mã xác nhận ý kiến phản ánh",
                              "Wrong confirmation code for an objection"),
    "ObjectionResolved": ("Đã xác minh ý kiến phản ánh", "Objection resolved"),
    "PublicNoticeClosed": ("Kết thúc công khai", "Public notice closed"),
    "Withdrawn": ("Rút đề nghị", "Withdrawn"),
    "Revoked": ("Thu hồi khen thưởng", "Award revoked"),
    "TaskClaimed": ("Nhận xử lý việc", "Task claimed"),
    "TaskAssigned": ("Giao việc cho người xử lý", "Task assigned"),
    "ConsultationOpened": ("Lấy ý kiến hiệp y các cơ quan", "Agencies consulted"),
    "ConsultationAnswered": ("Cơ quan đã có ý kiến hiệp y", "An agency answered"),
    "ConsultationLapsed": ("Hết hạn hiệp y, cơ quan chưa có ý kiến",
                           "An agency's time to answer lapsed"),
    "AppraisalOpened": ("Ban Thi đua – Khen thưởng thẩm định hồ sơ",
                        "The board appraises the dossier"),
    "Appraised": ("Chuyên viên đã thẩm định hồ sơ", "Dossier appraised"),
    "AppraisalSignedOff": ("Lãnh đạo Ban cho ý kiến về kết quả thẩm định",
                           "The board's head on the appraisal"),
}

NEXT_STEP: dict[str, tuple[str, str]] = {
    Status.PROPOSED: ("Chờ mở xét duyệt tại đơn vị", "Waiting for the unit's council review"),
    Status.UNDER_REVIEW: ("Hội đồng Thi đua – Khen thưởng xét", "The council reviews it"),
    Status.AWAITING_DECISION: ("Người có thẩm quyền ra quyết định", "The authority decides"),
    Status.AWARDED: ("Đã hoàn tất", "Complete"),
    Status.NOT_AWARDED: ("Đã hoàn tất", "Complete"),
    Status.REJECTED: ("Đã kết thúc", "Closed"),
    Status.RETURNED: ("Đơn vị đề nghị bổ sung hồ sơ", "The proposing unit supplements the dossier"),
    Status.PUBLIC_NOTICE: ("Hết thời gian công khai thì trình quyết định",
                      "After the comment period it goes for decision"),
    Status.ON_HOLD: ("Ban Thi đua – Khen thưởng xác minh ý kiến phản ánh",
                "The commendation board verifies the objection"),
    Status.AWAITING_CENTRAL: ("Chờ quyết định của Trung ương", "Waiting for the central decision"),
    Status.WITHDRAWN: ("Đã kết thúc", "Closed"),
    Status.REVOKED: ("Đã kết thúc", "Closed"),
}


def label(table: dict[str, tuple[str, str]], key: str) -> dict[str, str]:
    vi, en = table.get(key, (key, key))
    return {"vi": vi, "en": en}


def unit_name(policy: Policy, unit_id: str | None) -> str | None:
    """A unit's name in the given policy version (the id if that version lacks it)."""
    if not unit_id:
        return None
    unit = policy.org.units.get(unit_id)
    return unit.name if unit else unit_id


def award_name(policy: Policy, code: str) -> dict[str, str]:
    award = policy.awards.get(code)
    return {"vi": award.name.vi, "en": award.name.en} if award else {"vi": code, "en": code}
