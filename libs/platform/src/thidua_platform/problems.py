"""RFC 9457 problem details: one error base class carrying its HTTP status, and the handlers that render it.

Titles, details and field messages are Vietnamese first, English second, because officers read them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class FieldError(BaseModel):
    field: str
    message: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, as every error of every API is answered."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


def _inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its definitions inlined, for use in an OpenAPI `content` entry."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(definitions[node["$ref"].rsplit("/", 1)[1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def _documented(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": _inline_schema(ProblemDetails)}}}


# Documented on every business route, so clients (and schemathesis) know errors are problem+json.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented(
        "Không đọc được nội dung yêu cầu (cần JSON mã hóa UTF-8) / The body could not be read (UTF-8 JSON)"
    ),
    401: _documented("Thiếu hoặc sai mã truy cập / Missing or invalid bearer token"),
    403: _documented("Không có quyền / The role or organization does not allow this"),
    404: _documented("Không tìm thấy trong phạm vi của người dùng / Not found within the caller's scope"),
    413: _documented("Nội dung yêu cầu quá lớn / Request body too large"),
    422: _documented("Dữ liệu không hợp lệ, theo từng trường / Invalid input, per field"),
}


class Problem(Exception):
    status = 500
    title = "Lỗi hệ thống / Internal error"
    type = "about:blank"

    def __init__(self, detail: str = "", **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.extensions = extensions

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body


class BadRequest(Problem):
    status = 400
    title = "Yêu cầu không hợp lệ / Bad request"


class Unauthorized(Problem):
    status = 401
    title = "Chưa xác thực / Unauthorized"


class Forbidden(Problem):
    status = 403
    title = "Không có quyền / Forbidden"


class NotFound(Problem):
    status = 404
    title = "Không tìm thấy / Not found"


class Conflict(Problem):
    status = 409
    title = "Xung đột trạng thái / Conflict"


class Unprocessable(Problem):
    status = 422
    title = "Dữ liệu không hợp lệ / Invalid data"


class Unavailable(Problem):
    """The database did not answer (restarting, unreachable): nothing is lost by trying again, with the same
    Idempotency-Key for a create."""

    status = 503
    title = "Tạm thời gián đoạn / Temporarily unavailable"


def problem_response(problem: Problem, request: Request, headers: Mapping[str, str] | None = None) -> JSONResponse:
    extra = {"WWW-Authenticate": 'Bearer realm="thidua"'} if problem.status == 401 else {}
    return JSONResponse(
        problem.body(instance=request.url.path),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers={**(headers or {}), **extra} or None,
    )


LOCATIONS = ("body", "query", "path", "header", "cookie")

# Pydantic's error types in Vietnamese, by the start of their name; its English message follows.
_VIETNAMESE = (
    ("missing", "Thiếu trường bắt buộc"),
    ("extra_forbidden", "Trường không được nhận"),
    ("string_pattern_mismatch", "Sai định dạng"),
    ("string_too_short", "Chuỗi quá ngắn"),
    ("string_too_long", "Chuỗi quá dài"),
    ("string", "Cần một chuỗi ký tự"),
    ("int", "Cần một số nguyên"),
    ("float", "Cần một số"),
    ("finite_number", "Cần một số hữu hạn"),
    ("decimal", "Cần một số"),
    ("multiple_of", "Không phải bội số cho phép"),
    ("bool", "Cần true hoặc false"),
    ("greater_than", "Giá trị quá nhỏ"),
    ("less_than", "Giá trị quá lớn"),
    ("too_short", "Quá ít phần tử"),
    ("too_long", "Quá nhiều phần tử"),
    ("enum", "Giá trị không nằm trong danh sách cho phép"),
    ("literal_error", "Giá trị không nằm trong danh sách cho phép"),
    ("list", "Cần một danh sách"),
    ("tuple", "Cần một danh sách"),
    ("set", "Cần một danh sách không trùng lặp"),
    ("dict", "Cần một đối tượng JSON"),
    ("model", "Cần một đối tượng JSON"),
    ("datetime", "Cần thời điểm theo ISO 8601"),
    ("date", "Cần ngày theo ISO 8601 (YYYY-MM-DD)"),
    ("timezone", "Cần thời điểm kèm múi giờ"),
    ("time", "Cần giờ theo ISO 8601"),
    ("url", "Cần một địa chỉ URL hợp lệ"),
    ("uuid", "Cần một UUID"),
    ("union_tag", "Loại không hợp lệ"),
)


def _message(error: Mapping[str, Any]) -> str:
    kind, english = str(error.get("type", "")), str(error.get("msg", ""))
    context = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in context:
        return str(context["error"])  # the service's own validators speak Vietnamese / English already
    vietnamese = next((vi for prefix, vi in _VIETNAMESE if kind.startswith(prefix)), "Giá trị không hợp lệ")
    return f"{vietnamese} / {english}"


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            position = next((p for p in error.get("loc", ())[1:] if isinstance(p, int)), 0)
            reason = (error.get("ctx") or {}).get("error", "JSON decode error")
            message = f"JSON không hợp lệ ở vị trí {position} / Malformed JSON at position {position}: {reason}"
            errors.append({"field": "body", "message": message})
            continue
        location = [str(part) for part in error.get("loc", ()) if part not in LOCATIONS]
        errors.append({"field": ".".join(location) or "body", "message": _message(error)})
    return errors


def _http_problem(exc: StarletteHTTPException, request: Request) -> Problem:
    """Routing's own refusals (no such path, a method the path does not have) as problems."""
    path = request.url.path
    if exc.status_code == 404:
        problem = Problem(f"Không có đường dẫn {path} / There is no path {path}")
        problem.title = NotFound.title
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        problem = Problem(
            f"{request.method} không dùng được cho {path}; dùng {allowed} / "
            f"{request.method} is not allowed on {path}; use {allowed}"
        )
        problem.title = "Phương thức không được hỗ trợ / Method not allowed"
    elif exc.status_code == 400:  # the body could not be decoded at all (not UTF-8, a broken multipart form)
        message = f"Không đọc được nội dung, cần JSON mã hóa UTF-8 / {exc.detail}; UTF-8 JSON expected"
        problem = BadRequest(
            "Không đọc được nội dung yêu cầu / The request body could not be read",
            errors=[{"field": "body", "message": message}],
        )
    else:
        problem = Problem(f"Yêu cầu bị từ chối / {exc.detail}")
        problem.title = f"Yêu cầu bị từ chối / Request refused ({exc.status_code})"
    problem.status = exc.status_code
    return problem


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc, request)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problem = Unprocessable("Một số trường không hợp lệ / Some fields are invalid", errors=_field_errors(exc))
        return problem_response(problem, request)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(_http_problem(exc, request), request, headers=exc.headers)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, ConnectionFailure):
            log.warning("database unreachable on %s: %s", request.url.path, exc)
            unavailable = Unavailable(
                "Cơ sở dữ liệu tạm thời không trả lời, hãy thử lại / The database is not answering, try again"
            )
            return problem_response(unavailable, request, headers={"Retry-After": "2"})
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(Problem(), request)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
