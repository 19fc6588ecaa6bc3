"""The fault run: dossiers submitted across communes of two provinces while every worker is SIGKILLed once and the
broker and the database are each restarted once; then, once the platform is quiet, every dossier is checked end to end.

    .venv/bin/python -m tests.e2e.faults --submissions 10000      # the full run, on demand (stack up)

`tests/e2e/test_faults.py` runs a smaller one in CI. Prints counts of lost, duplicated and stuck items (all must be
0) and the time to recover. Needs the local stack (`deploy/stack up`), whose process groups it kills and restarts
through `.stack/run/*.pid` and `deploy/stack up`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from thidua_contracts.topology import CONSUMER_GROUPS
from thidua_platform.client import SERVICE_URLS
from thidua_platform.lag import LagProbe

from .mailbox import delivery_ids
from .world import (
    DEFAULT_PREFERENCES,
    OPEN_PERIOD,
    REGISTERED_TARGETS,
    SUBMISSIONS,
    adopted_campaign,
    bearer,
    every_item,
    fresh_tokens,
    ok,
    open_period,
    published_template,
)

ROOT = Path(__file__).resolve().parents[2]  # the repository
STACK = Path(os.environ.get("THIDUA_STACK_DIR", ROOT / ".stack"))
MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
PERIOD = OPEN_PERIOD
WORKERS = ("submissions-worker", "scoring-worker", "awards-worker", "notifications-worker", "rollups-worker")
# (province admin, commune officer, commune code): communes of two provinces. Liên Minh, whose council the other
# e2e tests use, is left out: its council would be assigned every dossier and its period close made to finalise them.
COMMUNES = (
    ("nb.admin", "td.officer", "ph-37-tam-diep"),
    ("qn.admin", "sm.officer", "ph-51-son-mai"),
)
SERVICE_DATABASES = ("thidua_submissions", "thidua_scoring", "thidua_awards", "thidua_notifications")


@dataclass
class Faults:
    """What was done to the platform, when (seconds since the drive began)."""

    done: list[tuple[float, str]] = field(default_factory=list)
    last_at: float = 0.0


@dataclass(frozen=True)
class Dossier:
    id: str
    commune: str
    officer: str
    entrant_name: str


@dataclass
class Report:
    """Lost: missing with nothing left on its way (it will never arrive). Stuck: missing while something is still
    pending at the deadline (an outbox backlog, a consumer group's lag, an unsent e-mail)."""

    submitted: int
    lost: dict[str, int]
    duplicated: dict[str, int]
    stuck: dict[str, int]
    outbox_backlog: dict[str, int]
    lag: dict[str, int | None]
    drive_seconds: float
    recovery_seconds: float
    faults: list[tuple[float, str]]
    retries: int
    uncertain: int  # e-mails a killed dispatcher left `uncertain` (not sent again; received or not)
    concurrency: int

    @classmethod
    def of(cls, outcome: dict[str, Any], **run: Any) -> Report:
        missing = outcome["missing"]
        return cls(
            lost={k: 0 if outcome["pending"] else v for k, v in missing.items()},
            stuck={k: v if outcome["pending"] else 0 for k, v in missing.items()},
            duplicated=outcome["duplicated"],
            outbox_backlog=outcome["outbox_backlog"],
            lag=outcome["lag"],
            uncertain=outcome["uncertain"],
            **run,
        )

    def clean(self) -> bool:
        return not any((*self.lost.values(), *self.duplicated.values(), *self.stuck.values()))

    def lines(self) -> list[str]:
        kinds = sorted(self.lost)
        return [
            f"fault run: {self.submitted} dossiers submitted in {self.drive_seconds:.0f} s by {self.concurrency} "
            f"clients ({self.submitted / max(self.drive_seconds, 1e-9):.1f}/s; {self.retries} requests retried "
            f"through the faults); recovered (everything settled) {self.recovery_seconds:.0f} s after the last fault",
            "  faults: " + ", ".join(f"{what} at {at:.0f} s" for at, what in self.faults),
            "  lost: " + ", ".join(f"{k} {self.lost[k]}" for k in kinds),
            "  duplicated: " + ", ".join(f"{k} {self.duplicated[k]}" for k in kinds),
            "  stuck: " + ", ".join(f"{k} {self.stuck[k]}" for k in kinds),
            "  outbox backlog: " + ", ".join(f"{k} {v}" for k, v in self.outbox_backlog.items()),
            "  consumer lag: " + ", ".join(f"{k} {v}" for k, v in self.lag.items()),
            f"  e-mails left uncertain by a killed dispatcher (never sent twice): {self.uncertain}",
        ]


def stack_up() -> None:
    subprocess.run([str(ROOT / "deploy" / "stack"), "up"], check=True, capture_output=True, timeout=600)


def kill(component: str, sig: signal.Signals) -> None:
    """Signal the component's process group and wait until it is gone (SIGKILL after 60 s)."""
    pid = int((STACK / "run" / f"{component}.pid").read_text())
    os.killpg(pid, sig)
    deadline = time.monotonic() + 60
    while True:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
        time.sleep(0.2)


def inject(faults: Faults, began: float, what: str, action: Callable[[], None]) -> None:
    action()
    stack_up()
    faults.done.append((time.monotonic() - began, what))
    faults.last_at = time.monotonic()


def fault_plan() -> list[tuple[str, Callable[[], None]]]:
    """Each worker killed, the database killed (SIGKILL: it must lose no write it acknowledged) and restarted, the
    broker restarted, interleaved so both restarts fall mid-drive."""
    plan: list[tuple[str, Callable[[], None]]] = [
        (f"SIGKILL {worker}", lambda worker=worker: kill(worker, signal.SIGKILL))  # type: ignore[misc]
        for worker in WORKERS
    ]
    plan.insert(2, ("SIGKILL the database", lambda: kill("database", signal.SIGKILL)))
    plan.insert(4, ("restart kafka", lambda: kill("kafka", signal.SIGTERM)))
    return plan


def injector(
    plan: list[tuple[str, Callable[[], None]]], faults: Faults, began: float, progress: Callable[[], float]
) -> None:
    """Inject the plan's faults one after another, the k-th once the drive is k/(len+1) of the way."""
    for k, (what, action) in enumerate(plan, start=1):
        while progress() < k / (len(plan) + 1):
            time.sleep(0.1)
        inject(faults, began, what, action)


class Driver:
    """Submits dossiers; every request is retried (with the same Idempotency-Key) until it has its answer."""

    def __init__(self, http: httpx.Client, tokens: Callable[[str], str]) -> None:
        self.http = http
        self.tokens = tokens
        self.retries = 0
        self._counting = threading.Lock()

    def request(self, method: str, url: str, officer: str, *, ok: tuple[int, ...], **kwargs: Any) -> httpx.Response:
        deadline = time.monotonic() + 300
        extra = kwargs.pop("headers", {})  # the same Idempotency-Key on every attempt
        while True:
            try:
                response = self.http.request(method, url, headers=bearer(self.tokens(officer)) | extra, **kwargs)
                if response.status_code in ok:
                    return response
                if response.status_code < 500 and response.status_code != 429:
                    raise AssertionError(f"{method} {url}: {response.status_code} {response.text[:300]}")
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} {url}: no answer through the faults in 300 s")
            with self._counting:
                self.retries += 1
            time.sleep(0.5)

    def entrant(self, officer: str, name: str) -> str:
        body = {"name": name, "kind": "collective", "target_group": "a", "unit_type": "thôn", "focal_users": []}
        return str(self.request("POST", f"{SUBMISSIONS}/entrants", officer, ok=(201,), json=body).json()["id"])

    def submit(self, officer: str, entrant_id: str) -> str:
        key = {"Idempotency-Key": uuid.uuid4().hex}
        registration = {"period": PERIOD, "entrant_id": entrant_id, "targets": REGISTERED_TARGETS}
        self.request("POST", f"{SUBMISSIONS}/registrations", officer, ok=(200, 201), json=registration, headers=key)
        draft = self.request(
            "POST",
            f"{SUBMISSIONS}/submissions",
            officer,
            ok=(200, 201),
            json={"period": PERIOD, "entrant_id": entrant_id},
            headers=key,
        ).json()
        submitted = self.request("POST", f"{SUBMISSIONS}/submissions/{draft['id']}/submit", officer, ok=(200, 409))
        if submitted.status_code == 409:  # a retry after the first attempt was applied: check it is submitted
            current = self.request("GET", f"{SUBMISSIONS}/submissions/{draft['id']}", officer, ok=(200,)).json()
            assert current["status"] == "submitted", current
        return str(draft["id"])


def ready(http: httpx.Client, tokens: Callable[[str], str]) -> None:
    """Each commune's campaign adopted and period open; its officer (whom every submission is told to) on the
    default preferences, so no e-mail is held for a daily digest (another run may have left one set)."""
    for admin, officer, _code in COMMUNES:
        template = published_template(http, tokens(admin))
        campaign = adopted_campaign(http, tokens(officer), template["id"])
        open_period(http, tokens(officer), campaign["id"], PERIOD)
        ok(
            http.put(
                f"{SERVICE_URLS['notifications']}/preferences",
                json=DEFAULT_PREFERENCES,
                headers=bearer(tokens(officer)),
            )
        )


def spread(n: int) -> Iterator[tuple[str, str]]:
    for i in range(n):
        _admin, officer, code = COMMUNES[i % len(COMMUNES)]
        yield officer, code


def drive(n: int, *, with_faults: bool = True, concurrency: int = 4) -> Report:
    """Submit n dossiers with `concurrency` clients at once (as many officers' browsers would) through the faults."""
    tokens = fresh_tokens()
    marker = uuid.uuid4().hex[:8]
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2)
    with httpx.Client(timeout=30, limits=limits) as http, ThreadPoolExecutor(concurrency) as pool:
        ready(http, tokens)
        driver = Driver(http, tokens)

        def entrant(numbered: tuple[int, tuple[str, str]]) -> tuple[str, str, str, str]:
            i, (officer, code) = numbered
            name = f"Thôn sự cố {marker} {i}"
            return officer, code, driver.entrant(officer, name), name

        # entrants first (their creation is not idempotent; the dossiers are what goes through the faults)
        entrants = list(pool.map(entrant, enumerate(spread(n))))
        faults = Faults()
        began = time.monotonic()
        dossiers: list[Dossier] = []
        injecting = threading.Thread(
            daemon=True,  # a failed drive must not wait for faults that will never be due
            target=injector,
            args=(fault_plan() if with_faults else [], faults, began, lambda: len(dossiers) / len(entrants)),
        )
        injecting.start()

        def dossier(made: tuple[str, str, str, str]) -> Dossier:
            officer, code, entrant_id, name = made
            return Dossier(driver.submit(officer, entrant_id), code, officer, name)

        for made in pool.map(dossier, entrants):
            dossiers.append(made)
            if len(dossiers) % max(1, len(entrants) // 20) == 0:
                print(f"  {len(dossiers)} dossiers submitted, {time.monotonic() - began:.0f} s", file=sys.stderr)
        injecting.join()
        run = Run(
            marker=marker,
            began_at=time.time() - (time.monotonic() - began),
            drive_seconds=time.monotonic() - began,
            faults=faults.done,
            retries=driver.retries,
            concurrency=concurrency,
            dossiers=dossiers,
        )
        print(f"  the run's dossiers and faults: {run.save()} (check again with --check)", file=sys.stderr)
        stack_up()
        return settled(http, tokens, run)


@dataclass
class Run:
    """What a drive did, kept in .stack/fault-runs/ so its outcome can be counted again (--check)."""

    marker: str
    began_at: float  # wall clock
    drive_seconds: float
    faults: list[tuple[float, str]]
    retries: int
    concurrency: int
    dossiers: list[Dossier]

    def save(self) -> Path:
        path = STACK / "fault-runs" / f"{self.marker}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**asdict(self), "dossiers": [asdict(d) for d in self.dossiers]}))
        return path

    @classmethod
    def load(cls, path: Path) -> Run:
        saved = json.loads(path.read_text())
        return cls(
            **{
                **saved,
                "faults": [tuple(f) for f in saved["faults"]],
                "dossiers": [Dossier(**d) for d in saved["dossiers"]],
            }
        )


def settled(http: httpx.Client, tokens: Callable[[str], str], run: Run) -> Report:
    # the slowest consumer drains its backlog after the drive: ~2 events a dossier
    settled_at, outcome = settle(http, tokens, run.dossiers, timeout=max(900.0, 0.25 * len(run.dossiers)))
    last_fault = run.began_at + max((at for at, _what in run.faults), default=0.0)
    return Report.of(
        outcome,
        submitted=len(run.dossiers),
        drive_seconds=run.drive_seconds,
        recovery_seconds=time.time() - (time.monotonic() - settled_at) - last_fault,
        faults=run.faults,
        retries=run.retries,
        concurrency=run.concurrency,
    )


def check_again(path: Path) -> Report:
    with httpx.Client(timeout=30) as http:
        return settled(http, fresh_tokens(), Run.load(path))


def quiet() -> bool:
    """Cheap probes that the platform has nothing left to do: every group's lag, every outbox, no e-mail due within
    a minute. (The full count reads whole collections; run while consumers drain, it slows them down.)"""
    client: MongoClient[dict[str, Any]] = MongoClient(MONGO_URL)
    try:
        if any(client[name]["changes"].count_documents({}) for name in SERVICE_DATABASES):
            return False
        soon = datetime.now(UTC) + timedelta(minutes=1)
        if client["thidua_notifications"]["dispatch_queue"].count_documents({"due_at": {"$lte": soon}}):
            return False
    finally:
        client.close()
    return all(behind == 0 for behind in lags().values())


def settle(
    http: httpx.Client, tokens: Callable[[str], str], dossiers: list[Dossier], timeout: float = 900
) -> tuple[float, dict[str, Any]]:
    """Wait until the platform is quiet (or the timeout), then count; counted again while something is missing and
    the deadline allows (read models' summaries trail their facts by a poll)."""
    deadline = time.monotonic() + timeout
    while True:
        if quiet() or time.monotonic() > deadline:
            settled_at = time.monotonic()
            outcome = check(http, tokens, dossiers)
            if (not outcome["pending"] and not any(outcome["missing"].values())) or time.monotonic() > deadline:
                return settled_at, outcome
        time.sleep(3)


def lags() -> dict[str, int | None]:
    bootstrap = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    return {group: LagProbe(bootstrap, group, topics).measure() for group, topics in CONSUMER_GROUPS.items()}


def check(http: httpx.Client, tokens: Callable[[str], str], dossiers: list[Dossier]) -> dict[str, Any]:
    """Per dossier and place, how many times it arrived; and whether anything is still on its way."""
    wanted = [d.id for d in dossiers]
    found: dict[str, Counter[str]] = {}
    client: MongoClient[dict[str, Any]] = MongoClient(MONGO_URL)
    try:
        # submissions: each dossier submitted (what the driver was told)
        # (FerretDB evaluates `$in` against every document: a 10,000-id `$in` over 20,000 documents takes many
        # minutes, so each collection is read once with plain filters and matched here)
        ours = set(wanted)
        submitted = client["thidua_submissions"]["submissions"].find({"status": "submitted"}, {"_id": 1})
        found["submission"] = Counter(doc["_id"] for doc in submitted if doc["_id"] in ours)
        # rollups: each dossier once in its commune's read model, as submitted
        rollups: Counter[str] = Counter()
        for officer, commune in {(d.officer, d.commune) for d in dossiers}:
            rows = every_item(
                http,
                f"{SERVICE_URLS['rollups']}/rollups/communes/{commune}/entrants",
                bearer(tokens(officer)),
                period=PERIOD,
            )
            rollups.update(row["submission_id"] for row in rows or [] if row["status"] == "submitted")
        found["rollup"] = rollups
        # notifications: one in-app message and one e-mail delivery per dossier, the e-mail received once
        notifications = client["thidua_notifications"]
        about = {"kind": "submission_submitted"}
        messages = notifications["inbox"].find(about, {"subject": 1})
        found["in-app message"] = Counter(doc["subject"] for doc in messages if doc["subject"] in ours)
        emails = notifications["deliveries"].find({**about, "channel": "email"}, {"subject": 1, "status": 1})
        deliveries = [doc for doc in emails if doc["subject"] in ours]
        found["e-mail delivery"] = Counter(doc["subject"] for doc in deliveries)
        delivery_of = {doc["_id"]: doc["subject"] for doc in deliveries}
        received: Counter[str] = Counter()
        for delivery in delivery_ids():
            if delivery in delivery_of:
                received[delivery_of[delivery]] += 1
        found["e-mail received"] = received
        unsent = sum(1 for doc in deliveries if doc["status"] not in ("sent", "dead", "uncertain"))
        uncertain = sum(1 for doc in deliveries if doc["status"] == "uncertain")
        backlog = {name: client[name]["changes"].count_documents({}) for name in SERVICE_DATABASES}
    finally:
        client.close()
    behind = lags()
    pending = bool(unsent or any(backlog.values()) or any(v != 0 for v in behind.values()))
    return {
        "missing": {kind: sum(1 for sid in wanted if counts[sid] == 0) for kind, counts in found.items()},
        "duplicated": {kind: sum(1 for sid in wanted if counts[sid] > 1) for kind, counts in found.items()},
        "pending": pending,
        "outbox_backlog": backlog,
        "lag": behind,
        "unsent": unsent,
        "uncertain": uncertain,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--no-faults", action="store_true", help="the same run without faults (a baseline)")
    parser.add_argument("--concurrency", type=int, default=4, help="clients submitting at once (default 4)")
    parser.add_argument("--check", type=Path, help="count again the outcome of a saved run (.stack/fault-runs/)")
    args = parser.parse_args()
    if args.check:
        report = check_again(args.check)
    else:
        report = drive(args.submissions, with_faults=not args.no_faults, concurrency=args.concurrency)
    print("\n".join(report.lines()))
    sys.exit(0 if report.clean() else 1)


if __name__ == "__main__":
    main()
