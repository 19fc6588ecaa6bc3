"""Issue #22, part 1, on the real stack: the province's views name its communes and itself as the realm's
organizations name them (ADR 0029), list every commune of the province (Tam Điệp, which the demo data leaves without
figures in most runs, with zeros), and a commune that never set its letterhead issues under its own name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from thidua_platform.client import SERVICE_URLS

from .conftest import LIEN_MINH
from .world import OPEN_PERIOD, bearer, ok

ROLLUPS, AWARDS = SERVICE_URLS["rollups"], SERVICE_URLS["awards"]
TAM_DIEP = "ph-37-tam-diep"
MONGO = "mongodb://127.0.0.1:27027/"


@pytest.fixture(scope="module")
def mongo() -> Iterator[MongoClient[dict[str, Any]]]:
    client: MongoClient[dict[str, Any]] = MongoClient(MONGO, tz_aware=True)
    yield client
    client.close()


@pytest.mark.usefixtures("lien_minh")
def test_the_province_names_every_commune_and_itself(http: httpx.Client, token: Callable[[str], str]) -> None:
    staff = token("nb.staff")
    figures = ok(http.get(f"{ROLLUPS}/rollups/provinces/37?period={OPEN_PERIOD}&page_size=200", headers=bearer(staff)))
    assert figures["province_name"] == "Tỉnh Ninh Bình"
    rows = {r["commune"]: r for r in figures["communes"]}
    assert rows[LIEN_MINH]["name"] == "Xã Liên Minh"
    assert rows[TAM_DIEP]["name"] == "Tam Điệp"  # listed whether or not it has figures
    assert figures["total"] >= len(rows) >= 2
    assert not any(code.startswith("ph-51-") for code in rows)  # another province's commune
    units = ok(http.get(f"{ROLLUPS}/rollups/provinces/37/units", headers=bearer(staff)))
    assert units["name"] == "Tỉnh Ninh Bình"
    assert {"commune": LIEN_MINH, "name": "Xã Liên Minh"} in units["communes"]
    assert http.get(f"{ROLLUPS}/rollups/provinces/37/units", headers=bearer(token("qn.staff"))).status_code == 403


def test_a_commune_without_its_own_letterhead_issues_under_its_name(
    http: httpx.Client, token: Callable[[str], str], mongo: MongoClient[dict[str, Any]]
) -> None:
    # another test (the tenant matrix) may have stored Tam Điệp's letterhead: set aside for the check, then put back
    letterheads = mongo["thidua_awards"]["letterheads"]
    stored = letterheads.find_one({"tenant": TAM_DIEP})
    if stored is not None:
        letterheads.delete_one({"_id": stored["_id"]})
    try:
        letterhead = ok(http.get(f"{AWARDS}/letterhead", headers=bearer(token("td.officer"))))
    finally:
        if stored is not None:
            letterheads.insert_one(stored)
    assert letterhead == {
        "issuing_body": "ỦY BAN NHÂN DÂN XÃ TAM ĐIỆP",
        "parent_body": "TỈNH NINH BÌNH",
        "place": "Tam Điệp",
        "authority": "UBND xã Tam Điệp",
    }
