"""Channels, preferences, the retry schedule, and what goes on the wire: the e-mail and the signed webhook. Pure.

A delivery is one (cause, recipient, channel); its id is derived from those three, so storing it twice is
impossible and sending happens only for the stored delivery that a dispatcher claimed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from typing import Literal

from notifications.domain.aggregates import Choices, Digest, PersonPreferences
from notifications.domain.templates import Rendered
from thidua_platform.envelope import derived_id

Channel = Literal["in_app", "email", "webhook"]
CHANNELS: tuple[Channel, ...] = ("in_app", "email", "webhook")
OUTBOUND: tuple[Channel, ...] = ("email", "webhook")

# Vietnam keeps one offset all year.
VIETNAM = timezone(timedelta(hours=7), "ICT")


def delivery_id(cause: str, recipient: str, channel: str) -> str:
    return str(derived_id(cause, recipient, channel))


@dataclass(frozen=True)
class Preferences:
    """A user's choices: each channel on or off, and e-mails one by one or once a day."""

    in_app: bool = True
    email: bool = True
    webhook: bool = False
    digest: Digest = "off"

    def wants(self, channel: Channel) -> bool:
        on: bool = getattr(self, channel)
        return on

    def choices(self) -> Choices:
        """The choices as the person's preferences document keeps them."""
        return {"in_app": self.in_app, "email": self.email, "webhook": self.webhook, "digest": self.digest}

    @classmethod
    def of(cls, document: PersonPreferences | None) -> Preferences:
        """The stored choices; the default for each one the document lacks."""
        if not document:
            return cls()
        return cls(
            in_app=document.get("in_app", cls.in_app),
            email=document.get("email", cls.email),
            webhook=document.get("webhook", cls.webhook),
            digest=document.get("digest", cls.digest),
        )


def retry_delay(attempts: int, base_seconds: float, cap_seconds: float = 6 * 3600) -> float:
    """Exponential backoff after the n-th failed attempt: base, 4×base, 16×base, ... capped."""
    return float(min(cap_seconds, base_seconds * 4 ** max(0, attempts - 1)))


def digest_date(now: datetime, digest_hour: int) -> date:
    """The day whose digest will carry a message held now: today's until the digest hour, then tomorrow's."""
    local = now.astimezone(VIETNAM)
    return local.date() if local.hour < digest_hour else local.date() + timedelta(days=1)


def digest_due(day: date, digest_hour: int, grace: timedelta) -> datetime:
    """When the digest of `day` may be sent: the digest hour plus a grace for messages being held at that moment."""
    return datetime.combine(day, time(hour=digest_hour), VIETNAM) + grace


# RFC 2047 §2: a line of a header holding encoded-words is at most 76 characters.
ENCODED_LINE_MAX = 76


class EncodedText(str):
    """An unstructured header's text (the Subject) as a header object of the e-mail's policy (it has a `name` and a
    `fold`), folded so that it decodes to the same text everywhere.

    The standard library's folder (policy.default, CPython 3.11) may end a line with an encoded-word and start the
    next with the space that separated two words, followed by another encoded-word: RFC 2047 §6.2 has every decoder
    ignore whitespace between adjacent encoded-words, so that space is lost ("Hồ sơ bị trả lại để bổ sung: Thôn Đông
    Hưng" arrives as "…bổ sung:Thôn Đông Hưng"; Python's own parser, Node's mailparser and libmime all drop it). Text
    that is not ASCII (or holds "=?", which a reader would try to decode) is therefore encoded whole as UTF-8
    encoded-words, every space inside one and whole characters in each, folded between them (where whitespace is
    ignored by design). ASCII text has no encoded-words and keeps the policy's own folding."""

    name: str

    def __new__(cls, name: str, value: str) -> EncodedText:
        if len(value.splitlines()) > 1:
            raise ValueError("Header values may not contain linefeed or carriage return characters")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy: EmailPolicy) -> str:
        text = str(self)
        if text.isascii() and "=?" not in text:
            folded: str = policy.header_factory(self.name, text).fold(policy=policy)
            return folded
        width = min(ENCODED_LINE_MAX, policy.max_line_length or ENCODED_LINE_MAX)
        encoded = Header(text, "utf-8", maxlinelen=width, header_name=self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


def email_message(
    *, rendered: Rendered, sender: str, to: str, delivery: str, subject_id: str, kind: str, at: datetime
) -> EmailMessage:
    """A multipart/alternative e-mail, text then HTML, both Vietnamese first and English second. The Message-ID
    is derived from the delivery, so a resend after a crash is recognisable as the same message."""
    message = EmailMessage()
    message["Subject"] = EncodedText("Subject", rendered.subject_vi)
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(at.astimezone(UTC))
    message["Message-ID"] = f"<{delivery}@thidua.invalid>"
    message["Content-Language"] = "vi, en"
    message["X-Thidua-Delivery"] = delivery
    message["X-Thidua-Subject"] = subject_id
    message["X-Thidua-Kind"] = kind
    message.set_content(rendered.text())
    message.add_alternative(rendered.html(), subtype="html")
    return message


def webhook_body(
    *, delivery: str, kind: str, tenant: str | None, recipient: dict[str, str], rendered: Rendered
) -> bytes:
    """What a gateway (Zalo OA, SMS) receives: who, what kind, and the texts; no more personal data than that."""
    payload = {
        "delivery_id": delivery,
        "kind": kind,
        "tenant": tenant,
        "recipient": recipient,
        "subject_vi": rendered.subject_vi,
        "body_vi": rendered.body_vi,
        "subject_en": rendered.subject_en,
        "body_en": rendered.body_en,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed with the scheme: `sha256=<hex>`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify_signature(secret: str, timestamp: int, body: bytes, header: str, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver checks: the signature matches and the timestamp is recent (replays of old calls fail)."""
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(signature(secret, timestamp, body), header)
