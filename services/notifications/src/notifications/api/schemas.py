from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, SecretStr, StrictBool, field_validator

from notifications.domain.aggregates import Delivery, Message, TemplateVersion, WebhookGateway
from thidua_platform.text import TextRule

# A template's source, subject included: several lines may hold its tags (a rendered subject is one line).
TemplateText = Annotated[str, TextRule(max_length=10_000)]
MAX_FACTS = 20_000


MAX_FACTS_DEPTH = 20
MAX_FACTS_VALUES = 2_000


def check_facts_shape(facts: object) -> None:
    """Refuse facts nested deeper than MAX_FACTS_DEPTH or holding more than MAX_FACTS_VALUES values, walking them
    without recursion (a body nested 900 deep must not exhaust the stack of whatever reads it next)."""
    pending: list[tuple[object, int]] = [(facts, 0)]
    values = 0
    while pending:
        value, depth = pending.pop()
        values += 1
        if values > MAX_FACTS_VALUES:
            raise ValueError(
                f"tối đa {MAX_FACTS_VALUES} giá trị / at most {MAX_FACTS_VALUES} values in all",
            )
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list) and depth + 1 >= MAX_FACTS_DEPTH:
                raise ValueError(
                    f"lồng nhau tối đa {MAX_FACTS_DEPTH} cấp / nested at most {MAX_FACTS_DEPTH} levels deep",
                )
            pending.append((child, depth + 1))


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
    subject_vi: TemplateText
    body_vi: TemplateText
    subject_en: TemplateText
    body_en: TemplateText


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

    @field_validator("facts", mode="before")
    @classmethod
    def _shallow(cls, facts: object) -> object:
        """Before anything walks them recursively (validation, JSON, rendering): at most MAX_FACTS_DEPTH levels of
        objects and lists, and MAX_FACTS_VALUES values in all."""
        check_facts_shape(facts)
        return facts

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
