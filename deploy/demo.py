"""Loads a demo province through the public APIs with real tokens: both provinces publish the movement's campaign
template, xã Liên Minh and xã Sơn Mai adopt it and open the current year's period (2026 in 2026), import their
entrants from an Excel workbook, units register and submit dossiers, one dossier is returned for correction, and
each commune's council reviews the others, so final scores, ranks and the digital-transformation index exist for
both communes.

Run by `deploy/stack up --demo`. Safe to run again: what exists is reused (idempotency keys, natural ids).
"""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
from openpyxl import Workbook

from thidua_platform.client import SERVICE_URLS, password_token

TEMPLATE = "cds-2025-2030"
VIETNAM = timezone(timedelta(hours=7))
# the movement's year now (2025–2030): the period the demo opens, as the portal shows the current year's
PERIOD = str(min(max(datetime.now(VIETNAM).year, 2025), 2030))


def open_window(now: datetime) -> dict[str, str]:
    """The demo period's window, open now for up to 60 days, within what the service allows a yearly period (it
    opens within its year and closes by the end of January after it, Vietnam time)."""
    year = int(PERIOD)
    opens = max(
        min(now - timedelta(days=1), datetime(year, 12, 31, tzinfo=VIETNAM)), datetime(year, 1, 1, tzinfo=VIETNAM)
    )
    closes = min(now + timedelta(days=60), datetime(year + 1, 1, 31, 23, 59, tzinfo=VIETNAM))
    return {"opens_at": opens.isoformat(), "closes_at": closes.isoformat()}


COMMUNES: dict[str, dict[str, Any]] = {
    "lm": {
        "admin": "nb.admin",
        "letterhead": {
            "issuing_body": "ỦY BAN NHÂN DÂN XÃ LIÊN MINH",
            "parent_body": "TỈNH NINH BÌNH",
            "place": "Liên Minh",
            "authority": "UBND xã Liên Minh",
        },
        "council": ["lm.council1", "lm.council2"],
        "entrants": [
            ("Thôn Đông Hưng", "Tập thể", "a", None, "lm.submitter"),
            ("Hội Liên hiệp Phụ nữ xã", "Tập thể", "b", None, "lm.submitter"),
            ("Trường Tiểu học Liên Minh", "Tập thể", "c", None, ""),
            ("Nguyễn Thị Hoa", "Cá nhân", "d1", "Thôn Đông Hưng", ""),
        ],
        "dossiers": {
            "Thôn Đông Hưng": {
                "a1": {"level": "full"},
                "a7": {"value": 4},
                "a8": {"value": 96},
                "a9": {"value": 100},
                "a11": {"value": 85},
                "a-model": {"occurrences": 1},
            },
            "Hội Liên hiệp Phụ nữ xã": {"b3": {"level": "full"}, "b4": {"value": 9}, "b5": {"value": 72}},
        },
    },
    "sm": {
        "admin": "qn.admin",
        "letterhead": {
            "issuing_body": "ỦY BAN NHÂN DÂN XÃ SƠN MAI",
            "parent_body": "TỈNH QUẢNG NGÃI",
            "place": "Sơn Mai",
            "authority": "UBND xã Sơn Mai",
        },
        "council": ["sm.council1"],
        "entrants": [
            ("Thôn Làng Ranh", "Tập thể", "a", None, "sm.submitter"),
            ("Trường Tiểu học Sơn Mai", "Tập thể", "c", None, "sm.submitter"),
        ],
        "dossiers": {
            "Trường Tiểu học Sơn Mai": {
                "c4": {"value": 70},
                "c5": {"value": 100},
                "c8": {"value": 2},
                "c9": {"level": "half"},
            },
        },
    },
}


def call(http: httpx.Client, method: str, path: str, user: str, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {password_token(user).access_token}", **kwargs.pop("headers", {})}
    response = http.request(method, path, headers=headers, **kwargs)
    if response.status_code >= 400 and response.status_code != 409:
        raise SystemExit(f"demo: {method} {path} as {user}: {response.status_code} {response.text}")
    return response.json() if response.content else None


def workbook(rows: list[tuple[str, str, str, str | None, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tên", "Loại", "Nhóm", "Thuộc đơn vị", "Cán bộ đầu mối"])
    for name, kind, group, unit, focal in rows:
        sheet.append([name, kind, group, unit, focal or None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def prepare_commune(http: httpx.Client, prefix: str, spec: dict[str, Any]) -> dict[str, str]:
    officer = f"{prefix}.officer"
    templates = call(http, "GET", "/campaign-templates", spec["admin"])
    template = next((t for t in templates if t["code"] == TEMPLATE), None) or call(
        http, "POST", "/campaign-templates", spec["admin"], json={"code": TEMPLATE}
    )
    if template["status"] != "published":
        call(http, "POST", f"/campaign-templates/{template['id']}/publish", spec["admin"])
    campaigns = call(http, "GET", "/campaigns", officer)
    campaign = next((c for c in campaigns if c["template_id"] == template["id"]), None) or call(
        http, "POST", "/campaigns", officer, json={"template_id": template["id"]}
    )
    call(http, "PUT", f"/campaigns/{campaign['id']}/periods/{PERIOD}", officer, json=open_window(datetime.now(UTC)))
    report = call(http, "POST", "/entrants/import", officer, content=workbook(spec["entrants"]))
    print(f"  demo: {officer} imported {report['imported']} entrants ({report['already_present']} already there)")
    found: dict[str, str] = {}
    page = 1
    while True:  # every page: a stack the tests have run on holds more entrants than one page
        listing = call(http, "GET", f"/entrants?page_size=200&page={page}", officer)
        found |= {entrant["name"]: entrant["id"] for entrant in listing["items"]}
        if page * listing["page_size"] >= listing["total"]:
            return found
        page += 1


def file_dossier(http: httpx.Client, prefix: str, entrant_id: str, name: str, evidence: dict[str, Any]) -> str:
    filer = f"{prefix}.submitter"
    key = {"Idempotency-Key": f"demo-{PERIOD}-{entrant_id}"}
    call(http, "POST", "/registrations", filer, json={"period": PERIOD, "entrant_id": entrant_id}, headers=key)
    dossier = call(http, "POST", "/submissions", filer, json={"period": PERIOD, "entrant_id": entrant_id}, headers=key)
    if dossier.get("status") == 409:  # filed before (e.g. by the same user before a realm re-import)
        listing = call(http, "GET", f"/submissions?period={PERIOD}&entrant={entrant_id}", filer)
        dossier = listing["items"][0]
    if dossier["status"] == "draft":
        for code, given in evidence.items():
            call(http, "PUT", f"/submissions/{dossier['id']}/evidence/{code}", filer, json=given)
        dossier = call(http, "POST", f"/submissions/{dossier['id']}/submit", filer)
    print(f"  demo: {filer} filed «{name}» ({dossier['status']})")
    return str(dossier["id"])


def council_reviews(prefix: str, spec: dict[str, Any], dossiers: list[str]) -> None:
    """The commune's council reviews what it was assigned (once scoring has assigned it), at 80 % of each maximum."""
    with httpx.Client(base_url=SERVICE_URLS["scoring"], timeout=30) as scoring:
        call(
            scoring,
            "PUT",
            "/council",
            f"{prefix}.officer",
            json={"members": [{"username": name} for name in spec["council"]]},
        )
        call(scoring, "POST", "/council/assign?period=" + PERIOD, f"{prefix}.officer")
        for member in spec["council"]:
            deadline = time.monotonic() + 30
            for dossier in dossiers:
                while True:
                    response = scoring.get(f"/reviews/{dossier}", headers=bearer(member))
                    if response.status_code != 409 or time.monotonic() > deadline:
                        break
                    time.sleep(0.2)
                if response.status_code != 200:
                    continue  # not assigned (returned dossier, or a conflict of interest)
                for criterion in response.json()["criteria"]:
                    call(
                        scoring,
                        "PUT",
                        f"/reviews/{dossier}/assessments/{criterion['code']}",
                        member,
                        json={"points": round(criterion["max_points"] * 0.8, 2), "comment": "Có minh chứng."},
                    )
            print(f"  demo: {member} reviewed the dossiers assigned to them")


def bearer(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {password_token(user).access_token}"}


def main() -> None:
    with httpx.Client(base_url=SERVICE_URLS["submissions"], timeout=30) as http:
        for prefix, spec in COMMUNES.items():
            entrants = prepare_commune(http, prefix, spec)
            filed = [
                file_dossier(http, prefix, entrants[name], name, evidence)
                for name, evidence in spec["dossiers"].items()
            ]
            if prefix == "lm":
                dossier = call(http, "GET", f"/submissions/{filed[-1]}", "lm.officer")
                if dossier["status"] == "submitted":
                    call(
                        http,
                        "POST",
                        f"/submissions/{filed[-1]}/return",
                        "lm.officer",
                        json={
                            "reasons": [
                                {"code": "b1", "reason": "Bổ sung thuyết minh các hoạt động tuyên truyền đã tổ chức."}
                            ]
                        },
                    )
                    print("  demo: lm.officer returned «Hội Liên hiệp Phụ nữ xã» for correction")
            council_reviews(prefix, spec, filed)
    with httpx.Client(base_url=SERVICE_URLS["awards"], timeout=30) as awards:
        for prefix, spec in COMMUNES.items():
            call(awards, "PUT", "/letterhead", f"{prefix}.officer", json=spec["letterhead"])
            print(f"  demo: {prefix}.officer set the letterhead of the award documents")


if __name__ == "__main__":
    main()
