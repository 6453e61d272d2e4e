"""What the notifier says, and to whom: the recipients of a nomination's event and the
texts, in Vietnamese and English (the recipient's language is picked when sent).

Only events people must act on or hear of are notified: a new task (a review, an
appraisal, a consultation to record, a decision), the reminder at 80 % of its time, an
escalation (to the level's head the org data names), an appraisal awaiting the head's
sign-off, a return for supplement, an assignment and a decision. The people are found in
the directory (``infrastructure.directory``) by unit and role, as the pages' accounts
name them; the proposer who sent the nomination is told of its return and decision even
without an account there (in-app only, then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.nomination import DEFAULT_ZONE, Nomination
from domain.policy import Policy
from domain.vocabulary import ReviewOutcome
from infrastructure.directory import Directory, Person

NOTIFIED = (
    Nomination.ReviewOpened, Nomination.DecisionOpened, Nomination.ReviewReminderSent,
    Nomination.ReviewEscalated, Nomination.ReviewedByCouncil, Nomination.Decided,
    Nomination.AppraisalOpened, Nomination.ConsultationOpened, Nomination.Appraised,
    Nomination.TaskAssigned,
)


@dataclass(frozen=True)
class About:
    """The nomination as its proposal recorded it."""

    nomination_id: str
    tracking_code: str
    award_code: str
    nominee: str
    unit_id: str
    proposer: str
    nominee_email: str = ""
    """The nominee's own address, given with their consent to hear of the decision."""


@dataclass(frozen=True)
class Notice:
    kind: str
    subject_vi: str
    subject_en: str
    text_vi: str
    text_en: str


def about(proposed: Nomination.Proposed) -> About:
    return About(str(proposed.originator_id), proposed.tracking_code, proposed.award_code,
                 str(proposed.nominee.get("name", "")), proposed.unit_id, proposed.actor,
                 str(proposed.nominee.get("notify_email") or ""))


def recipients(event: Any, nomination: About, directory: Directory,
               policy: Policy) -> list[Person]:
    """Who is told of the event (each once), in a stable order."""
    unit_id = getattr(event, "unit_id", "")
    found: list[Person] = []
    match event:
        case (Nomination.ReviewOpened() | Nomination.ReviewReminderSent()
              | Nomination.AppraisalOpened() | Nomination.ConsultationOpened()):
            found = directory.of_unit(unit_id, "reviewer")
        case Nomination.Appraised() if unit_id in policy.org.units:
            found = _named(policy.org.get(unit_id).head, directory)
        case Nomination.DecisionOpened():
            found = directory.of_unit(unit_id, "decider")
        case Nomination.ReviewEscalated():
            # To the head the org data names, if the directory knows them; else the
            # unit's deciders, or those of the unit above.
            found = _named(event.escalated_to, directory) or directory.of_unit(unit_id,
                                                                               "decider")
            if not found and unit_id in policy.org.units:
                parent = policy.org.get(unit_id).parent_id
                found = directory.of_unit(parent, "decider") if parent else []
        case Nomination.ReviewedByCouncil() if event.outcome == ReviewOutcome.RETURN:
            found = _proposers(nomination, directory)
        case Nomination.Decided():
            found = _proposers(nomination, directory)
            if nomination.nominee_email:  # they opted in, with their own address
                found.append(Person(f"nominee:{nomination.nomination_id}", nomination.nominee,
                                    (), "", email=nomination.nominee_email))
        case Nomination.TaskAssigned():
            # The new holder, and whoever the task was taken from: never silently.
            found = [directory.get(name) or Person(name, name, (), "")
                     for name in (event.assignee, event.previous) if name]
    unique: dict[str, Person] = {}
    for person in found:
        unique.setdefault(person.username, person)
    return list(unique.values())


def _named(username: str, directory: Directory) -> list[Person]:
    person = directory.get(username) if username else None
    return [person] if person else []


def _proposers(nomination: About, directory: Directory) -> list[Person]:
    """The one who proposed it first, then the unit's other proposers."""
    own = directory.get(nomination.proposer) or Person(
        nomination.proposer, nomination.proposer, ("proposer",), nomination.unit_id)
    return [own, *directory.of_unit(nomination.unit_id, "proposer")]


def _day(value: datetime | None, lang: str) -> str:
    if value is None:
        return "—"
    local = value.astimezone(DEFAULT_ZONE)
    return local.strftime("%d/%m/%Y") if lang == "vi" else local.strftime("%Y-%m-%d")


def notice(event: Any, nomination: About, policy: Policy, base_url: str) -> Notice:
    """The subject and text in both languages."""
    award_vi, award_en = _award_names(policy, nomination.award_code)
    unit_id = getattr(event, "unit_id", "") or nomination.unit_id
    unit = policy.org.units[unit_id].name if unit_id in policy.org.units else unit_id
    due: datetime | None = getattr(event, "due_at", None)
    link = f"{base_url.rstrip('/')}/ui/nominations/{nomination.nomination_id}"
    code = nomination.tracking_code
    what_vi = f"“{award_vi}” cho {nomination.nominee} (mã theo dõi {code})"
    what_en = f"“{award_en}” for {nomination.nominee} (tracking code {code})"
    kind, s_vi, s_en, vi, en = _words(event, unit, what_vi, what_en, due, policy)
    return Notice(kind, f"[Laurel] {s_vi} – {code}", f"[Laurel] {s_en} – {code}",
                  f"{vi}\n\nXem hồ sơ: {link}\n\n— Laurel (thư tự động, vui lòng không trả lời)",
                  f"{en}\n\nOpen the nomination: {link}\n\n— Laurel (automatic message)")


def _award_names(policy: Policy, code: str) -> tuple[str, str]:
    award = policy.awards.get(code)
    return (award.name.vi, award.name.en) if award else (code, code)


def _words(event: Any, unit: str, what_vi: str, what_en: str,
           due: datetime | None, policy: Policy) -> tuple[str, str, str, str, str]:
    """(kind, subject vi, subject en, text vi, text en)."""
    due_vi, due_en = _day(due, "vi"), _day(due, "en")
    match event:
        case Nomination.ReviewOpened():
            return ("task", "Nhiệm vụ mới: xét đề nghị khen thưởng",
                    "New task: review a nomination",
                    f"{unit} có nhiệm vụ mới: xét đề nghị khen thưởng {what_vi}. "
                    f"Hạn xử lý: {due_vi}.",
                    f"{unit} has a new task: review the nomination for {what_en}. "
                    f"Due: {due_en}.")
        case Nomination.AppraisalOpened():
            return ("task", "Nhiệm vụ mới: thẩm định hồ sơ", "New task: appraise a dossier",
                    f"Ban Thi đua – Khen thưởng của {unit} có hồ sơ mới cần thẩm định: "
                    f"{what_vi}. Hạn xử lý: {due_vi}.",
                    f"The commendation board of {unit} has a dossier to appraise: "
                    f"{what_en}. Due: {due_en}.")
        case Nomination.ConsultationOpened():
            agencies_vi = ", ".join(a["vi"] for a in event.agencies)
            agencies_en = ", ".join(a["en"] for a in event.agencies)
            return ("task", "Lấy ý kiến hiệp y", "Agencies consulted",
                    f"{unit} lấy ý kiến hiệp y về đề nghị khen thưởng {what_vi}: "
                    f"{agencies_vi}. Ghi nhận ý kiến các cơ quan trước {due_vi}.",
                    f"{unit} consults {agencies_en} on the nomination for {what_en}. "
                    f"Record their answers by {due_en}.")
        case Nomination.Appraised():
            return ("task", "Kết quả thẩm định chờ ý kiến", "An appraisal awaits sign-off",
                    f"Kết quả thẩm định đề nghị khen thưởng {what_vi} chờ lãnh đạo Ban "
                    "cho ý kiến.",
                    f"The appraisal of the nomination for {what_en} awaits your sign-off.")
        case Nomination.DecisionOpened():
            return ("task", "Nhiệm vụ mới: quyết định khen thưởng",
                    "New task: decide a nomination",
                    f"{unit} có nhiệm vụ mới: quyết định khen thưởng {what_vi}. "
                    f"Hạn xử lý: {due_vi}.",
                    f"{unit} has a new task: decide the nomination for {what_en}. "
                    f"Due: {due_en}.")
        case Nomination.ReviewReminderSent():
            return ("reminder", "Nhắc hạn xét đề nghị", "Reminder: a review is nearly due",
                    f"Đề nghị khen thưởng {what_vi} tại {unit} sắp đến hạn xét: {due_vi}.",
                    f"The review of the nomination for {what_en} at {unit} is due "
                    f"{due_en}.")
        case Nomination.ReviewEscalated():
            return ("escalation", "Quá hạn xét đề nghị", "Overdue review escalated",
                    f"Đề nghị khen thưởng {what_vi} đã quá hạn xử lý tại {unit} và được "
                    "báo cáo lên người đứng đầu.",
                    f"The nomination for {what_en} is overdue at {unit} and has been "
                    "escalated to you as the head.")
        case Nomination.ReviewedByCouncil():
            reason = policy.return_reasons.get(event.return_reason)
            note = (f" Lý do: {reason.vi}." if reason else "") + (
                f" Ghi chú: {event.note}" if event.note else "")
            note_en = (f" Reason: {reason.en}." if reason else "") + (
                f" Note: {event.note}" if event.note else "")
            return ("returned", "Đề nghị được trả lại để bổ sung",
                    "Nomination returned for supplement",
                    f"Hội đồng {unit} đã trả lại đề nghị khen thưởng {what_vi} để bổ sung "
                    f"hồ sơ.{note}",
                    f"The council of {unit} returned the nomination for {what_en} for "
                    f"supplement.{note_en}")
        case Nomination.Decided():
            if event.outcome == "awarded" and event.granted_award:
                granted_vi, granted_en = _award_names(policy, event.granted_award)
                return ("decided", "Đã có quyết định khen thưởng (hình thức thấp hơn)",
                        "Award decided (a lower form)",
                        f"Đề nghị khen thưởng {what_vi} đã được quyết định khen thưởng với "
                        f"hình thức thấp hơn đề nghị: “{granted_vi}”, theo quyết định số "
                        f"{event.decision_number} ngày {event.decision_date}.",
                        f"The nomination for {what_en} was granted a lower form than "
                        f"proposed: “{granted_en}”, by decision {event.decision_number} "
                        f"of {event.decision_date}.")
            if event.outcome == "awarded":
                return ("decided", "Đã có quyết định khen thưởng", "Award decided",
                        f"Đề nghị khen thưởng {what_vi} đã được khen thưởng theo quyết định "
                        f"số {event.decision_number} ngày {event.decision_date}.",
                        f"The nomination for {what_en} was awarded by decision "
                        f"{event.decision_number} of {event.decision_date}.")
            return ("decided", "Đã có quyết định về đề nghị", "Nomination decided",
                    f"Đề nghị khen thưởng {what_vi} không được khen thưởng "
                    f"(quyết định số {event.decision_number}).",
                    f"The nomination for {what_en} was not awarded "
                    f"(decision {event.decision_number}).")
        case Nomination.TaskAssigned() if event.previous:
            return ("assigned", "Hồ sơ được giao lại", "A task was reassigned",
                    f"Việc xử lý đề nghị khen thưởng {what_vi} đã được lãnh đạo giao lại: "
                    f"từ {event.previous} cho {event.assignee}.",
                    f"The head reassigned the nomination for {what_en} from "
                    f"{event.previous} to {event.assignee}.")
    return ("assigned", "Bạn được giao xử lý hồ sơ", "A task was assigned to you",
            f"Bạn được giao xử lý đề nghị khen thưởng {what_vi}.",
            f"You were assigned the nomination for {what_en}.")
