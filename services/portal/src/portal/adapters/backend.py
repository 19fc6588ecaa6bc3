"""Calls to the services' public APIs, as the signed-in person (their access token), never to a database.

An API's problem+json answer becomes an `ApiError` carrying its status, title, detail and per-field messages, which
pages show next to the fields they concern. A service that does not answer becomes an `ApiError` with status 503.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx
from opentelemetry.propagate import inject

from portal.settings import PortalSettings


@dataclass
class ApiError(Exception):
    status: int
    title: str
    detail: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    @property
    def message(self) -> str:
        return self.detail or self.title

    @property
    def refused(self) -> bool:
        """An answer about what the person sent (shown on the form, with what they typed), rather than a failure
        (an error page)."""
        return self.status in (409, 422)


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    filename: str


def _error_of(response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    errors: dict[str, str] = {}
    for item in body.get("errors") or []:
        if isinstance(item, dict) and item.get("field"):
            name = str(item["field"])
            errors[name] = f"{errors[name]}; {item.get('message', '')}" if name in errors else str(item.get("message"))
    return ApiError(
        status=response.status_code,
        title=str(body.get("title") or response.reason_phrase),
        detail=str(body.get("detail") or ""),
        errors=errors,
    )


def filename_of(disposition: str, fallback: str) -> str:
    """The file's name from Content-Disposition (RFC 6266): `filename*=UTF-8''…` (percent-encoded, for Vietnamese
    names) before a plain `filename=`."""
    plain = ""
    for part in disposition.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "filename*" and "''" in value:
            return unquote(value.split("''", 1)[1]) or fallback
        if name.lower() == "filename":
            plain = value.strip('"')
    return plain or fallback


class Backend:
    def __init__(self, settings: PortalSettings, http: httpx.AsyncClient) -> None:
        self._settings = settings
        self._http = http

    async def call(
        self,
        token: str,
        method: str,
        service: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        inject(headers)  # the service's spans continue the portal's trace
        query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        try:
            response = await self._http.request(
                method,
                f"{self._settings.service_url(service)}{path}",
                json=json,
                params=query,
                content=content,
                headers=headers,
            )
        except httpx.HTTPError as exc:
            raise ApiError(
                status=503,
                title="Dịch vụ tạm thời không trả lời / A service is not answering",
                detail=f"{service}: {type(exc).__name__}",
            ) from exc
        if response.status_code >= 400:
            raise _error_of(response)
        return response

    async def json(self, token: str, method: str, service: str, path: str, **kwargs: Any) -> Any:
        response = await self.call(token, method, service, path, **kwargs)
        return response.json() if response.content else None

    async def download(self, token: str, service: str, path: str, params: dict[str, Any] | None = None) -> Download:
        response = await self.call(token, "GET", service, path, params=params)
        return Download(
            content=response.content,
            media_type=response.headers.get("content-type", "application/octet-stream"),
            filename=filename_of(response.headers.get("content-disposition", ""), path.rsplit("/", 1)[-1]),
        )
