"""Every label of the pages, in Vietnamese and English: one catalogue. Statuses, event
names and award names come from ``api.labels`` and the policy, which the API shares."""

from __future__ import annotations

from api.web.catalogue_eligibility import ELIGIBILITY_MESSAGES
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
    "nav.movements": ("Phong trào", "Movements"),
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
    "login.throttle_note": ("Sau 5 lần nhập sai mật khẩu liên tiếp, mỗi phút chỉ được thử "
                            "thêm một lần.",
                            "After 5 wrong passwords in a row, one more try a minute is "
                            "allowed."),
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
    "inbox.holder": ("Người giữ", "Held by"),
    "inbox.held": ("{name} giữ từ {days} ngày", "{name} has held it for {days} days"),
    "inbox.held_today": ("{name} giữ từ hôm nay", "{name} has held it since today"),
    "inbox.unheld": ("Chưa ai nhận", "No one yet"),
    "inbox.claim": ("Nhận việc", "Claim"),
    "inbox.assignee": ("Người giữ việc", "Held by"),
    "inbox.mine": ("Việc của tôi", "Mine"),
    "review.return_reason": ("Lý do trả lại (theo danh mục)", "Why it is returned (catalogue)"),
    "review.no_reason": ("(không chọn)", "(none)"),
    "decision.granted": ("Khen thưởng bằng hình thức", "Award granted"),
    "decision.as_proposed": ("Như đề nghị", "As proposed"),
    "dossier.granted": ("Hình thức được khen thưởng (thấp hơn đề nghị)",
                        "Form granted (lower than proposed)"),
    "flash.claimed": ("Bạn đã nhận việc: {name}.", "You hold the task now: {name}."),
    "task.kind.review": ("Xét duyệt", "Council review"),
    "task.kind.decision": ("Quyết định", "Decision"),
    "task.kind.objection": ("Xác minh phản ánh", "Objection"),
    "movements.title": ("Phong trào thi đua", "Emulation movements"),
    "movements.empty": ("Chưa có phong trào nào.", "No movement yet."),
    "movements.name": ("Tên phong trào", "Movement"),
    "movements.decision": ("Quyết định phát động", "Launching decision"),
    "movements.launched_by": ("Đơn vị phát động", "Launched by"),
    "movements.period": ("Thời gian thực hiện", "Period"),
    "movements.window": ("Thời hạn nhận hồ sơ", "Dossier window"),
    "movements.forms": ("Hình thức khen thưởng", "Forms of award"),
    "movements.scope": ("Phạm vi", "Scope"),
    "movements.criteria": ("Tiêu chí", "Criteria"),
    "movements.result": ("Kết quả tổng kết", "Result"),
    "movements.status.open": ("Đang triển khai", "Open"),
    "movements.status.closed": ("Đã tổng kết", "Closed"),
    "movements.nominations": ("Hồ sơ đề nghị theo trạng thái", "Nominations by state"),
    "movements.none_yet": ("Chưa có hồ sơ đề nghị nào trong phong trào.",
                           "No nomination in this movement yet."),
    "task.kind.appraisal": ("Thẩm định hồ sơ", "Appraisal"),
    "task.kind.consultation": ("Lấy ý kiến hiệp y", "Consultation"),
    "inside.consultation": ("Ý kiến hiệp y của các cơ quan", "The agencies consulted"),
    "inside.agency": ("Cơ quan", "Agency"),
    "inside.due": ("Hạn trả lời", "Answer due"),
    "inside.answer": ("Ý kiến", "Answer"),
    "inside.answer.": ("Đang chờ", "Awaited"),
    "inside.answer.agrees": ("Đồng ý", "Agrees"),
    "inside.answer.objects": ("Không đồng ý", "Objects"),
    "inside.answer.lapsed": ("Hết hạn, không có ý kiến", "Lapsed, no answer"),
    "inside.record_answer": ("Ghi ý kiến", "Record the answer"),
    "inside.appraisal": ("Thẩm định của Ban Thi đua – Khen thưởng",
                         "The commendation board's appraisal"),
    "inside.conclusion": ("Kết luận", "Conclusion"),
    "inside.conclusion.eligible": ("Đủ điều kiện", "Eligible"),
    "inside.conclusion.not_eligible": ("Không đủ điều kiện", "Not eligible"),
    "inside.conclusion.lower_form": ("Đề nghị hình thức thấp hơn", "Propose a lower form"),
    "inside.lower_award": ("Hình thức đề nghị thay thế", "The lower form proposed"),
    "inside.documents_complete": ("Hồ sơ đầy đủ", "Documents complete"),
    "inside.checks": ("Kiểm tra từng tiêu chuẩn", "Each rule checked"),
    "inside.confirmed": ("Xác nhận", "Confirmed"),
    "inside.disputed": ("Không xác nhận", "Disputed"),
    "inside.appraised_by": ("Chuyên viên thẩm định", "Appraised by"),
    "inside.signed_off_by": ("Lãnh đạo Ban đồng ý", "Signed off by"),
    "inside.awaits_sign_off": ("Chờ lãnh đạo Ban cho ý kiến", "Awaiting the head's sign-off"),
    "inside.sent_back": ("Lãnh đạo Ban trả lại chuyên viên", "Sent back by the head"),
    "inside.appraise": ("Ghi kết quả thẩm định", "Record the appraisal"),
    "inside.sign_off": ("Cho ý kiến về kết quả thẩm định", "Sign the appraisal off"),
    "inside.agree": ("Đồng ý, trình Hội đồng", "Agree: to the council"),
    "inside.send_back": ("Trả lại chuyên viên", "Send back to the specialist"),
    "flash.appraised": ("Đã ghi kết quả thẩm định hồ sơ của {name}.",
                        "The appraisal of {name}'s dossier is recorded."),
    "flash.signed_off": ("Đã cho ý kiến về kết quả thẩm định hồ sơ của {name}.",
                         "Your sign-off on {name}'s appraisal is recorded."),
    "flash.answer_recorded": ("Đã ghi ý kiến hiệp y về hồ sơ của {name}.",
                              "The agency's answer on {name}'s nomination is recorded."),
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
    "meeting.rows": ("Mỗi hồ sơ một dòng, với kết quả và số phiếu của hồ sơ đó",
                     "One row per nominee, with its own outcome and tally"),
    "meeting.votes": ("Kết quả và số phiếu", "Outcome and tally"),
    "meeting.council": ("Hội đồng {unit}: nhiệm kỳ {start} – {end}, {count} thành viên",
                        "The council of {unit}: term {start} – {end}, {count} members"),
    "meeting.roster_members": ("{members} (danh sách Hội đồng có {roster} thành viên)",
                               "{members} (of the roster's {roster})"),
    "meeting.recused": ("Không tham gia xét hồ sơ này: {names}",
                        "Stepping aside from this nomination: {names}"),
    "meeting.row_refused": ("Chưa ghi kết quả phiên họp: hồ sơ thứ {n} ({name}) không ghi "
                            "được.", "The meeting was not recorded: nomination {n} ({name}) "
                            "was refused."),
    "meeting.row_refused_hint": ("Không có hồ sơ nào được ghi. Sửa dòng này, hoặc bỏ chọn hồ "
                                 "sơ này, rồi xác nhận lại.", "Nothing was recorded. Correct "
                                 "this row, or leave this nomination out, and confirm again."),
    "review.written_for": ("Văn bản đồng ý", "Written for"),
    "review.written_against": ("Văn bản không đồng ý", "Written against"),
    "meeting.written_hint": ("“Văn bản đồng ý / không đồng ý”: số thành viên vắng mặt gửi ý kiến "
                             "bằng văn bản (không quá số vắng mặt); để trống nếu không có.",
                             "“Written for / against”: absent members who sent a written "
                             "opinion (at most those absent); leave empty if none."),
    "review.recused": ("Không tham gia xét: {names}", "Stepped aside: {names}"),
    "review.written": ("Ý kiến bằng văn bản của thành viên vắng mặt: {for_} đồng ý, {against} "
                       "không đồng ý ({how})", "Absent members' written opinions: {for_} for, "
                       "{against} against ({how})"),
    "review.written.counted": ("được tính", "counted"),
    "review.written.not_counted": ("không được tính", "not counted"),
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
                             "tiếp lao động, Số CCCD hoặc Mã công chức (để chọn người trong "
                             "danh sách), Năm — theo thứ tự bất kỳ",
                             "A CSV or XLSX file with a header row: name, kind (individual, "
                             "collective, household), achievements, position, direct worker, "
                             "national ID or civil-servant code (to choose the person from "
                             "the register), year — in any order"),
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
    "supplement.file": ("Tệp tài liệu bổ sung", "File of the added document"),
    "supplement.file_hint": ("PDF, ảnh PNG/JPEG, DOCX hoặc XLSX. Có tệp thì tên tài liệu có "
                             "thể bỏ trống (lấy theo tên tệp)",
                             "PDF, PNG/JPEG image, DOCX or XLSX. With a file, the title may "
                             "be left empty (the file's name is shown)"),
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
    "flash.objection_code_sent": ("Đã nhận ý kiến phản ánh của bạn và gửi mã xác nhận tới "
                                  "{to}. Hồ sơ chỉ tạm dừng sau khi bạn nhập mã đó bên dưới.",
                                  "Your objection is received and a confirmation code went to "
                                  "{to}. The nomination is held only once you type it below."),
    "flash.objection_code_not_sent": ("Đã nhận ý kiến phản ánh nhưng chưa gửi được mã xác "
                                      "nhận tới {to}. Ban Thi đua – Khen thưởng vẫn đọc ý "
                                      "kiến của bạn, nhưng hồ sơ không tạm dừng; hãy gửi lại "
                                      "sau.",
                                      "Your objection is received, but the confirmation code "
                                      "could not be sent to {to}. The commendation board still "
                                      "reads it, but the nomination is not held; try again "
                                      "later."),
    "flash.objection_no_email": ("Đã nhận ý kiến phản ánh. Vì không có địa chỉ e-mail để xác "
                                 "nhận, hồ sơ không tạm dừng; Ban Thi đua – Khen thưởng vẫn "
                                 "đọc ý kiến của bạn.",
                                 "Your objection is received. With no e-mail address to "
                                 "confirm it, the nomination is not held; the commendation "
                                 "board still reads it."),
    "flash.objection_confirmed": ("Đã xác nhận ý kiến phản ánh. Hồ sơ tạm dừng để Ban Thi đua "
                                  "– Khen thưởng xác minh. Trạng thái hiện nay: {status}.",
                                  "Your objection is confirmed. The nomination is held while "
                                  "the commendation board verifies it. It is now: {status}."),
    "flash.objections_dismissed": ("Đã bác bỏ {count} ý kiến phản ánh.",
                                   "{count} objections dismissed."),
    "flash.objections_dismissed_abuse": ("Đã bác bỏ {count} ý kiến phản ánh, ghi là lạm dụng.",
                                         "{count} objections dismissed as abuse."),
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
    "doc.initiative_certification": ("Giấy chứng nhận sáng kiến",
                                     "Certification of the initiative"),
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
    "dossier.changes": ("Những gì thay đổi từ phiên bản {before} đến phiên bản {after}",
                        "What changed from version {before} to version {after}"),
    "dossier.change": ("Thay đổi", "Change"),
    "dossier.version_n": ("Phiên bản {version}", "Version {version}"),
    "dossier.doc_added": ("Tài liệu bổ sung", "Document added"),
    "dossier.doc_removed": ("Tài liệu bỏ ra", "Document removed"),
    "dossier.doc_replaced": ("Tài liệu thay thế (nội dung tệp khác)",
                             "Document replaced (other file content)"),
    "dossier.no_change": ("Không thay đổi tài liệu hay thành tích", "No document or "
                          "achievement changed"),
    "dossier.decision": ("Quyết định", "Decision"),
    "dossier.authority": ("Cơ quan, người có thẩm quyền", "Authority"),
    "dossier.withdrawal": ("Đã rút đề nghị: {reason}", "Withdrawn: {reason}"),
    "dossier.revocation": ("Đã thu hồi theo Quyết định số {number} ngày {date}: {reason}",
                           "Revoked by decision {number} of {date}: {reason}"),
    "dossier.print": ("In hồ sơ", "Print the dossier"),
    "dossier.printed": ("In ngày {day}", "Printed on {day}"),
    "person.title": ("Hồ sơ khen thưởng cá nhân, tập thể", "Award record"),
    "person.print": ("In hồ sơ khen thưởng", "Print the award record"),
    "person.details": ("Thông tin", "Details"),
    "person.name": ("Họ và tên, tên tập thể", "Name"),
    "person.kind.individual": ("Cá nhân", "Individual"),
    "person.kind.collective": ("Tập thể", "Collective"),
    "person.national_id": ("Số CCCD", "National ID (CCCD)"),
    "person.masked": ("đã che một phần", "partly hidden"),
    "person.code": ("Mã công chức", "Civil-servant code"),
    "person.birth_date": ("Ngày sinh", "Date of birth"),
    "person.gender": ("Giới tính", "Gender"),
    "person.gender.male": ("Nam", "Male"),
    "person.gender.female": ("Nữ", "Female"),
    "person.team": ("Tổ, nhóm", "Team"),
    "person.units": ("Quá trình công tác", "Units over time"),
    "person.since": ("Từ ngày", "Since"),
    "person.awards": ("Quá trình khen thưởng", "Titles and awards"),
    "person.year": ("Năm", "Year"),
    "person.decision": ("Số, ngày quyết định", "Decision, date"),
    "person.issuer": ("Cơ quan ban hành", "Issued by"),
    "person.source": ("Nguồn", "Source"),
    "person.source.laurel": ("Xét duyệt trên Laurel", "Decided in Laurel"),
    "person.source.import": ("Nhập từ tệp", "Imported"),
    "person.source.manual": ("Nhập thủ công", "Entered by hand"),
    "person.revoked": ("(đã thu hồi)", "(revoked)"),
    "person.no_awards": ("Chưa có khen thưởng nào được ghi nhận.", "No award recorded yet."),
    "dossier.open_task": ("Việc đang chờ", "Waiting for"),
    **{f"procedure.{code}": (name.vi, name.en) for code, name in PROCEDURE_NAMES.items()},
    # -- objections ----------------------------------------------------------------------
    "objection.title": ("Ý kiến phản ánh", "Objections"),
    "objection.lodge": ("Gửi ý kiến phản ánh", "Lodge an objection"),
    "objection.lodge_intro": ("Hồ sơ đang được công khai, lấy ý kiến đến {day}. Bạn có thể "
                              "gửi ý kiến mà không cần tài khoản.",
                              "The nomination is on public notice until {day}. You may object "
                              "without an account."),
    "objection.how_it_holds": ("Để ý kiến của bạn làm tạm dừng hồ sơ cho đến khi Ban Thi đua "
                               "– Khen thưởng xác minh, hãy nhập địa chỉ e-mail: chúng tôi gửi "
                               "tới đó một mã 6 chữ số để bạn xác nhận. Để trống thì Ban vẫn "
                               "đọc ý kiến của bạn, nhưng hồ sơ không tạm dừng.",
                               "For your objection to hold the nomination until the "
                               "commendation board verifies it, give an e-mail address: we send "
                               "a 6-digit code there for you to confirm it. Left empty, the "
                               "board still reads your objection, but the nomination is not "
                               "held."),
    "objection.signed_in_holds": ("Bạn đang đăng nhập: ý kiến của bạn làm tạm dừng hồ sơ ngay, "
                                  "không cần mã xác nhận.",
                                  "You are signed in: your objection holds the nomination at "
                                  "once, with no code to confirm."),
    "objection.contact_signed_in": ("Cách liên hệ với bạn (không bắt buộc)",
                                    "How to reach you (optional)"),
    "objection.confirm_title": ("Xác nhận ý kiến phản ánh", "Confirm your objection"),
    "objection.confirm_intro": ("Chúng tôi đã gửi một mã 6 chữ số tới {to}. Nhập mã trước "
                                "{until} để ý kiến của bạn làm tạm dừng hồ sơ; nhập sai "
                                "{attempts} lần thì không xác nhận được nữa.",
                                "We sent a 6-digit code to {to}. Type it before {until} for "
                                "your objection to hold the nomination; after {attempts} wrong "
                                "codes it can no longer be confirmed."),
    "objection.code": ("Mã xác nhận (6 chữ số)", "Confirmation code (6 digits)"),
    "objection.confirm": ("Xác nhận", "Confirm"),
    "objection.nothing_to_confirm": ("Không có ý kiến phản ánh nào đang chờ xác nhận trong "
                                     "phiên làm việc này; hãy gửi lại ý kiến.",
                                     "No objection of this session waits for a code; lodge "
                                     "it again."),
    "objection.unconfirmed": ("Chưa xác nhận: không làm tạm dừng hồ sơ",
                              "Not confirmed: it does not hold the nomination"),
    "objection.awaits_code": ("Đang chờ người gửi nhập mã xác nhận đã gửi qua e-mail.",
                              "Waiting for its author to type the code e-mailed to them."),
    "objection.no_code": ("Không có địa chỉ e-mail để xác nhận: ý kiến không làm tạm dừng hồ "
                          "sơ, nhưng Ban vẫn xem xét được.",
                          "No e-mail address to confirm it: it does not hold the nomination, "
                          "but the board may still consider it."),
    "objection.locked": ("Nhập sai mã quá số lần: không xác nhận được nữa.",
                         "Too many wrong codes: it can no longer be confirmed."),
    "objection.abuse": ("Bác bỏ do lạm dụng", "Dismissed as abuse"),
    "objection.dismiss_title": ("Bác bỏ nhiều ý kiến phản ánh cùng lúc",
                                "Dismiss several objections at once"),
    "objection.select": ("Chọn các ý kiến cần bác bỏ", "Choose the objections to dismiss"),
    "objection.dismiss_abuse": ("Ghi là lạm dụng (ví dụ: gửi hàng loạt)",
                                "Record it as abuse (a flood, say)"),
    "objection.dismiss": ("Bác bỏ các ý kiến đã chọn", "Dismiss the selected objections"),
    "objection.none_selected": ("Chưa chọn ý kiến phản ánh nào.", "No objection was selected."),
    "inbox.dismiss": ("Bác bỏ các ý kiến phản ánh đã chọn (một lần cho tất cả)",
                      "Dismiss the selected objections (all in one act)"),
    "objection.text": ("Nội dung phản ánh", "What you object to"),
    "objection.contact": ("Địa chỉ e-mail của bạn (để nhận mã xác nhận)",
                          "Your e-mail address (for the confirmation code)"),
    "objection.contact_private": ("Chỉ Ban Thi đua – Khen thưởng xác minh mới thấy thông tin "
                                  "này.", "Only the board that verifies it sees this."),
    "objection.submit": ("Gửi ý kiến", "Send the objection"),
    "objection.lodged_on": ("Nhận ngày {day}", "Lodged on {day}"),
    "objection.pending": ("Đang xác minh", "Being verified"),
    "objection.private": ("Người gửi ý kiến và cách liên hệ chỉ Ban Thi đua – Khen thưởng xác "
                          "minh được xem; nội dung, Ban và thanh tra.",
                          "Who objected and how to reach them are for the verifying board "
                          "only; what an objection says, for the board and inspectors."),
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
    # The dashboard's reports (issue 24): period, unit, form, times, downloads.
    "dashboard.heading": ("Thống kê thi đua, khen thưởng {period}",
                          "Emulation and commendation figures, {period}"),
    "dashboard.scope": ("Đơn vị: {unit} và các đơn vị trực thuộc. Khen thưởng được tính theo "
                        "ngày ký quyết định.", "Unit: {unit} and the units below it. Awards "
                        "count by the date their decision was signed."),
    "dashboard.filters": ("Chọn đơn vị và kỳ báo cáo", "Choose the unit and the period"),
    "dashboard.unit": ("Đơn vị", "Unit"),
    "dashboard.from": ("Từ ngày", "From"),
    "dashboard.to": ("Đến ngày", "To"),
    "dashboard.show": ("Xem số liệu", "Show the figures"),
    "dashboard.period_hint": ("Chọn năm, hoặc khoảng từ ngày – đến ngày ký quyết định.",
                              "A year, or a range of decision dates."),
    "dashboard.downloads": ("Tải báo cáo", "Download the reports"),
    "dashboard.report.statistics": ("Biểu thống kê kết quả khen thưởng",
                                    "Statistical form of the awards"),
    "dashboard.report.awarded_list": ("Danh sách tập thể, cá nhân được khen thưởng (kèm tờ "
                                      "trình)", "List of those awarded (for a proposal)"),
    "dashboard.report.times": ("Thời gian xét hồ sơ theo cấp", "Processing time per level"),
    "dashboard.col.award": ("Hình thức khen thưởng", "Award"),
    "dashboard.col.deciding": ("Cấp quyết định", "Deciding level"),
    "dashboard.col.total": ("Tổng số", "Total"),
    "dashboard.col.collectives": ("Tập thể", "Collectives"),
    "dashboard.col.individuals": ("Cá nhân", "Individuals"),
    "dashboard.col.households": ("Hộ gia đình", "Households"),
    "dashboard.col.male": ("Nam", "Men"),
    "dashboard.col.female": ("Nữ", "Women"),
    "dashboard.col.gender_unknown": ("Chưa rõ giới tính", "Gender unknown"),
    "dashboard.col.direct_workers": ("Trực tiếp lao động, sản xuất", "Direct workers"),
    "dashboard.col.level": ("Cấp xét", "Level"),
    "dashboard.col.reviews": ("Số hồ sơ đã xét", "Reviews closed"),
    "dashboard.col.median": ("Trung vị (ngày)", "Median (days)"),
    "dashboard.col.p90": ("Phân vị 90 (ngày)", "90th percentile (days)"),
    "dashboard.col.on_time": ("Tỷ lệ đúng hạn", "On time"),
    "dashboard.total": ("Tổng cộng", "Total"),
    "dashboard.times": ("Thời gian xét trung vị theo cấp (ngày)",
                        "Median review time per level (days)"),
    "dashboard.on_time": ("Tỷ lệ xét đúng hạn theo cấp (%)", "Reviews on time per level (%)"),
    "dashboard.days": ("Số ngày", "Days"),
    "dashboard.percent": ("Tỷ lệ (%)", "Share (%)"),
    "dashboard.gender": ("Cá nhân được khen thưởng theo giới tính", "Individuals by gender"),
    "dashboard.gender.female": ("Nữ", "Women"),
    "dashboard.gender.male": ("Nam", "Men"),
    "dashboard.gender.unknown": ("Chưa rõ (không có trong danh sách quản lý)",
                                 "Unknown (not in the register)"),
    "dashboard.by_movement": ("Khen thưởng theo phong trào thi đua",
                              "Awards by emulation movement"),
    "dashboard.no_movement": ("Không thuộc phong trào nào", "In no movement"),
    "dashboard.no_times": ("Chưa có hồ sơ nào được xét trong kỳ.",
                           "No review was closed in the period."),
    "dashboard.bad_date": ("Ngày không hợp lệ: hãy nhập theo dạng năm-tháng-ngày.",
                           "Not a date: give it as year-month-day."),
    "dashboard.both_periods": ("Chọn năm, hoặc khoảng từ ngày – đến ngày, không chọn cả hai.",
                               "Give a year, or a range of dates, not both."),
    "dashboard.end_before_start": ("Ngày kết thúc ({end}) trước ngày bắt đầu ({start}).",
                                   "The period ends ({end}) before it starts ({start})."),
    **ELIGIBILITY_MESSAGES,
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
