"""The commune chairman's pages: decisions (quyết định) on commune awards the council passed, with their PDF, and
proposals (tờ trình) sending the higher forms the council passed up to the province, with their dossier and the
province's answer.

Both acts share one shape — a form of award, a period, a document number, the signing date and signer, the chosen
candidates — so one set of functions serves both, told apart by an `Act`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import award_names, campaign, current_period, periods
from portal.i18n import today
from portal.listing import every
from portal.web import Page, role_page
from thidua_contracts.roles import Role

router = APIRouter(prefix="/chair")
Chairman = Annotated[Page, Depends(role_page(Role.COMMUNE_CHAIR))]
SIGNED_FIELDS = ("number", "signed_on", "signer_name")
DEFAULT_ADDRESSEE = "Chủ tịch Ủy ban nhân dân tỉnh (qua Sở Nội vụ)"


@dataclass(frozen=True)
class Act:
    """A decision or a proposal: which candidates wait for it, where it is listed and made."""

    resource: str  # the awards API's resource (and the portal's page): decisions or proposals
    waiting: str  # the candidates' status once the council passed them for this kind of act
    template: str
    signed_vi: str
    signed_en: str


DECISION = Act("decisions", "eligible_here", "chair/decisions.html", "Đã ký quyết định", "Decision signed")
PROPOSAL = Act("proposals", "eligible_upward", "chair/proposals.html", "Đã ký tờ trình gửi tỉnh", "Proposal sent")


def _say(page: Page, message: str) -> str:
    """An API's message in the reader's language, several joined by "; " each picked."""
    return "; ".join(page.t.pick(part) for part in message.split("; "))


def _by_form(candidates: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for candidate in sorted(candidates, key=lambda c: (c["award_form"], -(c["total"] or 0), c["entrant"]["name"])):
        groups.setdefault(candidate["award_form"], []).append(candidate)
    return groups


def _defaults(page: Page, forms: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for form in forms:
        values[f"{form}.signed_on"] = today().isoformat()
        values[f"{form}.signer_name"] = page.session.display_name
        values[f"{form}.addressee"] = DEFAULT_ADDRESSEE
        values[f"{form}.candidate_ids"] = []
    return values


def _typed(page: Page, form: str) -> dict[str, Any]:
    """What the chairman filled in on the form of one award form, kept when it was refused."""
    values: dict[str, Any] = {f"{form}.{name}": page.field(name) for name in (*SIGNED_FIELDS, "addressee")}
    values[f"{form}.candidate_ids"] = page.fields("candidate_ids")
    return values


async def _act_page(
    page: Page,
    act: Act,
    period: str,
    *,
    at: str = "",
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    all_periods = periods(await campaign(page))
    chosen = current_period(all_periods, period)
    waiting = await every(page, "awards", "/candidates", period=chosen, status=act.waiting)
    groups = _by_form(waiting)
    values = _defaults(page, list(groups))
    if at:
        values.update(_typed(page, at))
    made = await every(page, "awards", f"/{act.resource}", period=chosen)
    return page.render(
        act.template,
        status=422 if errors or problem else 200,
        periods=all_periods,
        period=chosen,
        groups=groups,
        made=made,
        forms=await award_names(page),
        values=values,
        errors=errors or {},
        problem=problem,
        at=at,
    )


def _body(page: Page, act: Act) -> tuple[dict[str, Any], dict[str, str]]:
    form = page.field("award_form")
    body: dict[str, Any] = {
        "award_form": form,
        "period": page.field("period"),
        **{name: page.field(name) for name in SIGNED_FIELDS},
        "candidate_ids": page.fields("candidate_ids"),
    }
    if act is PROPOSAL:
        body["addressee"] = page.field("addressee") or DEFAULT_ADDRESSEE
    errors: dict[str, str] = {}
    if not body["candidate_ids"]:
        errors[f"{form}.candidate_ids"] = page.t("Hãy chọn ít nhất một đề xuất", "Choose at least one candidate")
    for name in SIGNED_FIELDS:
        if not body[name]:
            errors[f"{form}.{name}"] = page.t("Không được để trống", "Required")
    return body, errors


async def _sign(page: Page, act: Act) -> Response:
    body, errors = _body(page, act)
    form, period = body["award_form"], body["period"]
    if errors:
        return await _act_page(page, act, period, at=form, errors=errors)
    try:
        await page.api("POST", "awards", f"/{act.resource}", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        fields = {f"{form}.{name.split('.')[0]}": _say(page, m) for name, m in error.errors.items()}
        return await _act_page(page, act, period, at=form, errors=fields, problem=error.message)
    return await page.done(
        f"/chair/{act.resource}?period={period}", f"{act.signed_vi} số {body['number']}", act.signed_en
    )


# --- decisions


@router.get("/decisions")
async def decisions(page: Chairman, period: str = "") -> Response:
    return await _act_page(page, DECISION, period)


@router.post("/decisions")
async def decide(page: Chairman) -> Response:
    return await _sign(page, DECISION)


@router.get("/decisions/{decision_id}/document.pdf")
async def decision_document(page: Chairman, decision_id: str) -> Response:
    return await page.download("awards", f"/decisions/{decision_id}/document.pdf")


@router.get("/decisions/{decision_id}/payments.xlsx")
async def decision_payments(page: Chairman, decision_id: str) -> Response:
    """The payment list (danh sách chi) of a decision with prize money, for the accountant (docs/adr/0025)."""
    return await page.download("awards", f"/decisions/{decision_id}/payments.xlsx")


# --- proposals


@router.get("/proposals")
async def proposals(page: Chairman, period: str = "") -> Response:
    return await _act_page(page, PROPOSAL, period)


@router.post("/proposals")
async def propose(page: Chairman) -> Response:
    return await _sign(page, PROPOSAL)


@router.get("/proposals/{proposal_id}")
async def proposal(page: Chairman, proposal_id: str) -> Response:
    found = await page.get("awards", f"/proposals/{proposal_id}")
    dossier = await page.get("awards", f"/proposals/{proposal_id}/dossier")
    return page.render("chair/proposal.html", proposal=found, dossier=dossier, forms=await award_names(page))


@router.get("/proposals/{proposal_id}/documents/{kind}.pdf")
async def proposal_document(
    page: Chairman,
    proposal_id: str,
    kind: Literal["to-trinh", "bien-ban", "bao-cao-thanh-tich"],
    candidate_id: str = "",
) -> Response:
    return await page.download(
        "awards", f"/proposals/{proposal_id}/documents/{kind}.pdf", {"candidate_id": candidate_id}
    )
