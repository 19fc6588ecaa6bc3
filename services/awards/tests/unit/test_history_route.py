"""POST /history answers with a Location that works for any entrant id (fuzzing found one that made it a 500)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI
from fastapi.testclient import TestClient

from awards.api import candidates
from awards.api.deps import repositories
from thidua_platform.auth import Principal
from thidua_platform.problems import install_problem_handlers
from thidua_platform.web import current_principal

ENTRANT_ID = "Thôn Đông Hưng & Tây=Sơn 😀"


class Known:
    """A collection that knows one document and keeps whatever is added."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.documents = [document]

    async def find(self, _scope: object, _query: dict[str, Any], **_options: object) -> list[dict[str, Any]]:
        return self.documents

    async def add(self, document: dict[str, Any]) -> bool:
        self.documents.append(document)
        return True


class Repositories:
    def __init__(self) -> None:
        dossier = {"entrant": {"id": ENTRANT_ID}}
        self.dossiers, self.scores, self.history = Known(dossier), Known(dossier), Known(dossier)


async def officer() -> Principal:
    return Principal(
        user_id="u-1",
        username="sm.officer",
        roles=frozenset({"commune_officer"}),
        tenant="ph-51-son-mai",
        province="51",
    )


def test_the_location_of_a_recorded_award_encodes_the_entrant_id() -> None:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(candidates.router)
    repos = Repositories()
    app.dependency_overrides = {current_principal: officer, repositories: lambda: repos}
    award = {
        "entrant": {"id": ENTRANT_ID, "name": "Thôn Đông Hưng", "kind": "collective", "target_group": "a"},
        "award_form": "GIAY_KHEN_XA",
        "period": "2025",
        "number": "12/QĐ-UBND",
        "signed_on": "2025-12-20",
        "issuer": "Chủ tịch UBND xã Sơn Mai",
    }
    response = TestClient(app, raise_server_exceptions=False).post("/history", json=award)
    assert response.status_code == 201, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == "/history"
    assert parse_qs(location.query) == {"entrant_id": [ENTRANT_ID]}
