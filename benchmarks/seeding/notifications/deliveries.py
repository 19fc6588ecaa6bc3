"""Seeds what people are told: each notice rendered with the built-in template, an in-app message per recipient
(most of them read) and an e-mail delivery already settled as sent (a few after one retry)."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import jinja2

from benchmarks.seeding.notifications.common import (
    DELIVERIES,
    READ_SHARE,
    RETRIED_SHARE,
    REVIEWS,
    TRANSIENT,
    _fraction,
    nonce,
)
from benchmarks.seeding.plan import PROVINCE
from notifications.adapters.directory import Person
from notifications.domain.aggregates import Delivery, Recipient
from notifications.domain.delivery import delivery_id
from notifications.domain.notices import Notice
from notifications.domain.templates import _ENVIRONMENT, BUILTIN, PARTS, Rendered
from notifications.repository import INBOX
from notifications.service.dispatch import DISPATCH
from notifications.service.intake import Place, new_delivery, notice_actor
from thidua_platform.audit import entry
from thidua_platform.mongo import Document


@functools.cache
def _compiled(kind: str, part: str) -> jinja2.Template:
    return _ENVIRONMENT.from_string(BUILTIN[kind].part(part))


def rendered(kind: str, facts: dict[str, Any]) -> Rendered:
    """`templates.render` of the built-in template (no commune saved its own), compiled once per kind and part:
    `render` checks and compiles the source on every call (3.5 ms), too slow for a province."""
    out: dict[str, str] = {}
    for part in PARTS:
        text = unicodedata.normalize("NFC", _compiled(kind, part).render(facts)).strip()
        out[part] = " ".join(text.split()) if part.startswith("subject") else text
    return Rendered(**out)


@dataclass
class Documents:
    """What one commune's seeding writes, by collection."""

    inbox: list[Document] = field(default_factory=list)
    deliveries: list[Document] = field(default_factory=list)
    reviews: list[Document] = field(default_factory=list)

    def by_collection(self) -> Iterator[tuple[str, list[Document]]]:
        yield REVIEWS, self.reviews
        yield DELIVERIES, self.deliveries
        yield INBOX, self.inbox


@dataclass
class Pipeline:
    """Replays, in memory, what the consumer and the dispatcher store for each notice."""

    tenant: str
    now: datetime
    out: Documents = field(default_factory=Documents)

    def tell(self, notice: Notice, people: Iterable[Person], subject: str, at: datetime) -> None:
        place = Place(tenant=self.tenant, province=PROVINCE, subject=subject)
        text = rendered(notice.kind, notice.facts)
        for person in {p.user_id: p for p in people}.values():
            self.out.inbox.append(self._message(notice, place, person, text, at))
            if person.email:
                self.out.deliveries.append(self._email(notice, place, person, text, at))

    def _message(self, notice: Notice, place: Place, person: Person, text: Rendered, at: datetime) -> Document:
        """intake._in_app's document, opened by most people an hour or a day later."""
        message_id = delivery_id(notice.cause, person.user_id, "in_app")
        read_at = at + timedelta(minutes=30 + _fraction(message_id, "read-after") * 2880)
        opened = _fraction(message_id, "read") < READ_SHARE and read_at <= self.now
        return {
            "_id": message_id,
            "tenant": place.tenant,
            "province": place.province,
            "recipient": person.user_id,
            "kind": notice.kind,
            "subject": place.subject,
            "title_vi": text.subject_vi,
            "body_vi": text.body_vi,
            "title_en": text.subject_en,
            "body_en": text.body_en,
            "cause": notice.cause,
            "created_at": at,
            "read_at": read_at if opened else None,
        }

    def _email(self, notice: Notice, place: Place, person: Person, text: Rendered, at: datetime) -> Document:
        recipient: Recipient = {"user_id": person.user_id, "username": person.username, "email": person.email}
        queued = new_delivery(
            by=notice_actor(notice),
            place=place,
            channel="email",
            cause=notice.cause,
            kind=notice.kind,
            recipient=recipient,
            rendered=text,
            version=0,
            now=at,
        )
        return sent(queued, retried=_fraction(queued["_id"], "retry") < RETRIED_SHARE)


def sent(delivery: Delivery, *, retried: bool) -> Document:
    """The delivery as the dispatcher leaves it once the relay took it: each claim, handover and outcome a
    revision of its own (dispatch.py), a refused first attempt retried 30 s later when `retried`."""
    at: datetime = delivery["created_at"] + timedelta(milliseconds=500)
    audit, history = list(delivery["audit"]), []
    attempts = 2 if retried else 1
    for attempt in range(1, attempts + 1):
        handed = at + timedelta(milliseconds=40)
        done = handed + timedelta(milliseconds=60)
        outcome, status = ("retry", "pending") if attempt < attempts else ("sent", "sent")
        audit += [
            entry(DISPATCH, "claimed", at, status="sending", attempt=attempt),
            entry(DISPATCH, "handed_over", handed, status="sending", attempt=attempt),
            entry(DISPATCH, outcome, done, status=status, attempt=attempt),
        ]
        error = TRANSIENT if outcome == "retry" else None
        history.append({"at": done, "attempt": attempt, "outcome": outcome, "error": error})
        next_attempt = done + timedelta(seconds=30)
        at = next_attempt if outcome == "retry" else at
    revisions = len(audit)  # the insert, then one revision per later audit entry
    return {
        **delivery,
        "status": "sent",
        "attempts": attempts,
        "next_attempt_at": next_attempt if retried else delivery["next_attempt_at"],
        "history": history,
        "audit": audit,
        "revision": revisions,
        "applied_changes": [nonce(delivery["_id"], r) for r in range(2, revisions + 1)],
        "claim": None,
        "handed_over_at": handed,
        "sent_at": done,
    }
