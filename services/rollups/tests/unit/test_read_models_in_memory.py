"""The rollups worker's handlers and summary loop without servers: events of a commune become its facts and, one pass
of the summary loop later, its summary and the province's figures; exact under redelivery, any order and batching
(docs/adr/0010-rollups.md). The read models are the production repository on an in-memory database, the events
delivered through an in-process bus (thidua_platform.memory)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from rollups.domain.aggregates import Summary
from rollups.domain.changes import Change
from rollups.repository import SUBMISSIONS, partition
from rollups.service import views
from rollups.service.facts import apply_events
from rollups.service.rebuild import digest
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.envelope import Envelope, EventData

from .memory_worker import (
    DONG_HUNG,
    PERIOD,
    PROVINCE,
    YEN_THANG,
    Rollups,
    answered,
    at,
    candidate,
    commune,
    decided,
    event,
    finalised,
    index,
    person,
    proposed,
    returned,
    submitted,
    theme,
    withdrawn,
)

LAN = person("e-2", "Nguyễn Thị Lan", kind="individual", group="d1")


@pytest.fixture
def rollups() -> Rollups:
    return Rollups()


def figures(summary: Summary | None) -> dict[str, Any]:
    """A summary without the moment it was computed."""
    assert summary is not None
    return {name: value for name, value in summary.items() if name != "refreshed_at"}


def a_commune_year() -> list[Envelope]:
    """Two dossiers, one scored, candidate and awarded; a proposal upward; the commune's index."""
    return [
        event(submitted("s-1"), minute=1),
        event(submitted("s-2", LAN), minute=2),
        event(finalised("s-1", 92.0, "Xuất sắc", criteria=[theme(1, 40, 50), theme(2, 52, 50)]), minute=3),
        event(candidate("s-1"), minute=4),
        event(decided("d-1", DONG_HUNG), minute=5),
        event(proposed("p-1", DONG_HUNG), minute=6),
        event(index(0.8), minute=7),
    ]


async def test_a_communes_events_make_its_summary_with_the_exact_counts(rollups: Rollups) -> None:
    await rollups.receive(*a_commune_year())
    assert await rollups.summary() is None  # not before the summary loop's pass
    assert await rollups.models.pending() == 1

    assert await rollups.refresh() == 1
    summary = await rollups.summary()
    assert summary is not None
    assert (summary["scored"], summary["points"], summary["average_score"]) == (1, 92.0, 92.0)
    assert (summary["grades"], summary["bands"]) == ({"Xuất sắc": 1}, {"90": 1})
    assert summary["groups"] == {"a": {"scored": 1, "points": 92.0, "average_score": 92.0}}
    assert summary["themes"]["1"] == {
        "scored": 1,
        "points": 40.0,
        "max_sum": 50.0,
        "average_points": 40.0,
        "max_points": 50.0,
    }
    assert summary["awards"] == {
        "total": 1,
        "by_form": {"GIAY_KHEN_XA": 1},
        "by_level": {"commune": 1},
        "by_kind": {"collective": 1},
        "ad_hoc": 0,
    }
    assert (summary["proposals"], summary["pending_upward"]) == ({"submitted": 1}, 1)
    assert summary["index"] == {
        "overall": 0.8,
        "digital_government": 0.8,
        "digital_economy": 0.8,
        "digital_society": 0.8,
    }
    assert await rollups.in_progress() == {"submitted": 2, "awaiting_score": 1, "candidates": 1}
    assert await rollups.models.pending() == 0


async def test_the_province_adds_up_its_communes(rollups: Rollups) -> None:
    await rollups.receive(*a_commune_year())
    await rollups.receive(
        event(submitted("s-9", person("e-9", "Thôn Yên Thắng")), tenant=YEN_THANG),
        event(finalised("s-9", 71.0, "Khá", person("e-9", "Thôn Yên Thắng")), tenant=YEN_THANG),
    )
    assert await rollups.refresh() == 2

    rows, totals = await views.ranked(models=rollups.models, province=PROVINCE, period=PERIOD)
    assert [(r["commune"], r["scored"], r["rank"]) for r in rows] == [(LIEN_MINH, 1, 1), (YEN_THANG, 1, 2)]
    assert (totals["scored"], totals["points"], totals["average_score"]) == (2, 163.0, 81.5)
    assert totals["grades"] == {"Khá": 1, "Xuất sắc": 1}
    assert totals["awards"]["total"] == 1
    assert totals["in_progress"] == {
        "awaiting_score": 1,
        "candidates": 1,
        "returned": 0,
        "submitted": 3,
        "withdrawn": 0,
    }


async def test_ad_hoc_awards_are_counted_apart_within_the_years_awards(rollups: Rollups) -> None:
    """An ad-hoc award (khen thưởng đột xuất, `ad_hoc: true`) counts among the year's awards, and apart as ad-hoc, in
    the commune's summary and the province's total (docs/adr/0026)."""
    ad_hoc = decided("d-2", LAN).model_copy(update={"ad_hoc": True})
    await rollups.receive(*a_commune_year(), event(ad_hoc, minute=8), event(ad_hoc, minute=9))
    await rollups.refresh()
    summary = await rollups.summary()
    assert summary is not None
    assert (summary["awards"]["total"], summary["awards"]["ad_hoc"]) == (2, 1)
    _, totals = await views.ranked(models=rollups.models, province=PROVINCE, period=PERIOD)
    assert (totals["awards"]["total"], totals["awards"]["ad_hoc"]) == (2, 1)


async def test_a_returned_dossier_counts_as_returned_and_still_awaiting_its_score(rollups: Rollups) -> None:
    """Pinned as it stands (tests/flows): a returned dossier has no final score, so it is also awaiting one."""
    await rollups.receive(event(submitted("s-1"), minute=1), event(returned("s-1"), minute=2))
    await rollups.refresh()
    assert await rollups.in_progress() == {"submitted": 1, "returned": 1, "awaiting_score": 1}

    await rollups.receive(event(submitted("s-1", version=2), minute=3))  # resubmitted
    await rollups.refresh()
    assert await rollups.in_progress() == {"submitted": 1, "awaiting_score": 1}


async def test_a_withdrawn_dossier_leaves_the_scores_and_the_work_in_progress(rollups: Rollups) -> None:
    await rollups.receive(
        event(submitted("s-1"), minute=1),
        event(finalised("s-1", 92.0, "Xuất sắc"), minute=2),
        event(submitted("s-2", LAN), minute=3),
        event(withdrawn("s-1"), minute=4),
    )
    await rollups.refresh()
    summary = await rollups.summary()
    assert summary is not None
    assert (summary["scored"], summary["average_score"], summary["grades"]) == (0, None, {})
    assert await rollups.in_progress() == {"submitted": 1, "withdrawn": 1, "awaiting_score": 1}


async def test_an_event_delivered_twice_counts_once(rollups: Rollups) -> None:
    once = Rollups()
    await once.receive(*a_commune_year())
    await once.refresh()

    for envelope in a_commune_year():
        await rollups.receive(envelope, envelope)
    await rollups.refresh()
    await rollups.receive(*a_commune_year()[:3])  # again after the summary was made
    await rollups.refresh()

    assert figures(await rollups.summary()) == figures(await once.summary())
    assert await digest(models=rollups.models) == await digest(models=once.models)


@pytest.mark.parametrize(
    ("later", "earlier", "status", "in_progress"),
    [
        pytest.param(
            returned("s-1"),
            submitted("s-1"),
            "returned",
            {"submitted": 1, "returned": 1, "awaiting_score": 1},
            id="returned-then-its-submission",
        ),
        pytest.param(
            submitted("s-1", version=2),
            returned("s-1"),
            "resubmitted",
            {"submitted": 1, "awaiting_score": 1},
            id="resubmitted-then-the-earlier-return",
        ),
        pytest.param(
            withdrawn("s-1"), submitted("s-1"), "withdrawn", {"withdrawn": 1}, id="withdrawn-then-the-submission"
        ),
    ],
)
async def test_a_dossiers_status_is_its_latest_whatever_order_events_arrive_in(
    rollups: Rollups, later: EventData, earlier: EventData, status: str, in_progress: dict[str, int]
) -> None:
    """A status ranks by (version, step): an older one arriving after a newer one does not undo it."""
    await rollups.receive(event(later, minute=5), event(earlier, minute=1))
    await rollups.refresh()
    assert await rollups.in_progress() == in_progress
    facts = await rollups.models.facts_of(SUBMISSIONS, LIEN_MINH, PROVINCE, PERIOD)
    assert [f["status"] for f in facts] == [status]


async def test_an_older_score_arriving_late_does_not_replace_the_newer_one(rollups: Rollups) -> None:
    await rollups.receive(
        event(submitted("s-1", version=2), minute=4),
        event(finalised("s-1", 70.0, "Khá", version=2), minute=5),
        event(finalised("s-1", 92.0, "Xuất sắc", version=1), minute=1),
    )
    await rollups.refresh()
    summary = await rollups.summary()
    assert summary is not None
    assert (summary["scored"], summary["points"], summary["grades"]) == (1, 70.0, {"Khá": 1})


async def test_a_proposals_outcome_stands_when_its_submission_arrives_after_it(rollups: Rollups) -> None:
    await rollups.receive(
        event(answered("p-1", "awarded", DONG_HUNG), minute=5), event(proposed("p-1", DONG_HUNG), minute=1)
    )
    await rollups.refresh()
    summary = await rollups.summary()
    assert summary is not None
    assert (summary["proposals"], summary["pending_upward"]) == ({"awarded": 1}, 0)
    [proposal] = await rollups.models.facts_of("proposal_facts", LIEN_MINH, PROVINCE, PERIOD)
    assert (proposal["status"], proposal["number"]) == ("awarded", "p-1/TTr-UBND")  # what only the submission said


async def test_a_forwarded_proposal_is_still_pending_upward(rollups: Rollups) -> None:
    await rollups.receive(event(proposed("p-1", DONG_HUNG)), event(answered("p-1", "forwarded_to_central")))
    await rollups.refresh()
    summary = await rollups.summary()
    assert summary is not None
    assert (summary["proposals"], summary["pending_upward"]) == ({"forwarded_to_central": 1}, 1)


async def test_the_index_is_the_latest_computed_whatever_the_order(rollups: Rollups) -> None:
    await rollups.receive(event(index(0.9), minute=10), event(index(0.5), minute=5))
    await rollups.refresh()
    summary = await rollups.summary()
    assert summary is not None
    assert summary["index"] is not None
    assert summary["index"]["overall"] == 0.9


async def test_another_communes_read_models_are_untouched(rollups: Rollups) -> None:
    other = person("e-9", "Thôn Yên Thắng")
    await rollups.receive(event(submitted("s-9", other), tenant=YEN_THANG))
    await rollups.refresh()
    before = await rollups.summary(YEN_THANG)

    await rollups.receive(*a_commune_year())
    assert await rollups.refresh() == 1  # only Liên Minh's summary was marked

    assert await rollups.summary(YEN_THANG) == before  # refreshed_at included: not even recomputed
    assert await rollups.models.find_all(SUBMISSIONS, commune(YEN_THANG), period=None) != []
    assert [f["_id"] for f in await rollups.models.find_all(SUBMISSIONS, commune(YEN_THANG), period=None)] == ["s-9"]
    assert await rollups.models.partitions(SUBMISSIONS, tenant=YEN_THANG) == [f"submission_facts.{YEN_THANG}.2025"]


async def test_a_poll_applied_as_one_batch_equals_the_events_one_by_one(rollups: Rollups) -> None:
    """The worker's batch path (shuffled, with duplicates) and its one-by-one fallback give the same read models."""
    events = a_commune_year()
    shuffled = events + events[:4]
    random.Random(7).shuffle(shuffled)  # noqa: S311 (an order, not a secret)
    batched = Rollups()
    await batched.batch(shuffled)

    await rollups.receive(*events)
    assert await batched.models.pending() == await rollups.models.pending() == 1
    await rollups.refresh()
    await batched.refresh()
    assert figures(await batched.summary()) == figures(await rollups.summary())
    assert await digest(models=batched.models) == await digest(models=rollups.models)


async def test_a_province_wide_event_or_one_not_followed_changes_nothing(rollups: Rollups) -> None:
    no_commune = event(decided("d-9", DONG_HUNG)).model_copy(update={"tenant": None})
    other_kind = event(submitted("s-1")).model_copy(update={"type": "thidua.scoring.score.computed.v1"})
    await apply_events(models=rollups.models, envelopes=[no_commune, other_kind])

    assert await rollups.models.pending() == 0
    assert await rollups.models.freshness() is None
    assert await rollups.models.read_model_names() == ["index_facts", "proposal_facts", "summaries"]
    assert await digest(models=rollups.models) == await digest(models=Rollups().models)


async def test_a_summary_marked_again_while_it_was_recomputed_stays_marked(rollups: Rollups) -> None:
    await rollups.receive(event(submitted("s-1")))
    [marker] = await rollups.models.dirty()
    await rollups.receive(event(submitted("s-2", LAN)))  # meanwhile

    await rollups.models.clear_dirty(marker)

    assert await rollups.models.pending() == 1
    assert await rollups.refresh() == 1
    assert await rollups.in_progress() == {"submitted": 2, "awaiting_score": 2}


async def test_a_summary_that_fails_stays_marked_and_holds_back_no_other_commune(rollups: Rollups) -> None:
    """A fact the summary cannot read (here a score without its total, which no event makes) fails that commune's
    recomputation only; its marker stays for the next pass."""
    broken = {"tenant": YEN_THANG, "province": PROVINCE, "period": PERIOD, "scored": 1}
    await rollups.models.apply_changes([Change(partition(SUBMISSIONS, YEN_THANG, PERIOD), "s-bad", broken)])
    await rollups.models.mark_dirty([(YEN_THANG, PROVINCE, PERIOD)], at(0))
    await rollups.receive(*a_commune_year())

    assert await rollups.refresh() == 1

    assert await rollups.summary() is not None
    assert await rollups.summary(YEN_THANG) is None
    assert [marker["tenant"] for marker in await rollups.models.dirty()] == [YEN_THANG]
