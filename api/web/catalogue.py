"""Every label of the pages, in Vietnamese and English: one catalogue. Statuses, event
names and award names come from ``api.labels`` and the policy, which the API shares."""

from __future__ import annotations

from domain.actor import ROLE_NAMES
from domain.policy import NOMINEE_KIND_NAMES, PROCEDURE_NAMES
from domain.vocabulary import OUTCOME_NAMES

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("Laurel — Thi đua, Khen thưởng", "Laurel — Emulation and commendation"),
    "nav.skip": ("Bỏ qua, đến nội dung chính", "Skip to the main content"),
    "nav.inbox": ("Việc cần xử lý", "Inbox"),
    "nav.nominations": ("Hồ sơ của đơn vị", "My unit's nominations"),
    "nav.new_proposal": ("Đề nghị mới", "New proposal"),
    "nav.track": ("Tra cứu hồ sơ", "Track a nomination"),
    "nav.dashboard": ("Thống kê", "Dashboard"),
    "nav.audit": ("Kiểm tra", "Audit"),
    "nav.sign_in": ("Đăng nhập", "Sign in"),
    "nav.sign_out": ("Đăng xuất", "Sign out"),
    "nav.language": ("Ngôn ngữ", "Language"),
    "nav.main": ("Điều hướng chính", "Main navigation"),
    "signed_in_as": ("Đang đăng nhập", "Signed in as"),
    "login.title": ("Đăng nhập", "Sign in"),
    "login.username": ("Tên đăng nhập", "Username"),
    "login.password": ("Mật khẩu", "Password"),
    "login.submit": ("Đăng nhập", "Sign in"),
    "login.oidc": ("Đăng nhập bằng tài khoản của cơ quan",
                   "Sign in with your organisation's account"),
    "login.failed": ("Tên đăng nhập hoặc mật khẩu không đúng.",
                     "Wrong username or password."),
    "error.title": ("Không thực hiện được", "This could not be done"),
    "error.csrf": ("Phiên làm việc đã hết hạn; vui lòng tải lại trang và thử lại.",
                   "Your session expired; reload the page and try again."),
    "error.role": ("Vai trò của bạn không cho phép thao tác này.",
                   "Your role does not allow this."),
    "inbox.title": ("Việc cần xử lý của đơn vị", "Your unit's inbox"),
    "inbox.empty": ("Không có việc nào đang chờ.", "Nothing is waiting."),
    "inbox.filter": ("Lọc", "Filter"),
    "inbox.all": ("Tất cả", "All"),
    "inbox.meeting": ("Ghi kết quả phiên họp cho các hồ sơ đã chọn",
                      "Record a meeting's outcome for the selected nominations"),
    "inbox.select": ("Chọn", "Select"),
    "task.kind.review": ("Xét duyệt", "Council review"),
    "task.kind.decision": ("Quyết định", "Decision"),
    "task.kind.objection": ("Xác minh phản ánh", "Objection"),
    "col.nominee": ("Người/tập thể được đề nghị", "Nominee"),
    "col.award": ("Hình thức khen thưởng", "Award"),
    "col.level": ("Cấp", "Level"),
    "col.kind": ("Loại việc", "Task"),
    "col.due": ("Hạn", "Due"),
    "col.status": ("Trạng thái", "Status"),
    "col.code": ("Mã tra cứu", "Tracking code"),
    "col.when": ("Thời gian", "When"),
    "col.step": ("Bước", "Step"),
    "col.actor": ("Người thực hiện", "By"),
    "col.votes": ("Kết quả bỏ phiếu", "Votes"),
    "col.rule": ("Quy tắc", "Rule"),
    "col.unit": ("Đơn vị", "Unit"),
    "col.count": ("Số lượng", "Count"),
    "due.overdue": ("Quá hạn", "Overdue"),
    "due.soon": ("Sắp đến hạn", "Due soon"),
    "level.unit": ("Cơ sở", "Unit"),
    "level.district": ("Cấp huyện", "District"),
    "level.province": ("Cấp tỉnh", "Province"),
    "level.central": ("Trung ương", "Central"),
    "dossier.title": ("Hồ sơ đề nghị", "Nomination dossier"),
    "dossier.achievements": ("Thành tích", "Achievements"),
    "dossier.documents": ("Tài liệu", "Documents"),
    "dossier.history": ("Quá trình xử lý", "What happened"),
    "review.title": ("Ghi kết quả họp Hội đồng", "Record the council's vote"),
    "review.members": ("Tổng số thành viên", "Members"),
    "review.present": ("Số có mặt", "Present"),
    "review.for": ("Đồng ý", "For"),
    "review.against": ("Không đồng ý", "Against"),
    "review.abstain": ("Không biểu quyết", "Abstaining"),
    "review.outcome": ("Kết quả", "Outcome"),
    "review.note": ("Ghi chú của Hội đồng", "Council's note"),
    "review.note_public": ("Khi trả lại hồ sơ, ghi chú này là lý do trả lại và được hiển thị "
                           "trên trang tra cứu công khai: không ghi thông tin cá nhân.",
                           "When the dossier is returned, this note is the reason, shown on "
                           "the public tracking page: write no personal details."),
    "review.submit": ("Ghi kết quả", "Record"),
    **{f"outcome.{code}": (name.vi, name.en) for code, name in OUTCOME_NAMES.items()},
    "decision.title": ("Quyết định khen thưởng", "The decision"),
    "decision.number": ("Số quyết định", "Decision number"),
    "decision.date": ("Ngày quyết định", "Decision date"),
    "decision.signer": ("Người ký", "Signed by"),
    "decision.submit": ("Ghi quyết định", "Record the decision"),
    "meeting.title": ("Kết quả phiên họp", "A meeting's outcome"),
    "meeting.summary": ("Kiểm tra lại trước khi ghi: {count} hồ sơ, kết quả như sau.",
                        "Check before recording: {count} nominations, outcomes below."),
    "meeting.confirm": ("Xác nhận và ghi", "Confirm and record"),
    "meeting.none": ("Chưa chọn hồ sơ nào.", "No nomination was selected."),
    "proposal.title": ("Tờ trình đề nghị khen thưởng", "A proposal for commendation"),
    "proposal.award": ("Hình thức khen thưởng", "Award"),
    "proposal.nominee": ("Người được đề nghị {n}", "Nominee {n}"),
    "proposal.name": ("Họ và tên / tên tập thể", "Name (person or collective)"),
    "proposal.kind": ("Đối tượng", "Kind of nominee"),
    "proposal.individual": ("Cá nhân", "Individual"),
    "proposal.collective": ("Tập thể", "Collective"),
    "proposal.direct_worker": ("Người trực tiếp lao động, sản xuất",
                               "Works directly in production"),
    "proposal.achievements": ("Tóm tắt thành tích", "Achievements in short"),
    "proposal.add_row": ("Thêm người được đề nghị", "Add a nominee"),
    "proposal.submit": ("Gửi đề nghị", "Submit the proposal"),
    "proposal.sent": ("Đã gửi đề nghị. Mã tra cứu của từng người:",
                      "The proposal was sent. Each nominee's tracking code:"),
    "proposal.import": ("Nhập từ bảng tính (CSV, XLSX)",
                        "Import from a spreadsheet (CSV, XLSX)"),
    "proposal.import_file": ("Tệp CSV hoặc XLSX với dòng tiêu đề: Họ và tên, Loại (Cá nhân, "
                             "Tập thể, Hộ gia đình), Thành tích, Chức vụ/Đơn vị, Người trực "
                             "tiếp lao động — theo thứ tự bất kỳ",
                             "A CSV or XLSX file with a header row: name, kind (individual, "
                             "collective, household), achievements, position, direct worker "
                             "— in any order"),
    "proposal.unreadable": ("Không đọc được tệp này như một bảng tính.",
                            "This file could not be read as a spreadsheet."),
    "proposal.too_large.rows": ("Bảng tính liệt kê hơn {rows} người/tập thể, quá số một tờ "
                                "trình nhận: hãy tách thành nhiều tờ trình. Chưa đọc dòng nào.",
                                "The sheet lists more than {rows} nominees, more than one "
                                "proposal takes: split it. No row was read."),
    "proposal.too_large.bytes": ("Tệp lớn hơn {megabytes} MB: hãy bỏ bớt hình ảnh hoặc trang "
                                 "tính không cần. Chưa đọc dòng nào.",
                                 "The file is larger than {megabytes} MB: leave out pictures or "
                                 "sheets it does not need. No row was read."),
    "proposal.too_large.unpacked": ("Bảng tính khi giải nén lớn hơn {unpacked} MB, quá lớn "
                                    "đối với một danh sách đề nghị. Chưa đọc dòng nào.",
                                    "Unpacked, the workbook is larger than {unpacked} MB, too "
                                    "large for a list of nominees. No row was read."),
    "proposal.import_check": ("Kiểm tra tệp", "Check the file"),
    "proposal.row_error": ("Dòng {row}: {error}", "Row {row}: {error}"),
    "proposal.empty_name": ("thiếu họ tên", "the name is missing"),
    "withdraw.reason": ("Lý do rút đề nghị", "Why it is withdrawn"),
    "withdraw.submit": ("Rút đề nghị", "Withdraw"),
    "supplement.submit": ("Gửi hồ sơ bổ sung", "Send the supplement"),
    "supplement.document": ("Tên tài liệu bổ sung", "Title of the added document"),
    "track.title": ("Tra cứu hồ sơ khen thưởng", "Track a nomination"),
    "track.code": ("Mã tra cứu", "Tracking code"),
    "track.submit": ("Tra cứu", "Look up"),
    "track.not_found": ("Không tìm thấy hồ sơ với mã này.", "No nomination has this code."),
    "track.where": ("Hiện ở", "Now at"),
    "track.next": ("Bước tiếp theo", "What comes next"),
    "track.by": ("hạn", "by"),
    "audit.title": ("Quá trình xét duyệt", "Decision history"),
    "audit.as_of": ("Trạng thái tại thời điểm", "State as of"),
    "audit.after_step": ("Sau bước", "After step"),
    "audit.show": ("Xem", "Show"),
    "audit.state": ("Trạng thái khi đó", "State then"),
    "audit.chain": ("Kiểm tra chuỗi băm", "Hash chain check"),
    "audit.chain_ok": ("Nguyên vẹn: {events} sự kiện đã kiểm tra.",
                       "Intact: {events} events verified."),
    "audit.chain_broken": ("Bị sửa đổi tại vị trí {position}.", "Broken at position {position}."),
    "audit.chain_where": ("Hồ sơ {nomination}, phiên bản {version}; {events} sự kiện trước đó "
                          "nguyên vẹn.", "Nomination {nomination}, version {version}; {events} "
                          "events before it are intact."),
    "audit.chain_detail": ("Chi tiết kỹ thuật (tiếng Anh)", "Technical detail"),
    "audit.export": ("Xuất dữ liệu (CSV)", "Export (CSV)"),
    "audit.lookup": ("Mở hồ sơ theo mã tra cứu", "Open a nomination by tracking code"),
    "dashboard.title": ("Thống kê thi đua, khen thưởng năm {year}",
                        "Commendations in {year}"),
    "dashboard.by_award": ("Khen thưởng theo hình thức", "Awards by form"),
    "dashboard.by_level": ("Khen thưởng theo cấp quyết định", "Awards by deciding level"),
    "dashboard.kinds": ("Cá nhân và tập thể", "Individuals and collectives"),
    "dashboard.direct": ("Tỷ lệ người trực tiếp lao động, sản xuất",
                         "Share of direct workers"),
    "dashboard.overdue": ("Hồ sơ quá hạn xét theo đơn vị", "Overdue reviews by unit"),
    "dashboard.none": ("Chưa có số liệu.", "No figures yet."),

    # -- what just happened (shown once, on the page a form's command led to) ---------
    "flash.reviewed": ("Đã ghi kết quả xét của Hội đồng cho {name}. Trạng thái hiện nay: {status}.",
                       "The council's vote on {name} is recorded. It is now: {status}."),
    "flash.decided": ("Đã ghi quyết định cho {name}. Trạng thái hiện nay: {status}.",
                      "The decision on {name} is recorded. It is now: {status}."),
    "flash.meeting": ("Đã ghi kết quả cho {count} hồ sơ của phiên họp.",
                      "Recorded the outcome of {count} nominations of the meeting."),
    "flash.supplemented": ("Đã gửi hồ sơ bổ sung (phiên bản {version}). Trạng thái hiện nay: "
                           "{status}.",
                           "The supplement is sent (dossier version {version}). It is now: "
                           "{status}."),
    "flash.withdrawn": ("Đã rút đề nghị. Trạng thái hiện nay: {status}.",
                        "The nomination is withdrawn. It is now: {status}."),
    "flash.objection_lodged": ("Đã nhận ý kiến phản ánh của bạn. Hồ sơ tạm dừng để Ban Thi đua "
                               "– Khen thưởng xác minh. Trạng thái hiện nay: {status}.",
                               "Your objection is received. The nomination is held while the "
                               "commendation board verifies it. It is now: {status}."),
    "flash.objection_resolved": ("Đã ghi kết quả xác minh ý kiến phản ánh: {outcome}. Trạng "
                                 "thái hiện nay: {status}.",
                                 "The objection's verification is recorded: {outcome}. It is "
                                 "now: {status}."),
    "flash.lagging": ("Danh sách và trang hồ sơ có thể chậm vài giây so với kết quả vừa ghi.",
                      "Lists and the dossier may show this a few seconds late."),
    "flash.open": ("Mở hồ sơ", "Open the dossier"),
    # -- lists a page at a time ------------------------------------------------------
    "pager.label": ("Các trang", "Pages"),
    "pager.prev": ("Trang trước", "Previous page"),
    "pager.next": ("Trang sau", "Next page"),
    "pager.showing": ("{first}–{last} trong tổng số {total}", "{first}–{last} of {total}"),
    "pager.none": ("Tổng số: 0", "Total: 0"),
    "search.label": ("Tìm theo tên hoặc mã tra cứu", "Search by name or tracking code"),
    "search.label_decision": ("Tìm theo tên, mã tra cứu hoặc số quyết định",
                              "Search by name, tracking code or decision number"),
    "search.submit": ("Tìm", "Search"),
    # -- roles, nominee kinds, documents ----------------------------------------------
    **{f"role.{role}": (name.vi, name.en) for role, name in ROLE_NAMES.items()},
    **{f"nominee.{code}": (name.vi, name.en) for code, name in NOMINEE_KIND_NAMES.items()},
    "doc.proposal": ("Tờ trình", "Proposal"),
    "doc.achievement_report": ("Báo cáo thành tích", "Achievement report"),
    "doc.meeting_minutes": ("Biên bản họp Hội đồng", "Minutes of the council meeting"),
    "doc.other": ("Tài liệu khác", "Other document"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    # -- a council's rule and result ----------------------------------------------------
    "rule.text": ("Phiên họp hợp lệ khi có mặt từ {quorum} tổng số thành viên; thông qua khi "
                  "số đồng ý {comparison} {share} tổng số thành viên",
                  "Valid with at least {quorum} of the members present; approved when those "
                  "in favour are {comparison} {share} of all members"),
    "rule.more_than": ("trên", "more than"),
    "rule.at_least": ("từ", "at least"),
    "result.approved": ("Đạt: {share} tổng số thành viên đồng ý",
                        "Approved: {share} of all members in favour"),
    "result.not_approved": ("Không đạt: {share} tổng số thành viên đồng ý",
                            "Not approved: {share} of all members in favour"),
    "result.no_quorum": ("Không đủ số thành viên có mặt", "Too few members present"),
    "tally.text": ("{for_} đồng ý, {against} không đồng ý, {abstain} không biểu quyết; "
                   "có mặt {present}/{members}",
                   "{for_} for, {against} against, {abstain} abstaining; {present} of "
                   "{members} present"),
    # -- the dossier ---------------------------------------------------------------------
    "dossier.nominee": ("Người/tập thể được đề nghị", "Nominee"),
    "dossier.kind": ("Đối tượng", "Kind"),
    "dossier.position": ("Chức vụ, đơn vị công tác", "Position and workplace"),
    "dossier.direct_worker": ("Người trực tiếp lao động, sản xuất", "Direct worker"),
    "dossier.version": ("Phiên bản hồ sơ", "Dossier version"),
    "dossier.proposed": ("Ngày đề nghị", "Proposed on"),
    "dossier.due": ("Hạn xử lý", "Due"),
    "dossier.route": ("Các cấp xét duyệt", "Route"),
    "dossier.procedure": ("Thủ tục", "Procedure"),
    "dossier.policy": ("Theo quy định phiên bản", "Under policy version"),
    "dossier.reviews": ("Kết quả xét của các Hội đồng", "The councils' votes"),
    "dossier.no_reviews": ("Chưa Hội đồng nào xét.", "No council has voted yet."),
    "dossier.returns": ("Lý do trả lại", "Why it was returned"),
    "dossier.returned_by": ("Hội đồng {unit} trả lại ngày {day}", "Returned by the council of "
                            "{unit} on {day}"),
    "dossier.no_note": ("(Hội đồng không ghi lý do)", "(the council wrote no reason)"),
    "dossier.supplements": ("Hồ sơ bổ sung", "Supplements"),
    "dossier.supplement_line": ("Phiên bản {version}, gửi ngày {day}",
                                "Version {version}, sent on {day}"),
    "dossier.decision": ("Quyết định", "Decision"),
    "dossier.authority": ("Cơ quan, người có thẩm quyền", "Authority"),
    "dossier.withdrawal": ("Đã rút đề nghị: {reason}", "Withdrawn: {reason}"),
    "dossier.revocation": ("Đã thu hồi theo Quyết định số {number} ngày {date}: {reason}",
                           "Revoked by decision {number} of {date}: {reason}"),
    "dossier.print": ("In hồ sơ", "Print the dossier"),
    "dossier.printed": ("In ngày {day}", "Printed on {day}"),
    "dossier.open_task": ("Việc đang chờ", "Waiting for"),
    **{f"procedure.{code}": (name.vi, name.en) for code, name in PROCEDURE_NAMES.items()},
    # -- objections ----------------------------------------------------------------------
    "objection.title": ("Ý kiến phản ánh", "Objections"),
    "objection.lodge": ("Gửi ý kiến phản ánh", "Lodge an objection"),
    "objection.lodge_intro": ("Hồ sơ đang được công khai, lấy ý kiến đến {day}. Bạn có thể "
                              "gửi ý kiến mà không cần tài khoản; hồ sơ sẽ tạm dừng cho đến "
                              "khi Ban Thi đua – Khen thưởng xác minh.",
                              "The nomination is on public notice until {day}. You may object "
                              "without an account; it is held until the commendation board "
                              "verifies the objection."),
    "objection.text": ("Nội dung phản ánh", "What you object to"),
    "objection.contact": ("Cách liên hệ với bạn (không bắt buộc)",
                          "How to reach you (optional)"),
    "objection.contact_private": ("Chỉ Ban Thi đua – Khen thưởng xác minh mới thấy thông tin "
                                  "này.", "Only the board that verifies it sees this."),
    "objection.submit": ("Gửi ý kiến", "Send the objection"),
    "objection.lodged_on": ("Nhận ngày {day}", "Lodged on {day}"),
    "objection.pending": ("Đang xác minh", "Being verified"),
    "objection.private": ("Nội dung và người gửi chỉ Ban Thi đua – Khen thưởng và thanh tra "
                          "được xem.", "Its text and author are for the board and inspectors "
                          "only."),
    "objection.resolve": ("Ghi kết quả xác minh", "Record the verification"),
    "objection.outcome": ("Kết quả xác minh", "Finding"),
    "objection.note": ("Ghi chú của Ban", "The board's note"),
    "objection.no_contact": ("(không để lại liên hệ)", "(no contact given)"),
    "outcome.dismissed": ("Không có cơ sở, tiếp tục xét", "Dismissed: the nomination goes on"),
    "outcome.upheld": ("Có cơ sở, không khen thưởng", "Upheld: the nomination is rejected"),
    "notices.title": ("Hồ sơ đang công khai, lấy ý kiến", "Nominations on public notice"),
    "notices.intro": ("Trước khi trình khen thưởng cấp Nhà nước, tỉnh công khai danh sách để "
                      "lấy ý kiến. Ai cũng có thể gửi ý kiến phản ánh bằng mã tra cứu.",
                      "Before a state award is proposed, the province publishes the list for "
                      "comment. Anyone may object with the tracking code."),
    "notices.empty": ("Hiện không có hồ sơ nào đang công khai.",
                      "No nomination is on public notice now."),
    "notices.until": ("Công khai đến", "On public notice until"),
    "notices.object": ("Xem và gửi ý kiến", "View and object"),
    "nav.notices": ("Công khai, lấy ý kiến", "Public notices"),
    # -- tracking --------------------------------------------------------------------------
    "track.returned": ("Hội đồng {unit} đã trả lại hồ sơ ngày {day} để bổ sung.",
                       "The council of {unit} returned the dossier on {day} for a supplement."),
    "track.return_reason": ("Lý do", "Reason"),
    "track.decision": ("Quyết định số {number} ngày {date} của {authority}",
                       "Decision no. {number} of {date} by {authority}"),
    "track.notice": ("Đang công khai, lấy ý kiến đến {day}", "On public notice until {day}"),
    # -- forms ----------------------------------------------------------------------------
    "date.hint": ("ngày/tháng/năm, ví dụ 15/01/2026", "day/month/year, e.g. 15/01/2026"),
    "moment.hint": ("ngày/tháng/năm giờ:phút, giờ Việt Nam", "day/month/year hour:minute, "
                    "Vietnam time"),
    "error.bad_date": ("“{value}” không phải là một ngày hợp lệ: nhập ngày/tháng/năm, ví dụ "
                       "15/01/2026.", "“{value}” is not a valid date: type day/month/year, "
                       "e.g. 15/01/2026."),
    "error.invalid": ("Thông tin chưa hợp lệ: {fields}.", "Some fields are not valid: {fields}."),
    "error.missing": ("chưa nhập", "missing"),
    "error.back": ("Quay lại", "Go back"),
    "nominations.status": ("Trạng thái", "Status"),
    "audit.local_time": ("Giờ Việt Nam", "Vietnam time"),
    "audit.steps": ("{total} bước", "{total} steps"),
    "audit.state_after": ("Xem trạng thái sau bước này", "State after this step"),
    "proposal.household": ("Hộ gia đình", "Household"),
    "proposal.position": ("Chức vụ, đơn vị công tác (không bắt buộc)",
                          "Position and workplace (optional)"),
    "proposal.sheet_row": ("dòng {row} của tệp", "row {row} of the file"),
    "proposal.kind_missing": ("chưa chọn đối tượng (cá nhân, tập thể hay hộ gia đình)",
                              "choose the kind of nominee (individual, collective or "
                              "household)"),
    "dossier.document": ("Tên tài liệu", "Document"),
    "dossier.document_kind": ("Loại tài liệu", "Kind of document"),
    "objection.contact_of": ("Liên hệ của người phản ánh", "The objector's contact"),
    "supplement.note": ("Ghi chú của đơn vị", "The unit's note"),
    "proposal.choose": ("— Chọn —", "— Choose —"),
    "proposal.kind_unknown": ("không hiểu loại “{kind}”: chọn Cá nhân, Tập thể hoặc Hộ gia đình",
                              "kind “{kind}” is not understood: choose individual, collective "
                              "or household"),
    "proposal.kind_not_allowed": ("{award} không dành cho {kind}",
                                  "{award} is not given to a {kind}"),
    "proposal.no_rows": ("Chưa có người được đề nghị nào.", "No nominee is listed."),
    "proposal.checks_ok": ("Các dòng đều hợp lệ.", "Every row is valid."),
    "proposal.fix_first": ("Sửa các dòng có lỗi ở trên thì nút gửi sẽ hiện lại.",
                           "Fix the rows above and the submit button comes back."),
    "proposal.missing_columns": ("Không tìm thấy cột họ tên. Dòng tiêu đề cần có cột “Họ và "
                                 "tên” (hoặc name).", "No name column was found: the header "
                                 "row needs “Họ và tên” (or name)."),
    "dashboard.year": ("Năm", "Year"),
}


def message(key: str, language: str, **values: object) -> str:
    vi, en = MESSAGES[key]
    text = en if language == "en" else vi
    return text.format(**values) if values else text


def pick(labels: object, language: str) -> str:
    """One language of a label: a {"vi": …, "en": …} mapping from ``api.labels`` or the
    policy, or the API's ``Label`` model with the same two fields."""
    if not labels:
        return ""
    if isinstance(labels, dict):
        return str(labels.get(language) or labels.get(DEFAULT_LANGUAGE) or "")
    return str(getattr(labels, language, None) or getattr(labels, DEFAULT_LANGUAGE, ""))
