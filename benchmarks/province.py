"""A province at the size its users reach, against the same province nearly empty, in one run. Prints figures and a
last line `RESULT {json}`; asserts nothing.

Run with the stack up (`deploy/stack up --demo`):

    .venv/bin/python -m benchmarks.province                                   # 129 communes, 50,000 dossiers
    .venv/bin/python -m benchmarks.province --communes 40 --dossiers 5000 --requests 10

1. The nearly empty province: the same communes, holding everything the two measured communes have at size (five
   years of dossiers, with their scores, awards, notices) and one dossier of the period measured (2026) in each
   other commune (benchmarks/seeding/plan.py, `Restriction`). The measured communes are the two of Ninh Bình that
   real people log in to (xã Liên Minh, the largest, and xã Tam Điệp, a small one): their pages hold the same rows
   as at size, lists without a period (past awards, the inbox) included, so a ratio says what the rest of the
   province (its other 127 communes' five years) costs, not what a fuller page costs. Measured: every
   list and item endpoint of every service as the people who use them (p50/p95, benchmarks/probes.py), every page of
   the portal as one person of each role, and the pipeline (benchmarks/pipeline.py) at `--rate` dossiers/s offered
   (end-to-end p50/p99) and at saturation (dossiers/s, CPU seconds per dossier of every process, the database's
   included).
2. Those are removed and the province grown to `--communes` communes and `--dossiers` dossiers over the periods
   2025–2030, in every status, with their scores, assessments, candidates, sessions, decisions, proposals,
   notifications and deliveries, and rollups (each service's documents written by benchmarks/seeding/<service>/
   with the service's own models and id rules, in bulk); then the same measurements.
3. The grown province is removed and the nearly empty one seeded again for its pipeline: the pipeline's dossiers
   stay (in xã Tam Điệp, the small commune measured, and xã Sơn Mai), so it runs after both provinces' readings,
   which would otherwise count them as the province's growth (`--keep` leaves the grown province and measures the
   nearly empty pipeline first, before the readings at size).
4. Each reading is printed beside its empty one with the ratio, and the RESULT line holds the worst figures at size
   and `growth_ratio_max`, the worst p95 at size ÷ p95 empty over every page and endpoint.

Each measurement starts once the stack is idle (a bulk write leaves the database and the consumers work to finish),
and reads every page and endpoint once a round, `--requests` rounds, so that a pause of one process (a garbage
collection, a journal flush) costs one sample of the readings it meets rather than several of one reading. Reads that
take seconds are sampled fewer times (`--budget` seconds a reading, never fewer than 3 requests). A reading's p95
is the 8th slowest of its 150 requests by default: with 60, it was the 3rd, and one pause meeting a reading of a few
milliseconds twice moved the worst ratio between 1.6 and 2.4 from run to run on the same code.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from pymongo import AsyncMongoClient

from benchmarks import pipeline
from benchmarks.portal import PORTAL, logged_in
from benchmarks.probes import (
    ITEMS,
    LISTS,
    PERIOD,
    BearerTokens,
    Reading,
    page_paths,
    page_targets,
    targets_of,
    timed_in_rounds,
)
from benchmarks.seeding.grow import Growth, grow, shrink
from benchmarks.seeding.plan import LARGE, SMALL, Restriction, province_plan
from tests.e2e.portal.routes import routes
from thidua_platform.client import password_token
from thidua_platform.mongo import Document

MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
PEOPLE = {  # one person of each role, in the largest commune, a small one and the province
    "lm.officer": {"commune_officer"},
    "td.officer": {"commune_officer"},
    "lm.submitter": {"submitter"},
    "lm.council1": {"council_member"},
    "lm.chair": {"commune_chair"},
    "nb.staff": {"province_staff"},
}
SERVICES = ("api", "worker")
DATABASE = "database"


@dataclass
class Measured:
    readings: list[Reading]
    at_rate: pipeline.PhaseFigures | None
    saturated: pipeline.PhaseFigures | None


IDLE_CPU_SHARE = 0.1  # of one core, all of the stack's processes together
SETTLE_S = 120.0


def settle(*, window_s: float = 2.0) -> None:
    """Wait, up to SETTLE_S, until the stack is idle (its processes together use less than IDLE_CPU_SHARE of a core
    over `window_s`), so that what a bulk write left to do (the database's journal, a consumer's backlog) is not
    measured as the cost of reading."""
    began = time.monotonic()
    while time.monotonic() - began < SETTLE_S:
        before = sum(pipeline.process_cpu().values())
        time.sleep(window_s)
        used = sum(pipeline.process_cpu().values()) - before
        if used / window_s < IDLE_CPU_SHARE:
            return
    print(f"the stack did not settle within {SETTLE_S:.0f} s; measuring anyway")


def readings_of(args: argparse.Namespace) -> list[Reading]:
    """Every list and item endpoint and every page, as the people who use them, once the stack is idle."""
    settle()
    tokens = BearerTokens(password_token)
    ids: dict[str, dict[str, str]] = {}
    sessions = {person: logged_in(person) for person in PEOPLE}  # one at a time: Keycloak locks out a rush of logins
    try:
        with httpx.Client(timeout=300) as client:
            targets = targets_of(LISTS, client, tokens, ids)
            targets += targets_of(ITEMS, client, tokens, ids)
            pages = page_paths(((path, roles) for method, path, roles in routes() if method == "GET"), PEOPLE)
            targets += page_targets(sessions, pages, ids, portal=PORTAL)
            return timed_in_rounds(targets, requests=args.requests, budget_s=args.budget)
    finally:
        for session in sessions.values():
            session.close()


Pipeline = tuple[pipeline.PhaseFigures | None, pipeline.PhaseFigures | None]


def pipeline_of(args: argparse.Namespace) -> Pipeline:
    """The pipeline at `--rate` offered and at saturation, once the stack is idle (none with --skip-pipeline)."""
    if args.skip_pipeline:
        return None, None
    settle()
    at_rate, saturated = pipeline.run(args.rate, args.seconds, args.saturate, args.clients, timeout=args.timeout)
    return at_rate, saturated


NOISE_FLOOR_MS = 20.0


def worst(readings: list[Reading], kind: str) -> float:
    return max((r.p95_ms for r in readings if r.kind == kind and r.failed is None), default=0.0)


def ratios(empty: list[Reading], grown: list[Reading]) -> list[tuple[Reading, Reading, float]]:
    before = {(r.kind, r.name, r.person): r for r in empty if r.failed is None}
    out = []
    for reading in grown:
        base = before.get((reading.kind, reading.name, reading.person))
        if base is not None and reading.failed is None and base.p95_ms > 0:
            out.append((base, reading, reading.p95_ms / base.p95_ms))
    return out


def print_table(empty: Measured, grown: Measured) -> None:
    paired = {(b.kind, b.name, b.person): (b, r, x) for b, r, x in ratios(empty.readings, grown.readings)}
    print(f"\n{'kind':5} {'who':13} {'what':64} {'empty p50/p95 ms':>17} {'at size p50/p95 ms':>19} {'×p95':>6}")
    for reading in grown.readings:
        key = (reading.kind, reading.name, reading.person)
        what = reading.name[:64]
        if reading.failed:
            print(f"{reading.kind:5} {reading.person:13} {what:64} FAILED at size: {reading.failed[:80]}")
            continue
        if key in paired:
            base, _, ratio = paired[key]
            before = f"{base.p50_ms:7.0f} /{base.p95_ms:7.0f}"
            print(
                f"{reading.kind:5} {reading.person:13} {what:64} {before:>17} "
                f"{reading.p50_ms:8.0f} /{reading.p95_ms:8.0f} {ratio:6.1f}"
            )
        else:
            print(
                f"{reading.kind:5} {reading.person:13} {what:64} {'—':>17} {reading.p50_ms:8.0f} /{reading.p95_ms:8.0f}"
            )
    for name, measured in (("empty", empty), ("at size", grown)):
        if measured.at_rate and measured.saturated:
            measured.at_rate.print(f"pipeline {name}, offered")
            measured.saturated.print(f"pipeline {name}, saturation")


def summary(measured: Measured) -> dict[str, object]:
    figures: dict[str, object] = {
        "page_p95_ms_max": round(worst(measured.readings, "page"), 1),
        "api_list_p95_ms_max": round(worst(measured.readings, "list"), 1),
        "api_item_p95_ms_max": round(worst(measured.readings, "item"), 1),
        "failed_readings": sum(1 for r in measured.readings if r.failed),
    }
    if measured.at_rate and measured.saturated:
        cpu = measured.saturated.cpu
        figures |= {
            "saturation_per_s": round(measured.saturated.per_s, 2),
            "db_cpu_s_per_dossier": round(cpu.get(DATABASE, 0.0), 3),
            "services_cpu_s_per_dossier": round(
                sum(v for k, v in cpu.items() if k.endswith(SERVICES) or k == "portal"), 3
            ),
            "e2e_p50_s": round(measured.at_rate.latency.get(50, float("nan")), 2),
            "e2e_p99_s": round(measured.at_rate.latency.get(99, float("nan")), 2),
            "offered_through": f"{measured.at_rate.through}/{measured.at_rate.dossiers}",
        }
    return figures


def outcome(
    args: argparse.Namespace, small: Growth, growth: Growth, empty: Measured, at_size: Measured
) -> dict[str, object]:
    """The RESULT line's figures: the worst at size, the growth ratios, the same figures for the empty province."""
    paired = ratios(empty.readings, at_size.readings)
    growths = [x for _, _, x in paired]
    # a reading of a few milliseconds doubles on a garbage collection: the same ratio with both p95s taken as at
    # least NOISE_FLOOR_MS, beside the raw one, says which growths are more than that
    floored = [max(r.p95_ms, NOISE_FLOOR_MS) / max(b.p95_ms, NOISE_FLOOR_MS) for b, r, _ in paired]
    return {
        "dossiers": growth.dossiers,
        "dossiers_nearly_empty": small.dossiers,
        "communes": args.communes,
        **summary(at_size),
        "growth_ratio_max": round(max(growths, default=float("nan")), 2),
        "growth_readings_over_1_5": sum(1 for x in growths if x > 1.5),
        "growth_readings": len(growths),
        f"growth_ratio_max_floor_{NOISE_FLOOR_MS:.0f}ms": round(max(floored, default=float("nan")), 2),
        "seed_s": round(growth.seconds),
        "seed_documents": growth.documents,
        "empty": summary(empty),
        "at": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    }


async def main(args: argparse.Namespace) -> None:
    """Readings of the nearly empty province, then of the grown one, then the pipeline at size, then (the grown
    province removed) the pipeline nearly empty. The pipeline's dossiers stay (in xã Tam Điệp, the small commune
    measured, and xã Sơn Mai): run before the readings at size, they would be read as the province's growth. So the
    nearly empty pipeline runs last, with the at-size pipeline's dossiers already there (which can only make it look
    slower). With `--keep` it runs first, as the grown province is not removed."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(MONGO_URL, tz_aware=True)
    only = Restriction(period=PERIOD, measured=frozenset({LARGE, SMALL}))
    nearly_empty = province_plan(communes=args.communes, dossiers=args.dossiers, only=only)
    grown = province_plan(communes=args.communes, dossiers=args.dossiers)
    grown_is_there = False
    try:
        small = await grow(client, nearly_empty, "the nearly empty province")
        print(
            f"measuring the nearly empty province ({small.dossiers} dossiers: {LARGE} and {SMALL} whole, "
            f"one of {PERIOD} in each other commune)"
        )
        empty_readings = await asyncio.to_thread(readings_of, args)
        empty_pipeline = await asyncio.to_thread(pipeline_of, args) if args.keep else None
        await shrink(client, nearly_empty, "the nearly empty province")
        growth = await grow(client, grown, f"{args.communes} communes, {args.dossiers} dossiers")
        grown_is_there = True
        print(
            f"grown: {growth.dossiers} dossiers, {growth.documents} documents in {growth.seconds:.0f} s "
            f"({growth.documents / max(growth.seconds, 1e-9):.0f} documents/s)"
        )
        print(f"measuring the province at size ({args.communes} communes, {growth.dossiers} dossiers)")
        at_size = Measured(await asyncio.to_thread(readings_of, args), *await asyncio.to_thread(pipeline_of, args))
        if empty_pipeline is None:
            await shrink(client, grown, "the grown province")
            grown_is_there = False
            await grow(client, nearly_empty, "the nearly empty province again, for its pipeline")
            print("measuring the nearly empty province's pipeline")
            empty_pipeline = await asyncio.to_thread(pipeline_of, args)
            await shrink(client, nearly_empty, "the nearly empty province")
        empty = Measured(empty_readings, *empty_pipeline)
        print_table(empty, at_size)
        result = outcome(args, small, growth, empty, at_size)
    finally:
        if grown_is_there and not args.keep:
            await shrink(client, grown, "the grown province")
        await client.close()
    print("RESULT " + json.dumps(result, ensure_ascii=False))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=129)
    parser.add_argument("--dossiers", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=150, help="requests a reading (p50/p95 over them)")
    parser.add_argument("--budget", type=float, default=15.0, help="seconds a reading may take at most")
    parser.add_argument("--rate", type=float, default=2.0, help="dossiers/s offered to the pipeline")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long they are offered")
    parser.add_argument("--saturate", type=int, default=60, help="dossiers submitted at once for saturation")
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients at saturation")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a pipeline phase may take to drain")
    parser.add_argument("--skip-pipeline", action="store_true", help="measure pages and endpoints only")
    parser.add_argument("--keep", action="store_true", help="leave the grown province in the databases")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(arguments()))
