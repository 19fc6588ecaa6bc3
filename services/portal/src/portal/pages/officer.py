"""The commune officer (Phòng Văn hóa - Xã hội): entrants and their Excel import, adapting the criteria before a
period opens, checking dossiers and returning them for correction, the periods' windows and the scoring council,
preparing and running a council session, and the commune's reports."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from portal.backend import ApiError
from portal.commune import Period, campaign, criteria, current_period, periods, reference
from portal.web import Page, role_page

router = APIRouter(prefix="/officer")
Officer = Annotated[Page, Depends(role_page("commune_officer"))]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=100_000)]

VIETNAM = timezone(timedelta(hours=7))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GROUPS = ("a", "b", "c", "d1", "d2")
PAGE_SIZE = 50
ENTRANT_FIELDS = ("name", "kind", "target_group", "unit_type", "unit_id", "position", "focal_users")
ADDABLE_RULES = ("level", "assessment")
SESSION_FIELDS = ("title", "held_at", "location", "chair", "secretary", "ballot_mode")
LETTERHEAD_FIELDS = ("issuing_body", "parent_body", "place", "authority")
EXTRA_MEMBER_ROWS = 2
ROW_ERROR = re.compile(r"^row (\d+)(?::\s*(.*))?$")


# --- shared helpers


def refused(error: ApiError) -> bool:
    """An answer about what the person sent (shown on the form), rather than a failure (an error page)."""
    return error.status in (409, 422)


def first_part(errors: dict[str, str], known: tuple[str, ...]) -> dict[str, str]:
    """`focal_users.3` → `focal_users` when the form has one input for the list."""
    shown: dict[str, str] = {}
    for name, message in errors.items():
        head = name.split(".", 1)[0]
        key = head if head in known else name
        shown[key] = f"{shown[key]}; {message}" if key in shown else message
    return shown


def local(value: Any) -> datetime | None:
    """A moment in Vietnam time (UTC+7), as the commune reads it."""
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(VIETNAM)


def local_input(value: Any) -> str:
    """The value of a datetime-local input, in Vietnam time."""
    moment = local(value)
    return moment.strftime("%Y-%m-%dT%H:%M") if moment else ""


def from_local_input(text: str) -> str | None:
    """A datetime-local input's text (Vietnam time) as an ISO moment with its offset; None when empty or unreadable
    (the API then names the field)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=VIETNAM, second=0, microsecond=0).isoformat()


def render(page: Page, template: str, *, status: int = 200, **context: Any) -> Response:
    """The page, with Vietnam-time helpers and each field message in the reader's language."""
    context["errors"] = {name: page.t.pick(message) for name, message in (context.get("errors") or {}).items()}
    return page.render(template, status=status, local=local, local_input=local_input, **context)


def period_state(period: Period) -> str:
    now = datetime.now(UTC)
    return "open" if period.is_open else "upcoming" if now < period.opens_at else "closed"


async def _campaign_periods(page: Page, chosen: str) -> tuple[dict[str, Any] | None, list[Period], str]:
    found = await campaign(page)
    all_periods = periods(found)
    return found, all_periods, current_period(all_periods, chosen)


# --- entrants


@router.get("/entrants")
async def entrants(page: Officer, number: PageNumber = 1, group: str = "", kind: str = "") -> Response:
    return await _entrants(page, number, group, kind)


async def _entrants(
    page: Page,
    number: int = 1,
    group: str = "",
    kind: str = "",
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
    import_problem: str = "",
    import_errors: list[dict[str, str]] | None = None,
    report: dict[str, Any] | None = None,
) -> Response:
    group = group if group in GROUPS else ""
    kind = kind if kind in ("collective", "individual") else ""
    listing = await page.get("submissions", "/entrants", group=group, kind=kind, page=number, page_size=PAGE_SIZE)
    last = max(1, -(-int(listing["total"]) // PAGE_SIZE))
    return render(
        page,
        "officer/entrants.html",
        status=status,
        entrants=listing["items"],
        total=listing["total"],
        number=number,
        last=last,
        group=group,
        kind=kind,
        groups=(await reference(page))["target_groups"],
        units=(await page.get("submissions", "/entrants", kind="collective", page_size=200))["items"],
        errors=errors or {},
        values=values or {"kind": "collective", "target_group": "a"},
        problem=problem,
        import_problem=import_problem,
        import_errors=import_errors or [],
        skip_invalid=page.field("skip_invalid") == "true",
        report=report,
    )


def _entrant_body(page: Page) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": page.field("name"),
        "kind": page.field("kind"),
        "target_group": page.field("target_group"),
    }
    for name in ("unit_type", "unit_id", "position"):
        if page.field(name):
            body[name] = page.field(name)
    focal = [u.strip() for u in page.field("focal_users").split(",") if u.strip()]
    if focal:
        body["focal_users"] = focal
    return body


def entrant_errors(errors: dict[str, str]) -> dict[str, str]:
    """Field errors under their input; a rule about the whole entrant (a collective in group d1, an individual
    without a unit) under the kind, which it is about."""
    return first_part(
        {("kind" if name == "body" else name): message for name, message in errors.items()}, ENTRANT_FIELDS
    )


@router.post("/entrants")
async def add_entrant(page: Officer) -> Response:
    try:
        created = await page.api("POST", "submissions", "/entrants", json=_entrant_body(page))
    except ApiError as error:
        if not refused(error):
            raise
        return await _entrants(
            page,
            status=422,
            errors=entrant_errors(error.errors),
            values={name: page.field(name) for name in ENTRANT_FIELDS},
            problem=error.message,
        )
    return await page.done(
        f"/officer/entrants/{created['id']}", f"Đã thêm “{created['name']}”", f"Added “{created['name']}”"
    )


@router.get("/entrants/import-template")
async def import_template(page: Officer) -> Response:
    return await page.download("submissions", "/entrants/import-template")


def row_errors(errors: dict[str, str]) -> list[dict[str, str]]:
    """The import's per-row problems (`row 4: Đơn vị` → row 4, column Đơn vị), in row order."""
    rows: list[tuple[int, dict[str, str]]] = []
    for name, message in errors.items():
        matched = ROW_ERROR.match(name)
        number = int(matched.group(1)) if matched else 0
        column = (matched.group(2) or "") if matched else ("" if name == "body" else name)
        rows.append((number, {"row": str(number) if number else "", "column": column, "message": message}))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def report_errors(report: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"row": str(e.get("row") or ""), "column": str(e.get("column") or ""), "message": str(e.get("message", ""))}
        for e in report.get("errors", [])
    ]


@router.post("/entrants/import")
async def import_entrants(page: Officer) -> Response:
    upload = page.form.get("file") if page.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _entrants(
            page, status=422, import_problem=page.t("Hãy chọn tệp Excel (.xlsx)", "Choose an Excel file (.xlsx)")
        )
    skip_invalid = page.field("skip_invalid") == "true"
    try:
        report = await page.api(
            "POST",
            "submissions",
            "/entrants/import",
            params={"skip_invalid": "true" if skip_invalid else "false"},
            content=await upload.read(),
            content_type=XLSX,
        )
    except ApiError as error:
        if error.status not in (409, 413, 415, 422):
            raise
        return await _entrants(page, status=422, import_problem=error.message, import_errors=row_errors(error.errors))
    if report["errors"]:  # rows left out: the officer needs to read which, so no redirect
        return await _entrants(page, report=report, import_errors=report_errors(report))
    return await page.done(
        "/officer/entrants",
        f"Đã nhập {report['imported']} đối tượng, {report['already_present']} đã có từ trước",
        f"Imported {report['imported']} entrants, {report['already_present']} were already there",
    )


@router.get("/entrants/{entrant_id}")
async def entrant(page: Officer, entrant_id: str) -> Response:
    found = await page.get("submissions", f"/entrants/{entrant_id}")
    members = (
        (await page.get("submissions", "/entrants", unit_id=entrant_id, page_size=200))["items"]
        if found["kind"] == "collective"
        else []
    )
    unit = await page.get("submissions", f"/entrants/{found['unit_id']}") if found.get("unit_id") else None
    return render(page, "officer/entrant.html", entrant=found, members=members, unit=unit)


# --- criteria


@router.get("/criteria")
async def criteria_sets(page: Officer, period: str = "", group: str = "a") -> Response:
    return await _criteria(page, period, group)


async def _criteria(
    page: Page,
    period: str,
    group: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    found, all_periods, chosen = await _campaign_periods(page, period)
    group = group if group in GROUPS else "a"
    current = (
        await page.get("submissions", f"/campaigns/{found['id']}/criteria-sets", period=chosen, group=group)
        if found and chosen
        else []
    )
    the_set = current[0] if current else None
    chosen_period = next((p for p in all_periods if p.code == chosen), None)
    editable = bool(the_set and chosen_period and period_state(chosen_period) == "upcoming")
    shown = dict(values or {})
    if the_set and values is None:
        shown = {f"max_points.{c['code']}": str(c["max_points"]) for c in the_set["content"]["criteria"]}
        shown["new.kind"] = "assessment"
    return render(
        page,
        "officer/criteria.html",
        status=422 if errors or problem else 200,
        campaign=found,
        periods=all_periods,
        period=chosen,
        group=group,
        groups=(await reference(page))["target_groups"],
        themes=(await reference(page))["themes"],
        criteria_set=the_set,
        editable=editable,
        state=period_state(chosen_period) if chosen_period else "",
        errors=errors or {},
        values=shown,
        problem=problem,
    )


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _adapted(page: Page, content: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The set's criteria as the form changed them: new maxima, some removed, perhaps one added."""
    errors: dict[str, str] = {}
    adapted: list[dict[str, Any]] = []
    for criterion in content["criteria"]:
        code = criterion["code"]
        if page.field(f"remove.{code}") == "true":
            continue
        try:
            adapted.append({**criterion, "max_points": _number(page.field(f"max_points.{code}"))})
        except ValueError:
            errors[f"max_points.{code}"] = page.t("Phải là một số", "Must be a number")
            adapted.append(criterion)
    if page.field("new.code") or page.field("new.title"):
        added: dict[str, Any] = {
            "code": page.field("new.code"),
            "title": page.field("new.title"),
            "theme": int(page.field("new.theme") or 1),
            "rule": {"kind": page.field("new.kind") or "assessment"},
        }
        try:
            added["max_points"] = _number(page.field("new.max_points"))
        except ValueError:
            errors["new.max_points"] = page.t("Phải là một số", "Must be a number")
        adapted.append(added)
    return adapted, errors


def criteria_errors(error: ApiError, sent: list[dict[str, Any]], known: set[str]) -> dict[str, str]:
    """`criteria.3.max_points` → the input of that criterion; the adaptation's reasons (`a2: …; a5: …`) next to the
    criterion they name; the rest stays under the form."""
    shown: dict[str, str] = {}

    def add(key: str, message: str) -> None:
        shown[key] = f"{shown[key]}; {message}" if key in shown else message

    for name, message in error.errors.items():
        parts = name.split(".")
        if parts[0] == "criteria" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(sent):
            code = sent[int(parts[1])]["code"]
            column = (
                parts[2] if len(parts) > 2 and parts[2] in ("code", "title", "max_points", "theme") else "max_points"
            )
            add(f"max_points.{code}" if code in known else f"new.{column}", message)
        elif parts[0] == "criteria":
            for reason in message.split("; "):
                code, colon, rest = reason.partition(": ")
                if colon and code in known:
                    add(f"max_points.{code}", rest)
                elif colon and sent and code == sent[-1]["code"]:
                    add("new.code", rest)
                else:
                    add("criteria", reason)
        else:
            add(name, message)
    return shown


@router.post("/criteria")
async def adapt_criteria(page: Officer) -> Response:
    found = await campaign(page)
    period, group = page.field("period"), page.field("group")
    if not found:
        return await _criteria(page, period, group)
    sets = await page.get("submissions", f"/campaigns/{found['id']}/criteria-sets", period=period, group=group)
    content = sets[0]["content"]
    known = {c["code"] for c in content["criteria"]}
    values = {name: page.field(name) for name in (page.form or {}) if isinstance(name, str)}
    adapted, errors = _adapted(page, content)
    if errors:
        return await _criteria(page, period, group, errors=errors, values=values)
    try:
        await page.api(
            "PUT",
            "submissions",
            f"/campaigns/{found['id']}/criteria-sets/{period}",
            json={**content, "criteria": adapted},
        )
    except ApiError as error:
        if not refused(error):
            raise
        shown = criteria_errors(error, adapted, known)
        return await _criteria(page, period, group, errors=shown, values=values, problem=error.message)
    return await page.done(
        f"/officer/criteria?period={period}&group={group}",
        f"Đã lưu bộ tiêu chí nhóm {group} kỳ {period}",
        f"Criteria of group {group} for {period} saved",
    )


# --- dossiers

SUBMISSION_STATUSES = ("draft", "submitted", "returned", "resubmitted", "withdrawn")


@router.get("/dossiers")
async def dossiers(page: Officer, period: str = "", status: str = "", number: PageNumber = 1) -> Response:
    _, all_periods, chosen = await _campaign_periods(page, period)
    status = status if status in SUBMISSION_STATUSES else ""
    listing: dict[str, Any] = {"items": [], "total": 0}
    if chosen:
        listing = await page.get(
            "submissions", "/submissions", period=chosen, status=status, page=number, page_size=PAGE_SIZE
        )
    return render(
        page,
        "officer/dossiers.html",
        periods=all_periods,
        period=chosen,
        status_filter=status,
        dossiers=listing["items"],
        total=listing["total"],
        number=number,
        last=max(1, -(-int(listing["total"]) // PAGE_SIZE)),
    )


async def _dossier(
    page: Page,
    dossier_id: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    dossier = await page.get("submissions", f"/submissions/{dossier_id}")
    found = await campaign(page)
    listed = await criteria(page, found["id"], dossier["period"], dossier["entrant"]["target_group"]) if found else []
    catalogue = await page.get("awards", "/catalogue")
    return render(
        page,
        "officer/dossier.html",
        status=422 if errors or problem else 200,
        dossier=dossier,
        criteria=listed,
        audit=await page.get("submissions", f"/submissions/{dossier_id}/audit"),
        returnable=dossier["status"] in ("submitted", "resubmitted"),
        proposable=dossier["status"] in ("submitted", "resubmitted"),
        award_forms=[
            (f["code"], page.t.pick(f"{f['name']} / {f.get('name_en') or f['name']}"))
            for f in catalogue["forms"]
            if dossier["entrant"]["kind"] in f["recipient_kinds"]
        ],
        errors=errors or {},
        values=values or {},
        problem=problem,
    )


@router.get("/dossiers/{dossier_id}")
async def dossier(page: Officer, dossier_id: str) -> Response:
    return await _dossier(page, dossier_id)


@router.get("/files/{attachment_id}")
async def file(page: Officer, attachment_id: str) -> Response:
    return await page.download("submissions", f"/attachments/{attachment_id}")


@router.post("/dossiers/{dossier_id}/completeness")
async def check_completeness(page: Officer, dossier_id: str) -> Response:
    try:
        checked = await page.api("POST", "submissions", f"/submissions/{dossier_id}/completeness")
    except ApiError as error:
        if not refused(error):
            raise
        return await _dossier(page, dossier_id, errors=error.errors, problem=error.message)
    result = checked["completeness"]
    if result["complete"]:
        return await page.done(f"/officer/dossiers/{dossier_id}#completeness", "Hồ sơ đã đủ", "The dossier is complete")
    missing = ", ".join(result["missing"])
    return await page.done(
        f"/officer/dossiers/{dossier_id}#completeness", f"Hồ sơ còn thiếu: {missing}", f"The dossier lacks: {missing}"
    )


def _return_reasons(page: Page) -> list[dict[str, Any]]:
    reasons: list[dict[str, Any]] = []
    if page.field("reason._general"):
        reasons.append({"code": None, "reason": page.field("reason._general")})
    for name in page.form or {}:
        if isinstance(name, str) and name.startswith("reason.") and name != "reason._general" and page.field(name):
            reasons.append({"code": name.removeprefix("reason."), "reason": page.field(name)})
    return reasons


@router.post("/dossiers/{dossier_id}/return")
async def return_dossier(page: Officer, dossier_id: str) -> Response:
    reasons = _return_reasons(page)
    values = {name: page.field(name) for name in (page.form or {}) if isinstance(name, str) and name.startswith("r")}
    if not reasons:
        message = page.t(
            "Ghi lý do cho ít nhất một tiêu chí cần bổ sung", "Give a reason for at least one criterion to correct"
        )
        return await _dossier(page, dossier_id, errors={"reasons": message}, values=values)
    try:
        await page.api("POST", "submissions", f"/submissions/{dossier_id}/return", json={"reasons": reasons})
    except ApiError as error:
        if not refused(error):
            raise
        shown: dict[str, str] = {}
        for name, message in error.errors.items():
            parts = name.split(".")
            at = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(reasons) else None
            shown[f"reason.{reasons[at]['code'] or '_general'}" if at is not None else name] = message
        return await _dossier(page, dossier_id, errors=shown, values=values, problem=error.message)
    return await page.done(
        f"/officer/dossiers/{dossier_id}", "Đã trả lại hồ sơ để bổ sung", "The dossier was returned for correction"
    )


@router.post("/dossiers/{dossier_id}/candidates")
async def propose_candidate(page: Officer, dossier_id: str) -> Response:
    """A candidate added by hand (a higher form, say), with the reason; the council considers it in its session."""
    values = {"award_form": page.field("award_form"), "reason": page.field("reason")}
    body = {"submission_id": dossier_id, **values}
    try:
        await page.api("POST", "awards", "/candidates", json=body)
    except ApiError as error:
        if not refused(error):
            raise
        return await _dossier(page, dossier_id, errors=error.errors, values=values, problem=error.message)
    where = f"/officer/dossiers/{dossier_id}#propose"
    return await page.done(where, "Đã đề nghị khen thưởng, chờ Hội đồng xét", "Proposed to the council")


# --- periods and the scoring council


async def _periods(
    page: Page,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    found = await campaign(page)
    all_periods = periods(found)
    shown = {f"{p.code}.{end}": local_input(getattr(p, end)) for p in all_periods for end in ("opens_at", "closes_at")}
    shown.update(values or {})
    roster = (await page.get("scoring", "/council"))["members"]
    for index, member in enumerate(roster):
        shown.setdefault(f"member.{index}.username", member["username"])
        shown.setdefault(f"member.{index}.units", ", ".join(member.get("unit_entrant_ids") or []))
    return render(
        page,
        "officer/periods.html",
        status=422 if errors or problem else 200,
        campaign=found,
        periods=[(p, period_state(p)) for p in all_periods],
        roster_rows=len(roster) + EXTRA_MEMBER_ROWS,
        errors=errors or {},
        values=shown,
        problem=problem,
    )


@router.get("/periods")
async def periods_page(page: Officer) -> Response:
    return await _periods(page)


@router.post("/periods/{code}/window")
async def set_window(page: Officer, code: str) -> Response:
    found = await campaign(page)
    values = {f"{code}.{end}": page.field(end) for end in ("opens_at", "closes_at")}
    body = {end: from_local_input(page.field(end)) for end in ("opens_at", "closes_at")}
    if not found:
        return await _periods(page)
    try:
        await page.api(
            "PUT",
            "submissions",
            f"/campaigns/{found['id']}/periods/{code}",
            json={k: v for k, v in body.items() if v},
        )
    except ApiError as error:
        if not refused(error):
            raise
        shown = {f"{code}.{k}" if k in body else k: v for k, v in error.errors.items()}
        return await _periods(page, errors=shown, values=values, problem=error.message)
    return await page.done(
        f"/officer/periods#period-{code}", f"Đã đặt thời gian kỳ {code}", f"The window of {code} was set"
    )


@router.post("/periods/{code}/assign")
async def assign_waiting(page: Officer, code: str) -> Response:
    done = await page.api("POST", "scoring", "/council/assign", params={"period": code})
    return await page.done(
        f"/officer/periods#period-{code}",
        f"Đã phân công chấm {done['count']} hồ sơ kỳ {code}",
        f"{done['count']} dossiers of {code} assigned to reviewers",
    )


@router.post("/periods/{code}/close")
async def close_scoring(page: Officer, code: str) -> Response:
    if page.field("confirm") != "true":
        message = page.t("Hãy đánh dấu xác nhận trước khi khóa sổ", "Tick the confirmation before closing")
        return await _periods(page, errors={f"{code}.confirm": message})
    try:
        done = await page.api("POST", "scoring", f"/periods/{code}/close")
    except ApiError as error:
        if not refused(error):
            raise
        return await _periods(page, errors={f"{code}.confirm": error.message}, problem=error.message)
    return await page.done(
        f"/officer/periods#period-{code}",
        f"Đã khóa sổ chấm điểm kỳ {code}: {done['count']} hồ sơ có điểm chính thức",
        f"Scoring of {code} closed: {done['count']} dossiers got their final score",
    )


def _roster_rows(page: Page) -> tuple[list[dict[str, Any]], list[int]]:
    members: list[dict[str, Any]] = []
    rows: list[int] = []
    index = 0
    while page.form is not None and f"member.{index}.username" in page.form:
        username = page.field(f"member.{index}.username")
        if username:
            units = [u.strip() for u in page.field(f"member.{index}.units").split(",") if u.strip()]
            members.append({"username": username, "unit_entrant_ids": units})
            rows.append(index)
        index += 1
    return members, rows


@router.post("/council")
async def set_council(page: Officer) -> Response:
    members, rows = _roster_rows(page)
    values = {name: page.field(name) for name in (page.form or {}) if isinstance(name, str) and name.startswith("m")}
    try:
        await page.api("PUT", "scoring", "/council", json={"members": members})
    except ApiError as error:
        if not refused(error):
            raise
        shown: dict[str, str] = {}
        for name, message in error.errors.items():
            parts = name.split(".")
            if parts[0] == "members" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
                column = "units" if len(parts) > 2 and parts[2] == "unit_entrant_ids" else "username"
                shown[f"member.{rows[int(parts[1])]}.{column}"] = message
            else:
                shown["council"] = message
        shown = shown or {"council": error.message}
        return await _periods(page, errors=shown, values=values, problem=error.message)
    return await page.done("/officer/periods#council", "Đã cập nhật Hội đồng chấm", "The council roster was saved")


# --- council sessions


async def _sessions(
    page: Page,
    period: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
    evaluations: list[dict[str, Any]] | None = None,
    evaluated_form: str = "",
    candidate_status: str = "",
) -> Response:
    _, all_periods, chosen = await _campaign_periods(page, period)
    roster = (await page.get("scoring", "/council"))["members"]
    catalogue = (await page.get("awards", "/catalogue"))["forms"]
    listed = await page.get("awards", "/candidates", period=chosen, status=candidate_status, limit=500)
    sessions = await page.get("awards", "/sessions", period=chosen)
    letterhead = await _letterhead(page)
    shown: dict[str, str] = {}
    if not any(name.startswith("member.") for name in values or {}):  # the roster, unless the form came back
        shown.update({f"member.{i}.username": m["username"] for i, m in enumerate(roster)})
        shown.update({f"member.{i}.include": "true" for i in range(len(roster))})
    shown.update({f"letterhead.{k}": str(letterhead.get(k) or "") for k in LETTERHEAD_FIELDS})
    shown.update({"ballot_mode": "secret", "award_form": "GIAY_KHEN_XA"})
    shown.update(values or {})
    return render(
        page,
        "officer/sessions.html",
        status=422 if errors or problem else 200,
        periods=all_periods,
        period=chosen,
        candidates=listed["items"],
        candidate_status=candidate_status,
        sessions=sessions["items"],
        forms=catalogue,
        form_names={f["code"]: (f["name"], f["name_en"]) for f in catalogue},
        member_rows=len(roster) + EXTRA_MEMBER_ROWS,
        roster_size=len(roster),
        evaluations=evaluations,
        evaluated_form=evaluated_form,
        errors=errors or {},
        values=shown,
        problem=problem,
    )


async def _letterhead(page: Page) -> dict[str, Any]:
    try:
        found: dict[str, Any] = await page.get("awards", "/letterhead")
    except ApiError as error:
        if error.status != 404:
            raise
        return {}
    return found


@router.get("/sessions")
async def sessions_page(page: Officer, period: str = "", status: str = "") -> Response:
    return await _sessions(page, period, candidate_status=status)


@router.post("/sessions/evaluate")
async def evaluate(page: Officer) -> Response:
    period, form = page.field("period"), page.field("award_form")
    try:
        found = await page.api("POST", "awards", "/candidates/evaluate", json={"period": period, "award_form": form})
    except ApiError as error:
        if not refused(error):
            raise
        return await _sessions(
            page, period, errors=first_part(error.errors, ("award_form",)), values={"award_form": form},
            problem=error.message,
        )  # fmt: skip
    return await _sessions(page, period, evaluations=found["items"], evaluated_form=form, values={"award_form": form})


@router.post("/candidates/{candidate_id}/review")
async def review_candidate(page: Officer, candidate_id: str) -> Response:
    period = page.field("period")
    included = page.field("included") == "true"
    try:
        await page.api(
            "POST",
            "awards",
            f"/candidates/{candidate_id}/review",
            json={"included": included, "reason": page.field("reason")},
        )
    except ApiError as error:
        if not refused(error):
            raise
        message = "; ".join(error.errors.values()) or error.message
        return await _sessions(
            page,
            period,
            errors={f"{candidate_id}.reason": message},
            values={f"{candidate_id}.reason": page.field("reason")},
            problem=error.message,
        )
    return await page.done(
        f"/officer/sessions?period={period}#candidate-{candidate_id}",
        "Đã giữ lại trong danh sách" if included else "Đã đưa ra khỏi danh sách",
        "Kept on the list" if included else "Taken off the list",
    )


def _session_members(page: Page) -> tuple[list[dict[str, Any]], list[int]]:
    members: list[dict[str, Any]] = []
    rows: list[int] = []
    index = 0
    while page.form is not None and f"member.{index}.username" in page.form:
        username = page.field(f"member.{index}.username")
        included = page.field(f"member.{index}.include") == "true" or index >= page_int(page, "roster_size")
        if username and included:
            member = {"username": username, "name": page.field(f"member.{index}.name")}
            if page.field(f"member.{index}.role"):
                member["role"] = page.field(f"member.{index}.role")
            members.append(member)
            rows.append(index)
        index += 1
    return members, rows


def page_int(page: Page, name: str) -> int:
    text = page.field(name)
    return int(text) if text.isdigit() else 0


def _session_body(page: Page) -> tuple[dict[str, Any], list[int]]:
    members, rows = _session_members(page)
    body: dict[str, Any] = {
        "period": page.field("period"),
        "title": page.field("title"),
        "location": page.field("location"),
        "chair": page.field("chair"),
        "ballot_mode": page.field("ballot_mode") or "secret",
        "members": members,
        "award_forms": page.fields("award_forms"),
    }
    held_at = from_local_input(page.field("held_at"))
    if held_at:
        body["held_at"] = held_at
    if page.field("secretary"):
        body["secretary"] = page.field("secretary")
    return body, rows


def session_errors(errors: dict[str, str], rows: list[int]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, message in errors.items():
        parts = name.split(".")
        if parts[0] == "members" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
            column = parts[2] if len(parts) > 2 and parts[2] in ("username", "name", "role") else "name"
            key = f"member.{rows[int(parts[1])]}.{column}"
        else:
            key = parts[0]
        shown[key] = f"{shown[key]}; {message}" if key in shown else message
    return shown


@router.post("/sessions")
async def convene(page: Officer) -> Response:
    body, rows = _session_body(page)
    values = {name: page.field(name) for name in (page.form or {}) if isinstance(name, str)}
    values.update({f"award_forms.{code}": "true" for code in body["award_forms"]})
    try:
        created = await page.api("POST", "awards", "/sessions", json=body)
    except ApiError as error:
        if not refused(error):
            raise
        return await _sessions(
            page, body["period"], errors=session_errors(error.errors, rows), values=values, problem=error.message
        )
    return await page.done(
        f"/officer/sessions/{created['id']}",
        f"Đã triệu tập phiên họp với {len(created['candidates'])} đề xuất",
        f"Session convened with {len(created['candidates'])} candidates",
    )


@router.post("/letterhead")
async def set_letterhead(page: Officer) -> Response:
    period = page.field("period")
    body = {name: page.field(f"letterhead.{name}") for name in LETTERHEAD_FIELDS}
    try:
        await page.api("PUT", "awards", "/letterhead", json=body)
    except ApiError as error:
        if not refused(error):
            raise
        values = {f"letterhead.{k}": v for k, v in body.items()}
        shown = {f"letterhead.{k.split('.')[0]}": v for k, v in error.errors.items()}
        return await _sessions(page, period, errors=shown, values=values, problem=error.message)
    return await page.done(
        f"/officer/sessions?period={period}#letterhead", "Đã lưu tiêu đề văn bản", "Letterhead saved"
    )


async def _session(page: Page, session_id: str, *, errors: dict[str, str] | None = None, problem: str = "") -> Response:
    found = await page.get("awards", f"/sessions/{session_id}")
    voted = {b["member"]: b for b in found["ballots"]}
    names = {m["username"]: m["name"] for m in found["members"]}
    catalogue = (await page.get("awards", "/catalogue"))["forms"]
    present = page.fields("present") if page.form is not None else found["present"]
    return render(
        page,
        "officer/session.html",
        status=422 if errors or problem else 200,
        session_view=found,
        voted=voted,
        names=names,
        present=present,
        form_names={f["code"]: (f["name"], f["name_en"]) for f in catalogue},
        errors=errors or {},
        problem=problem,
    )


@router.get("/sessions/{session_id}")
async def session(page: Officer, session_id: str) -> Response:
    return await _session(page, session_id)


@router.post("/sessions/{session_id}/open")
async def open_voting(page: Officer, session_id: str) -> Response:
    try:
        await page.api("POST", "awards", f"/sessions/{session_id}/open", json={"present": page.fields("present")})
    except ApiError as error:
        if not refused(error):
            raise
        return await _session(page, session_id, errors=first_part(error.errors, ("present",)), problem=error.message)
    return await page.done(f"/officer/sessions/{session_id}", "Đã mở biểu quyết", "Voting is open")


@router.post("/sessions/{session_id}/close")
async def close_voting(page: Officer, session_id: str) -> Response:
    try:
        await page.api("POST", "awards", f"/sessions/{session_id}/close")
    except ApiError as error:
        if not refused(error):
            raise
        return await _session(page, session_id, errors=error.errors, problem=error.message)
    return await page.done(
        f"/officer/sessions/{session_id}#results", "Đã kết thúc và kiểm phiếu", "Voting closed and counted"
    )


@router.get("/sessions/{session_id}/minutes.pdf")
async def minutes(page: Officer, session_id: str) -> Response:
    return await page.download("awards", f"/sessions/{session_id}/minutes.pdf")


# --- commune reports


@router.get("/reports")
async def reports(page: Officer, period: str = "") -> Response:
    return await _reports(page, period)


async def _reports(page: Page, period: str, *, errors: dict[str, str] | None = None, problem: str = "") -> Response:
    _, all_periods, chosen = await _campaign_periods(page, period)
    return render(
        page,
        "officer/reports.html",
        status=422 if errors or problem else 200,
        periods=all_periods,
        period=chosen,
        commune=page.principal.tenant or "",
        errors=errors or {},
        values={"period": chosen},
        problem=problem,
    )


@router.post("/reports")
async def request_report(page: Officer) -> Response:
    period = page.field("period")
    body = {"kind": "commune", "commune": page.principal.tenant, "period": period}
    try:
        job = await page.api("POST", "rollups", "/rollups/reports", json=body)
    except ApiError as error:
        if not refused(error):
            raise
        return await _reports(page, period, errors=error.errors, problem=error.message)
    return await page.done(
        f"/officer/reports/{job['id']}", f"Đã yêu cầu báo cáo kỳ {period}", f"Report for {period} requested"
    )


@router.get("/reports/{job_id}")
async def report(page: Officer, job_id: str) -> Response:
    job = await page.get("rollups", f"/rollups/reports/{job_id}")
    return render(page, "officer/report.html", job=job)


@router.get("/reports/{job_id}/report.{extension}")
async def report_file(page: Officer, job_id: str, extension: str) -> Response:
    job = await page.get("rollups", f"/rollups/reports/{job_id}")
    path = job["files"].get({"xlsx": "workbook", "pdf": "narrative"}.get(extension, ""))
    if not path:
        raise ApiError(404, "Báo cáo chưa sẵn sàng / The report is not ready")
    return await page.download("rollups", path)
