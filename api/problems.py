"""RFC 9457 problem details: one place that turns every error into problem+json.

Each problem has a stable ``type`` (``/problems/<code>``) that clients may rely on;
``GET /problems/<code>`` describes it, in Vietnamese and English. A problem's ``title``
and ``detail`` follow the request's ``Accept-Language``: Vietnamese for ``vi``, English
for ``en`` and for a request that names neither (the API's default). ``localized`` gives
the same text for the pages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError as SQLAlchemyDBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyPoolTimeout
from starlette.exceptions import HTTPException

from domain import errors
from infrastructure import damage
from infrastructure.database import AWAY_RETRY_SECONDS, unavailable

MEDIA_TYPE = "application/problem+json"
LANGUAGES = errors.LANGUAGES
DEFAULT_LANGUAGE = "en"
"""The JSON API's language for a request that asks for none of ``LANGUAGES``."""

STATUS_OF: dict[type[errors.DomainError], int] = {
    errors.NotFound: 404,
    errors.WrongRole: 403,
    errors.UnknownAward: 422,
    errors.UnknownOrgUnit: 422,
    errors.NomineeNotEligible: 422,
    errors.WrongLevel: 422,
    errors.InvalidVoteTally: 422,
    errors.QuorumNotMet: 422,
    errors.OutcomeContradictsTally: 422,
    errors.ProcedureNotOffered: 422,
    errors.InvalidDecisionDate: 422,
    errors.WrongAuthority: 422,
    errors.NotInPublicNotice: 409,
    errors.WrongConfirmationCode: 422,
    errors.ConfirmationLocked: 409,
    errors.ConfirmationExpired: 409,
    errors.WrongTaskKind: 409,
    errors.TaskClosed: 409,
    errors.InvalidTransition: 409,
    errors.ConcurrentChange: 409,
    errors.StaleVersion: 412,
    errors.IdempotencyKeyReused: 422,
    errors.InvalidNationalId: 422,
    errors.InvalidPersonData: 422,
    errors.PersonAlreadyRegistered: 409,
    errors.InvalidAwardRecord: 422,
    errors.UnreadableSheet: 422,
    errors.ImportRefused: 422,
    errors.NotEligible: 422,
    errors.DuplicateNomination: 409,
    errors.NomineeNotRegistered: 422,
    errors.InvalidYear: 422,
    errors.MissingDocuments: 422,
    errors.InvalidFact: 422,
    errors.FactAlreadyEnded: 409,
    errors.InvalidService: 422,
    errors.InvalidInitiative: 422,
    errors.InvalidDocument: 422,
    errors.DecisionNumberUsed: 409,
    errors.MixedAuthorities: 422,
    errors.NotAwarded: 409,
    errors.NoCertificateYet: 409,
    errors.TaskAlreadyClaimed: 409,
    errors.ClusterAlreadyDefined: 409, errors.InvalidCluster: 422,
    errors.ClusterStepOutOfOrder: 409, errors.InvalidClusterPoints: 422,
    errors.UnknownReturnReason: 422,
    errors.NotALowerForm: 422,
    errors.InvalidDelegation: 422,
    errors.BallotNotTheRoster: 422,
    errors.UnknownAgency: 422,
    errors.OutsideIntakeWindow: 422,
    errors.NotInMovement: 422,
    errors.InvalidMovement: 422,
    errors.InvalidRegistration: 422,
}


@dataclass(frozen=True)
class HttpProblem:
    """A problem the HTTP layer raises itself, not the domain: its status, its title and
    what it means in general, in English and Vietnamese."""

    status: int
    title: str
    title_vi: str
    explanation: str
    explanation_vi: str


HTTP_PROBLEMS: dict[str, HttpProblem] = {
    "unauthenticated": HttpProblem(
        401, "Authentication required", "Cần đăng nhập",
        "Send a valid bearer token: 'Authorization: Bearer <token>'.",
        "Hãy đăng nhập: gửi mã truy cập hợp lệ (Authorization: Bearer <token>), hoặc mã "
        "đã hết hạn hay không hợp lệ."),
    "invalid-body": HttpProblem(
        422, "The request body or parameters are not valid",
        "Nội dung yêu cầu hoặc tham số không hợp lệ",
        "A field of the request is missing, malformed or not allowed; each is named.",
        "Có trường bị thiếu, sai dạng hoặc không được phép; từng trường được nêu cụ thể."),
    "malformed-json": HttpProblem(
        400, "The request body is not valid JSON", "Nội dung yêu cầu không phải JSON hợp lệ",
        "The body could not be read as JSON.", "Không đọc được nội dung yêu cầu dạng JSON."),
    "not-found": HttpProblem(
        404, "No such resource", "Không tìm thấy",
        "It does not exist, or it is not yours to see.",
        "Không có mục này, hoặc bạn không có quyền xem."),
    "method-not-allowed": HttpProblem(
        405, "Method not allowed", "Phương thức không được hỗ trợ",
        "This address does not take that HTTP method.",
        "Địa chỉ này không nhận phương thức HTTP đó."),
    "store-damaged": HttpProblem(
        503, "A file of Laurel's stores is damaged",
        "Một tệp dữ liệu của Laurel bị hỏng",
        "A store file cannot be read; the operator is told which and what to do "
        "(`laurel projections rebuild` for the read models, a backup for the events).",
        "Không đọc được một tệp dữ liệu; người vận hành cần dựng lại dữ liệu tra cứu "
        "(`laurel projections rebuild`) hoặc khôi phục kho sự kiện từ bản sao lưu."),
    "not-ready": HttpProblem(
        503, "A component Laurel needs is not reachable",
        "Một thành phần cần thiết của Laurel chưa sẵn sàng",
        "The event store or the read models did not answer.",
        "Kho sự kiện hoặc dữ liệu tra cứu chưa phản hồi; hãy thử lại sau."),
    "store-unavailable": HttpProblem(
        503, "Laurel's database is busy or away: try again shortly",
        "Cơ sở dữ liệu của Laurel đang bận hoặc tạm thời không truy cập được: hãy thử lại sau",
        "The database did not answer in time (a lock held elsewhere, a statement timed out, "
        "or no connection); nothing of the request was recorded. Send it again after the "
        "seconds Retry-After names, with the same Idempotency-Key.",
        "Cơ sở dữ liệu không phản hồi kịp (đang bị khóa, câu lệnh quá thời gian hoặc mất kết "
        "nối); yêu cầu chưa được ghi nhận. Hãy gửi lại sau số giây ghi trong Retry-After, "
        "với cùng Idempotency-Key."),
    "overloaded": HttpProblem(
        503, "Laurel is serving as many requests as it can: try again shortly",
        "Laurel đang quá tải: hãy thử lại sau giây lát",
        "Too many requests are being served at once.",
        "Hệ thống đang xử lý quá nhiều yêu cầu cùng lúc; hãy thử lại sau giây lát."),
    "too-many-requests": HttpProblem(
        429, "Too many requests from you, or about this, in a short time",
        "Có quá nhiều yêu cầu trong thời gian ngắn",
        "Objections and tracking-code lookups are limited per client address and per "
        "nomination; wait the seconds Retry-After names, then try again.",
        "Số ý kiến phản ánh và lượt tra cứu mã được giới hạn theo địa chỉ người gửi và theo "
        "từng hồ sơ; hãy chờ số giây ghi trong Retry-After rồi thử lại."),
    "unsupported-media-type": HttpProblem(
        415, "The request body must be JSON", "Nội dung yêu cầu phải ở dạng JSON",
        "Send the body as application/json. A document (POST /documents) is a PDF, PNG, "
        "JPEG, DOCX or XLSX file, recognised by its content, not its name.",
        "Hãy gửi nội dung dạng application/json. Tài liệu (POST /documents) phải là tệp PDF, "
        "PNG, JPEG, DOCX hoặc XLSX, nhận biết theo nội dung tệp chứ không theo tên."),
    "body-too-large": HttpProblem(
        413, "The request body is larger than Laurel accepts",
        "Nội dung yêu cầu lớn hơn mức Laurel chấp nhận",
        "Send a smaller body.", "Hãy gửi nội dung nhỏ hơn."),
    "file-too-large": HttpProblem(
        413, "The file is larger than Laurel accepts", "Tệp lớn hơn mức Laurel chấp nhận",
        "A document's file is at most the size the service is configured with "
        "(LAUREL_MAX_UPLOAD_BYTES, 20 MiB by default); send a smaller file.",
        "Tệp tài liệu không được lớn hơn mức hệ thống cho phép (mặc định 20 MiB); hãy gửi "
        "tệp nhỏ hơn."),
    "document-unavailable": HttpProblem(
        503, "The document's file is not in the file store",
        "Không tìm thấy tệp của tài liệu trong kho lưu trữ",
        "The document is recorded but its file cannot be read from the store; the operator "
        "finds it with `laurel audit verify`.",
        "Tài liệu đã được ghi nhận nhưng không đọc được tệp trong kho lưu trữ; người vận "
        "hành cần kiểm tra bằng `laurel audit verify`."),
    "header-fields-too-large": HttpProblem(
        431, "The request's header fields are too large",
        "Phần tiêu đề (header) của yêu cầu quá lớn",
        "The request line and headers are larger, or more numerous, than Laurel accepts.",
        "Dòng yêu cầu và các trường tiêu đề lớn hơn, hoặc nhiều hơn, mức Laurel chấp nhận."),
    "http-error": HttpProblem(
        400, "The request could not be served", "Không phục vụ được yêu cầu này",
        "The request is not one Laurel can serve.", "Laurel không phục vụ được yêu cầu này."),
}


BODY_NOT_PARSED = "There was an error parsing the body"
"""FastAPI's detail when a body could not be read as JSON at all."""


# -- the language -----------------------------------------------------------------


def accepted_language(header: str | None) -> str:
    """The language of ``LANGUAGES`` an ``Accept-Language`` header prefers (quality
    values and regional variants such as ``vi-VN`` understood); ``DEFAULT_LANGUAGE``
    when it names none of them."""
    best, best_quality = DEFAULT_LANGUAGE, 0.0
    for position, part in enumerate((header or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        quality -= position * 1e-6  # the first named wins a tie
        if language in LANGUAGES and quality > best_quality:
            best, best_quality = language, quality
    return best


def language_of(request: Request | None) -> str:
    return accepted_language(request.headers.get("accept-language") if request else None)


# -- what an error says, in a language ----------------------------------------------


VALIDATION_VI: dict[str, str] = {
    "missing": "bắt buộc phải có",
    "blank_text": "không được để trống",
    "forbidden_character": "chứa ký tự {character}: không nhận ký tự điều khiển hoặc ký tự ẩn",
    "string_too_short": "cần ít nhất {min_length} ký tự",
    "string_too_long": "dài quá {max_length} ký tự",
    "string_type": "phải là văn bản",
    "too_short": "cần ít nhất {min_length} mục",
    "too_long": "nhiều nhất {max_length} mục",
    "literal_error": "phải là một trong: {expected}",
    "enum": "phải là một trong: {expected}",
    "extra_forbidden": "không có trường này",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "greater_than_equal": "phải từ {ge} trở lên",
    "greater_than": "phải lớn hơn {gt}",
    "less_than_equal": "không được quá {le}",
    "less_than": "phải nhỏ hơn {lt}",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "date_type": "phải là một ngày, ví dụ 2026-01-15",
    "date_parsing": "phải là một ngày, ví dụ 2026-01-15",
    "date_from_datetime_parsing": "phải là một ngày, ví dụ 2026-01-15",
    "date_from_datetime_inexact": "phải là một ngày, ví dụ 2026-01-15",
    "datetime_type": "phải là một thời điểm, ví dụ 2026-01-15T08:00:00+07:00",
    "datetime_parsing": "phải là một thời điểm, ví dụ 2026-01-15T08:00:00+07:00",
    "datetime_from_date_parsing": "phải là một thời điểm, ví dụ 2026-01-15T08:00:00+07:00",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "list_type": "phải là một danh sách",
    "json_invalid": "không phải JSON hợp lệ",
    "json_type": "phải là JSON",
    "uuid_type": "phải là một mã UUID",
    "uuid_parsing": "phải là một mã UUID",
}
"""What each kind of invalid input means in Vietnamese (pydantic's error types, and
``blank_text`` and ``forbidden_character`` of ``api.schemas``); English is pydantic's own
message."""


def _invalid_input(found: Sequence[Mapping[str, Any]], language: str) -> list[dict[str, Any]]:
    """Each invalid field: where, what (in ``language``) and its error type."""
    return [{"loc": list(e.get("loc", ())), "type": e.get("type", ""),
             "msg": _message(e, language)} for e in found]


def _message(error: Mapping[str, Any], language: str) -> str:
    english = str(error.get("msg", ""))
    template = VALIDATION_VI.get(str(error.get("type", "")))
    if language != "vi":
        return english
    if template is None:
        return f"giá trị không hợp lệ ({english})"
    context = {k: str(v).replace(" or ", " hoặc ") for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split(":")[0]


def _described(found: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in found)


def _validation_code(found: Sequence[Mapping[str, Any]]) -> str:
    return "malformed-json" if any(e.get("type") == "json_invalid" for e in found) else (
        "invalid-body")


def http_title(code: str, language: str) -> str:
    problem = HTTP_PROBLEMS[code]
    return problem.title_vi if language == "vi" else problem.title


def localized(error: Exception, language: str) -> tuple[str, str]:
    """An error's (title, detail) in ``language`` (``"vi"`` or ``"en"``): a refusal of the
    domain, a missing or bad sign-in (``Unauthenticated``), or invalid input (pydantic's
    ``ValidationError``, or FastAPI's ``RequestValidationError`` for a request)."""
    if isinstance(error, errors.DomainError):
        return error.in_language(language)
    if isinstance(error, Unauthenticated):
        return http_title("unauthenticated", language), error.in_language(language)
    if isinstance(error, TooManyRequests):
        return http_title("too-many-requests", language), error.in_language(language)
    if isinstance(error, ValidationError | RequestValidationError):
        found = _invalid_input(error.errors(), language)
        return http_title(_validation_code(found), language), _described(found)
    raise TypeError(f"{type(error).__name__} is no refusal Laurel explains")


# -- problem responses --------------------------------------------------------------


def problem_type(code: str) -> str:
    return f"/problems/{code}"


def problem(
    status: int, code: str, title: str, detail: str, request: Request | None = None,
    headers: dict[str, str] | None = None, language: str | None = None, **extra: Any,
) -> JSONResponse:
    """A problem+json response; its text is in ``language`` (the request's, by default)."""
    body: dict[str, Any] = {"type": problem_type(code), "title": title, "status": status,
                            "detail": detail, **extra}
    if request is not None:
        body["instance"] = request.url.path
    said = {"Content-Language": language or language_of(request), "Vary": "Accept-Language"}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE,
                        headers={**said, **(headers or {})})


def http_problem(
    code: str, detail: str, request: Request | None = None,
    headers: dict[str, str] | None = None, **extra: Any,
) -> JSONResponse:
    """A problem the HTTP layer raises itself, by its code in ``HTTP_PROBLEMS``: in
    Vietnamese, the problem's own explanation stands for the English ``detail``."""
    language = language_of(request)
    found = HTTP_PROBLEMS[code]
    if language == "vi":
        detail = found.explanation_vi
    return problem(found.status, code, http_title(code, language), detail, request, headers,
                   language, **extra)


class Unauthenticated(Exception):
    def __init__(self, detail: str, vi: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.detail_vi = vi or HTTP_PROBLEMS["unauthenticated"].explanation_vi

    def in_language(self, language: str) -> str:
        return self.detail_vi if language == "vi" else self.detail

    @classmethod
    def expired(cls) -> Unauthenticated:
        return cls("The token has expired", vi="Mã đăng nhập (token) đã hết hạn; hãy đăng nhập lại")

    @classmethod
    def invalid(cls, error: Exception) -> Unauthenticated:
        return cls(f"The token is not valid: {error}",
                   vi=f"Mã đăng nhập (token) không hợp lệ: {error}")


class TooManyRequests(Exception):
    """A throttle's refusal (``api.throttle``): come back in ``retry_after`` seconds."""

    def __init__(self, retry_after: int, detail: str, vi: str = "") -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail
        self.detail_vi = vi or HTTP_PROBLEMS["too-many-requests"].explanation_vi

    def in_language(self, language: str) -> str:
        return self.detail_vi if language == "vi" else self.detail

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def catalogue() -> dict[str, dict[str, Any]]:
    """Every problem type Laurel answers with, for ``GET /problems/<code>``: its status,
    its English ``title``, and its title and description in both languages."""
    entries = {code: _entry(p.status, p.title, p.title_vi, p.explanation, p.explanation_vi)
               for code, p in HTTP_PROBLEMS.items()}
    for cls, status in STATUS_OF.items():
        entries[cls.code] = _entry(status, cls.title, cls.title_vi, cls.explanation,
                                   cls.explanation_vi)
    return entries


def _named(exc: errors.DomainError, language: str) -> dict[str, Any]:
    """What a refusal names besides its detail: the failed eligibility checks (rule,
    explanation in ``language``, evidence, legal basis), or the nomination a duplicate
    repeats."""
    if isinstance(exc, errors.NotEligible):
        return {"checks": [{**check, "explanation": check["explanation"][language]}  # type: ignore[index]
                           for check in exc.failed]}
    if isinstance(exc, errors.DuplicateNomination):
        return {"nomination_id": exc.nomination_id, "tracking_code": exc.tracking_code}
    if isinstance(exc, errors.MissingDocuments):
        return {"missing": list(exc.missing)}
    if isinstance(exc, errors.OutsideIntakeWindow):
        return {"rule": exc.rule}
    return {}


def _entry(status: int, title: str, title_vi: str, explanation: str,
           explanation_vi: str) -> dict[str, Any]:
    return {"status": status, "title": title, "titles": {"vi": title_vi, "en": title},
            "descriptions": {"vi": explanation_vi, "en": explanation}}


async def invalid_input_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    """Input that does not fit the request's schema, named field by field."""
    language = language_of(request)
    found = _invalid_input(exc.errors(), language)
    code = _validation_code(found)
    title, detail = localized(exc, language)
    return problem(HTTP_PROBLEMS[code].status, code, title, detail, request, errors=found)


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.DomainError)
    async def _domain(request: Request, exc: errors.DomainError) -> JSONResponse:
        title, detail = localized(exc, language_of(request))
        if isinstance(exc, errors.BulkItemRefused):
            # The item's own problem, naming the item; nothing of the list was recorded.
            inner = exc.error
            return problem(STATUS_OF.get(type(inner), 409), inner.code, title, detail,
                           request, item=exc.index, **_named(inner, language_of(request)))
        if isinstance(exc, errors.ImportRefused):
            # Each refused row, by its number in the sheet; nothing was recorded.
            rows = [{"row": row, "type": f"/problems/{error.code}",
                     "detail": error.in_language(language_of(request))[1]}
                    for row, error in exc.rows]
            return problem(422, exc.code, title, detail, request, rows=rows)
        return problem(STATUS_OF.get(type(exc), 409), exc.code, title, detail, request,
                       **_named(exc, language_of(request)))

    @app.exception_handler(TooManyRequests)
    async def _too_many(request: Request, exc: TooManyRequests) -> JSONResponse:
        title, detail = localized(exc, language_of(request))
        return problem(429, "too-many-requests", title, detail, request, headers=exc.headers,
                       retry_after=exc.retry_after)

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(request: Request, exc: Unauthenticated) -> JSONResponse:
        title, detail = localized(exc, language_of(request))
        return problem(401, "unauthenticated", title, detail, request,
                       headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return await invalid_input_problem(request, exc)

    @app.exception_handler(PersistenceError)
    @app.exception_handler(psycopg.Error)
    @app.exception_handler(SQLAlchemyDBAPIError)
    @app.exception_handler(SQLAlchemyPoolTimeout)
    @app.exception_handler(sqlite3.Error)
    async def _store(request: Request, exc: Exception) -> JSONResponse:
        """A store that cannot be read: named if one of its files is damaged (for the
        operator: ``laurel`` commands name it too); otherwise busy or away for now: 503
        ``store-unavailable`` with ``Retry-After`` (the event store's transaction rolled
        back: nothing of the request is recorded)."""
        if damage.is_damage(exc):
            laurel = getattr(request.app.state, "laurel", None)
            found = damage.damaged_files(laurel.settings) if laurel else []
            language = language_of(request)
            detail = ((found[0].vi if language == "vi" else str(found[0])) if found
                      else HTTP_PROBLEMS["store-damaged"].explanation_vi if language == "vi"
                      else f"A store file cannot be read: {exc}")
            return problem(503, "store-damaged", http_title("store-damaged", language),
                           detail, request)
        seconds = unavailable(exc) or AWAY_RETRY_SECONDS
        return http_problem("store-unavailable",
                            f"The database did not answer in time ({type(exc).__name__}); "
                            "nothing was recorded", request,
                            headers={"Retry-After": str(seconds)}, retry_after=seconds)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed", 401: "unauthenticated",
                413: "body-too-large"}.get(exc.status_code, "http-error")
        if exc.status_code == 400 and exc.detail == BODY_NOT_PARSED:
            code = "malformed-json"  # e.g. nested deeper than the JSON parser goes
        language = language_of(request)
        detail = HTTP_PROBLEMS[code].explanation_vi if language == "vi" else str(exc.detail)
        return problem(exc.status_code, code, http_title(code, language), detail, request,
                       headers=getattr(exc, "headers", None))


class Problem(BaseModel):
    """RFC 9457 problem details. ``title`` and ``detail`` follow ``Accept-Language``:
    Vietnamese for ``vi``, English for ``en`` or when neither is asked for."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, description in {
        400: "Malformed request", 401: "Not authenticated", 403: "Role not allowed",
        404: "Not found (or not yours)", 409: "Conflicts with the nomination's state",
        412: "The nomination changed since the version in If-Match", 422: "Invalid input",
    }.items()
}

THROTTLED_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {
        "model": Problem,
        "description": "Too many requests from this client address, or about this "
                       "nomination or code, in a short time (api.throttle)",
        "headers": {"Retry-After": {"description": "seconds to wait before trying again",
                                    "schema": {"type": "integer"}}},
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
}
"""The answer of a throttled route (``api.throttle``), besides ``PROBLEM_RESPONSES``."""
