"""The whole pipeline's speed, against the infrastructure it stands on. Prints figures; asserts nothing.

Run with the stack up (`deploy/stack up`):

    .venv/bin/python -m benchmarks.pipeline                  # 2/s for 60 s, then 300 dossiers by 6 clients
    .venv/bin/python -m benchmarks.pipeline --rate 1 --seconds 30 --saturate 100 --clients 4

In one run, on the running platform (two communes of two provinces, as the fault run uses):
1. offered rate: dossiers submitted (registration, draft, submit) at a fixed rate; for each, the end-to-end latency
   from the submit request's answer to the moment its officer's in-app notification is stored **and** its rollup
   fact is written (both found by their derived ids, polled every 0.2 s), p50/p95/p99;
2. saturation: as many dossiers as the clients can submit at once; throughput = dossiers through the whole pipeline
   per second (first request to the last one notified and rolled up);
3. CPU seconds per submission of every process (from /proc, each process group, during each phase);
4. the floor, in the same run: MongoDB-wire writes per second from Python (async PyMongo `insert_one`, one client
   and 6 concurrent), and Kafka produce-then-consume messages per second (1 kB messages, idempotent producer).
The pipeline's throughput is reported as a fraction of each floor rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from confluent_kafka import Consumer, Producer, TopicPartition
from pymongo import AsyncMongoClient, MongoClient

from notifications.domain.delivery import delivery_id
from rollups.repository import SUBMISSIONS, partition
from tests.e2e.faults import COMMUNES, MONGO_URL, PERIOD, STACK, Driver, ready
from tests.e2e.world import fresh_tokens
from thidua_contracts.submissions import SubmissionSubmitted
from thidua_contracts.topology import TOPIC_SUBMISSIONS
from thidua_platform.kafka import ensure_topics

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
PROCESSES = (
    "submissions-api",
    "submissions-worker",
    "scoring-api",
    "scoring-worker",
    "awards-api",
    "awards-worker",
    "notifications-api",
    "notifications-worker",
    "rollups-api",
    "rollups-worker",
    "portal",
    "database",
    "kafka",
    "keycloak",
)
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Dossier:
    id: str
    tenant: str
    officer_id: str
    started: float
    accepted: float = 0.0
    event_id: str | None = None
    notified: float | None = None
    rolled_up: float | None = None

    @property
    def done(self) -> float | None:
        if self.notified is None or self.rolled_up is None:
            return None
        return max(self.notified, self.rolled_up)


@dataclass
class Tracker:
    """Finds, for each submitted dossier, its event id (on Kafka), its notification and its rollup fact."""

    dossiers: dict[str, Dossier] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def add(self, dossier: Dossier) -> None:
        with self.lock:
            self.dossiers[dossier.id] = dossier

    def pending(self) -> list[Dossier]:
        with self.lock:
            return [d for d in self.dossiers.values() if d.accepted and d.done is None]

    def read_events(self, assigned: threading.Event) -> None:
        consumer = Consumer(
            {
                "bootstrap.servers": BOOTSTRAP,
                "group.id": f"bench-{uuid.uuid4().hex[:8]}",
                "auto.offset.reset": "latest",
                "enable.auto.commit": False,
            }
        )

        def from_now(consumer: Consumer, partitions: list[TopicPartition]) -> None:
            # "latest" is resolved at the first fetch, after the dossiers may have started: pin the offsets now
            for assigned_partition in partitions:
                assigned_partition.offset = consumer.get_watermark_offsets(assigned_partition, timeout=10)[1]
            consumer.assign(partitions)
            assigned.set()

        consumer.subscribe([TOPIC_SUBMISSIONS], on_assign=from_now)
        ids: dict[str, str] = {}
        try:
            while not self.stop.is_set():
                message = consumer.poll(0.2)
                if message is not None and not message.error():
                    # a CloudEvent in structured mode: its type and id are in the value, not in ce_ headers
                    event = json.loads(message.value() or b"null")
                    if isinstance(event, dict) and event.get("type") == SubmissionSubmitted.event_type:
                        ids[text(message.key())] = str(event["id"])
                with self.lock:  # every pass: an event can arrive before its dossier is added
                    for sid in [sid for sid in ids if sid in self.dossiers]:
                        self.dossiers[sid].event_id = ids.pop(sid)
        finally:
            consumer.close()

    def poll_arrivals(self) -> None:
        client: MongoClient[dict[str, object]] = MongoClient(MONGO_URL)
        inbox, rollups = client["thidua_notifications"]["inbox"], client["thidua_rollups"]
        try:
            while not self.stop.is_set():
                for dossier in self.pending():
                    now = time.monotonic()
                    if dossier.notified is None and dossier.event_id:
                        found = inbox.find_one({"_id": delivery_id(dossier.event_id, dossier.officer_id, "in_app")})
                        dossier.notified = now if found else None
                    if dossier.rolled_up is None:
                        facts = rollups[partition(SUBMISSIONS, dossier.tenant, PERIOD)]
                        dossier.rolled_up = now if facts.find_one({"_id": f"{dossier.id}|status_rank|10"}) else None
                time.sleep(0.2)
        finally:
            client.close()


def text(value: str | bytes | None) -> str:
    return value.decode() if isinstance(value, bytes) else (value or "")


def process_cpu() -> dict[str, float]:
    """CPU seconds used so far by each component's process group."""
    groups = {}
    for name in PROCESSES:
        pid_file = STACK / "run" / f"{name}.pid"
        if pid_file.exists():
            groups[int(pid_file.read_text().strip())] = name
    used = dict.fromkeys(groups.values(), 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        group = int(fields[2])  # pgrp
        if group in groups:
            used[groups[group]] += (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    return used


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)  # nearest rank
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def submit_all(
    driver: Driver,
    tracker: Tracker,
    entrants: list[tuple[str, str, str, str]],
    clients: int,
    pace: Callable[[int], None],
) -> None:
    def one(numbered: tuple[int, tuple[str, str, str, str]]) -> None:
        i, (officer, tenant, officer_id, entrant) = numbered
        pace(i)
        started = time.monotonic()
        sid = driver.submit(officer, entrant)
        tracker.add(Dossier(sid, tenant, officer_id, started, accepted=time.monotonic()))

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, enumerate(entrants)))


def wait_through(tracker: Tracker, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while tracker.pending() and time.monotonic() < deadline:
        time.sleep(0.2)
    return time.monotonic()


@dataclass(frozen=True)
class PhaseFigures:
    """One phase of the pipeline: throughput end to end, latencies (s), CPU seconds per dossier of each process."""

    dossiers: int
    through: int
    per_s: float
    latency: dict[int, float]  # percentile -> seconds, from the submit's answer to notified and rolled up
    cpu: dict[str, float]

    def print(self, name: str) -> None:
        print(f"{name}: {self.dossiers} dossiers, {self.through} through the pipeline, {self.per_s:.2f}/s end to end")
        if self.latency:
            quoted = ", ".join(f"p{p} {s:.2f} s" for p, s in self.latency.items())
            print(f"  end-to-end latency (submit answered -> notified and rolled up): {quoted}")
        print("  CPU seconds per submission: " + ", ".join(f"{k} {v:.3f}" for k, v in self.cpu.items()))


def phase_figures(dossiers: list[Dossier], began: float, cpu: dict[str, float]) -> PhaseFigures:
    done = [d for d in dossiers if d.done is not None]
    latencies = [d.done - d.accepted for d in done if d.done is not None]
    last = max((d.done for d in done if d.done is not None), default=began)
    return PhaseFigures(
        dossiers=len(dossiers),
        through=len(done),
        per_s=len(done) / max(last - began, 1e-9),
        latency={p: percentile(latencies, p) for p in (50, 95, 99)} if latencies else {},
        cpu={k: v / max(len(dossiers), 1) for k, v in cpu.items()},
    )


def measure_phase(
    driver: Driver,
    tracker: Tracker,
    entrants: list[tuple[str, str, str, str]],
    clients: int,
    pace: Callable[[int], None],
    timeout: float = 600,
) -> PhaseFigures:
    before, began = process_cpu(), time.monotonic()
    first = len(tracker.dossiers)
    submit_all(driver, tracker, entrants, clients, pace)
    wait_through(tracker, timeout=timeout)
    after = process_cpu()
    cpu = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in before}
    return phase_figures(list(tracker.dossiers.values())[first:], began, cpu)


def run(rate: float, seconds: float, saturate: int, clients: int, timeout: float = 600) -> tuple[PhaseFigures, ...]:
    """Dossiers offered at `rate` for `seconds`, then `saturate` of them by `clients` at once: each phase's figures."""
    tokens = fresh_tokens()
    tracker = Tracker()
    with httpx.Client(timeout=30) as http:
        ready(http, tokens)
        driver = Driver(http, tokens)
        officer_ids = {officer: user_id(tokens(officer)) for _admin, officer, _code in COMMUNES}
        offered = round(rate * seconds)
        marker = uuid.uuid4().hex[:6]
        entrants = [
            (officer, code, officer_ids[officer], driver.entrant(officer, f"Thôn đo {marker} {i}"))
            for i in range(offered + saturate)
            for _admin, officer, code in [COMMUNES[i % len(COMMUNES)]]
        ]
        assigned = threading.Event()
        threads = [
            threading.Thread(target=tracker.read_events, args=(assigned,), daemon=True),
            threading.Thread(target=tracker.poll_arrivals, daemon=True),
        ]
        for thread in threads:
            thread.start()
        assigned.wait(30)
        start = time.monotonic()

        def paced(i: int) -> None:
            time.sleep(max(0.0, start + i / rate - time.monotonic()))

        try:
            at_rate = measure_phase(driver, tracker, entrants[:offered], max(4, int(rate * 3)), paced, timeout)
            saturated = measure_phase(driver, tracker, entrants[offered:], clients, lambda _i: None, timeout)
        finally:
            tracker.stop.set()
    return at_rate, saturated


def user_id(token: str) -> str:
    issuer = os.environ.get("THIDUA_OIDC_ISSUER", "http://127.0.0.1:18080/realms/thidua")
    answer = httpx.get(f"{issuer}/protocol/openid-connect/userinfo", headers={"Authorization": f"Bearer {token}"})
    return str(answer.json()["sub"])


async def database_floor(seconds: float = 3.0) -> tuple[float, float]:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(MONGO_URL)
    collection = client["thidua_bench_floor"][f"writes_{uuid.uuid4().hex[:6]}"]
    body = {"tenant": "ph-37-bench", "payload": "x" * 1000}

    async def writer(deadline: float) -> int:
        n = 0
        while time.monotonic() < deadline:
            await collection.insert_one({**body, "_id": uuid.uuid4().hex})
            n += 1
        return n

    try:
        one = await writer(time.monotonic() + seconds) / seconds
        deadline = time.monotonic() + seconds
        many = sum(await asyncio.gather(*(writer(deadline) for _ in range(6)))) / seconds
        return one, many
    finally:
        await client.drop_database("thidua_bench_floor")
        await client.close()


def kafka_floor(n: int = 20_000) -> float:
    topic = f"bench.floor.{uuid.uuid4().hex[:8]}"
    ensure_topics(BOOTSTRAP, [topic])
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "enable.idempotence": True, "acks": "all", "linger.ms": 5})
    began = time.monotonic()
    for i in range(n):
        producer.produce(topic, key=str(i % 100).encode(), value=b"x" * 1000)
        producer.poll(0)
    producer.flush(60)
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"bench-{topic}", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    read = 0
    try:
        while read < n and time.monotonic() - began < 120:
            read += sum(1 for m in consumer.consume(1000, 1.0) if not m.error())
    finally:
        consumer.close()
    return read / (time.monotonic() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=2.0, help="offered dossiers per second (phase 1)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of phase 1")
    parser.add_argument("--saturate", type=int, default=300, help="dossiers submitted at once (phase 2)")
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients in phase 2")
    args = parser.parse_args()

    print(f"pipeline benchmark: {args.rate}/s offered for {args.seconds:.0f} s, then {args.saturate} at once")
    at_rate, saturated = run(args.rate, args.seconds, args.saturate, args.clients)
    at_rate.print(f"offered {args.rate}/s")
    saturated.print(f"saturation ({args.clients} clients)")
    one, many = asyncio.run(database_floor())
    messages = kafka_floor()
    print(
        f"floor: database writes {one:.0f}/s (1 client), {many:.0f}/s (6 concurrent); Kafka produce+consume "
        f"{messages:.0f} messages/s"
    )
    print(
        f"pipeline at saturation = {saturated.per_s:.2f} dossiers/s = {saturated.per_s / many:.4f} of the "
        f"database's concurrent write rate, {saturated.per_s / messages:.5f} of Kafka's message rate"
    )


if __name__ == "__main__":
    main()
