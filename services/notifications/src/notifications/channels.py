"""The two outbound channels: e-mail over SMTP and webhooks over HTTPS. Each `send` returns when the other side
accepted the message, or raises Temporary (try again later) or Permanent (will never work: dead-letter now)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosmtplib
import httpx

from notifications.domain.delivery import email_message, signature, webhook_body
from notifications.domain.templates import Rendered
from thidua_shared.mongo import Document


class DeliveryFailed(Exception):
    permanent = False


class Temporary(DeliveryFailed):
    pass


class Permanent(DeliveryFailed):
    permanent = True


def rendered_of(delivery: Document) -> Rendered:
    return Rendered(**delivery["rendered"])


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int
    sender: str
    timeout_seconds: float = 20.0
    username: str | None = None
    password: str | None = None
    start_tls: bool = False

    async def send(self, delivery: Document, rendered: Rendered) -> None:
        message = email_message(
            rendered=rendered,
            sender=self.sender,
            to=delivery["recipient"]["email"],
            delivery=delivery["_id"],
            subject_id=delivery.get("subject") or "",
            kind=delivery["kind"],
            at=datetime.now(UTC),
        )
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                timeout=self.timeout_seconds,
                username=self.username,
                password=self.password,
                start_tls=self.start_tls,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise Permanent(f"SMTP từ chối người nhận / recipient refused: {exc}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            failure = Permanent if 500 <= exc.code < 600 else Temporary
            raise failure(f"SMTP {exc.code}: {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise Temporary(f"SMTP: {exc}") from exc


@dataclass(frozen=True)
class WebhookSender:
    """Posts the message to the commune's gateway, signed: `X-Thidua-Signature: sha256=<hex>` over
    "<X-Thidua-Timestamp>.<body>"; `X-Thidua-Delivery` lets the gateway drop a repeat."""

    timeout_seconds: float = 10.0
    transport: httpx.AsyncBaseTransport | None = None

    async def send(self, delivery: Document, rendered: Rendered, gateway: Document | None) -> None:
        if not gateway or not gateway.get("enabled", True):
            raise Permanent("Xã chưa cấu hình cổng webhook / The commune has no webhook gateway")
        recipient = {"user_id": delivery["recipient"]["user_id"], "username": delivery["recipient"]["username"]}
        body = webhook_body(
            delivery=delivery["_id"],
            kind=delivery["kind"],
            tenant=delivery["tenant"],
            recipient=recipient,
            rendered=rendered,
        )
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Thidua-Delivery": delivery["_id"],
            "X-Thidua-Timestamp": str(timestamp),
            "X-Thidua-Signature": signature(gateway["secret"], timestamp, body),
        }
        try:
            async with httpx.AsyncClient(timeout=self.timeout_seconds, transport=self.transport) as client:
                response = await client.post(gateway["url"], content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise Temporary(f"webhook: {type(exc).__name__}: {exc}") from exc
        if response.is_success:
            return
        detail = f"webhook HTTP {response.status_code}"
        if response.status_code in (408, 425, 429) or response.status_code >= 500:
            raise Temporary(detail)
        raise Permanent(detail)
