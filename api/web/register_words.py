"""What the verification page and the register of results say, in Vietnamese and
English: kept beside them rather than in the pages' shared catalogue."""

from __future__ import annotations

from collections.abc import Callable

REGISTER_MESSAGES: dict[str, tuple[str, str]] = {
    "verify.title": ("Xác minh giấy chứng nhận khen thưởng", "Verify an award certificate"),
    "verify.valid": ("Giấy chứng nhận hợp lệ", "This certificate is valid"),
    "verify.revoked": ("KHEN THƯỞNG ĐÃ BỊ THU HỒI", "THIS AWARD HAS BEEN REVOKED"),
    "verify.revoked_by": ("Thu hồi theo Quyết định số {number} ngày {date}.",
                          "Revoked by decision {number} of {date}."),
    "verify.replaced": ("Giấy chứng nhận này đã được thay thế",
                        "This certificate has been replaced"),
    "verify.replaced_by": ("Đã cấp lại giấy chứng nhận số {number} thay cho giấy này; giấy "
                           "này không còn giá trị.",
                           "Certificate {number} was issued in its place; this one is no "
                           "longer valid."),
    "verify.not_found": ("Không có giấy chứng nhận nào mang mã xác minh này. Hãy kiểm tra "
                         "lại mã in dưới mã QR.",
                         "No certificate has this verification code. Check the code "
                         "printed beneath the QR code."),
    "verify.throttled": ("Bạn tra cứu quá nhiều lần; hãy thử lại sau ít phút.",
                         "Too many look-ups from your address; try again in a few minutes."),
    "verify.nominee": ("Người được khen thưởng", "Awarded to"),
    "verify.unit": ("Đơn vị", "Unit"),
    "verify.award": ("Hình thức khen thưởng", "Award"),
    "verify.decision": ("Quyết định", "Decision"),
    "verify.decision_text": ("Số {number} ngày {date} của {authority}",
                             "No. {number} of {date}, by the {authority}"),
    "verify.number": ("Số vào sổ", "Register number"),
    "verify.issuer": ("Đơn vị cấp", "Issued by"),
    "verify.code": ("Mã xác minh", "Verification code"),
    "verify.replaces": ("Cấp lại thay giấy chứng nhận số", "Reissued in place of"),
    "verify.proof": ("Bằng chứng trong sổ ghi sự kiện", "Proof in the event record"),
    "verify.proof_intro": (
        "Mỗi sự kiện được băm (SHA-256) và nối vào chuỗi băm của toàn bộ sổ ghi: mã băm "
        "chuỗi = SHA-256(mã băm chuỗi trước ‖ vị trí ‖ mã băm sự kiện). Thanh tra ký số mã "
        "băm đầu chuỗi định kỳ; sửa một sự kiện đã được ký bao trùm sẽ làm hỏng chữ ký.",
        "Each event is hashed (SHA-256) and linked into the hash chain of the whole record: "
        "chain hash = SHA-256(previous chain hash ‖ position ‖ event hash). The inspector "
        "signs the chain's head from time to time; changing an event a signature covers "
        "breaks that signature."),
    "verify.event.decided": ("Quyết định khen thưởng", "The award's decision"),
    "verify.event.issued": ("Cấp giấy chứng nhận", "The certificate's issue"),
    "verify.position": ("Vị trí", "Position"),
    "verify.event_hash": ("Mã băm sự kiện", "Event hash"),
    "verify.previous_hash": ("Mã băm chuỗi trước", "Previous chain hash"),
    "verify.chain_hash": ("Mã băm chuỗi", "Chain hash"),
    "verify.intact": ("khớp khi tính lại", "recomputed and matching"),
    "verify.broken": ("KHÔNG KHỚP khi tính lại", "DOES NOT MATCH when recomputed"),
    "verify.checkpoint": ("Điểm kiểm tra có chữ ký của thanh tra", "Inspector-signed checkpoint"),
    "verify.checkpoint_text": (
        "Vị trí {position}, ký lúc {signed_at}: mã băm chuỗi {chain_hash}.",
        "Position {position}, signed at {signed_at}: chain hash {chain_hash}."),
    "verify.checkpoint_matches": ("Chuỗi hiện lưu vẫn đi qua điểm này.",
                                  "The chain stored now still passes through it."),
    "verify.checkpoint_differs": ("Chuỗi hiện lưu KHÔNG đi qua điểm này.",
                                  "The chain stored now does NOT pass through it."),
    "verify.no_checkpoint": (
        "Chưa có điểm kiểm tra nào được thanh tra ký bao trùm các sự kiện này. Đầu chuỗi "
        "hiện nay (chưa ký) ở vị trí {position}: {chain_hash}.",
        "No inspector-signed checkpoint covers these events yet. The chain's head now "
        "(unsigned) is at position {position}: {chain_hash}."),
    "register.title": ("Công khai kết quả khen thưởng", "Published award results"),
    "register.intro": (
        "Các khen thưởng đã có quyết định, theo năm, đơn vị và hình thức. Khen thưởng đã bị "
        "thu hồi vẫn được liệt kê và ghi rõ. Chỉ công bố họ tên, đơn vị và hình thức khen "
        "thưởng.",
        "Awards decided, by year, unit and award. Awards revoked since stay listed, marked "
        "as such. Only the name, unit and award are published."),
    "register.year": ("Năm", "Year"),
    "register.unit": ("Đơn vị", "Unit"),
    "register.award": ("Hình thức", "Award"),
    "register.all": ("Tất cả", "All"),
    "register.filter": ("Lọc", "Filter"),
    "register.name": ("Họ và tên", "Name"),
    "register.decision": ("Quyết định", "Decision"),
    "register.revoked": ("Đã thu hồi ({number}, {date})", "Revoked ({number}, {date})"),
    "register.empty": ("Chưa có khen thưởng nào phù hợp.", "No award matches."),
}


def said(language: str) -> Callable[..., str]:
    """The pages' ``r(key, **values)`` in ``language``."""
    def r(key: str, **values: object) -> str:
        vi, en = REGISTER_MESSAGES[key]
        text = en if language == "en" else vi
        return text.format(**values) if values else text
    return r
