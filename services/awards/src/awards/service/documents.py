"""The documents of the process, built from what the service recorded: council minutes (biên bản), the chairman's
decision (quyết định), and the dossier of an upward proposal (tờ trình, biên bản, báo cáo thành tích, evidence)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from awards.adapters import documents as pdf
from awards.domain.aggregates import Decision, Dossier, Proposal, RecipientRow, Session
from awards.domain.ballot_box import ballot_count, is_paper, written_opinions
from awards.domain.catalogue import FORMS, period_label
from awards.domain.council import SessionMember
from awards.repository import Repositories
from awards.service.common import field_error, found
from awards.service.letterhead import LetterheadInput, letterhead_of
from thidua_platform.problems import Conflict, NotFound
from thidua_platform.tenancy import Scope
from thidua_platform.text import STORED

KIND_NAMES = {"collective": "Tập thể", "individual": "Cá nhân"}
GROUP_NAMES = {"a": "Nhóm a", "b": "Nhóm b", "c": "Nhóm c", "d1": "Nhóm d1", "d2": "Nhóm d2"}


def points(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _letterhead(head: LetterheadInput) -> pdf.Letterhead:
    return pdf.Letterhead(issuing_body=head.issuing_body, parent_body=head.parent_body, place=head.place)


def _tenant_scope(document: Session | Decision | Proposal) -> Scope:
    return Scope(tenant=document["tenant"], province=document["province"])


async def _render(function: Callable[..., bytes], data: object, fonts: Path) -> bytes:
    """Rendering is CPU work: keep it off the event loop."""
    return await asyncio.to_thread(function, data, fonts=fonts)


def _recipients(rows: list[RecipientRow]) -> tuple[pdf.DecisionRecipient, ...]:
    return tuple(
        pdf.DecisionRecipient(
            name=r["entrant"]["name"],
            kind=KIND_NAMES[r["entrant"]["kind"]],
            unit=GROUP_NAMES.get(r["entrant"]["target_group"], ""),
            achievement=_achievement(r),
            amount=r.get("amount"),
        )
        for r in rows
    )


def _achievement(row: RecipientRow) -> str:
    """What the recipient is commended for: an ad-hoc achievement as described, or the score it reached."""
    if "achievement" in row:
        return row["achievement"]
    return f"Đạt {points(row['total'] or 0)} điểm, xếp loại {row['grade']}"


def _prize(document: Decision) -> pdf.DecisionPrizeData | None:
    """The decision's prize money as Điều 2 states it (None for a decision stored before prize money)."""
    prize = document.get("prize")
    if prize is None:
        return None
    return pdf.DecisionPrizeData(
        rates=tuple(
            pdf.PrizeRate(kind=KIND_NAMES[kind].lower(), amount=prize["amounts"][kind], coefficient=coefficient)
            for kind, coefficient in sorted(prize["coefficients"].items())
        ),
        total=prize["total"],
    )


async def minutes_data(*, repos: Repositories, session: Session) -> pdf.MinutesData:
    if session["status"] != "closed":
        raise Conflict("Phiên họp chưa kết thúc biểu quyết / The session has not closed yet")
    members = [SessionMember.model_validate(m, context=STORED) for m in session["members"]]
    by_name = {m.username: m for m in members}
    candidates = {c["candidate_id"]: c for c in session["candidates"]}
    chair = by_name[session["chair"]]
    secretary = by_name.get(session.get("secretary") or "")
    votes: tuple[pdf.MinutesVote, ...] = ()
    if session["ballot_mode"] == "open":
        votes = tuple(
            pdf.MinutesVote(
                member=by_name[b["member"]].name,
                candidate=candidates[v["candidate_id"]]["entrant"]["name"],
                vote=v["vote"] if v["vote"] != "recuse" else "abstain",
            )
            for b in session["ballots"]
            for v in b["votes"]
        )
    head = await letterhead_of(repos=repos, scope=_tenant_scope(session))
    counted, secret = ballot_count(session), session["ballot_mode"] == "secret"
    return pdf.MinutesData(
        letterhead=_letterhead(head),
        title=session["title"],
        held_at=local_time(session["held_at"]),
        location=session["location"],
        chaired_by=pdf.Signature(title=chair.role.upper(), name=chair.name),
        secretary=pdf.Signature(title="THƯ KÝ", name=secretary.name) if secretary else None,
        members=tuple(
            pdf.MinutesMember(name=m.name, present=m.username in session["present"], role=m.role) for m in members
        ),
        quorum_required=session["quorum_required"],
        quorum_share=session["quorum_share"],
        ballot_mode=session["ballot_mode"],
        pass_rule=session["results"][0]["pass_rule"] if session["results"] else "",
        results=tuple(
            pdf.MinutesResult(
                candidate=r["entrant"]["name"],
                group=GROUP_NAMES.get(r["entrant"]["target_group"], ""),
                award_form=FORMS[r["award_form"]].name,
                total=candidates[r["candidate_id"]]["total"],
                achievement=candidates[r["candidate_id"]].get("achievement", ""),
                yes=r["yes"],
                no=r["no"],
                abstain=r["abstain"],
                recused=r["recused"],
                passed=r["passed"],
            )
            for r in session["results"]
        ),
        votes=votes,
        paper=is_paper(session),
        counting_committee=tuple(by_name[m].name for m in session.get("counting_committee", []) if m in by_name),
        ballot_count=(counted["issued"], counted["returned"], counted["valid"]) if secret else None,
        written_opinions=tuple(by_name[m].name for m in written_opinions(session) if m in by_name),
        ad_hoc=session["round"] == "ad_hoc",
    )


async def minutes(*, repos: Repositories, scope: Scope, session_id: str, fonts: Path) -> bytes:
    session = found(await repos.sessions.get(scope, session_id), "phiên họp / council session")
    return await _render(pdf.render_minutes, await minutes_data(repos=repos, session=session), fonts)


async def decision(*, repos: Repositories, scope: Scope, decision_id: str, fonts: Path) -> bytes:
    document = found(await repos.decisions.get(scope, decision_id), "quyết định / decision")
    head = await letterhead_of(repos=repos, scope=_tenant_scope(document))
    data = pdf.DecisionData(
        letterhead=_letterhead(head),
        number=document["number"],
        signed_on=date.fromisoformat(document["signed_on"]),
        award_form=FORMS[document["award_form"]].name,
        period_label=period_label(document["period"]),
        recipients=_recipients(document["recipients"]),
        signer=pdf.Signature(title=document["signer_title"], name=document["signer_name"]),
        ad_hoc=document["round"] == "ad_hoc",
        prize=_prize(document),
    )
    return await _render(pdf.render_decision, data, fonts)


async def proposal_document(
    *, repos: Repositories, scope: Scope, proposal_id: str, kind: str, candidate_id: str | None, fonts: Path
) -> bytes:
    proposal = found(await repos.proposals.get(scope, proposal_id), "tờ trình / proposal")
    tenant_scope = _tenant_scope(proposal)
    head = await letterhead_of(repos=repos, scope=tenant_scope)
    signer = pdf.Signature(title=proposal["signer_title"], name=proposal["signer_name"])
    signed_on = date.fromisoformat(proposal["signed_on"])
    sessions = sorted({linked for r in proposal["recipients"] if (linked := r.get("session_id"))})
    if kind == "to-trinh":
        session = await repos.sessions.get(tenant_scope, sessions[0]) if sessions else None
        summary = ""
        if session is not None:
            passed = [
                r
                for r in session["results"]
                if r["candidate_id"] in {x["candidate_id"] for x in proposal["recipients"]}
            ]
            summary = (
                f"Hội đồng Thi đua - Khen thưởng họp ngày {_day(session['held_at'])}, có mặt {len(session['present'])}/"
                f"{len(session['members'])} thành viên, biểu quyết thông qua {len(passed)} trường hợp."
            )
        data = pdf.ProposalLetterData(
            letterhead=_letterhead(head),
            number=proposal["number"],
            signed_on=signed_on,
            addressee=proposal["addressee"],
            award_form=FORMS[proposal["award_form"]].name,
            period_label=period_label(proposal["period"]),
            session_held_on=_as_date(session["held_at"]) if session else None,
            session_summary=summary,
            recipients=_recipients(proposal["recipients"]),
            signer=signer,
            proposed_to=FORMS[proposal["award_form"]].proposed_to,
            ad_hoc=proposal["round"] == "ad_hoc",
        )
        return await _render(pdf.render_proposal_letter, data, fonts)
    if kind == "bien-ban":
        if not sessions:
            raise NotFound("Tờ trình không gắn với phiên họp nào / The proposal has no council session")
        session = found(await repos.sessions.get(tenant_scope, sessions[0]), "phiên họp / council session")
        return await _render(pdf.render_minutes, await minutes_data(repos=repos, session=session), fonts)
    if candidate_id is None:
        raise field_error(
            "candidate_id", "cần chọn đối tượng / choose a candidate", "Báo cáo thành tích của ai? / Whose report?"
        )
    row = next((r for r in proposal["recipients"] if r["candidate_id"] == candidate_id), None)
    if row is None:
        raise NotFound("Đối tượng không có trong tờ trình / The candidate is not in this proposal")
    return await _render(
        pdf.render_achievement_report,
        await report_data(
            repos=repos,
            scope=tenant_scope,
            row=row,
            head=head,
            signer=signer,
            signed_on=signed_on,
            period=proposal["period"],
        ),
        fonts,
    )


async def report_data(
    *,
    repos: Repositories,
    scope: Scope,
    row: RecipientRow,
    head: LetterheadInput,
    signer: pdf.Signature,
    signed_on: date,
    period: str,
) -> pdf.AchievementReportData:
    if row["submission_id"] is None:
        return await _ad_hoc_report(repos=repos, scope=scope, row=row, head=head, signer=signer, signed_on=signed_on)
    score = await repos.scores.get(scope, row["submission_id"])
    dossier = await repos.dossiers.get(scope, row["submission_id"])
    titles = {c["code"]: c["title"] for c in dossier["criteria"]} if dossier else {}
    return pdf.AchievementReportData(
        letterhead=_letterhead(head),
        entrant=row["entrant"]["name"],
        kind=KIND_NAMES[row["entrant"]["kind"]],
        unit=GROUP_NAMES.get(row["entrant"]["target_group"], ""),
        period_label=period_label(period),
        total=row["total"] or 0,
        max_total=score["max_total"] if score else 100,
        grade=row["grade"] or "",
        criteria=tuple(
            pdf.ReportCriterion(
                code=c["code"],
                title=titles.get(c["code"], ""),
                points=c["points"],
                max_points=c["max_points"],
                explanation=c["explanation"],
            )
            for c in (score["criteria"] if score else [])
        ),
        evidence=evidence_of(dossier),
        signer=signer,
        signed_on=signed_on,
    )


async def _ad_hoc_report(
    *,
    repos: Repositories,
    scope: Scope,
    row: RecipientRow,
    head: LetterheadInput,
    signer: pdf.Signature,
    signed_on: date,
) -> pdf.AchievementReportData:
    """The report of an ad-hoc candidate (khen thưởng đột xuất): its achievement and evidence, no score."""
    candidate = found(await repos.candidates.get(scope, row["candidate_id"]), "đề xuất / candidate")
    ad_hoc = candidate.get("ad_hoc")
    if ad_hoc is None:
        raise NotFound("Đề xuất không có thành tích đột xuất / The candidate has no ad-hoc achievement")
    return pdf.AchievementReportData(
        letterhead=_letterhead(head),
        entrant=row["entrant"]["name"],
        kind=KIND_NAMES[row["entrant"]["kind"]],
        unit=GROUP_NAMES.get(row["entrant"]["target_group"], ""),
        period_label=period_label(candidate["period"]),
        total=0,  # not shown: an ad-hoc report has no score
        max_total=0,
        grade="",
        criteria=(),
        evidence=(),
        signer=signer,
        signed_on=signed_on,
        ad_hoc=pdf.AdHocReport(
            achievement=ad_hoc["achievement"],
            achieved_on=date.fromisoformat(ad_hoc["achieved_on"]),
            evidence=tuple((e["title"], e["reference"] or "") for e in ad_hoc["evidence"]),
        ),
    )


def evidence_of(dossier: Dossier | None) -> tuple[pdf.ReportEvidence, ...]:
    """The evidence the dossier holds (none without a dossier)."""
    return tuple(
        pdf.ReportEvidence(criterion=c["code"], filename=a["filename"], media_type=a["media_type"], sha256=a["sha256"])
        for c in (dossier["criteria"] if dossier else [])
        for a in c["attachments"]
    )


async def dossier_index(*, repos: Repositories, scope: Scope, proposal_id: str) -> dict[str, Any]:
    """What the proposal's dossier holds, with a link to each document and the evidence list."""
    proposal = found(await repos.proposals.get(scope, proposal_id), "tờ trình / proposal")
    tenant_scope = _tenant_scope(proposal)
    base = f"/proposals/{proposal_id}/documents"
    documents = [
        {"kind": "to-trinh", "title": "Tờ trình đề nghị khen thưởng / Proposal letter", "href": f"{base}/to-trinh.pdf"},
        {"kind": "bien-ban", "title": "Biên bản họp Hội đồng / Council minutes", "href": f"{base}/bien-ban.pdf"},
    ]
    evidence: list[dict[str, str]] = []
    for r in proposal["recipients"]:
        documents.append(
            {
                "kind": "bao-cao-thanh-tich",
                "title": f"Báo cáo thành tích: {r['entrant']['name']} / Achievement report",
                "href": f"{base}/bao-cao-thanh-tich.pdf?candidate_id={r['candidate_id']}",
            }
        )
        if r["submission_id"] is None:
            continue  # an ad-hoc candidate's evidence is described in its achievement report
        dossier = await repos.dossiers.get(tenant_scope, r["submission_id"])
        evidence.extend({"entrant": r["entrant"]["name"], **item.__dict__} for item in evidence_of(dossier))
    return {"proposal_id": proposal_id, "documents": documents, "evidence": evidence}


VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving time


def local_time(value: datetime) -> datetime:
    """Stored times are UTC (the database drops the zone); documents show Vietnam's time."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(VIETNAM)


def _as_date(value: Any) -> date:
    return local_time(value).date() if isinstance(value, datetime) else date.fromisoformat(str(value)[:10])


def _day(value: Any) -> str:
    return _as_date(value).strftime("%d/%m/%Y")
