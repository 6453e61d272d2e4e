"""Vietnamese and English labels for statuses and steps, in one place."""

from __future__ import annotations

from domain import nomination as n

STATUS: dict[str, tuple[str, str]] = {
    n.PROPOSED: ("Đã đề nghị", "Proposed"),
    n.UNDER_REVIEW: ("Đang xét duyệt", "Under council review"),
    n.AWAITING_DECISION: ("Chờ quyết định", "Awaiting decision"),
    n.AWARDED: ("Đã khen thưởng", "Awarded"),
    n.NOT_AWARDED: ("Không khen thưởng", "Not awarded"),
    n.REJECTED: ("Không được Hội đồng thông qua", "Rejected by the council"),
    n.RETURNED: ("Trả lại để bổ sung", "Returned for supplement"),
}

EVENT: dict[str, tuple[str, str]] = {
    "Proposed": ("Đề nghị khen thưởng", "Nomination proposed"),
    "ReviewOpened": ("Hội đồng bắt đầu xét", "Council review opened"),
    "ReviewOverdue": ("Quá hạn xét duyệt", "Review overdue"),
    "ReviewedByCouncil": ("Hội đồng Thi đua – Khen thưởng đã xét", "Reviewed by the council"),
    "Forwarded": ("Trình lên cấp trên", "Forwarded to the next level"),
    "DecisionOpened": ("Trình người có thẩm quyền quyết định", "Sent for decision"),
    "Decided": ("Đã có quyết định", "Decided"),
}

NEXT_STEP: dict[str, tuple[str, str]] = {
    n.PROPOSED: ("Chờ mở xét duyệt tại đơn vị", "Waiting for the unit's council review"),
    n.UNDER_REVIEW: ("Hội đồng Thi đua – Khen thưởng xét", "The council reviews it"),
    n.AWAITING_DECISION: ("Người có thẩm quyền ra quyết định", "The authority decides"),
    n.AWARDED: ("Đã hoàn tất", "Complete"),
    n.NOT_AWARDED: ("Đã hoàn tất", "Complete"),
    n.REJECTED: ("Đã kết thúc", "Closed"),
    n.RETURNED: ("Đơn vị đề nghị bổ sung hồ sơ", "The proposing unit supplements the dossier"),
}


def label(table: dict[str, tuple[str, str]], key: str) -> dict[str, str]:
    vi, en = table.get(key, (key, key))
    return {"vi": vi, "en": en}
