"""The event envelope (modelled on CloudEvents 1.0) and the base of every event's data; which events there are is the
contracts package's (`thidua_contracts`), not the platform's.

Event data models are frozen; a new incompatible shape gets a new version suffix (`.v2`), never an edit in place.
On Kafka an event is a CloudEvent in structured content mode (`kafka.encode`).
"""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from thidua_platform.telemetry import current_traceparent

# Namespace for ids derived from other ids, so a redelivered event produces the same downstream ids.
THIDUA_NAMESPACE = uuid.UUID("6f1c6a52-3b0e-4d8e-9a53-0c2f4d1e7a10")


def derived_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(THIDUA_NAMESPACE, ":".join(str(part) for part in parts))


def dead_letter_topic(group_id: str) -> str:
    return f"thidua.dlq.{group_id}"


class EventData(BaseModel):
    """Base of every event payload. `event_type` and `topic` are fixed per class; a class that sets `event_type` is
    known to every envelope of the process from its definition on (`event_model`)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    event_type: ClassVar[str]
    topic: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if isinstance(event_type, str):
            _KNOWN[event_type] = cls


# every event type defined in this process, by name: the contracts package defines the platform's (importing any of
# its modules defines them all), tests may define their own
_KNOWN: dict[str, type[EventData]] = {}


D = TypeVar("D", bound=EventData)


class Envelope(BaseModel):
    """CloudEvents-shaped envelope with the tenant (commune code) and province carried on every event."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID
    type: str
    source: str
    subject: str
    time: datetime
    tenant: str | None = Field(default=None, description="Commune code; none for province-wide events")
    province: str
    datacontenttype: Literal["application/json"] = "application/json"
    traceparent: str | None = None
    data: dict[str, Any]

    @property
    def topic(self) -> str:
        return event_model(self.type).topic

    def payload(self, model: builtins.type[D]) -> D:
        """The data as `model`, or as its subclass this event's type names (resubmitted is a submitted)."""
        actual = event_model(self.type)
        if not issubclass(actual, model):
            raise ValueError(f"event {self.id} is {self.type}, not {model.event_type}")
        return actual.model_validate(self.data)


def event_model(event_type: str) -> type[EventData]:
    try:
        return _KNOWN[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None


class UnknownEventType(ValueError):
    pass


def is_known(event_type: str) -> bool:
    """Whether an event of this type can be read here (a type no class of this process defines cannot)."""
    return event_type in _KNOWN


def new_event(
    data: EventData,
    *,
    source: str,
    subject: str,
    tenant: str | None,
    province: str,
    event_id: uuid.UUID | None = None,
    time: datetime | None = None,
    traceparent: str | None = None,
) -> Envelope:
    """An event in the envelope; it carries the current trace (W3C traceparent) unless one is given."""
    return Envelope(
        id=event_id or uuid.uuid4(),
        type=data.event_type,
        source=source,
        subject=subject,
        time=time or datetime.now(UTC),
        tenant=tenant,
        province=province,
        traceparent=traceparent or current_traceparent(),
        data=data.model_dump(mode="json"),
    )
