"""The commune digital-transformation index, in memory (in_memory.Scoring): the province's settings, which final scores
feed a commune's index when the worker's index loop recomputes it, and the province's ranking of its communes."""

from __future__ import annotations

import pytest

from scoring.domain.index import IndexSettings
from scoring.service import index
from scoring.service.finalisation import close_period
from thidua_contracts.roles import Role
from thidua_contracts.scoring import IndexComputed
from thidua_contracts.submissions import CriterionEvidence, StepRef
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.tenancy import Scope

from .in_memory import SCOPE, TAM_DIEP, WITH_ASSESSMENT, Scoring, submitted, withdrawn

ADMIN = Principal("u-admin", "nb.admin", frozenset({Role.PROVINCE_ADMIN}), province="37")
GIA_VIEN, KIM_SON, YEN_MO = "ph-37-gia-vien", "ph-37-kim-son", "ph-37-yen-mo"


def indicator(theme: int, value: float, **more: object) -> Envelope:
    """A dossier with one indicator of the theme, `value` of a target of 100: final at once."""
    criteria = (CriterionEvidence(code="b1", theme=theme, rule="ratio", max_points=100, value=value, target=100),)
    return submitted(criteria, **more)


@pytest.fixture
async def scoring() -> Scoring:
    return await Scoring.with_council()


async def recomputed(scoring: Scoring, *envelopes: Envelope) -> list[IndexComputed]:
    """The events delivered, then the index loop's sweep: the indexes it computed."""
    for envelope in envelopes:
        await scoring.receive(envelope)
    await index.recompute_marked(repos=scoring.repos)
    return [e.payload(IndexComputed) for e in await scoring.settle() if e.type == IndexComputed.event_type]


async def test_a_provinces_settings_are_the_defaults_until_its_administrator_sets_them(scoring: Scoring) -> None:
    assert await index.settings_for(repos=scoring.repos, province="37") == IndexSettings()
    weights = {"digital_government": 0.5, "digital_economy": 0.25, "digital_society": 0.25}
    chosen = IndexSettings(weights=weights)

    assert await index.set_settings(repos=scoring.repos, principal=ADMIN, settings=chosen) == chosen
    assert await index.settings_for(repos=scoring.repos, province="37") == chosen
    assert await index.settings_for(repos=scoring.repos, province="22") == IndexSettings()  # another province's
    again = IndexSettings(weights=weights | {"digital_society": 0.0})
    await index.set_settings(repos=scoring.repos, principal=ADMIN, settings=again)
    assert await index.settings_for(repos=scoring.repos, province="37") == again
    stored = await scoring.repos.index_settings.get(Scope(province="37"), "37")
    assert stored is not None
    assert [(e["actor"], e["action"]) for e in stored["audit"]] == [("u-admin", "index_settings_set")] * 2
    assert stored["audit"][-1]["changes"]["weights"]["digital_society"] == 0.0


async def test_only_ratio_indicators_with_a_value_and_a_target_feed_the_index(scoring: Scoring) -> None:
    criteria = (
        CriterionEvidence(code="b1", theme=1, rule="ratio", max_points=40, value=50, target=100),
        CriterionEvidence(code="b2", theme=4, rule="ratio", max_points=20),  # nothing reported
        CriterionEvidence(
            code="b3", theme=5, rule="steps", max_points=20, value=10, steps=(StepRef(at_least=5, points=20),)
        ),
        CriterionEvidence(code="b4", theme=2, rule="level", max_points=20, level="full"),
    )

    (computed,) = await recomputed(scoring, submitted(criteria))

    assert (computed.digital_government, computed.digital_economy, computed.digital_society) == (0.5, None, None)
    assert (computed.overall, computed.indicators) == (0.5, 1)
    stored = await scoring.repos.indexes.get(SCOPE, f"{LIEN_MINH}:2025")
    assert stored is not None
    assert (stored["overall"], stored["indicators"]) == (0.5, 1)


async def test_the_provinces_settings_decide_which_themes_feed_which_pillar_and_their_weight(
    scoring: Scoring,
) -> None:
    settings = IndexSettings(
        weights={"digital_government": 0.2, "digital_economy": 0.8, "digital_society": 0.0},
        themes={"digital_government": (1, 6), "digital_economy": (2, 3, 4), "digital_society": (5, 7)},
    )
    await index.set_settings(repos=scoring.repos, principal=ADMIN, settings=settings)

    (computed,) = await recomputed(scoring, indicator(1, 100), indicator(3, 50))

    # theme 3 counts for the economy here (the government by default, where the overall would be 0.75)
    assert (computed.digital_government, computed.digital_economy) == (1.0, 0.5)
    assert computed.overall == 0.6  # 0.2 × 1 + 0.8 × 0.5


async def test_a_withdrawn_dossier_no_longer_counts_toward_its_communes_index(scoring: Scoring) -> None:
    weak = indicator(1, 50)
    (before,) = await recomputed(scoring, indicator(1, 100), weak)
    (after,) = await recomputed(scoring, withdrawn(weak))

    assert (before.digital_government, before.indicators) == (0.75, 2)
    assert (after.digital_government, after.indicators) == (1.0, 1)


async def test_a_communes_later_dossiers_mark_its_index_only_once_final(scoring: Scoring) -> None:
    await recomputed(scoring, indicator(1, 80))  # the commune's first dossier gives it an index
    pending = submitted(WITH_ASSESSMENT)

    await scoring.receive(pending)
    assert await scoring.repos.index_queue.marked() == []  # nothing final: the index stands
    await close_period(repos=scoring.repos, scope=SCOPE, period="2025", actor="u-officer")
    await scoring.settle()
    assert [m["cause_type"] for m in await scoring.repos.index_queue.marked()] == ["thidua.scoring.score.finalised.v1"]


async def test_the_province_ranks_its_communes_by_overall_index_ties_shared_and_those_without_data_last(
    scoring: Scoring,
) -> None:
    await recomputed(
        scoring,
        indicator(1, 90),
        indicator(1, 60, tenant=TAM_DIEP),
        indicator(1, 60, tenant=GIA_VIEN),
        submitted(WITH_ASSESSMENT, tenant=YEN_MO),  # took part, nothing final yet: no value
        indicator(1, 100, tenant=KIM_SON, period="2024"),  # took part in another period only
    )
    await recomputed(scoring, indicator(1, 100, tenant="ph-22-son-mai", province="22"))

    ranking = await index.province_ranking(repos=scoring.repos, province="37", period="2025")

    assert [(r["commune"], r["rank"], r["overall"]) for r in ranking] == [
        (LIEN_MINH, 1, 0.9),
        (GIA_VIEN, 2, 0.6),
        (TAM_DIEP, 2, 0.6),
        (YEN_MO, None, None),
    ]
    assert ranking[0] == {
        "commune": LIEN_MINH,
        "rank": 1,
        "digital_government": 0.9,
        "digital_economy": None,
        "digital_society": None,
        "overall": 0.9,
        "indicators": 1,
    }
    assert [r["commune"] for r in await index.province_ranking(repos=scoring.repos, province="22", period="2025")] == [
        "ph-22-son-mai"
    ]
