"""Idempotency keys on create requests.

A create with an `Idempotency-Key` header gets a resource id derived from (tenant, user, key), so a retried request
hits the same id: the first insert wins, a replay returns the stored resource, and a different request under the
same key is refused. No separate key store is needed and the guarantee holds across API processes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header, Response

from thidua_platform.auth import Principal
from thidua_platform.envelope import derived_id
from thidua_platform.problems import Unprocessable

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="Khóa chống tạo trùng khi gửi lại / Makes a retried create return the first result",
    ),
]


@dataclass(frozen=True)
class Idempotency:
    resource_id: str
    fingerprint: str
    keyed: bool

    def stamp(self) -> dict[str, Any]:
        """Fields stored on the created document so a replay can be recognised."""
        return {"idempotency_fingerprint": self.fingerprint} if self.keyed else {}

    def check_replay(self, existing: dict[str, Any]) -> None:
        """Refuse a different request made under an already used key."""
        if existing.get("idempotency_fingerprint") != self.fingerprint:
            raise Unprocessable(
                "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác / "
                "The Idempotency-Key was already used for a different request"
            )


def fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def idempotency(principal: Principal, kind: str, key: str | None, body: Any) -> Idempotency:
    if key is None:
        return Idempotency(resource_id=str(uuid.uuid4()), fingerprint=fingerprint(body), keyed=False)
    resource_id = str(derived_id("idempotency", principal.tenant, principal.user_id, kind, key))
    return Idempotency(resource_id=resource_id, fingerprint=fingerprint(body), keyed=True)


def answer_replay(response: Response, created: bool) -> None:
    """A replayed create answers 200 and says so; a new one keeps the route's 201."""
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
