"""RFC 9457 problem details: one error base class carrying its HTTP status, and the handlers that render it.

Titles are Vietnamese first, English second, because officers read them.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
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
    401: _documented("Thiếu hoặc sai mã truy cập / Missing or invalid bearer token"),
    403: _documented("Không có quyền / The role or organization does not allow this"),
    404: _documented("Không tìm thấy trong phạm vi của người dùng / Not found within the caller's scope"),
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


def problem_response(problem: Problem, request: Request) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="thidua"'} if problem.status == 401 else None
    return JSONResponse(
        problem.body(instance=request.url.path),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


LOCATIONS = ("body", "query", "path", "header", "cookie")


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for error in exc.errors():
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "header", "cookie")
        ]
        errors.append({"field": ".".join(location) or "body", "message": str(error.get("msg", ""))})
    return errors


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
        problem = Problem(str(exc.detail))
        problem.status = exc.status_code
        problem.title = {404: NotFound.title, 405: "Phương thức không được hỗ trợ / Method not allowed"}.get(
            exc.status_code, str(exc.detail)
        )
        return problem_response(problem, request)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(Problem(), request)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
