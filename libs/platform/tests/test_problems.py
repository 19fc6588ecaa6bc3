from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from pymongo.errors import AutoReconnect

from thidua_platform.auth import Principal
from thidua_platform.problems import PROBLEM_JSON, Conflict, install_problem_handlers
from thidua_platform.web import current_principal, roles_required


class Body(BaseModel):
    period: str = Field(pattern=r"^20\d\d$")


def app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    # `page` is declared only for FastAPI to validate it: a bad ?page= is one of the problems under test
    @app.post("/things")
    async def create(body: Body, page: Annotated[int, Query(ge=1)] = 1) -> dict[str, str]:  # noqa: ARG001
        return {"period": body.period}

    @app.post("/conflict")
    async def conflict() -> None:
        raise Conflict("đã nộp / already submitted")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/database-down")
    async def database_down() -> None:
        raise AutoReconnect("127.0.0.1:27027: connection closed")

    return app


def test_validation_errors_name_the_field() -> None:
    response = TestClient(app()).post("/things", json={"period": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == 422
    assert body["errors"][0]["field"] == "period"


def test_a_problem_keeps_its_status_and_detail() -> None:
    response = TestClient(app()).post("/conflict")
    assert response.status_code == 409
    assert response.json()["detail"] == "đã nộp / already submitted"


def test_unknown_routes_are_problems() -> None:
    response = TestClient(app()).get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON


def test_unexpected_errors_hide_internals() -> None:
    response = TestClient(app(), raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert "secret" not in response.text
    assert response.headers["content-type"] == PROBLEM_JSON


def test_a_database_that_does_not_answer_is_a_503_to_retry_not_a_500() -> None:
    response = TestClient(app(), raise_server_exceptions=False).get("/database-down")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "27027" not in response.text
    assert vietnamese_first(response.json()["title"])
    assert vietnamese_first(response.json()["detail"])


def vietnamese_first(text: str) -> bool:
    vietnamese, _, english = text.partition(" / ")
    return bool(vietnamese and english) and any(ord(c) > 127 for c in vietnamese)


@pytest.mark.parametrize("body", [b"{bad json", b"\xff\xfe", b'{"period": "2026",'])
def test_malformed_json_names_the_body(body: bytes) -> None:
    response = TestClient(app()).post("/things", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    [error] = response.json()["errors"]
    assert error["field"] == "body"
    assert vietnamese_first(error["message"])
    assert "JSON" in error["message"]


def test_a_body_that_is_not_utf8_is_a_400_problem_naming_the_body() -> None:
    response = TestClient(app()).post("/things", content=b"\x80\x93{", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == 400
    assert vietnamese_first(body["title"])
    assert vietnamese_first(body["detail"])
    [error] = body["errors"]
    assert error["field"] == "body"
    assert vietnamese_first(error["message"])


def test_a_query_parameter_of_the_wrong_type_is_named_in_vietnamese_first() -> None:
    response = TestClient(app()).post("/things?page=abc", json={"period": "2026"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    [error] = response.json()["errors"]
    assert error["field"] == "page"
    assert error["message"].startswith("Cần một số nguyên / ")


def test_unknown_routes_say_so_in_vietnamese_first() -> None:
    body = TestClient(app()).get("/nowhere").json()
    assert vietnamese_first(body["title"])
    assert vietnamese_first(body["detail"])
    assert "/nowhere" in body["detail"]


def test_a_method_the_path_does_not_have_is_a_405_problem_with_allow() -> None:
    response = TestClient(app()).delete("/things")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["allow"] == "POST"
    body = response.json()
    assert body["status"] == 405
    assert vietnamese_first(body["title"])
    assert vietnamese_first(body["detail"])
    assert "POST" in body["detail"]


Officer = Annotated[Principal, Depends(roles_required("commune_officer", "commune_chair"))]


async def a_submitter() -> Principal:
    return Principal(user_id="u-1", username="lm.submitter", roles=frozenset({"submitter"}), tenant="t")


def test_a_missing_role_is_named() -> None:
    guarded = FastAPI()
    install_problem_handlers(guarded)
    guarded.dependency_overrides[current_principal] = a_submitter

    @guarded.get("/guarded")
    async def route(officer: Officer) -> str:
        return officer.username

    response = TestClient(guarded).get("/guarded")
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["required_roles"] == ["commune_officer", "commune_chair"]
