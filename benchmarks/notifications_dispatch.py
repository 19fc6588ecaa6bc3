"""How fast notifications are stored and sent, against the floor they stand on. Prints figures; asserts nothing.

Run with the stack up (`deploy/stack up`): `.venv/bin/python benchmarks/notifications_dispatch.py [--n 200]`.

In one run, on a throwaway database and a local aiosmtpd server:
1. intake: N notices for one realm user (in-app message + e-mail delivery each), through the real directory;
2. dispatch: those N e-mails sent by 1 and by 4 concurrent dispatchers (claim, send, record);
3. the floor: N raw `insert_one` into the same database, and N e-mails sent straight with aiosmtplib.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import aiosmtplib
from aiosmtpd.controller import Controller

from notifications.adapters.channels import SmtpSender, WebhookSender
from notifications.adapters.directory import KeycloakDirectory
from notifications.domain.delivery import email_message
from notifications.domain.notices import Notice, Username
from notifications.domain.templates import BUILTIN, SAMPLES, render
from notifications.repository import Repositories
from notifications.service.dispatch import Dispatcher, DispatchPolicy
from notifications.service.intake import IntakeConfig, Place, notify
from thidua_platform.mongo import connect

MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
KEYCLOAK_URL = os.environ.get("THIDUA_KEYCLOAK_URL", "http://127.0.0.1:18080")
PLACE = Place(tenant="ph-37-lien-minh", province="37", subject="bench")


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, _server: Any, _session: Any, _envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def intake(repos: Repositories, directory: KeycloakDirectory, n: int) -> float:
    facts = SAMPLES["submission_scored"]
    started = time.perf_counter()
    for _ in range(n):
        notice = Notice("submission_scored", (Username("lm.submitter"),), facts, str(uuid.uuid4()))
        await notify(
            repos=repos,
            directory=directory,
            notice=notice,
            place=PLACE,
            config=IntakeConfig(digest_hour=17),
            now=datetime.now(UTC),
        )
    return time.perf_counter() - started


async def dispatch(repos: Repositories, port: int, dispatchers: int) -> float:
    senders = [
        Dispatcher(
            repos=repos,
            email=SmtpSender(host="127.0.0.1", port=port, sender="thidua@thidua.invalid"),
            webhook=WebhookSender(),
            policy=DispatchPolicy(batch=50, concurrency=8),
        )
        for _ in range(dispatchers)
    ]
    started = time.perf_counter()
    while await repos.deliveries.collection.count_documents({"status": {"$ne": "sent"}}):
        await asyncio.gather(*(s.dispatch_due() for s in senders))
    return time.perf_counter() - started


async def raw_floor(repos: Repositories, port: int, n: int) -> tuple[float, float]:
    scratch = repos.deliveries.collection.database["scratch"]
    started = time.perf_counter()
    for i in range(n):
        await scratch.insert_one({"_id": i, "at": datetime.now(UTC)})
    inserts = time.perf_counter() - started
    rendered = render(BUILTIN["submission_scored"], SAMPLES["submission_scored"])
    started = time.perf_counter()
    for i in range(n):
        message = email_message(
            rendered=rendered,
            sender="thidua@thidua.invalid",
            to="a@thidua.invalid",
            delivery=f"raw-{i}",
            subject_id="bench",
            kind="k",
            at=datetime.now(UTC),
        )
        await aiosmtplib.send(message, hostname="127.0.0.1", port=port)
    return inserts, time.perf_counter() - started


async def main(n: int) -> None:
    port = free_port()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    client = connect(MONGO_URL)
    directory = KeycloakDirectory(
        server_url=KEYCLOAK_URL,
        realm="thidua",
        client_id="thidua-services",
        client_secret=os.environ.get("THIDUA_DIRECTORY_CLIENT_SECRET", "thidua-services-dev-secret"),
    )
    figures: dict[str, float] = {}
    try:
        for dispatchers in (1, 4):
            name = f"thidua_bench_{uuid.uuid4().hex[:8]}"
            repos = Repositories.of(client[name])
            figures[f"intake_{dispatchers}"] = await intake(repos, directory, n)
            figures[f"dispatch_{dispatchers}"] = await dispatch(repos, port, dispatchers)
            if dispatchers == 1:
                figures["raw_insert"], figures["raw_smtp"] = await raw_floor(repos, port, n)
            await client.drop_database(name)
    finally:
        await client.close()
        controller.stop()
    sent = sink.count - n  # the raw floor's own e-mails
    print(f"notifications benchmark, n={n} per phase (one realm user; FerretDB at {MONGO_URL})")
    intake_s = figures["intake_1"]
    print(f"  intake   {n / intake_s:7.1f} notices/s   {1000 * intake_s / n:6.1f} ms each (in-app + e-mail stored)")
    for d in (1, 4):
        took = figures[f"dispatch_{d}"]
        print(f"  dispatch {n / took:7.1f} e-mails/s   {1000 * took / n:6.1f} ms each, {d} dispatcher(s)")
    raw_i, raw_s = figures["raw_insert"], figures["raw_smtp"]
    print(f"  floor    {n / raw_i:7.1f} inserts/s  (raw insert_one)   {n / raw_s:7.1f} e-mails/s (raw aiosmtplib)")
    print(f"  e-mails received by the sink from dispatchers: {sent} (expected {2 * n}: exactly once each)")
    best = n / min(figures["dispatch_1"], figures["dispatch_4"])
    print(f"  best dispatch rate / raw insert rate = {best / (n / raw_i):.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    asyncio.run(main(parser.parse_args().n))
