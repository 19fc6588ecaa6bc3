"""A province's rollups under load. Prints figures; asserts nothing.

Run with the stack up (`deploy/stack up`):

    .venv/bin/python benchmarks/rollups_province.py                      # 130 communes × 1,000 submissions
    .venv/bin/python benchmarks/rollups_province.py --communes 20 --per-commune 100

In one run, isolated from the live platform (its own topics, consumer group and database, so no other service
sees the load): every commune's dossiers are submitted and finally scored, a fifth of them awarded, and the commune's
index computed — all as events published to Kafka; the rollups' own worker code consumes them into the read models
and recomputes the summaries. Then, through the rollups' HTTP API (in process, with a real nb.staff token), the
province dashboard, one commune and one commune's entrants are read many times (p50, p95), and the province's and a
commune's report are generated.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Literal

import httpx
from confluent_kafka.admin import AdminClient

from rollups.bootstrap import create_api
from rollups.consumers.events import batch_handler, handlers
from rollups.domain.listing import finalised
from rollups.repository import AWARDS, SUBMISSIONS, ReadModels
from rollups.service import reports
from rollups.service.summaries import keep_fresh
from rollups.settings import RollupsSettings
from thidua_contracts.awards import AwardDecided, AwardRecipient
from thidua_contracts.scoring import CriterionScore, IndexComputed, ScoreFinalised
from thidua_contracts.submissions import SubmissionSubmitted
from thidua_contracts.terms import EntrantRef
from thidua_platform.auth import Principal
from thidua_platform.client import password_token
from thidua_platform.envelope import Envelope, dead_letter_topic, new_event
from thidua_platform.kafka import EventPublisher
from thidua_platform.mongo import connect
from thidua_platform.platform import build_platform
from thidua_platform.tenancy import Scope

PROVINCE, PERIOD = "37", "2026"
GROUPS = ("a", "b", "c", "d1", "d2")
GRADES = ((90, "Xuất sắc"), (80, "Tốt"), (65, "Khá"), (50, "Đạt"), (0, "Không đạt"))


def grade_of(total: float) -> str:
    return next(name for floor, name in GRADES if total >= floor)


def commune_events(number: int, per_commune: int, topic_of: dict[str, str]) -> list[tuple[str, Envelope]]:
    tenant = f"bench-{number:03d}"
    out: list[tuple[str, Envelope]] = []
    recipients = []
    for i in range(per_commune):
        group = GROUPS[i % len(GROUPS)]
        entrant = EntrantRef(
            id=f"{tenant}-e{i}",
            name=f"Đơn vị {i} xã {number}",
            kind="individual" if group.startswith("d") else "collective",
            target_group=group,
        )
        sid = f"{tenant}-s{i}"
        total = float(40 + (i * 37 + number * 11) % 61)
        submitted = SubmissionSubmitted(
            submission_id=sid, version=1, period=PERIOD, entrant=entrant, submitted_by="u-bench", criteria=()
        )
        criteria = tuple(
            CriterionScore(
                code=f"t{t}", theme=t, rule="ratio", inputs={}, max_points=25, points=total / 4, explanation=""
            )
            for t in (1, 2, 3, 4)
        )
        scored = ScoreFinalised(
            submission_id=sid,
            submission_version=1,
            period=PERIOD,
            entrant=entrant,
            submitted_by="u-bench",
            total=total,
            max_total=100,
            grade=grade_of(total),
            criteria=criteria,
            reason="all_reviews_in",
        )
        pair: tuple[SubmissionSubmitted, ScoreFinalised] = (submitted, scored)
        for data in pair:
            event = new_event(data, source="benchmark", subject=sid, tenant=tenant, province=PROVINCE)
            out.append((topic_of[data.topic], event))
        if i % 5 == 0:
            recipients.append(AwardRecipient(candidate_id=f"{sid}-c", entrant=entrant, submitted_by="u-bench"))
    award = AwardDecided(
        decision_id=f"{tenant}-d",
        award_form="GIAY_KHEN_XA",
        period=PERIOD,
        round="yearly",
        level="commune",
        number=f"{number}/QĐ-UBND",
        signed_on=date(2026, 12, 10),
        issuer="Chủ tịch UBND xã",
        recipients=tuple(recipients),
    )
    index = IndexComputed(
        period=PERIOD,
        digital_government=0.5 + number % 50 / 100,
        digital_economy=0.6,
        digital_society=0.7,
        overall=0.6 + number % 40 / 100,
        indicators=12,
    )
    extra: tuple[AwardDecided, IndexComputed] = (award, index)
    for data in extra:  # type: ignore[assignment]
        event = new_event(data, source="benchmark", subject=f"{tenant}-x", tenant=tenant, province=PROVINCE)
        out.append((topic_of[data.topic], event))
    return out


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {1000 * statistics.median(ordered):7.1f} ms   p95 {1000 * p95:7.1f} ms   (n={len(ordered)})"


async def main(communes: int, per_commune: int, reads: int) -> None:
    run = uuid.uuid4().hex[:6]
    settings = RollupsSettings(mongo_database=f"thidua_bench_rollups_{run}")
    platform = build_platform(settings)
    topic_of = {t: f"bench-{run}.{t}" for t in ("thidua.submissions", "thidua.scoring", "thidua.awards")}
    topics = list(topic_of.values())
    platform.ensure_topics(topics)
    models = ReadModels(platform.database)
    # 1. load: publish every event
    began = time.perf_counter()
    publisher = EventPublisher(settings.kafka_bootstrap, "benchmark")
    published = 0
    for number in range(1, communes + 1):
        batch = commune_events(number, per_commune, topic_of)
        await publisher.publish_many(batch)
        published += len(batch)
    await publisher.close()
    publish_s = time.perf_counter() - began
    print(f"rollups benchmark: {communes} communes × {per_commune} submissions = {published} events")
    print(f"  publish   {published / publish_s:9.0f} events/s   ({publish_s:.1f} s)")

    # 2. the rollups' own worker code consumes them (one consumer in batches, as deployed) while its summary loop
    # keeps the summaries current, as the worker's does
    applied, last_applied = 0, 0.0
    apply_batch = batch_handler(models)

    async def counting(envelopes: Sequence[Envelope]) -> None:
        nonlocal applied, last_applied
        await apply_batch(envelopes)
        applied += len(envelopes)
        last_applied = time.perf_counter()

    consumer = platform.consumer(group_id=f"bench-{run}", topics=topics, handlers=handlers(models), batch=counting)
    stop = asyncio.Event()
    began = time.perf_counter()
    consuming = asyncio.create_task(consumer.run(stop))
    summarising = asyncio.create_task(keep_fresh(models=models, stop=stop, poll_seconds=settings.summary_poll_seconds))
    while applied < published:
        await asyncio.sleep(5)
        print(f"  … {applied} events applied after {time.perf_counter() - began:.0f} s", flush=True)
    applied_s = last_applied - began
    while True:  # the summary loop has recomputed every commune the events touched
        if not await models.pending():
            break
        await asyncio.sleep(0.2)
    consume_s = time.perf_counter() - began
    stop.set()
    await asyncio.gather(consuming, summarising)
    everywhere = Scope(province=PROVINCE)
    scored = len(await models.find_all(SUBMISSIONS, everywhere, period=PERIOD, keep=finalised))
    awarded = len(await models.find_all(AWARDS, everywhere, period=PERIOD))
    print(f"  apply     {published / applied_s:9.0f} events/s   ({applied_s:.1f} s; the batch path, as the worker)")
    print(f"  summaries current {consume_s - applied_s:.1f} s later   ({published / consume_s:.0f} events/s overall)")
    print(
        f"  read models: {scored} dossiers scored, {awarded} awards (expected {communes * per_commune} and "
        f"{communes * ((per_commune + 4) // 5)})"
    )

    # 3. reads through the HTTP API, with a real token of the province's staff
    app = create_api(settings)
    token = password_token("nb.staff").access_token
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://rollups") as http:
        timings: dict[str, list[float]] = {"province": [], "commune": [], "entrants": []}
        urls = {
            "province": f"/rollups/provinces/{PROVINCE}?period={PERIOD}",
            "commune": f"/rollups/communes/bench-001?period={PERIOD}",
            "entrants": f"/rollups/communes/bench-001/entrants?period={PERIOD}",
        }
        for name, url in urls.items():
            for _ in range(reads):
                began = time.perf_counter()
                response = await http.get(url, headers=headers)
                timings[name].append(time.perf_counter() - began)
                assert response.status_code == 200, response.text
        rows = (await http.get(urls["province"], headers=headers)).json()
        print(f"  dashboard (province, {len(rows['communes'])} communes ranked)  {percentiles(timings['province'])}")
        print(f"  one commune                          {percentiles(timings['commune'])}")
        print(f"  a page of one commune's {per_commune} entrants {percentiles(timings['entrants'])}")

    # 4. reports
    staff = Principal(user_id="u-bench", username="nb.staff", roles=frozenset({"province_staff"}), province=PROVINCE)
    made: tuple[tuple[Literal["commune", "province"], str], ...] = (("province", PROVINCE), ("commune", "bench-001"))
    for kind, code in made:
        job = await reports.request(
            models=models, principal=staff, kind=kind, code=code, period=PERIOD, letterhead=None
        )
        began = time.perf_counter()
        await reports.generate(models=models, job=job, fonts=settings.fonts)
        took = time.perf_counter() - began
        done_job = await reports.job_of(models=models, principal=staff, job_id=job["_id"])
        sizes = [
            len(await reports.file_of(models=models, principal=staff, job_id=job["_id"], extension=ext))
            for ext in ("xlsx", "pdf")
        ]
        print(
            f"  {kind} report: {took:.2f} s ({done_job['status']}; "
            f"xlsx {sizes[0] // 1024} KiB, pdf {sizes[1] // 1024} KiB)"
        )

    client = connect(settings.mongo_url)
    if not os.environ.get("THIDUA_BENCH_KEEP"):
        await client.drop_database(settings.database_name)
        AdminClient({"bootstrap.servers": settings.kafka_bootstrap}).delete_topics(
            [*topics, dead_letter_topic(f"bench-{run}")]
        )
    await client.close()
    await platform.close()
    print(f"  (at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=130)
    parser.add_argument("--per-commune", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(main(args.communes, args.per_commune, args.reads))
