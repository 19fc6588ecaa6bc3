"""Composition root of the notifications service."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import FastAPI

from notifications.adapters.channels import SmtpSender, WebhookSender
from notifications.adapters.directory import KeycloakDirectory
from notifications.api import deliveries, inbox, preferences, templates
from notifications.consumers.events import handlers
from notifications.repository import Repositories, ensure_indexes
from notifications.service.digest import digest_through, send_digests
from notifications.service.dispatch import Dispatcher, DispatchPolicy
from notifications.service.intake import IntakeConfig
from notifications.service.reminders import ReminderPolicy, send_reminders
from notifications.settings import NotificationsSettings
from thidua_contracts.topology import CONSUMER_GROUPS
from thidua_platform.loops import poll
from thidua_platform.platform import build_platform
from thidua_platform.runtime import Loop, Worker
from thidua_platform.web import service_app

GROUP_ID = "notifications"
TOPICS = CONSUMER_GROUPS[GROUP_ID]


def directory(settings: NotificationsSettings) -> KeycloakDirectory:
    issuer_server, _, realm = settings.oidc_issuer.partition("/realms/")
    return KeycloakDirectory(
        server_url=settings.directory_url.rstrip("/") or issuer_server,
        realm=realm,
        client_id=settings.directory_client_id,
        client_secret=settings.directory_client_secret.get_secret_value(),
        ttl_seconds=settings.directory_cache_seconds,
    )


def intake_config(settings: NotificationsSettings) -> IntakeConfig:
    return IntakeConfig(digest_hour=settings.digest_hour)


def dispatcher(settings: NotificationsSettings, repos: Repositories) -> Dispatcher:
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return Dispatcher(
        repos=repos,
        email=SmtpSender(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            timeout_seconds=settings.smtp_timeout_seconds,
            username=settings.smtp_username,
            password=password,
            start_tls=settings.smtp_start_tls,
        ),
        webhook=WebhookSender(
            timeout_seconds=settings.webhook_timeout_seconds, allow_private=settings.webhook_allow_private
        ),
        policy=DispatchPolicy(
            max_attempts=settings.dispatch_max_attempts,
            retry_base_seconds=settings.dispatch_retry_base_seconds,
            lease_seconds=settings.dispatch_lease_seconds,
        ),
    )


def create_api(settings: NotificationsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — notifications",
        description="Thông báo: hộp thư, tùy chọn, mẫu, lượt gửi / Notifications: inbox, preferences, templates, "
        "deliveries",
        routers=[inbox.router, preferences.router, templates.router, deliveries.router],
        on_startup=lambda: ensure_indexes(platform.database),
    )
    app.state.repositories = Repositories.of(platform.database)
    app.state.directory = directory(settings)
    app.state.intake = intake_config(settings)
    app.state.webhook_allow_private = settings.webhook_allow_private
    return app


def build_worker(settings: NotificationsSettings) -> Worker:
    """The worker turns events into messages and deliveries, sends them, and makes digests and reminders."""
    platform = build_platform(settings)
    repos = Repositories.of(platform.database)
    people, config = directory(settings), intake_config(settings)
    consumer = platform.consumer(group_id=GROUP_ID, topics=list(TOPICS), handlers=handlers(repos, people, config))
    sender = dispatcher(settings, repos)
    relay = platform.outbox_relay([])  # no events: it completes interrupted changes and clears applied records

    async def dispatch(stop: asyncio.Event) -> None:
        await sender.run(stop, settings.dispatch_poll_seconds)

    policy = ReminderPolicy(days_before=settings.reminder_days_before)

    async def digests() -> int:
        now = datetime.now(UTC)
        return await send_digests(repos=repos, through=digest_through(now, settings.digest_hour), now=now)

    async def reminders() -> int:
        return await send_reminders(repos=repos, directory=people, policy=policy, config=config, now=datetime.now(UTC))

    async def digest_sweep(stop: asyncio.Event) -> None:
        await poll(stop, digests, every=settings.sweep_seconds, what="digest sweep")

    async def reminder_sweep(stop: asyncio.Event) -> None:
        await poll(stop, reminders, every=settings.sweep_seconds, what="reminder sweep")

    loops: list[Loop] = [consumer.run, dispatch, digest_sweep, reminder_sweep, relay.run]
    return Worker(platform=platform, loops=loops, checks={"consumer": consumer.joined})
