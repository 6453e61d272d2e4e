"""Named domain errors. Each has a stable ``code`` that the API turns into a problem type.

Every error speaks English and Vietnamese: the class's ``title`` and ``title_vi``, and
the instance's ``detail`` and ``detail_vi``. Whoever raises one says what went wrong in
English and, with ``vi=``, in Vietnamese; without it, the class's ``explanation_vi`` says
in general terms what the refusal means. ``in_language`` picks one of the two.
"""

from __future__ import annotations

LANGUAGES = ("vi", "en")


class DomainError(Exception):
    """A command that the process does not allow."""

    code = "domain-error"
    title = "The commendation process does not allow this"
    title_vi = "Quy trình thi đua, khen thưởng không cho phép việc này"
    explanation = "The commendation process does not allow this action."
    explanation_vi = "Quy trình thi đua, khen thưởng không cho phép thao tác này."

    def __init__(self, detail: str, vi: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.detail_vi = vi or self.explanation_vi

    def in_language(self, language: str) -> tuple[str, str]:
        """(title, detail) in Vietnamese for ``"vi"``, else in English."""
        if language == "vi":
            return self.title_vi, self.detail_vi
        return self.title, self.detail


class NotFound(DomainError):
    code = "not-found"
    title = "No such resource"
    title_vi = "Không tìm thấy"
    explanation = "It does not exist, or it is not yours to see."
    explanation_vi = "Không có mục này, hoặc bạn không có quyền xem."


class UnknownAward(DomainError):
    code = "unknown-award"
    title = "Unknown award"
    title_vi = "Không có hình thức khen thưởng này"
    explanation = "The award catalogue of the policy in force has no award of that code."
    explanation_vi = "Danh mục khen thưởng đang áp dụng không có hình thức khen thưởng này."


class UnknownOrgUnit(DomainError):
    code = "unknown-org-unit"
    title = "Unknown organisation unit"
    title_vi = "Không có đơn vị này"
    explanation = "The organisation tree of the policy in force has no such unit."
    explanation_vi = "Sơ đồ tổ chức đang áp dụng không có đơn vị này."


class NomineeNotEligible(DomainError):
    code = "nominee-not-eligible"
    title = "This kind of nominee cannot receive this award"
    title_vi = "Đối tượng này không thuộc diện được đề nghị hình thức khen thưởng này"
    explanation = "The award is not given to this kind of nominee."
    explanation_vi = ("Hình thức khen thưởng này không dành cho loại đối tượng được đề nghị "
                      "(cá nhân, tập thể hoặc hộ gia đình).")


class WrongLevel(DomainError):
    code = "wrong-level"
    title = "The action does not belong at this level"
    title_vi = "Việc này không thuộc thẩm quyền của cấp này"
    explanation = "A unit at this level cannot propose or act on this award."
    explanation_vi = "Đơn vị ở cấp này không đề nghị hoặc xử lý được hình thức khen thưởng này."


class WrongRole(DomainError):
    code = "wrong-role"
    title = "Your role does not allow this action"
    title_vi = "Vai trò của bạn không được thực hiện việc này"
    explanation = "Your account does not hold the role this action needs."
    explanation_vi = "Tài khoản của bạn không có vai trò cần thiết cho thao tác này."


class WrongTaskKind(DomainError):
    code = "wrong-task-kind"
    title = "This task does not take that action"
    title_vi = "Việc này không nhận thao tác đó"
    explanation = "A council review takes a vote; a decision task takes a decision."
    explanation_vi = ("Việc xét duyệt của Hội đồng nhận kết quả biểu quyết; việc quyết định "
                      "nhận quyết định khen thưởng.")


class TaskClosed(DomainError):
    code = "task-closed"
    title = "The task is already closed"
    title_vi = "Việc này đã được xử lý xong"
    explanation = "Someone already acted on this task; nothing was recorded."
    explanation_vi = "Việc này đã có người xử lý; không ghi nhận gì thêm."


class InvalidVoteTally(DomainError):
    code = "invalid-vote-tally"
    title = "The council's vote tally is not consistent"
    title_vi = "Kết quả kiểm phiếu của Hội đồng không hợp lệ"
    explanation = "Members ≥ present ≥ votes for + against + abstaining."
    explanation_vi = ("Số thành viên ≥ số có mặt ≥ số phiếu đồng ý + không đồng ý + "
                      "không biểu quyết.")


class InvalidTransition(DomainError):
    code = "invalid-transition"
    title = "The nomination is not in a state that allows this"
    title_vi = "Hồ sơ đề nghị đang ở bước không cho phép việc này"
    explanation = "The nomination's current status does not allow this action."
    explanation_vi = "Trạng thái hiện tại của hồ sơ đề nghị không cho phép thao tác này."


class PolicyError(DomainError):
    """A policy document is wrong at ``where`` (a path such as ``awards[3].chain``)."""

    code = "invalid-policy"
    title = "The policy data is not valid"
    title_vi = "Dữ liệu chính sách không hợp lệ"
    explanation = "The policy file does not describe a process Laurel can run."
    explanation_vi = "Tệp chính sách không mô tả được quy trình mà Laurel áp dụng."

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what


class StaleVersion(DomainError):
    """The caller acted on a version of the nomination that is no longer the latest
    (``If-Match``): nothing was recorded."""

    code = "stale-version"
    title = "The nomination has changed since the version you acted on"
    title_vi = "Hồ sơ đề nghị đã thay đổi kể từ phiên bản bạn xem"
    explanation = "Read the nomination again, then act on its current version."
    explanation_vi = ("Hồ sơ đã có thay đổi sau khi bạn mở; hãy tải lại hồ sơ rồi thực hiện "
                      "lại. Chưa ghi nhận gì.")


class IdempotencyKeyReused(DomainError):
    """An idempotency key already used for another request by the same person."""

    code = "idempotency-key-reused"
    title = "This idempotency key was used for another request"
    title_vi = "Khóa chống gửi trùng này đã được dùng cho một yêu cầu khác"
    explanation = "Use a new Idempotency-Key for a new request."
    explanation_vi = "Mỗi yêu cầu mới cần một khóa Idempotency-Key mới."


class ConcurrentChange(DomainError):
    code = "concurrent-change"
    title = "Someone else changed this nomination at the same moment"
    title_vi = "Có người khác vừa thay đổi hồ sơ này cùng lúc"
    explanation = "Reload the nomination and try again; nothing was recorded."
    explanation_vi = "Hãy tải lại hồ sơ rồi thử lại; chưa ghi nhận gì."


class QuorumNotMet(DomainError):
    code = "quorum-not-met"
    title = "Too few council members were present to vote"
    title_vi = "Không đủ số thành viên Hội đồng có mặt để biểu quyết"
    explanation = "The council's vote needs its quorum of members present."
    explanation_vi = "Phiên họp của Hội đồng cần đủ số thành viên có mặt theo quy định."


class OutcomeContradictsTally(DomainError):
    code = "outcome-contradicts-tally"
    title = "The recorded outcome is not what the ballot gives"
    title_vi = "Kết quả ghi nhận không khớp với kết quả bỏ phiếu"
    explanation = "The outcome must be the one the ballot gives under the vote rule."
    explanation_vi = "Kết quả ghi nhận phải đúng với kết quả bỏ phiếu theo quy tắc biểu quyết."


class ProcedureNotOffered(DomainError):
    code = "procedure-not-offered"
    title = "This award is not given under that procedure"
    title_vi = "Hình thức khen thưởng này không áp dụng thủ tục đó"
    explanation = "The award catalogue lists the procedures each award offers."
    explanation_vi = "Danh mục khen thưởng nêu các thủ tục áp dụng cho từng hình thức."


class NotInPublicNotice(DomainError):
    code = "not-in-public-notice"
    title = "The nomination is not open for objections"
    title_vi = "Hồ sơ đề nghị không trong thời gian lấy ý kiến"
    explanation = "Objections are taken during the public notice only."
    explanation_vi = "Chỉ nhận ý kiến phản ánh trong thời gian công khai, lấy ý kiến."


class WrongConfirmationCode(DomainError):
    """A code typed back that is not the one sent to the objector's address."""

    code = "wrong-confirmation-code"
    title = "That is not the code sent to the objector's e-mail address"
    title_vi = "Mã xác nhận không đúng với mã đã gửi tới địa chỉ e-mail của người phản ánh"
    explanation = ("Type the 6-digit code from the e-mail; after a few wrong codes the "
                   "objection can no longer be confirmed.")
    explanation_vi = ("Hãy nhập đúng mã 6 chữ số trong thư; nhập sai quá số lần cho phép thì "
                      "ý kiến phản ánh không xác nhận được nữa.")


class ConfirmationLocked(DomainError):
    code = "confirmation-locked"
    title = "Too many wrong codes: this objection can no longer be confirmed"
    title_vi = "Nhập sai mã quá số lần cho phép: ý kiến phản ánh này không xác nhận được nữa"
    explanation = ("The objection stays on file and holds nothing; lodge it again to get a "
                   "new code.")
    explanation_vi = ("Ý kiến phản ánh vẫn được lưu nhưng không làm tạm dừng hồ sơ; hãy gửi "
                      "lại ý kiến để nhận mã mới.")


class ConfirmationExpired(DomainError):
    code = "confirmation-expired"
    title = "There is no valid code for this objection"
    title_vi = "Ý kiến phản ánh này không còn mã xác nhận hợp lệ"
    explanation = ("The code has expired, or none was sent (no e-mail address was given); "
                   "lodge the objection again with an e-mail address.")
    explanation_vi = ("Mã đã hết hạn, hoặc chưa từng được gửi (không có địa chỉ e-mail); hãy "
                      "gửi lại ý kiến phản ánh kèm địa chỉ e-mail.")


class InvalidDecisionDate(DomainError):
    """A decision dated after the day it is recorded, or before what it decides on."""

    code = "invalid-decision-date"
    title = "The decision's date is not possible"
    title_vi = "Ngày quyết định không hợp lệ"
    explanation = ("A decision is dated no later than today (Vietnam's calendar) and no "
                   "earlier than the proposal, or, revoking an award, than the award's "
                   "decision.")
    explanation_vi = ("Ngày quyết định không được sau ngày hôm nay (theo giờ Việt Nam) và "
                      "không được trước ngày đề nghị; quyết định thu hồi không được trước "
                      "ngày quyết định khen thưởng.")


class WrongAuthority(DomainError):
    code = "wrong-authority"
    title = "That authority does not decide this award"
    title_vi = "Người có thẩm quyền này không quyết định hình thức khen thưởng này"
    explanation = "The award catalogue names the authority that decides each award."
    explanation_vi = ("Danh mục khen thưởng quy định người có thẩm quyền quyết định từng "
                      "hình thức khen thưởng.")


class BulkItemRefused(DomainError):
    """One item of a list was refused; nothing of the list was recorded."""

    code = "bulk-item-refused"
    title = "An item of the list was refused, so none was recorded"
    title_vi = "Một mục trong danh sách bị từ chối nên cả danh sách không được ghi nhận"
    explanation = "Nothing of the list was recorded: correct the item and send it again."
    explanation_vi = "Chưa ghi nhận mục nào: hãy sửa mục bị từ chối rồi gửi lại cả danh sách."

    def __init__(self, index: int, error: DomainError) -> None:
        super().__init__(f"items[{index}]: {error.detail}",
                         vi=f"Mục thứ {index + 1} (items[{index}]): {error.detail_vi}")
        self.index = index
        self.error = error

    def in_language(self, language: str) -> tuple[str, str]:
        """The item's own title, with the detail naming the item."""
        title = self.error.in_language(language)[0]
        return title, self.detail_vi if language == "vi" else self.detail


# -- eligibility and duplicates ---------------------------------------------------------


class NotEligible(DomainError):
    """Rules of the award that the nominee fails, each named and explained; the proposal
    (or the council's approval) is refused unless an ``override_reason`` is given."""

    code = "not-eligible"
    title = "The nominee does not meet the award's conditions"
    title_vi = "Người được đề nghị chưa đủ điều kiện, tiêu chuẩn của hình thức khen thưởng"
    explanation = ("Each failed check is named with its explanation, the awards or facts it "
                   "used and its legal basis. Correct the history, or give an "
                   "override_reason, which is recorded and shown to every later reviewer.")
    explanation_vi = ("Mỗi điều kiện chưa đạt được nêu kèm giải thích, căn cứ (khen thưởng, "
                      "sự việc đã ghi nhận) và cơ sở pháp lý. Hãy bổ sung lịch sử khen "
                      "thưởng, hoặc nêu lý do đề nghị (override_reason): lý do được ghi "
                      "nhận và hiển thị cho mọi cấp xét duyệt sau.")

    def __init__(self, detail: str, vi: str = "", *,
                 failed: list[dict[str, object]] | None = None) -> None:
        super().__init__(detail, vi=vi)
        self.failed = failed or []
        """Each failed check as ``Check.to_dict`` gives it (both languages)."""


class DuplicateNomination(DomainError):
    code = "duplicate-nomination"
    title = "This nominee is already proposed for this award and year"
    title_vi = "Người được đề nghị đã có hồ sơ đề nghị hình thức khen thưởng này cho năm này"
    explanation = ("One person is proposed once for one award and year: the nomination named "
                   "is still in progress, or was awarded.")
    explanation_vi = ("Mỗi người chỉ được đề nghị một lần cho một hình thức khen thưởng trong "
                      "một năm: hồ sơ được nêu đang được xét hoặc đã được khen thưởng.")

    def __init__(self, detail: str, vi: str = "", *, nomination_id: str = "",
                 tracking_code: str = "") -> None:
        super().__init__(detail, vi=vi)
        self.nomination_id = nomination_id
        self.tracking_code = tracking_code


class NomineeNotRegistered(DomainError):
    code = "nominee-not-registered"
    title = "The nominee must be chosen from the register"
    title_vi = "Phải chọn người được đề nghị từ danh sách cá nhân, tập thể"
    explanation = ("The policy names the kinds of nominee that may be proposed by name only "
                   "(a household, say); anyone else is proposed by nominee.person_id, so "
                   "that their history is checked.")
    explanation_vi = ("Quy định chỉ cho phép ghi tên trực tiếp với một số đối tượng (ví dụ hộ "
                      "gia đình); các đối tượng khác phải chọn từ danh sách (nominee.person_id) "
                      "để kiểm tra lịch sử khen thưởng.")


class InvalidYear(DomainError):
    code = "invalid-year"
    title = "The year of the achievements is not possible"
    title_vi = "Năm thành tích không hợp lệ"
    explanation = "A nomination's year is the year its achievements belong to: not a later one."
    explanation_vi = "Năm đề nghị là năm của thành tích, không thể là năm sau năm hiện tại."


class MissingDocuments(DomainError):
    code = "missing-documents"
    title = "The dossier lacks documents the award requires"
    title_vi = "Hồ sơ thiếu tài liệu bắt buộc của hình thức khen thưởng"
    explanation = ("The policy names the documents each award's dossier holds as files "
                   "(Law on Emulation and Commendation, Art. 84): upload them "
                   "(POST /documents) and refer to them by id with their kind.")
    explanation_vi = ("Quy định nêu các tài liệu bắt buộc của hồ sơ từng hình thức khen "
                      "thưởng (Điều 84 Luật Thi đua, khen thưởng): hãy tải tệp lên "
                      "(POST /documents) và gắn vào hồ sơ theo mã, kèm loại tài liệu.")

    def __init__(self, detail: str, vi: str = "", *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(detail, vi=vi)
        self.missing = missing
        """The kinds of document missing."""


# -- the register of people and collectives -------------------------------------------


class InvalidNationalId(DomainError):
    code = "invalid-national-id"
    title = "The national ID (CCCD) is not valid"
    title_vi = "Số căn cước công dân (CCCD) không hợp lệ"
    explanation = ("A CCCD is 12 digits: a province code (001–096), a digit for the century "
                   "of birth and the gender, the year of birth's last two digits, then six "
                   "more; it must agree with the date of birth and gender given.")
    explanation_vi = ("Số CCCD gồm 12 chữ số: mã tỉnh (001–096), một chữ số chỉ thế kỷ sinh "
                      "và giới tính, hai số cuối của năm sinh, rồi sáu chữ số; phải khớp với "
                      "ngày sinh và giới tính đã khai.")


class InvalidPersonData(DomainError):
    code = "invalid-person"
    title = "The person's or collective's details are not valid"
    title_vi = "Thông tin cá nhân hoặc tập thể không hợp lệ"
    explanation = "A name, a date of birth, a gender or a unit given is not possible."
    explanation_vi = "Họ tên, ngày sinh, giới tính hoặc đơn vị đã khai không hợp lệ."


class PersonAlreadyRegistered(DomainError):
    code = "person-already-registered"
    title = "This person or collective is in the register already"
    title_vi = "Người hoặc tập thể này đã có trong danh sách"
    explanation = ("One national ID is one person, across years and units: find them "
                   "instead of registering them again.")
    explanation_vi = ("Mỗi số CCCD là một người, qua các năm và các đơn vị: hãy tìm người đó "
                      "thay vì đăng ký lại.")


class InvalidAwardRecord(DomainError):
    code = "invalid-award-record"
    title = "The award record is not valid"
    title_vi = "Thông tin khen thưởng không hợp lệ"
    explanation = ("An award held names a catalogue award, its year, and the decision's "
                   "number, date and issuer; the same decision is recorded once.")
    explanation_vi = ("Mỗi khen thưởng ghi rõ hình thức trong danh mục, năm, số quyết định, "
                      "ngày quyết định và cơ quan ban hành; mỗi quyết định chỉ ghi nhận một "
                      "lần.")


class UnreadableSheet(DomainError):
    code = "unreadable-sheet"
    title = "The spreadsheet cannot be read"
    title_vi = "Không đọc được tệp bảng tính"
    explanation = ("Send a CSV or XLSX file within the limits, with a header row naming its "
                   "columns ('Họ và tên', 'Số CCCD'…).")
    explanation_vi = ("Hãy gửi tệp CSV hoặc XLSX trong giới hạn cho phép, có dòng tiêu đề "
                      "ghi tên các cột ('Họ và tên', 'Số CCCD'…).")


class ImportRefused(DomainError):
    """Rows of an imported sheet were refused, each named; nothing was recorded."""

    code = "import-refused"
    title = "Rows of the sheet were refused, so nothing was recorded"
    title_vi = "Có dòng trong tệp bị từ chối nên không ghi nhận dòng nào"
    explanation = "Correct every row named, then send the whole sheet again."
    explanation_vi = "Hãy sửa các dòng được nêu rồi gửi lại cả tệp."

    def __init__(self, rows: list[tuple[int, DomainError]]) -> None:
        super().__init__(
            "; ".join(f"row {row}: {error.detail}" for row, error in rows),
            vi="; ".join(f"Dòng {row}: {error.detail_vi}" for row, error in rows))
        self.rows = rows


# -- the register's substance for eligibility: facts, service, initiatives --------------


class InvalidFact(DomainError):
    code = "invalid-fact"
    title = "The fact recorded is not valid"
    title_vi = "Thông tin sự việc (kỷ luật, điều tra, thanh tra, khiếu nại) không hợp lệ"
    explanation = ("A fact names its kind (discipline, investigation, inspection, "
                   "unresolved complaint), the day it started (not in the future), the day "
                   "it ended if it has, and the document or decision it is recorded from.")
    explanation_vi = ("Mỗi sự việc ghi rõ loại (kỷ luật, điều tra, thanh tra, kiểm tra, khiếu "
                      "nại tố cáo chưa giải quyết xong), ngày bắt đầu (không sau hôm nay), ngày "
                      "kết thúc nếu đã kết thúc, và văn bản, quyết định làm căn cứ ghi nhận.")


class FactAlreadyEnded(DomainError):
    code = "fact-already-ended"
    title = "The fact has ended already"
    title_vi = "Sự việc này đã được ghi nhận kết thúc"
    explanation = "A fact ends once; a wrong end is set right by recording the fact again."
    explanation_vi = ("Mỗi sự việc chỉ ghi nhận kết thúc một lần; nếu ghi sai, hãy ghi nhận "
                      "lại sự việc.")


class InvalidService(DomainError):
    code = "invalid-service"
    title = "The start of service is not valid"
    title_vi = "Ngày bắt đầu công tác không hợp lệ"
    explanation = ("Service starts on a day no later than today and after the person's "
                   "birth, recorded from the document that shows it (a recruitment "
                   "decision, an appointment).")
    explanation_vi = ("Ngày bắt đầu công tác không được sau hôm nay và phải sau ngày sinh, "
                      "ghi nhận theo văn bản chứng minh (quyết định tuyển dụng, bổ nhiệm).")


class InvalidInitiative(DomainError):
    code = "invalid-initiative"
    title = "The initiative is not valid"
    title_vi = "Thông tin sáng kiến không hợp lệ"
    explanation = ("An initiative has a title, at least one author of the register (one of "
                   "them of your units), the day it was recognised (not in the future) and "
                   "the decision that recognised it.")
    explanation_vi = ("Sáng kiến phải có tên, ít nhất một tác giả có trong danh sách cá nhân "
                      "(trong đó có người thuộc đơn vị của bạn), ngày được công nhận (không sau "
                      "hôm nay) và quyết định công nhận.")


# -- decisions as records ----------------------------------------------------------------


class DecisionNumberUsed(DomainError):
    code = "decision-number-used"
    title = "That decision number is already used in the unit's register"
    title_vi = "Số quyết định này đã được sử dụng trong sổ của đơn vị"
    explanation = ("A number of the issuing unit's register names one decision: take the "
                   "next free number of the register. Nothing was recorded.")
    explanation_vi = ("Mỗi số trong sổ quyết định của đơn vị chỉ dùng cho một quyết định: "
                      "hãy lấy số tiếp theo còn trống trong sổ. Chưa ghi nhận gì.")


class MixedAuthorities(DomainError):
    code = "mixed-authorities"
    title = "The decision's nominations are decided by different authorities"
    title_vi = "Các hồ sơ trong quyết định thuộc thẩm quyền quyết định khác nhau"
    explanation = ("One decision is issued under one authority: list in it only awards that "
                   "authority decides, and the others in a decision of their own.")
    explanation_vi = ("Một quyết định chỉ do một người có thẩm quyền ban hành: chỉ đưa vào "
                      "các hình thức khen thưởng thuộc thẩm quyền đó; các hồ sơ khác lập "
                      "quyết định riêng.")


class InvalidDocument(DomainError):
    code = "invalid-document"
    title = "The document cannot be recorded"
    title_vi = "Không ghi nhận được tài liệu"
    explanation = ("A document is a PDF, PNG, JPEG, DOCX or XLSX file of at least one byte, "
                   "recorded with its SHA-256 and a file name.")
    explanation_vi = ("Tài liệu phải là tệp PDF, PNG, JPEG, DOCX hoặc XLSX có nội dung, được "
                      "ghi nhận cùng mã băm SHA-256 và tên tệp.")


# -- certificates --------------------------------------------------------------------------


class NotAwarded(DomainError):
    code = "not-awarded"
    title = "The nomination holds no award to certify"
    title_vi = "Hồ sơ không có khen thưởng để cấp giấy chứng nhận"
    explanation = ("A certificate is issued for an awarded nomination only: not before its "
                   "decision, not for one not awarded, withdrawn or revoked.")
    explanation_vi = ("Chỉ cấp giấy chứng nhận cho hồ sơ đã có quyết định khen thưởng: không "
                      "cấp trước khi có quyết định, cho hồ sơ không được khen thưởng, đã rút "
                      "hoặc đã bị thu hồi.")


class NoCertificateYet(DomainError):
    code = "no-certificate-yet"
    title = "No certificate has been issued to replace"
    title_vi = "Chưa cấp giấy chứng nhận nào để cấp lại"
    explanation = ("A certificate is reissued only after it was first issued "
                   "(GET /nominations/{id}/certificate issues it).")
    explanation_vi = ("Chỉ cấp lại giấy chứng nhận đã được cấp (giấy chứng nhận được cấp "
                      "lần đầu khi tải GET /nominations/{id}/certificate).")


# -- assignment, return reasons, lower forms ------------------------------------------------


class TaskAlreadyClaimed(DomainError):
    code = "task-already-claimed"
    title = "Someone else holds this task"
    title_vi = "Việc này đang do người khác giữ"
    explanation = ("A task held by someone is not taken from them: ask them to hand it over, "
                   "or ask the head of the unit to reassign it.")
    explanation_vi = ("Không lấy việc đang do người khác giữ: hãy đề nghị người đó chuyển "
                      "lại, hoặc đề nghị lãnh đạo đơn vị giao lại.")


class UnknownReturnReason(DomainError):
    code = "unknown-return-reason"
    title = "Unknown return reason"
    title_vi = "Không có lý do trả lại này"
    explanation = ("A return's reason is a code of the policy's catalogue of return reasons "
                   "(GET /policy), given with a return only.")
    explanation_vi = ("Lý do trả lại phải là một mã trong danh mục lý do trả lại của quy định "
                      "đang áp dụng, và chỉ ghi khi trả lại hồ sơ.")


class NotALowerForm(DomainError):
    code = "not-a-lower-form"
    title = "The award cannot be granted instead"
    title_vi = "Không thể khen thưởng bằng hình thức này thay cho hình thức đề nghị"
    explanation = ("A decider may grant, instead of the award proposed, one of the lower forms "
                   "the policy lists for it, for the same kind of nominee, when awarding.")
    explanation_vi = ("Người có thẩm quyền chỉ có thể khen thưởng bằng một hình thức thấp hơn "
                      "mà quy định liệt kê cho hình thức đề nghị, cùng loại đối tượng, khi "
                      "quyết định khen thưởng.")


class InvalidDelegation(DomainError):
    code = "invalid-delegation"
    title = "The delegation cannot be recorded"
    title_vi = "Không ghi nhận được việc ủy quyền"
    explanation = ("A person delegates their tasks to another person of the same unit, until "
                   "a later moment; only they, or the unit's head, record it.")
    explanation_vi = ("Một người ủy quyền các việc của mình cho người khác cùng đơn vị, đến một "
                      "thời điểm sau hiện tại; chỉ người đó hoặc lãnh đạo đơn vị ghi nhận.")


class UnknownAgency(DomainError):
    code = "unknown-agency"
    title = "This agency is not consulted on this nomination"
    title_vi = "Cơ quan này không được lấy ý kiến hiệp y về hồ sơ này"
    explanation = ("An answer is recorded for one of the agencies the consultation asked, "
                   "once, while the consultation is open.")
    explanation_vi = ("Chỉ ghi ý kiến của một trong các cơ quan được lấy ý kiến hiệp y, mỗi "
                      "cơ quan một lần, khi việc lấy ý kiến còn mở.")


class BallotNotTheRoster(DomainError):
    code = "ballot-not-the-roster"
    title = "The ballot's members are not the council's roster"
    title_vi = "Số thành viên trong phiếu không khớp với danh sách Hội đồng"
    explanation = ("Where the policy gives the reviewing unit's council a roster for the day, "
                   "a ballot's members are the roster's members less those who step aside "
                   "from the nomination (a member who is its nominee or its proposer); leave "
                   "`members` out, or give that count (GET /councils/{unit_id}).")
    explanation_vi = ("Khi quy định có danh sách Hội đồng của đơn vị xét trong ngày họp, tổng "
                      "số thành viên của phiếu là số thành viên trong danh sách trừ những người "
                      "không tham gia xét hồ sơ này (thành viên là người được đề nghị hoặc "
                      "người đề nghị); bỏ trống số thành viên, hoặc nhập đúng số đó.")


class OutsideIntakeWindow(DomainError):
    code = "outside-intake-window"
    title = "Proposals are not taken now"
    title_vi = "Ngoài thời hạn nhận hồ sơ đề nghị"
    explanation = ("Each award, kind of commendation and movement takes proposals within a "
                   "window the policy or the movement's decision sets (a state award's "
                   "dossiers by the end of January, an ad-hoc commendation some days before "
                   "its ceremony): the rule is cited.")
    explanation_vi = ("Mỗi hình thức, loại hình khen thưởng và phong trào chỉ nhận hồ sơ trong "
                      "thời hạn quy định hoặc quyết định phát động nêu (hồ sơ khen thưởng cấp "
                      "Nhà nước trước cuối tháng Một, khen thưởng đột xuất trước lễ trao một số "
                      "ngày): quy định được trích dẫn.")

    def __init__(self, detail: str, vi: str = "", *, rule: str = "") -> None:
        super().__init__(detail, vi=vi)
        self.rule = rule


class NotInMovement(DomainError):
    code = "not-in-movement"
    title = "Not a proposal this movement takes"
    title_vi = "Phong trào không xét đề nghị này"
    explanation = ("A movement takes proposals from the units of its scope, for the forms of "
                   "award it offers.")
    explanation_vi = ("Phong trào chỉ xét đề nghị của các đơn vị trong phạm vi, với các hình "
                      "thức khen thưởng phong trào đề ra.")


class InvalidMovement(DomainError):
    code = "invalid-movement"
    title = "The movement cannot be recorded so"
    title_vi = "Không ghi nhận được phong trào như vậy"
    explanation = ("A movement has a name, the decision that launched it, a scope of units "
                   "of the launching unit, its period, the forms of award it offers and a "
                   "dossier window; only its unit closes it, once, with a result.")
    explanation_vi = ("Phong trào cần có tên, quyết định phát động, phạm vi đơn vị thuộc đơn vị "
                      "phát động, thời gian, hình thức khen thưởng và thời hạn nhận hồ sơ; chỉ "
                      "đơn vị phát động tổng kết phong trào, một lần, nêu kết quả.")


class ClusterAlreadyDefined(DomainError):
    code = "cluster-already-defined"
    title = "This cluster is defined already for that year"
    title_vi = "Cụm, khối thi đua này đã được lập cho năm đó"
    explanation = "A cluster or block is defined once a year, by its code."
    explanation_vi = "Mỗi cụm, khối thi đua được lập một lần mỗi năm, theo mã của cụm, khối."


class InvalidCluster(DomainError):
    code = "invalid-cluster"
    title = "The cluster cannot be defined so"
    title_vi = "Không lập được cụm, khối thi đua như vậy"
    explanation = ("A cluster or block has a code, a name, a kind (cluster or block), a year, "
                   "at least two member units within the defining unit, and a leader among "
                   "them.")
    explanation_vi = ("Cụm, khối thi đua cần mã, tên, loại (cụm hoặc khối), năm, ít nhất hai "
                      "đơn vị thành viên thuộc đơn vị lập cụm, và trưởng cụm là một trong số "
                      "đó.")


class ClusterStepOutOfOrder(DomainError):
    code = "cluster-step-out-of-order"
    title = "This step of the cluster is not due now"
    title_vi = "Chưa đến hoặc đã qua bước này của cụm, khối thi đua"
    explanation = ("A cluster's year goes in order: the pact signed, the criteria published, "
                   "each member's self-assessment, the scores of each approval step, the "
                   "ranking, the flag proposed; each once.")
    explanation_vi = ("Việc của cụm, khối đi theo thứ tự: ký giao ước, công bố tiêu chí, các "
                      "đơn vị tự chấm điểm, các bước chấm điểm, công bố xếp hạng, đề nghị Cờ "
                      "thi đua; mỗi việc một lần.")


class InvalidClusterPoints(DomainError):
    code = "invalid-cluster-points"
    title = "The criteria or points are not valid"
    title_vi = "Tiêu chí hoặc điểm chấm không hợp lệ"
    explanation = ("Each criterion has a code of its own and a maximum; points are given for "
                   "every criterion published and every member, from 0 to the maximum.")
    explanation_vi = ("Mỗi tiêu chí có mã riêng và điểm tối đa; điểm được chấm cho mọi tiêu chí "
                      "đã công bố và mọi đơn vị thành viên, từ 0 đến điểm tối đa.")


class InvalidRegistration(DomainError):
    code = "invalid-registration"
    title = "The registration cannot be recorded so"
    title_vi = "Không ghi nhận được đăng ký thi đua như vậy"
    explanation = ("A person or collective of the register registers, through their unit's "
                   "clerk, for titles of the catalogue, for this year or a later one; only a "
                   "title registered can be withdrawn.")
    explanation_vi = ("Cá nhân, tập thể trong danh sách đăng ký thi đua qua văn thư đơn vị, "
                      "với danh hiệu trong danh mục, cho năm nay hoặc năm sau; chỉ rút được "
                      "danh hiệu đã đăng ký.")
