"""The commune's platform record: the province's published campaign template, adopted by the commune's officer, and
the council members provisioned seated on the commune's scoring council.

Done through the submissions and scoring APIs as the officer (never in their databases): the commune then has its
campaign with the movement's periods and criteria, its people can register and submit, and its council is assigned
the dossiers to review.
"""

from __future__ import annotations

from typing import Any

import httpx

from thidua_platform.client import password_token


class NothingToAdopt(Exception):
    pass


def adopt_published_template(
    submissions_url: str, officer: str, password: str, *, template_code: str | None = None
) -> dict[str, Any]:
    """The commune's campaign of the province's published template (adopted now, or found adopted before)."""
    token = password_token(officer, password=password).access_token
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=submissions_url, headers=headers, timeout=30) as http:
        templates = [t for t in _ok(http.get("/campaign-templates")) if t["status"] == "published"]
        if template_code:
            templates = [t for t in templates if t["code"] == template_code]
        if not templates:
            raise NothingToAdopt(
                "Tỉnh chưa ban hành mẫu kế hoạch nào / the province has published no campaign template"
                + (f" with code {template_code}" if template_code else "")
            )
        template = max(templates, key=lambda t: str(t.get("published_at") or ""))
        adopted = [c for c in _ok(http.get("/campaigns")) if c["template_id"] == template["id"]]
        if adopted:
            return dict(adopted[0])
        return dict(_ok(http.post("/campaigns", json={"template_id": template["id"]})))


def seat_council(scoring_url: str, officer: str, password: str, members: list[str]) -> list[str]:
    """Seats these council members on the commune's scoring council, beside those already on it (whose units are
    kept); returns the usernames seated now (none when all were there)."""
    token = password_token(officer, password=password).access_token
    with httpx.Client(base_url=scoring_url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        roster = list(_ok(http.get("/council"))["members"])
        seated = {member["username"] for member in roster}
        new = [name for name in dict.fromkeys(members) if name not in seated]
        if new:
            _ok(http.put("/council", json={"members": roster + [{"username": name} for name in new]}))
        return new


def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise httpx.HTTPStatusError(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text[:500]}",
            request=response.request,
            response=response,
        )
    return response.json()
