"""When no more notification about a subject can come: the positive marker a test waits for before it asserts that a
message did not arrive twice, or at all (instead of sleeping "long enough").

A message about a subject comes from an event the notifications worker handles (an in-app message and the deliveries
it makes) and from a delivery the dispatcher sends. Once the worker's consumer group has committed every event
published so far (its lag is 0: it commits only what it has handled) and none of the subject's deliveries waits to be
sent (pending or sending), every message about the subject there will be is there.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import Any

from pymongo import MongoClient

from thidua_contracts.topology import CONSUMER_GROUPS
from thidua_platform.lag import LagProbe

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
GROUP = "notifications"
DATABASE = "thidua_notifications"
WAITING = ["pending", "sending"]  # what the dispatcher will still send (held e-mails go into a digest)


def deliveries_about(
    subjects: Collection[str], *, channel: str | None = None, to: str | None = None, waiting: bool = False
) -> list[dict[str, Any]]:
    """The deliveries about those subjects as stored, of a channel (email, webhook), to an e-mail address, or only
    those still waiting to be sent."""
    wanted: dict[str, Any] = {"subject": {"$in": sorted(subjects)}}
    if channel is not None:
        wanted["channel"] = channel
    if to is not None:
        wanted["recipient.email"] = to
    if waiting:
        wanted["status"] = {"$in": WAITING}
    client: MongoClient[dict[str, Any]] = MongoClient(MONGO_URL)
    try:
        return list(client[DATABASE]["deliveries"].find(wanted))
    finally:
        client.close()


def notifications_settled(subjects: Collection[str]) -> bool:
    """The notifications worker has handled every event published so far and no delivery about `subjects` waits."""
    if LagProbe(BOOTSTRAP, GROUP, CONSUMER_GROUPS[GROUP]).measure() != 0:
        return False
    return not deliveries_about(subjects, waiting=True)
