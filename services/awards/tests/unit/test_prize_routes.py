"""The prize-money routes over the service's repositories in memory: who may do what, and a 422 naming the field for
settings and movements that cannot be meant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from awards.api import prize
from awards.api.deps import repositories
from awards.repository import repositories as build
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.auth import Principal
from thidua_platform.memory import memory_database
from thidua_platform.problems import install_problem_handlers
from thidua_platform.web import current_principal

SETTINGS = {
    "base_salaries": [{"amount": 2_340_000, "effective_from": "2024-07-01"}],
    "coefficients": [{"award_form": "GIAY_KHEN_XA", "collective": 0.3, "individual": 0.15}],
}
MOVEMENT = {"on": "2025-01-15", "kind": "allocation", "amount": 5_000_000, "description": "Ngân sách xã cấp"}


def person(role: str) -> Principal:
    commune = None if role == Role.PROVINCE_ADMIN else LIEN_MINH
    return Principal(f"u-{role}", role, frozenset({role}), tenant=commune, province="37")


@pytest.fixture
def client() -> Callable[[str], TestClient]:
    """A client of the prize routes acting as someone of the given role (all share one in-memory database)."""
    repos = build(memory_database("awards"))

    def as_role(role: str) -> TestClient:
        app = FastAPI()
        install_problem_handlers(app)
        app.include_router(prize.router)

        async def principal() -> Principal:
            return person(role)

        app.dependency_overrides = {current_principal: principal, repositories: lambda: repos}
        return TestClient(app, raise_server_exceptions=False)

    return as_role


def fields(response: Any, status: int = 422) -> list[str]:
    assert response.status_code == status, response.text
    return [e["field"] for e in response.json()["errors"]]


def test_the_province_administrator_alone_sets_the_prize_money_and_everyone_reads_it(
    client: Callable[[str], TestClient],
) -> None:
    admin, officer = client(Role.PROVINCE_ADMIN), client(Role.COMMUNE_OFFICER)
    assert officer.put("/prize-settings", json=SETTINGS).status_code == 403
    twice = [*SETTINGS["base_salaries"], {"amount": 2_530_000, "effective_from": "2024-07-01"}]
    assert fields(admin.put("/prize-settings", json={**SETTINGS, "base_salaries": twice})) == ["base_salaries"]
    negative = [{"award_form": "GIAY_KHEN_XA", "individual": -1}]
    assert fields(admin.put("/prize-settings", json={**SETTINGS, "coefficients": negative})) == [
        "coefficients.0.individual"
    ]
    unknown = [{"award_form": "KY_NIEM_CHUONG", "individual": 1}]
    assert fields(admin.put("/prize-settings", json={**SETTINGS, "coefficients": unknown})) == [
        "coefficients.0.award_form"
    ]
    set_ = admin.put("/prize-settings", json=SETTINGS)
    assert set_.status_code == 200, set_.text
    read = officer.get("/prize-settings")
    assert read.status_code == 200
    assert read.json() == {**SETTINGS, "rounding_unit": 10_000}


def test_the_communes_officer_records_the_fund_and_its_officer_and_chairman_read_it(
    client: Callable[[str], TestClient],
) -> None:
    officer, chair, member = client(Role.COMMUNE_OFFICER), client(Role.COMMUNE_CHAIR), client(Role.COUNCIL_MEMBER)
    assert chair.post("/fund/movements", json=MOVEMENT).status_code == 403
    assert fields(officer.post("/fund/movements", json={**MOVEMENT, "kind": "decision_payment"})) == ["kind"]
    assert fields(officer.post("/fund/movements", json={**MOVEMENT, "amount": 0})) == ["amount"]
    recorded = officer.post("/fund/movements", json=MOVEMENT)
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["balance"], recorded.json()["warning"]) == (5_000_000, None)
    spent = officer.post(
        "/fund/movements", json={**MOVEMENT, "on": "2025-02-01", "kind": "other_expense", "amount": 6_000_000}
    )
    assert spent.json()["balance"] == -1_000_000
    assert "âm 1.000.000 đồng" in spent.json()["warning"]

    listed = chair.get("/fund", params={"page_size": 1})
    assert listed.status_code == 200, listed.text
    answer = listed.json()
    assert (answer["total"], answer["balance"], len(answer["items"])) == (2, -1_000_000, 1)
    [latest] = answer["items"]
    assert (latest["on"], latest["kind"], latest["kind_name"], latest["delta"]) == (
        "2025-02-01",
        "other_expense",
        "Chi khác / Other expense",
        -6_000_000,
    )
    assert member.get("/fund").status_code == 403
    assert client(Role.PROVINCE_STAFF).get("/fund").status_code == 403


def test_the_payment_list_of_a_decision_not_in_the_commune_is_not_found(client: Callable[[str], TestClient]) -> None:
    assert client(Role.COMMUNE_CHAIR).get("/decisions/no-such-decision/payments.xlsx").status_code == 404
    assert client(Role.COUNCIL_MEMBER).get("/decisions/no-such-decision/payments.xlsx").status_code == 403
