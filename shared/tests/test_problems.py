from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from thidua_shared.problems import PROBLEM_JSON, Conflict, install_problem_handlers


class Body(BaseModel):
    period: str = Field(pattern=r"^20\d\d$")


def app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, str]:
        return {"period": body.period}

    @app.post("/conflict")
    async def conflict() -> None:
        raise Conflict("đã nộp / already submitted")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return app


def test_validation_errors_name_the_field() -> None:
    response = TestClient(app()).post("/things", json={"period": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == 422 and body["errors"][0]["field"] == "period"


def test_a_problem_keeps_its_status_and_detail() -> None:
    response = TestClient(app()).post("/conflict")
    assert response.status_code == 409
    assert response.json()["detail"] == "đã nộp / already submitted"


def test_unknown_routes_are_problems() -> None:
    response = TestClient(app()).get("/nowhere")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM_JSON


def test_unexpected_errors_hide_internals() -> None:
    response = TestClient(app(), raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert "secret" not in response.text and response.headers["content-type"] == PROBLEM_JSON
