from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, SecretStr, StrictBool, field_validator

from notifications.domain.aggregates import Delivery, Message, TemplateVersion, WebhookGateway

TemplateText = Field(min_length=1, max_length=10_000)
MAX_FACTS = 20_000


class InboxMessage(BaseModel):
    id: str
    kind: str
    subject: str
    title_vi: str
    body_vi: str
    title_en: str
    body_en: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, document: Message) -> InboxMessage:
        return cls.model_validate({**document, "id": document["_id"]})


class UnreadCount(BaseModel):
    unread: int


class PreferencesBody(BaseModel):
    """Each channel on or off; `digest: daily` gathers e-mails into one a day (at the digest hour, Vietnam time)."""

    model_config = ConfigDict(extra="forbid")
    in_app: StrictBool = True
    email: StrictBool = True
    webhook: StrictBool = False
    digest: Literal["off", "daily"] = "off"


class Gateway(BaseModel):
    """A Zalo OA or SMS gateway: calls are POSTed as JSON, signed `X-Thidua-Signature: sha256=HMAC(secret,
    "<X-Thidua-Timestamp>.<body>")`."""

    model_config = ConfigDict(extra="forbid")
    url: AnyHttpUrl
    secret: SecretStr = Field(min_length=16, max_length=256)
    enabled: StrictBool = True


class GatewayView(BaseModel):
    url: str
    enabled: bool
    secret_set: bool

    @classmethod
    def of(cls, document: WebhookGateway) -> GatewayView:
        return cls(url=document["url"], enabled=document["enabled"], secret_set=bool(document.get("secret")))


class TemplateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject_vi: str = TemplateText
    body_vi: str = TemplateText
    subject_en: str = TemplateText
    body_en: str = TemplateText


class TemplateView(BaseModel):
    kind: str
    version: int
    builtin: bool
    subject_vi: str
    body_vi: str
    subject_en: str
    body_en: str
    created_by: str | None = None
    created_at: datetime | None = None

    @classmethod
    def of(cls, document: TemplateVersion) -> TemplateView:
        return cls.model_validate(document)


class TemplateKind(BaseModel):
    kind: str
    current: TemplateView
    versions: list[TemplateView]
    sample: dict[str, Any]


class PreviewBody(BaseModel):
    """Parts left out are taken from the template in use; facts given replace the kind's sample facts."""

    model_config = ConfigDict(extra="forbid")
    subject_vi: str | None = Field(default=None, max_length=10_000)
    body_vi: str | None = Field(default=None, max_length=10_000)
    subject_en: str | None = Field(default=None, max_length=10_000)
    body_en: str | None = Field(default=None, max_length=10_000)
    facts: dict[str, Any] | None = None

    @field_validator("facts")
    @classmethod
    def _small(cls, facts: dict[str, Any] | None) -> dict[str, Any] | None:
        if facts is not None and len(json.dumps(facts, default=str)) > MAX_FACTS:
            raise ValueError(f"tối đa {MAX_FACTS} ký tự JSON / at most {MAX_FACTS} characters of JSON")
        return facts


class Preview(BaseModel):
    subject_vi: str
    body_vi: str
    subject_en: str
    body_en: str
    text: str
    html: str
    facts: dict[str, Any]


class Attempt(BaseModel):
    at: datetime
    outcome: str
    error: str | None = None
    actor: str | None = None


class DeliveryView(BaseModel):
    id: str
    tenant: str | None
    channel: str
    kind: str
    subject: str | None
    recipient: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime
    history: list[Attempt]

    @classmethod
    def of(cls, document: Delivery) -> DeliveryView:
        recipient = document.get("recipient")
        named = (recipient.get("username") or recipient.get("user_id")) if recipient else None
        return cls.model_validate({**document, "id": document["_id"], "recipient": named})


class SweepResult(BaseModel):
    made: int
