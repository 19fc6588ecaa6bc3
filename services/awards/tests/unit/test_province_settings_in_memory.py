"""What a province sets beyond its rules (ADR 0028), without servers: the council's quorum, which each session keeps
as it was when convened, and the quota of a central form's places the province may forward; on the service's own
repositories over an in-memory database (in_memory.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from awards.domain.aggregates import Proposal
from awards.domain.settings import ProvinceSettings
from awards.service import proposals
from awards.service.intake import candidate
from awards.service.outcomes import OutcomeRequest, record_outcome
from awards.service.proposals import ProposalRequest
from awards.service.province_rules import effective_settings, set_settings
from awards.service.sessions import convene
from awards.service.voting import OpenRequest, open_voting
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.audit import entry
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Unprocessable
from thidua_platform.tenancy import Scope

from .in_memory import OFFICER, SCOPE, Awards, member, on_the_list, session_request

PROVINCE = Scope(province="37")
ADMIN = Principal("u-admin", "nb.admin", frozenset({Role.PROVINCE_ADMIN}), province="37")
STAFF = Principal("u-staff", "nb.staff", frozenset({Role.PROVINCE_STAFF}), province="37")
CHAIR = member("lm.chair", Role.COMMUNE_CHAIR)
FINAL = "tong-ket-2030"


@pytest.fixture
def awards() -> Awards:
    return Awards()


async def test_a_province_that_set_nothing_has_a_quorum_of_two_thirds_and_no_central_quota(awards: Awards) -> None:
    settings = await effective_settings(repos=awards.repos, province="37")

    assert settings.quorum_share == pytest.approx(2 / 3)
    assert settings.central_quota("BANG_KHEN_TTG", "tong_ket") is None


async def test_the_province_admin_sets_the_quorum_and_quotas_audited_and_only_for_the_province(awards: Awards) -> None:
    wanted = ProvinceSettings(quorum_share=0.5, central_quotas={"BANG_KHEN_TTG:tong_ket": 3})

    await set_settings(repos=awards.repos, principal=ADMIN, settings=wanted)
    await set_settings(repos=awards.repos, principal=ADMIN, settings=wanted.model_copy(update={"quorum_share": 0.75}))

    settings = await effective_settings(repos=awards.repos, province="37")
    assert (settings.quorum_share, settings.central_quota("BANG_KHEN_TTG", "tong_ket")) == (0.75, 3)
    [stored] = await awards.repos.settings.find(PROVINCE, {})
    assert [(a["actor"], a["action"], a["changes"]["settings"]["quorum_share"]) for a in stored["audit"]] == [
        ("u-admin", "settings_set", 0.5),
        ("u-admin", "settings_set", 0.75),
    ]
    assert (await effective_settings(repos=awards.repos, province="38")).quorum_share == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"quorum_share": 0}, "quorum_share"),
        ({"quorum_share": 0.4}, "quorum_share"),  # fewer than half the members are no council
        ({"quorum_share": 1.5}, "quorum_share"),
        ({"central_quotas": {"BANG_KHEN_TINH:yearly": 3}}, "central_quotas"),  # a province form: no central quota
        ({"central_quotas": {"BANG_KHEN_TTG:yearly": 3}}, "central_quotas"),  # not awarded in that round
        ({"central_quotas": {"HCLD_HANG_BA:tong_ket": -1}}, "central_quotas"),
        ({"ballots": 3}, "ballots"),
    ],
)
def test_settings_outside_the_law_s_range_are_refused_naming_the_field(fields: dict[str, object], where: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ProvinceSettings.model_validate(fields)

    assert [e["loc"][0] for e in refused.value.errors()] == [where]


async def test_a_session_keeps_the_quorum_the_province_set_when_it_was_convened(awards: Awards) -> None:
    await set_settings(repos=awards.repos, principal=ADMIN, settings=ProvinceSettings(quorum_share=1))
    await on_the_list(awards)
    session = await convene(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=session_request())
    await set_settings(repos=awards.repos, principal=ADMIN, settings=ProvinceSettings(quorum_share=0.5))

    assert session["quorum_share"] == 1
    two_of_three = OpenRequest(present=("lm.chair", "lm.council2"))
    with pytest.raises(Unprocessable, match="2/3"):  # 2 present of the 3 required, as when it was convened
        await open_voting(
            repos=awards.repos, principal=OFFICER, scope=SCOPE, session_id=session["_id"], request=two_of_three
        )
    everyone = OpenRequest(present=("lm.chair", "lm.council1", "lm.council2"))
    opened = await open_voting(
        repos=awards.repos, principal=OFFICER, scope=SCOPE, session_id=session["_id"], request=everyone
    )
    assert (opened["quorum_share"], opened["quorum_required"]) == (1, 3)


async def passed_upward(awards: Awards, entrant_id: str) -> str:
    """A collective the council passed for the Prime Minister's Bằng khen of the final review; its candidate id."""
    at = datetime.now(UTC)
    score = {
        "entrant": {"id": entrant_id, "name": f"Thôn {entrant_id}", "kind": "collective", "target_group": "a"},
        "submission_id": f"s-{entrant_id}", "submission_version": 1, "submitted_by": "u-submitter",
        "total": 99.0, "grade": "Xuất sắc",
    }  # fmt: skip
    passed = candidate(
        SCOPE, FINAL, "BANG_KHEN_TTG", score=score, status="eligible_upward", at=at, by=entry("u-officer", "added", at)
    )
    assert await awards.repos.candidates.add(passed)
    return passed["_id"]


async def proposed(awards: Awards, number: str, *entrant_ids: str) -> Proposal:
    """The chairman proposes the Prime Minister's Bằng khen for these entrants."""
    ids = [await passed_upward(awards, e) for e in entrant_ids]
    request = ProposalRequest.model_validate(
        {"award_form": "BANG_KHEN_TTG", "period": FINAL, "number": number, "signed_on": "2030-12-01",
         "signer_name": "Phạm Văn Minh", "candidate_ids": ids}
    )  # fmt: skip
    sent, _ = await proposals.propose(repos=awards.repos, principal=CHAIR, scope=SCOPE, request=request)
    await awards.published()
    return sent


async def forward(awards: Awards, proposal: Proposal) -> Proposal:
    request = OutcomeRequest(outcome="forwarded_to_central")
    return await record_outcome(
        repos=awards.repos, principal=STAFF, scope=PROVINCE, proposal_id=proposal["_id"], request=request
    )


async def test_the_province_forwards_a_central_form_within_its_quota_and_no_further(awards: Awards) -> None:
    quota = ProvinceSettings(central_quotas={"BANG_KHEN_TTG:tong_ket": 2})
    await set_settings(repos=awards.repos, principal=ADMIN, settings=quota)
    first = await proposed(awards, "20/TTr-UBND", "e-1", "e-2")
    second = await proposed(awards, "21/TTr-UBND", "e-3")

    assert (await forward(awards, first))["status"] == "forwarded_to_central"
    with pytest.raises(Conflict) as refused:
        await forward(awards, second)

    assert (refused.value.extensions["quota"], refused.value.extensions["forwarded"]) == (2, 2)
    assert "hạn mức" in str(refused.value.detail)
    still = await awards.repos.proposals.get(PROVINCE, second["_id"])
    assert still is not None
    assert still["status"] == "submitted_to_province"
    with pytest.raises(Conflict) as twice:  # forwarded already: its own places are not counted twice
        await forward(awards, first)
    assert "quota" not in twice.value.extensions


async def test_without_a_quota_the_province_forwards_every_proposal(awards: Awards) -> None:
    first = await proposed(awards, "20/TTr-UBND", "e-1", "e-2")
    second = await proposed(awards, "21/TTr-UBND", "e-3")

    forwarded = [(await forward(awards, p))["status"] for p in (first, second)]

    assert forwarded == ["forwarded_to_central", "forwarded_to_central"]
    assert first["tenant"] == LIEN_MINH
