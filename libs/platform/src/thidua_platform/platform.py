"""The infrastructure handles one process needs, built from settings. Nothing connects at import time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from thidua_platform.auth import JwksCache, TokenVerifier
from thidua_platform.consumer import BatchHandler, EventConsumer, Handler, RetryPolicy
from thidua_platform.envelope import dead_letter_topic
from thidua_platform.health import Check
from thidua_platform.kafka import EventPublisher, broker_reachable, ensure_topics
from thidua_platform.lag import LagProbe
from thidua_platform.metrics import Refresh, backlog_refresh, lag_refresh
from thidua_platform.mongo import Document, connect, ping
from thidua_platform.outbox import ChangeLog, OutboxRelay
from thidua_platform.settings import ServiceSettings


@dataclass
class Platform:
    settings: ServiceSettings
    mongo: AsyncMongoClient[Document]
    database: AsyncDatabase[Document]
    verifier: TokenVerifier
    _publisher: EventPublisher | None = None
    _broker_seen_at: float = field(default=0.0)
    refreshes: list[Refresh] = field(default_factory=list)  # what /metrics measures when scraped

    @property
    def publisher(self) -> EventPublisher:
        if self._publisher is None:
            self._publisher = EventPublisher(self.settings.kafka_bootstrap, self.settings.service_name)
        return self._publisher

    def collection(self, name: str) -> AsyncCollection[Document]:
        return self.database.get_collection(name)

    async def database_ready(self) -> bool:
        await ping(self.database)
        return True

    async def broker_ready(self) -> bool:
        if time.monotonic() - self._broker_seen_at < 5:
            return True
        if await asyncio.to_thread(broker_reachable, self.settings.kafka_bootstrap):
            self._broker_seen_at = time.monotonic()
            return True
        return False

    def checks(self) -> dict[str, Check]:
        """A worker's readiness: it consumes from and publishes to Kafka, so the broker is one of its dependencies."""
        return {"database": self.database_ready, "broker": self.broker_ready}

    def api_checks(self) -> dict[str, Check]:
        """An API's readiness: its database alone. An API writes a change's events with the change, into its change
        record (the outbox, ADR 0001), and the worker's relay publishes them: it serves on through a broker outage."""
        return {"database": self.database_ready}

    def ensure_topics(self, topics: Sequence[str]) -> None:
        """The topics exist, keep every event, and are replicated as the settings say (see `kafka.ensure_topics`)."""
        ensure_topics(
            self.settings.kafka_bootstrap,
            topics,
            replication_factor=self.settings.kafka_replication_factor,
            min_insync_replicas=self.settings.kafka_min_insync_replicas,
        )

    def consumer(
        self,
        *,
        group_id: str,
        topics: Sequence[str],
        handlers: Mapping[str, Handler],
        batch: BatchHandler | None = None,
    ) -> EventConsumer:
        """A consumer of the group; with `batch`, a poll's events are handled together (one by one if that fails)."""
        self.ensure_topics([*topics, dead_letter_topic(group_id)])
        self.refreshes.append(lag_refresh(LagProbe(self.settings.kafka_bootstrap, group_id, topics, cache_seconds=0)))
        return EventConsumer(
            bootstrap=self.settings.kafka_bootstrap,
            group_id=group_id,
            topics=topics,
            handlers=handlers,
            batch=batch,
            dead_letters=self.publisher,
            retry=RetryPolicy(
                max_attempts=self.settings.consumer_max_attempts,
                backoff_seconds=self.settings.consumer_retry_backoff_seconds,
            ),
        )

    def outbox_relay(self, topics: Sequence[str]) -> OutboxRelay:
        """Publishes the events of this service's database (all its aggregates share one change log)."""
        self.ensure_topics(topics)
        relay = OutboxRelay(
            changes=ChangeLog(self.database), publisher=self.publisher, poll_seconds=self.settings.outbox_poll_seconds
        )
        self.refreshes.append(backlog_refresh(self.settings.service_name, relay.backlog))
        return relay

    async def close(self) -> None:
        if self._publisher is not None:
            await self._publisher.close()
        await self.mongo.close()


def build_platform(settings: ServiceSettings) -> Platform:
    mongo = connect(settings.mongo_url, appname=f"thidua-{settings.service_name}")
    verifier = TokenVerifier(
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        jwks=JwksCache(settings.jwks_url),
        algorithms=settings.oidc_algorithms,
        leeway_seconds=settings.oidc_leeway_seconds,
    )
    return Platform(settings=settings, mongo=mongo, database=mongo[settings.database_name], verifier=verifier)
