"""The showcase (nhân rộng điển hình tiên tiến) on the real stack: xã Liên Minh's officer publishes an award of the
commune's history with its story; everyone of Ninh Bình reads it (the commune's own people, xã Tam Điệp's officer,
the province's staff), nobody of Quảng Ngãi does (xã Sơn Mai, the province's staff); only the commune's officer
publishes or withdraws it; every change is audited. Real Keycloak tokens, real FerretDB.

The award is a decision recorded in the history by hand (POST /history), which lands in the same history as the
chairman's decisions: a council session here would vote on every candidate under review in the commune, the work of
other people using the same stack."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jwt
import pytest
from pymongo import MongoClient

from thidua_platform.client import SERVICE_URLS

from .conftest import LIEN_MINH
from .world import bearer, ok, recorded_award

AWARDS = SERVICE_URLS["awards"]
MONGO = "mongodb://127.0.0.1:27027/"
ITEM_FIELDS = {
    "id", "tenant", "entrant_name", "entrant_kind", "award_form", "award_name", "level", "period", "decision_number",
    "decision_signed_on", "title", "story", "published_at",
}  # fmt: skip


@pytest.fixture(scope="module")
def mongo() -> Iterator[MongoClient[dict[str, Any]]]:
    client: MongoClient[dict[str, Any]] = MongoClient(MONGO, tz_aware=True)
    yield client
    client.close()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    return dict(response.json())


def showcase(http: httpx.Client, token: str) -> list[dict[str, Any]]:
    page = ok(http.get(f"{AWARDS}/showcase", params={"page_size": 200}, headers=bearer(token)))
    items: list[dict[str, Any]] = page["items"]
    published = [item["published_at"] for item in items]
    assert published == sorted(published, reverse=True), "newest first"
    return items


@pytest.mark.usefixtures("lien_minh")
def test_a_commune_publishes_an_award_for_its_province(
    http: httpx.Client, token: Callable[[str], str], mongo: MongoClient[dict[str, Any]]
) -> None:
    officer = token("lm.officer")
    entrant, entry = recorded_award(http, officer, name="Thôn Điển Hình")
    url = f"{AWARDS}/showcase/{entry['id']}"
    title = f"{entrant['name']}: họp thôn trực tuyến, sổ sách số hóa"
    story = "Thôn số hóa toàn bộ sổ sách, họp thôn trực tuyến hằng tháng; 95% hộ dùng dịch vụ công trực tuyến."
    body = {"title": unicodedata.normalize("NFD", f"  {title} "), "story": unicodedata.normalize("NFD", story)}

    # nobody but the commune's officer publishes it, and a bad body names its field
    problem(http.put(url, json=body, headers=bearer(token("lm.submitter"))), 403)
    problem(http.put(url, json=body, headers=bearer(token("nb.staff"))), 403)
    for outsider in ("td.officer", "sm.officer"):  # another commune of Ninh Bình, a commune of Quảng Ngãi
        problem(http.put(url, json=body, headers=bearer(token(outsider))), 404)
    for bad, field in (
        ({"title": " ", "story": story}, "title"),
        ({"title": title}, "story"),
        ({"title": title, "story": "x" * 4001}, "story"),
        ({"title": title, "story": story, "author": "lm.officer"}, "author"),
    ):
        refused = problem(http.put(url, json=bad, headers=bearer(officer)), 422)
        assert [e["field"] for e in refused["errors"]] == [field], refused
    problem(http.put(f"{AWARDS}/showcase/{LIEN_MINH}:no-such-entrant", json=body, headers=bearer(officer)), 404)
    assert all(item["id"] != entry["id"] for item in showcase(http, officer))

    # published, NFC; the same request again changes nothing
    item = ok(http.put(url, json=body, headers=bearer(officer)))
    assert set(item) == ITEM_FIELDS
    assert (item["title"], item["story"]) == (title, story)
    assert item["tenant"] == LIEN_MINH
    assert item["entrant_name"] == entrant["name"]
    assert (item["award_form"], item["level"], item["period"]) == ("GIAY_KHEN_XA", "commune", "2025")
    assert item["award_name"] == "Giấy khen của Chủ tịch UBND xã"
    assert (item["decision_number"], item["decision_signed_on"]) == (entry["decision"]["number"], "2025-12-15")
    assert ok(http.put(url, json=body, headers=bearer(officer))) == item

    # everyone of the province reads it, nobody of another province
    for reader in ("lm.officer", "lm.submitter", "td.officer", "nb.staff"):
        seen = next((i for i in showcase(http, token(reader)) if i["id"] == entry["id"]), None)
        assert seen == item, reader
    for outsider in ("sm.officer", "qn.staff"):
        items = showcase(http, token(outsider))
        assert all(i["id"] != entry["id"] for i in items), outsider
        assert all(i["tenant"] != LIEN_MINH for i in items), outsider
    listing = http.get(f"{AWARDS}/showcase", params={"page_size": 200}, headers=bearer(token("nb.staff")))
    assert "lm.officer" not in listing.text
    assert "@" not in listing.text  # no usernames, no e-mail addresses

    # nobody else withdraws it; its officer does, once
    problem(http.delete(url, headers=bearer(token("lm.submitter"))), 403)
    for outsider in ("td.officer", "sm.officer"):
        problem(http.delete(url, headers=bearer(token(outsider))), 404)
    assert any(i["id"] == entry["id"] for i in showcase(http, token("nb.staff")))
    assert http.delete(url, headers=bearer(officer)).status_code == 204
    assert http.delete(url, headers=bearer(officer)).status_code == 204  # already withdrawn: nothing changes
    problem(http.delete(f"{AWARDS}/showcase/{LIEN_MINH}:no-such-entrant", headers=bearer(officer)), 404)
    for reader in ("lm.submitter", "td.officer", "nb.staff"):
        assert all(i["id"] != entry["id"] for i in showcase(http, token(reader))), reader

    # audited: one entry per change, by the officer (ADR 0011)
    stored = mongo["thidua_awards"]["showcase"].find_one({"_id": entry["id"]})
    assert stored is not None
    officer_id = jwt.decode(officer, options={"verify_signature": False})["sub"]
    assert [(a["actor"], a["action"]) for a in stored["audit"]] == [
        (officer_id, "published"),
        (officer_id, "withdrawn"),
    ]
    assert stored["revision"] == len(stored["audit"])
    assert stored["tenant"] == LIEN_MINH
