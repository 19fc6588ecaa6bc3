"""What the commune officer sets, without servers: the letterhead its documents carry (awards.service.letterhead), an
entrant's standing that bars it from awards (awards.service.standing), an award from before the platform; on the
service's own repositories over an in-memory database, its outbox relayed onto an in-process bus (in_memory.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from awards.api.schemas import StandingView
from awards.domain.aggregates import Letterhead, Standing
from awards.domain.rules import AwardRule, Flag
from awards.service.decisions import DecisionRequest, decide
from awards.service.intake import candidate
from awards.service.letterhead import (
    LetterheadInput,
    authority_of,
    default_letterhead,
    letterhead_of,
    set_letterhead,
)
from awards.service.province_rules import set_rule
from awards.service.standing import (
    PastAwardInput,
    StandingInput,
    flags_of,
    record_past_award,
    set_standing,
    standing_id,
)
from thidua_contracts.awards import AwardCandidateProposed
from thidua_contracts.roles import Role
from thidua_contracts.terms import EntrantRef
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, score_finalised, submission_submitted
from thidua_platform.audit import entry
from thidua_platform.problems import Conflict, NotFound
from thidua_platform.tenancy import Scope
from thidua_platform.units import KnownUnits, ProvinceUnits

from .in_memory import OFFICER, PERIOD, SCHOOL, SCOPE, TAM_DIEP, Awards, member

LIEN_MINH_HEAD: dict[str, str] = {
    "issuing_body": "ỦY BAN NHÂN DÂN XÃ LIÊN MINH",
    "parent_body": "TỈNH NINH BÌNH",
    "place": "Liên Minh",
    "authority": "UBND xã Liên Minh",
}
SCHOOL_REF = entrant(id=SCHOOL, name="Trường Tiểu học Liên Minh", target_group="c")


@pytest.fixture
def awards() -> Awards:
    return Awards()


def head(**overrides: str) -> LetterheadInput:
    return LetterheadInput.model_validate(LIEN_MINH_HEAD | overrides)


async def set_head(awards: Awards, request: LetterheadInput, scope: Scope = SCOPE) -> LetterheadInput:
    return await set_letterhead(repos=awards.repos, principal=OFFICER, scope=scope, request=request)


async def standing_set(awards: Awards, *flags: Flag, note: str | None = None, who: EntrantRef = SCHOOL_REF) -> Standing:
    request = StandingInput(entrant=who, flags=flags, note=note)
    return await set_standing(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=request)


async def commune_candidacies(awards: Awards, entrant_id: str, *, scope: Scope = SCOPE) -> list[str]:
    return [c["award_form"] for c in await awards.repos.candidates.find(scope, {"entrant.id": entrant_id})]


# The letterhead


async def test_until_the_officer_sets_it_the_letterhead_shows_the_commune_code_as_a_placeholder(
    awards: Awards,
) -> None:
    shown = await letterhead_of(repos=awards.repos, scope=SCOPE)

    assert shown == default_letterhead(SCOPE)
    assert shown.model_dump() == {
        "issuing_body": "ỦY BAN NHÂN DÂN PH-37-LIEN-MINH",
        "parent_body": "",
        "place": LIEN_MINH,
        "authority": f"UBND {LIEN_MINH}",
    }
    assert await authority_of(repos=awards.repos, scope=SCOPE) == f"UBND {LIEN_MINH}"


async def test_a_commune_provisioned_with_a_name_gets_its_letterhead_from_it_until_the_officer_sets_one(
    awards: Awards,
) -> None:
    units = KnownUnits(
        ProvinceUnits("37", "Tỉnh Ninh Bình", {LIEN_MINH: "Xã Liên Minh", "ph-37-tam-diep": "Phường Tam Điệp"})
    )
    named = replace(awards.repos, units=units)

    assert (await letterhead_of(repos=named, scope=SCOPE)).model_dump() == LIEN_MINH_HEAD
    assert await authority_of(repos=named, scope=SCOPE) == "UBND xã Liên Minh"
    assert (await letterhead_of(repos=named, scope=TAM_DIEP)).model_dump() == {
        "issuing_body": "ỦY BAN NHÂN DÂN PHƯỜNG TAM ĐIỆP",
        "parent_body": "TỈNH NINH BÌNH",
        "place": "Tam Điệp",
        "authority": "UBND phường Tam Điệp",
    }
    own = head(issuing_body="ỦY BAN NHÂN DÂN XÃ LIÊN MINH MỚI", authority="UBND xã Liên Minh mới")
    await set_head(awards, own)
    reads = units.reads
    assert await letterhead_of(repos=named, scope=SCOPE) == own  # the officer's own comes first
    assert units.reads == reads  # and the directory is not asked for it


async def test_the_letterhead_the_officer_sets_is_the_one_documents_carry_and_it_is_audited(awards: Awards) -> None:
    answered = await set_head(awards, head())

    assert answered == head()
    assert await letterhead_of(repos=awards.repos, scope=SCOPE) == head()
    assert await authority_of(repos=awards.repos, scope=SCOPE) == "UBND xã Liên Minh"
    kept = await awards.repos.letterheads.get(SCOPE, LIEN_MINH)
    assert kept is not None
    assert (kept["tenant"], kept["province"], kept["issuing_body"]) == (LIEN_MINH, "37", LIEN_MINH_HEAD["issuing_body"])
    [audited] = kept["audit"]
    assert (audited["actor"], audited["action"], audited["changes"]) == (
        OFFICER.user_id,
        "letterhead_set",
        LIEN_MINH_HEAD,
    )


async def test_the_last_letterhead_set_wins_and_each_setting_stays_in_the_audit_trail(awards: Awards) -> None:
    await set_head(awards, head())
    renamed = head(parent_body="", authority="UBND xã Liên Minh mới")

    await set_head(awards, renamed)

    assert await letterhead_of(repos=awards.repos, scope=SCOPE) == renamed
    assert await authority_of(repos=awards.repos, scope=SCOPE) == "UBND xã Liên Minh mới"
    kept = await awards.repos.letterheads.get(SCOPE, LIEN_MINH)
    assert kept is not None
    assert [a["changes"]["authority"] for a in kept["audit"]] == ["UBND xã Liên Minh", "UBND xã Liên Minh mới"]


async def test_one_communes_letterhead_is_not_anothers(awards: Awards) -> None:
    await set_head(awards, head())

    assert await letterhead_of(repos=awards.repos, scope=TAM_DIEP) == default_letterhead(TAM_DIEP)
    assert await authority_of(repos=awards.repos, scope=TAM_DIEP) == "UBND ph-37-tam-diep"
    tam_diep = head(issuing_body="ỦY BAN NHÂN DÂN XÃ TAM ĐIỆP", place="Tam Điệp", authority="UBND xã Tam Điệp")
    await set_head(awards, tam_diep, scope=TAM_DIEP)
    assert await letterhead_of(repos=awards.repos, scope=SCOPE) == head()
    assert await authority_of(repos=awards.repos, scope=TAM_DIEP) == "UBND xã Tam Điệp"


async def test_a_letterhead_kept_before_todays_text_rule_is_read_back_as_it_was_stored(awards: Awards) -> None:
    old: Letterhead = {
        "_id": LIEN_MINH,
        "tenant": LIEN_MINH,
        "province": "37",
        "issuing_body": "ỦY BAN NHÂN DÂN\nXÃ LIÊN MINH",  # a line break today's rule refuses
        "parent_body": "",
        "place": "  Liên Minh ",
        "authority": "UBND xã Liên Minh",
        "updated_at": datetime.now(UTC),
    }
    assert await awards.repos.letterheads.add(old)

    shown = await letterhead_of(repos=awards.repos, scope=SCOPE)

    assert (shown.issuing_body, shown.place) == ("ỦY BAN NHÂN DÂN\nXÃ LIÊN MINH", "  Liên Minh ")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"issuing_body": "   "}, "issuing_body"),
        ({"place": "Liên\nMinh"}, "place"),
        ({"authority": "x" * 301}, "authority"),
        ({"seal": "round"}, "seal"),
    ],
)
def test_a_letterhead_names_a_body_a_place_and_an_authority_each_on_one_short_line_and_nothing_else(
    overrides: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        head(**overrides)

    assert [e["loc"] for e in refused.value.errors()] == [(field,)]


def test_a_letterhead_is_kept_trimmed_and_may_name_no_parent_body() -> None:
    typed = head(authority="  UBND xã Liên Minh ", parent_body="")

    assert (typed.authority, typed.parent_body) == ("UBND xã Liên Minh", "")


async def test_a_decision_is_issued_by_the_chairman_of_the_authority_the_letterhead_names(awards: Awards) -> None:
    at = datetime.now(UTC)
    score = {
        "entrant": SCHOOL_REF.model_dump(),
        "submission_id": "s-school",
        "submission_version": 1,
        "submitted_by": "u-submitter",
        "total": 95.0,
        "grade": "Xuất sắc",
    }
    passed = candidate(
        SCOPE, PERIOD, "GIAY_KHEN_XA", score=score, status="eligible_here", at=at, by=entry("u-officer", "added", at)
    )
    assert await awards.repos.candidates.add(passed)
    await set_head(awards, head())
    request = DecisionRequest.model_validate(
        {
            "award_form": "GIAY_KHEN_XA",
            "period": PERIOD,
            "number": "125/QĐ-UBND",
            "signed_on": "2026-12-10",
            "signer_name": "Phạm Văn Minh",
            "candidate_ids": [passed["_id"]],
        }
    )

    decided, _ = await decide(
        repos=awards.repos, principal=member("lm.chair", Role.COMMUNE_CHAIR), scope=SCOPE, request=request
    )

    assert decided["issuer"] == "Chủ tịch UBND xã Liên Minh"
    [award] = await awards.repos.history.find(SCOPE, {"entrant.id": SCHOOL})
    assert award["decision"]["issuer"] == "Chủ tịch UBND xã Liên Minh"


# An entrant's standing


async def test_the_officer_records_an_entrants_standing_each_flag_once_in_order_with_its_grounds(
    awards: Awards,
) -> None:
    await awards.scored(SCHOOL, 95.0, name="Trường Tiểu học Liên Minh", target_group="c")

    kept = await standing_set(awards, "investigation", "discipline", "investigation", note="QĐ 5/QĐ-UBND")

    assert kept["_id"] == standing_id(SCOPE, SCHOOL) == f"{LIEN_MINH}:{SCHOOL}"
    assert (kept["flags"], kept["note"], kept["entrant"]) == (
        ["discipline", "investigation"],
        "QĐ 5/QĐ-UBND",
        SCHOOL_REF.model_dump(),
    )
    stored = await awards.repos.standings.get(SCOPE, kept["_id"])
    assert stored is not None
    assert (stored["tenant"], stored["province"], stored["flags"]) == (LIEN_MINH, "37", ["discipline", "investigation"])
    [audited] = stored["audit"]
    assert (audited["actor"], audited["action"]) == (OFFICER.user_id, "standing_set")
    assert audited["changes"] == {"flags": ["discipline", "investigation"], "note": "QĐ 5/QĐ-UBND"}


async def test_the_last_standing_set_wins_and_each_setting_stays_in_the_audit_trail(awards: Awards) -> None:
    await awards.scored(SCHOOL, 95.0, name="Trường Tiểu học Liên Minh", target_group="c")
    await standing_set(awards, "complaint", note="Đơn khiếu nại số 3")

    lifted = await standing_set(awards, note="Đã giải quyết xong khiếu nại")

    assert (lifted["flags"], lifted["note"]) == ([], "Đã giải quyết xong khiếu nại")
    [stored] = await awards.repos.standings.find(SCOPE, {"entrant.id": SCHOOL})
    assert stored["flags"] == []
    assert [a["changes"]["flags"] for a in stored["audit"]] == [["complaint"], []]


async def test_an_entrant_known_from_a_dossier_alone_may_have_its_standing_recorded(awards: Awards) -> None:
    filed = submission_submitted("s-school", period=PERIOD, entrant=SCHOOL_REF)
    await awards.receive(envelope_of(filed))

    kept = await standing_set(awards, "discipline")

    assert kept["flags"] == ["discipline"]


async def test_the_standing_of_an_entrant_the_commune_has_no_dossier_of_is_not_found(awards: Awards) -> None:
    at_tam_diep = score_finalised("s-tam-diep", period=PERIOD, total=95.0, entrant=SCHOOL_REF)
    await awards.receive(envelope_of(at_tam_diep, tenant=TAM_DIEP.commune))  # known to another commune only

    for stranger in (SCHOOL_REF, entrant(id="e-nobody")):
        with pytest.raises(NotFound):
            await standing_set(awards, "discipline", who=stranger)

    assert await awards.repos.standings.find(SCOPE, {}) == []
    assert await awards.repos.standings.find(TAM_DIEP, {}) == []


async def test_a_flagged_entrant_gets_no_commune_award_candidacy_from_its_score(awards: Awards) -> None:
    filed = submission_submitted("s-school", period=PERIOD, entrant=SCHOOL_REF)
    await awards.receive(envelope_of(filed))
    await standing_set(awards, "investigation", note="Đang thanh tra khi có dấu hiệu vi phạm")

    await awards.scored(SCHOOL, 95.0, name="Trường Tiểu học Liên Minh", target_group="c")

    assert await commune_candidacies(awards, SCHOOL) == []
    assert [s["total"] for s in await awards.repos.scores.find(SCOPE, {"entrant.id": SCHOOL})] == [95.0]


async def test_one_communes_flag_does_not_bar_another_communes_entrant_of_the_same_id(awards: Awards) -> None:
    await awards.receive(envelope_of(submission_submitted("s-school", period=PERIOD, entrant=SCHOOL_REF)))
    await standing_set(awards, "discipline")

    at_tam_diep = score_finalised("s-tam-diep", period=PERIOD, total=95.0, entrant=SCHOOL_REF)
    published = await awards.receive(envelope_of(at_tam_diep, tenant=TAM_DIEP.commune))

    assert [e.payload(AwardCandidateProposed).award_form for e in published] == ["GIAY_KHEN_XA"]
    assert await commune_candidacies(awards, SCHOOL, scope=TAM_DIEP) == ["GIAY_KHEN_XA"]


async def test_a_standing_stored_with_the_old_inspection_flag_still_bars_and_reads_under_todays_name(
    awards: Awards,
) -> None:
    await awards.receive(envelope_of(submission_submitted("s-school", period=PERIOD, entrant=SCHOOL_REF)))
    kept = await standing_set(awards, "discipline")
    await awards.repos.standings.collection.update_one({"_id": kept["_id"]}, {"$set": {"flags": ["inspection"]}})

    assert await flags_of(repos=awards.repos, scope=SCOPE, entrant_ids=[SCHOOL]) == {
        SCHOOL: frozenset({"investigation"})
    }
    [stored] = await awards.repos.standings.find(SCOPE, {"entrant.id": SCHOOL})
    assert StandingView.of(stored).flags == ["investigation"]
    await awards.scored(SCHOOL, 95.0, name="Trường Tiểu học Liên Minh", target_group="c")
    assert await commune_candidacies(awards, SCHOOL) == []


def test_an_officer_sending_the_old_inspection_flag_records_todays_name() -> None:
    sent = StandingInput.model_validate({"entrant": SCHOOL_REF.model_dump(), "flags": ["inspection", "complaint"]})
    assert sent.flags == ("investigation", "complaint")


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"flags": ["discipline", "investigation", "complaint", "discipline"]}, ("flags",)),
        ({"flags": ["late_report"]}, ("flags", 0)),
        ({"banned_until": "2027-01-01"}, ("banned_until",)),
    ],
)
def test_a_standing_holds_at_most_the_three_flags_of_the_decree(fields: dict[str, Any], where: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as refused:
        StandingInput.model_validate({"entrant": SCHOOL_REF.model_dump()} | fields)

    assert [e["loc"] for e in refused.value.errors()] == [where]


# An award from before the platform


def past_award(**overrides: Any) -> PastAwardInput:
    fields: dict[str, Any] = {
        "entrant": SCHOOL_REF,
        "award_form": "GIAY_KHEN_XA",
        "period": "2025",
        "number": "88/QĐ-UBND",
        "signed_on": date(2025, 12, 20),
        "issuer": "Chủ tịch UBND xã Liên Minh",
    }
    return PastAwardInput.model_validate(fields | overrides)


async def test_an_entrant_holds_an_award_of_a_form_once_per_period_and_track(awards: Awards) -> None:
    await awards.scored(SCHOOL, 95.0, name="Trường Tiểu học Liên Minh", target_group="c")
    past = past_award()
    recorded = await record_past_award(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=past)
    assert (recorded["source"], recorded["track"], recorded["level"]) == ({"kind": "recorded"}, "regular", "commune")

    with pytest.raises(Conflict):
        await record_past_award(
            repos=awards.repos, principal=OFFICER, scope=SCOPE, request=past.model_copy(update={"number": "89/QĐ"})
        )
    thematic = await record_past_award(
        repos=awards.repos, principal=OFFICER, scope=SCOPE, request=past.model_copy(update={"track": "thematic"})
    )

    history = await awards.repos.history.find(SCOPE, {"entrant.id": SCHOOL})
    assert sorted((h["track"], h["decision"]["number"]) for h in history) == [
        ("regular", "88/QĐ-UBND"),
        ("thematic", "88/QĐ-UBND"),
    ]
    assert thematic["_id"] != recorded["_id"]


async def test_an_award_recorded_by_hand_counts_toward_a_rule_that_asks_for_an_earlier_award(awards: Awards) -> None:
    admin = member("nb.admin", Role.PROVINCE_ADMIN)
    earlier = {"form": "GIAY_KHEN_XA", "count": 1, "track": "regular"}
    rule = {"form": "GIAY_KHEN_XA", "round": "yearly", "minimum_total": 80, "prerequisites": [earlier]}
    await set_rule(repos=awards.repos, principal=admin, rule=AwardRule.model_validate(rule))
    hamlet = entrant(id="e-hamlet", name="Thôn Đông Hưng")
    for who in (SCHOOL_REF, hamlet):
        await awards.receive(envelope_of(submission_submitted(f"s-{who.id}", period=PERIOD, entrant=who)))
    await record_past_award(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=past_award())

    await awards.scored(SCHOOL, 95.0, name=SCHOOL_REF.name, target_group="c")
    await awards.scored(hamlet.id, 95.0, name=hamlet.name)

    assert await commune_candidacies(awards, SCHOOL) == ["GIAY_KHEN_XA"]
    assert await commune_candidacies(awards, hamlet.id) == []  # it holds no earlier Giấy khen
