"""Commune indexes recomputed from marks on the real database: once per commune however many final scores marked
it, the marks forgotten, a mark made during a recomputation kept for the next, and nothing recomputed twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from scoring.domain.aggregates import IndexMark
from scoring.repository import IndexQueue, Repositories, repositories
from scoring.service import index
from thidua_contracts.submissions import SubmissionWithdrawn
from thidua_contracts.terms import EntrantRef
from thidua_platform.envelope import new_event
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

LIEN_MINH, TAM_DIEP = "ph-37-lien-minh", "ph-37-tam-diep"


@pytest.fixture
async def repos() -> AsyncIterator[Repositories]:
    async with scratch_database() as database:
        yield repositories(database)


async def mark(repos: Repositories, tenant: str, cause: str) -> None:
    await repos.index_queue.mark(
        tenant=tenant, province="37", period="2026", cause=cause, cause_type="thidua.scoring.score.finalised.v1"
    )


async def test_each_marked_commune_is_recomputed_once_and_its_marks_forgotten(repos: Repositories) -> None:
    for n in range(5):
        await mark(repos, LIEN_MINH, f"final-{n}")
    await mark(repos, TAM_DIEP, "final-9")
    await mark(repos, LIEN_MINH, "final-0")  # a redelivered event marks nothing new

    assert await index.recompute_marked(repos=repos) == 2
    assert await repos.index_queue.marked() == []
    for tenant in (LIEN_MINH, TAM_DIEP):
        computed = await repos.indexes.get(Scope(tenant=tenant, province="37"), f"{tenant}:2026")
        assert computed is not None
        assert len(computed["audit"]) == 1  # one recomputation, however many marks
    assert await index.recompute_marked(repos=repos) == 0  # nothing marked: nothing recomputed


class MarkedDuringTheRecomputation(IndexQueue):
    """A final score arrives after the loop has read the marks (while it recomputes)."""

    async def marked(self, limit: int = 10_000) -> list[IndexMark]:
        found = await super().marked(limit)
        await IndexQueue.mark(self, tenant=LIEN_MINH, province="37", period="2026", cause="late", cause_type="late")
        return found


async def test_a_mark_made_during_a_recomputation_is_kept_for_the_next(repos: Repositories) -> None:
    await mark(repos, LIEN_MINH, "early")
    racing = replace(repos, index_queue=MarkedDuringTheRecomputation(repos.index_queue.collection))
    assert await index.recompute_marked(repos=racing) == 1
    assert [m["cause"] for m in await repos.index_queue.marked()] == ["late"]
    assert await index.recompute_marked(repos=repos) == 1
    computed = await repos.indexes.get(Scope(tenant=LIEN_MINH, province="37"), f"{LIEN_MINH}:2026")
    assert computed is not None
    assert len(computed["audit"]) == 2


async def test_a_commune_with_scores_but_no_final_is_ranked_from_its_index_document(repos: Repositories) -> None:
    """The province's ranking reads one index document per commune, never the scores: a commune's first score marks
    its index, the index loop writes it without a value, and the ranking lists the commune last, unranked."""
    entrant = EntrantRef(id="e-1", name="Thôn 1", kind="collective", target_group="a")
    withdrawn = SubmissionWithdrawn(submission_id="d-1", version=1, period="2026", entrant=entrant, withdrawn_by="u")
    submitted = new_event(withdrawn, source="test", subject="d-1", tenant=TAM_DIEP, province="37")
    await index.took_part(repos=repos, envelope=submitted, period="2026")
    await index.took_part(repos=repos, envelope=submitted, period="2026")  # a redelivery marks nothing new
    assert len(await repos.index_queue.marked()) == 1
    assert await index.recompute_marked(repos=repos) == 1
    await index.took_part(repos=repos, envelope=submitted, period="2026")  # its index exists: no mark
    assert await repos.index_queue.marked() == []

    await mark(repos, LIEN_MINH, "final-1")
    await index.recompute_marked(repos=repos)
    ranking = await index.province_ranking(repos=repos, province="37", period="2026")
    assert [(r["commune"], r["rank"], r["overall"], r["indicators"]) for r in ranking] == [
        (LIEN_MINH, None, None, 0),
        (TAM_DIEP, None, None, 0),
    ]
    assert await index.province_ranking(repos=repos, province="36", period="2026") == []
