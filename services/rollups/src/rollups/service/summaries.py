"""Recomputing the summaries whose facts changed: each (commune, period) from its own facts, in full."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from rollups.domain.aggregates import Summary
from rollups.domain.listing import listing_rows
from rollups.domain.summary import summarise
from rollups.repository import AWARDS, PROPOSALS, SUBMISSIONS, ReadModels, summary_id
from thidua_platform.loops import poll

log = logging.getLogger(__name__)


async def refresh(*, models: ReadModels, tenant: str, province: str, period: str, at: datetime) -> Summary:
    """The commune's summary of the period and its entrants' listing, both from the period's facts."""
    submissions = await models.facts_of(SUBMISSIONS, tenant, province, period)
    awards = await models.facts_of(AWARDS, tenant, province, period)
    summary = summarise(
        submissions=submissions,
        awards=awards,
        proposals=await models.facts_of(PROPOSALS, tenant, province, period),
        index=await models.index_of(tenant, province, period),
    )
    await models.save_listing(tenant, period, listing_rows(tenant, province, period, submissions, awards))
    document: Summary = {
        "_id": summary_id(tenant, period),
        "tenant": tenant,
        "province": province,
        "period": period,
        **summary,
        "refreshed_at": at,
    }
    await models.save_summary(document)
    return document


async def refresh_dirty(*, models: ReadModels) -> int:
    """Recompute every marked summary; returns how many."""
    done = 0
    for marker in await models.dirty():
        try:
            await refresh(
                models=models,
                tenant=marker["tenant"],
                province=marker["province"],
                period=marker["period"],
                at=datetime.now(UTC),
            )
        except Exception:  # one commune's failure must not hold back the others; its marker stays for a retry
            log.exception("summary of %s failed; it stays marked", marker["_id"])
            continue
        await models.clear_dirty(marker)
        done += 1
    return done


async def keep_fresh(*, models: ReadModels, stop: asyncio.Event, poll_seconds: float) -> None:
    """The worker's loop: recompute what changed, then wait a little."""
    await poll(stop, lambda: refresh_dirty(models=models), every=poll_seconds, what="summary refresh")
