"""The two outbound channels: e-mail over SMTP and webhooks over HTTPS. Each `send` returns when the other side
accepted the message, or raises Temporary (try again later) or Permanent (will never work: dead-letter now)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from urllib.parse import urlsplit

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


def is_inside(address: str) -> bool:
    """Loopback, private, link-local (cloud metadata), multicast or reserved: not a gateway on the internet."""
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


async def resolves_inside(url: str) -> bool:
    """Whether the URL's host is, or resolves to, an address inside (checked at each send, so DNS cannot move a
    checked name inside later)."""
    host = urlsplit(url).hostname or ""
    try:
        return is_inside(host)
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False  # unresolvable: the post fails as a temporary error
    return any(is_inside(str(info[4][0])) for info in infos)


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
            await asyncio.wait_for(self._send(message), self.timeout_seconds)
        except TimeoutError as exc:
            raise Temporary(
                f"SMTP: quá {self.timeout_seconds:g} s / no answer within {self.timeout_seconds:g} s"
            ) from exc

    async def _send(self, message: EmailMessage) -> None:
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
        except aiosmtplib.SMTPRecipientsRefused as exc:  # the message would name the address: keep it out of logs
            codes = ", ".join(str(e.code) for e in exc.recipients)
            raise Permanent(f"SMTP từ chối người nhận / recipient refused ({codes})") from exc
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
    allow_private: bool = False
    transport: httpx.AsyncBaseTransport | None = None

    async def send(self, delivery: Document, rendered: Rendered, gateway: Document | None) -> None:
        if not gateway or not gateway.get("enabled", True):
            raise Permanent("Xã chưa cấu hình cổng webhook / The commune has no webhook gateway")
        if not self.allow_private and await resolves_inside(gateway["url"]):
            raise Permanent("Cổng webhook trỏ vào mạng nội bộ / The gateway points into a private network")
        try:
            await asyncio.wait_for(self._post(delivery, rendered, gateway), self.timeout_seconds)
        except TimeoutError as exc:
            raise Temporary(
                f"webhook: quá {self.timeout_seconds:g} s / no answer within {self.timeout_seconds:g} s"
            ) from exc

    async def _post(self, delivery: Document, rendered: Rendered, gateway: Document) -> None:
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
        try:  # the status is all we read: a gateway cannot make us hold a large answer
            async with (
                httpx.AsyncClient(timeout=self.timeout_seconds, transport=self.transport) as client,
                client.stream("POST", gateway["url"], content=body, headers=headers) as response,
            ):
                pass
        except httpx.HTTPError as exc:
            raise Temporary(f"webhook: {type(exc).__name__}") from exc
        if response.is_success:
            return
        detail = f"webhook HTTP {response.status_code}"
        if response.status_code in (408, 425, 429) or response.status_code >= 500:
            raise Temporary(detail)
        raise Permanent(detail)
