"""The two outbound channels: e-mail over SMTP and webhooks over HTTPS. Each `send` returns when the other side
accepted the message, or raises Temporary (try again later), Permanent (will never work: dead-letter now) or
Uncertain (the e-mail was handed over and no answer came: it may have been delivered, so it is not sent again).

An SMTP server keeps a message only once it has read the whole of it, so the e-mail sender calls `handing_over`
(which records the handover) after the server accepted the recipient and before the message's text goes out: a
sender that dies before that point sent nothing, one that dies after it may have sent the e-mail."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlsplit

import aiosmtplib
import httpx

from notifications.domain.aggregates import Delivery, WebhookGateway
from notifications.domain.delivery import email_message, signature, webhook_body
from notifications.domain.templates import Rendered


class DeliveryFailed(Exception):
    permanent = False


class Temporary(DeliveryFailed):
    pass


class Permanent(DeliveryFailed):
    permanent = True


class Uncertain(DeliveryFailed):
    """The message was handed over and the answer never came: sending it again could deliver it twice."""


HandingOver = Callable[[], Awaitable[None]]


async def nothing_to_record() -> None:
    return None


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


def rendered_of(delivery: Delivery) -> Rendered:
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

    async def send(self, delivery: Delivery, rendered: Rendered, handing_over: HandingOver = nothing_to_record) -> None:
        address = delivery["recipient"]["email"]
        if address is None:  # intake stores an e-mail for a person with an address only
            raise Permanent("Người nhận không có địa chỉ e-mail / The recipient has no e-mail address")
        message = email_message(
            rendered=rendered,
            sender=self.sender,
            to=address,
            delivery=delivery["_id"],
            subject_id=delivery.get("subject") or "",
            kind=delivery["kind"],
            at=datetime.now(UTC),
        )
        handed = asyncio.Event()
        try:
            await asyncio.wait_for(self._send(message, handing_over, handed), self.timeout_seconds)
        except TimeoutError as exc:
            raise unanswered(handed)(
                f"SMTP: quá {self.timeout_seconds:g} s / no answer within {self.timeout_seconds:g} s"
            ) from exc

    async def _send(self, message: EmailMessage, handing_over: HandingOver, handed: asyncio.Event) -> None:
        smtp = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            timeout=self.timeout_seconds,
            username=self.username,
            password=self.password,
            start_tls=self.start_tls,
        )
        try:
            await smtp.connect()
            await smtp.mail(parseaddr(self.sender)[1])
            await smtp.rcpt(parseaddr(str(message["To"]))[1])
            await handing_over()  # raises if the delivery is no longer ours: then nothing is sent
            handed.set()
            await smtp.data(message.as_bytes())
            await say_goodbye(smtp)
        except aiosmtplib.SMTPRecipientRefused as exc:  # the message would name the address: keep it out of logs
            raise answered(exc.code)(f"SMTP từ chối người nhận / recipient refused ({exc.code})") from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise answered(exc.code)(f"SMTP {exc.code}: {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise unanswered(handed)(f"SMTP: {exc}") from exc
        finally:
            smtp.close()  # after a failure or a cancellation: drop the connection without waiting for anything


def answered(code: int) -> type[DeliveryFailed]:
    """The server answered, so the outcome is known: a 5xx will never work, anything else may later."""
    return Permanent if 500 <= code < 600 else Temporary


def unanswered(handed: asyncio.Event) -> type[DeliveryFailed]:
    """No answer came: before the handover nothing was sent (try again), after it the e-mail may have arrived."""
    return Uncertain if handed.is_set() else Temporary


async def say_goodbye(smtp: aiosmtplib.SMTP) -> None:
    """QUIT after the message was accepted; the outcome is known by now, so a failure here changes nothing."""
    try:
        await smtp.quit()
    except (aiosmtplib.SMTPException, OSError):
        smtp.close()


@dataclass(frozen=True)
class WebhookSender:
    """Posts the message to the commune's gateway, signed: `X-Thidua-Signature: sha256=<hex>` over
    "<X-Thidua-Timestamp>.<body>"; `X-Thidua-Delivery` lets the gateway drop a repeat."""

    timeout_seconds: float = 10.0
    allow_private: bool = False
    transport: httpx.AsyncBaseTransport | None = None

    async def send(self, delivery: Delivery, rendered: Rendered, gateway: WebhookGateway | None) -> None:
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

    async def _post(self, delivery: Delivery, rendered: Rendered, gateway: WebhookGateway) -> None:
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
