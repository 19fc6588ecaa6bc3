"""Grows the real databases to a plan, commune after commune with a progress bar, and shrinks them back."""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import ModuleType

from pymongo import AsyncMongoClient
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from benchmarks.seeding import awards, notifications, rollups, scoring, submissions
from benchmarks.seeding.plan import ProvincePlan
from thidua_platform.mongo import Document

# Each seeder module has the same three functions, called positionally: seed_province(client, plan),
# seed(client, plan, commune) and forget(client, plan, commune); one that needs no client or plan
# names it `_client` or `_plan`.
SEEDERS: tuple[ModuleType, ...] = (submissions, scoring, awards, notifications, rollups)


@dataclass(frozen=True)
class Growth:
    documents: int
    dossiers: int
    seconds: float


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("communes"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )


async def grow(client: AsyncMongoClient[Document], plan: ProvincePlan, what: str) -> Growth:
    began = time.monotonic()
    documents = dossiers = 0
    for seeder in SEEDERS:
        documents += await seeder.seed_province(client, plan)
    with _progress() as progress:
        task = progress.add_task(f"growing {what}", total=len(plan.communes))
        for commune in plan.commune_plans():
            for seeder in SEEDERS:
                documents += await seeder.seed(client, plan, commune)
            dossiers += len(commune.dossiers)
            progress.advance(task)
    return Growth(documents, dossiers, time.monotonic() - began)


async def shrink(client: AsyncMongoClient[Document], plan: ProvincePlan, what: str) -> int:
    deleted = 0
    with _progress() as progress:
        task = progress.add_task(f"removing {what}", total=len(plan.communes))
        for commune in plan.commune_plans():
            for seeder in reversed(SEEDERS):
                deleted += await seeder.forget(client, plan, commune)
            progress.advance(task)
    return deleted
