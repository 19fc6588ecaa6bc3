"""The awards lists are paged (issue #19): GET /candidates, /sessions, /decisions, /proposals and /history answer
`items`, `total`, `page`, `page_size` (≤ 200), keep their filters and access rules and a stable order; on an in-memory
collection behind the real repositories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from awards.api import candidates, council, decisions
from awards.api.deps import repositories
from awards.repository import HistoryRepository, ProposalRepository
from thidua_platform.auth import Principal
from thidua_platform.problems import install_problem_handlers
from thidua_platform.repository import ScopedRepository, matches
from thidua_platform.web import current_principal

LIEN_MINH, TAM_DIEP, SON_MAI = "ph-37-lien-minh", "ph-37-tam-diep", "ph-51-son-mai"
PROVINCE_OF = {LIEN_MINH: "37", TAM_DIEP: "37", SON_MAI: "51"}
START = datetime(2026, 12, 1, tzinfo=UTC)


def holds(document: dict[str, Any], query: dict[str, Any]) -> bool:
    """Whether the document matches the query, for the shapes the repositories send: `$and`, equality, `$in`."""
    for field, condition in query.items():
        if field == "$and":
            if not all(holds(document, part) for part in condition):
                return False
        elif not matches(document, field, condition):
            return False
    return True


class Cursor:
    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self.documents = documents
        self.order: list[tuple[str, int]] = []
        self.start, self.count = 0, 0

    def sort(self, order: list[tuple[str, int]]) -> Cursor:
        self.order = order
        return self

    def skip(self, count: int) -> Cursor:
        self.start = count
        return self

    def limit(self, count: int) -> Cursor:
        self.count = count
        return self

    async def __aiter__(self) -> Any:
        ordered = list(self.documents)
        for field, direction in reversed(self.order):  # a stable sort per key, the last key first
            ordered.sort(key=itemgetter(field), reverse=direction < 0)
        for document in ordered[self.start : self.start + self.count]:
            yield document


class Collection:
    """The part of a driver collection ScopedRepository.page uses, in memory, with the queries and cursors noted."""

    def __init__(self, name: str, documents: list[dict[str, Any]]) -> None:
        self.name = name
        self.documents = documents
        self.database = {"changes": None}  # what the repository's change log would write to (nothing here)
        self.queries: list[dict[str, Any]] = []
        self.cursors: list[Cursor] = []

    def find(self, query: dict[str, Any], projection: dict[str, int]) -> Cursor:
        self.queries.append(query)
        hidden = {field for field, shown in projection.items() if not shown}
        found = [{k: v for k, v in d.items() if k not in hidden} for d in self.documents if holds(d, query)]
        self.cursors.append(Cursor(found))
        return self.cursors[-1]

    async def count_documents(self, query: dict[str, Any]) -> int:
        return sum(1 for d in self.documents if holds(d, query))


def scoped(tenant: str, serial: int, **fields: Any) -> dict[str, Any]:
    return {
        "_id": f"{tenant}:{serial:03d}",
        "tenant": tenant,
        "province": PROVINCE_OF[tenant],
        "period": "2026",
        "created_at": START + timedelta(minutes=serial),
        "audit": [{"at": START, "actor": "u-1", "action": "created", "changes": {}}],
    } | fields


def candidate(tenant: str, number: int, total: float, **fields: Any) -> dict[str, Any]:
    entrant = {"id": f"e-{number}", "name": f"Thôn {number}", "kind": "collective", "target_group": "a"}
    known = {
        "submission_id": f"s-{number}", "submission_version": 1, "entrant": entrant, "award_form": "GIAY_KHEN_XA",
        "round": "yearly", "total": total, "grade": "Xuất sắc", "status": "under_review", "updated_at": START,
    }  # fmt: skip
    return scoped(tenant, number, **{**known, **fields})


def proposal(tenant: str, number: int, status: str, period: str = "2026") -> dict[str, Any]:
    return scoped(
        tenant, number, status=status, period=period, number=f"{number}/TTr-UBND", signed_on="2026-12-12",
        signer_name="Phạm Văn Minh", signer_title="Chủ tịch", addressee="Chủ tịch UBND tỉnh",
        award_form="BANG_KHEN_TINH", round="yearly", level="province", recipients=[],
    )  # fmt: skip


def history(tenant: str, number: int, entrant: str, **fields: Any) -> dict[str, Any]:
    known = {
        "entrant": {"id": entrant, "name": f"Thôn {entrant}", "kind": "collective", "target_group": "a"},
        "award_form": "GIAY_KHEN_XA", "award_name": "Giấy khen của Chủ tịch UBND xã", "round": "yearly",
        "level": "commune", "track": "regular", "decision": {"number": "12/QĐ-UBND"}, "source": {"kind": "decision"},
        "recorded_at": START + timedelta(hours=number),
    }  # fmt: skip
    return scoped(tenant, number, **{**known, **fields})


class Repositories:
    def __init__(self) -> None:
        self.candidates = ScopedRepository(
            Collection(  # type: ignore[arg-type]
                "candidates",
                [
                    candidate(LIEN_MINH, 1, 80.0),
                    candidate(LIEN_MINH, 2, 95.0),
                    candidate(LIEN_MINH, 3, 95.0),
                    candidate(LIEN_MINH, 4, 95.0, status="excluded"),
                    candidate(LIEN_MINH, 5, 70.0, period="2025"),
                    candidate(TAM_DIEP, 6, 99.0),
                    candidate(SON_MAI, 7, 99.0),
                ],
            )
        )
        self.sessions = ScopedRepository(Collection("sessions", []))  # type: ignore[arg-type]
        self.decisions = ScopedRepository(Collection("decisions", []))  # type: ignore[arg-type]
        self.proposals = ProposalRepository(
            Collection(  # type: ignore[arg-type]
                "proposals",
                [
                    proposal(LIEN_MINH, 1, "submitted_to_province"),
                    proposal(LIEN_MINH, 2, "province_awarded"),
                    proposal(TAM_DIEP, 3, "submitted_to_province"),
                    proposal(TAM_DIEP, 4, "province_rejected"),
                    proposal(TAM_DIEP, 5, "submitted_to_province", period="2025"),
                    proposal(SON_MAI, 6, "submitted_to_province"),
                ],
            )
        )
        self.history = HistoryRepository(
            Collection(  # type: ignore[arg-type]
                "history",
                [
                    history(LIEN_MINH, 1, "e-1", submitted_by="u-lm-submitter"),
                    history(LIEN_MINH, 2, "e-2"),
                    history(LIEN_MINH, 3, "e-1", period="2025"),
                    history(LIEN_MINH, 4, "e-3", submitted_by="u-lm-submitter"),
                    history(TAM_DIEP, 5, "e-1"),
                ],
            )
        )


PEOPLE = {
    "lm.officer": Principal(
        user_id="u-lm-officer", username="lm.officer", roles=frozenset({"commune_officer"}), tenant=LIEN_MINH,
        province="37",
    ),
    "lm.submitter": Principal(
        user_id="u-lm-submitter", username="lm.submitter", roles=frozenset({"submitter"}), tenant=LIEN_MINH,
        province="37",
    ),
    "nb.staff": Principal(
        user_id="u-nb-staff", username="nb.staff", roles=frozenset({"province_staff"}), province="37"
    ),
}  # fmt: skip


class Client:
    def __init__(self) -> None:
        self.repos = Repositories()
        self.app = FastAPI()
        install_problem_handlers(self.app)
        for module in (candidates, council, decisions):
            self.app.include_router(module.router)
        self.app.dependency_overrides[repositories] = lambda: self.repos
        self.http = TestClient(self.app, raise_server_exceptions=False)

    def get(self, who: str, path: str, **params: Any) -> dict[str, Any]:
        response = self.as_(who).get(path, params=params)
        assert response.status_code == 200, response.text
        listing: dict[str, Any] = response.json()
        assert set(listing) == {"items", "total", "page", "page_size"}
        return listing

    def as_(self, who: str) -> TestClient:
        async def principal() -> Principal:
            return PEOPLE[who]

        self.app.dependency_overrides[current_principal] = principal
        return self.http


def ids(listing: dict[str, Any]) -> list[str]:
    return [item["id"] for item in listing["items"]]


def test_candidates_come_a_page_at_a_time_highest_total_first_equal_totals_in_one_order() -> None:
    client = Client()
    first = client.get("lm.officer", "/candidates", period="2026", page_size=2)
    assert (first["total"], first["page"], first["page_size"]) == (4, 1, 2)
    second = client.get("lm.officer", "/candidates", period="2026", page_size=2, page=2)
    whole = client.get("lm.officer", "/candidates", period="2026")
    assert ids(first) + ids(second) == ids(whole)
    assert ids(whole) == [f"{LIEN_MINH}:{n:03d}" for n in (4, 3, 2, 1)]  # 95, 95, 95 (by id, the same way), 80
    assert all(item["audit"] == [] for item in whole["items"])  # a list carries no audit trail
    assert client.get("lm.officer", "/candidates", period="2026", page=3, page_size=2)["items"] == []
    # the filters as before
    assert ids(client.get("lm.officer", "/candidates", period="2026", status="excluded")) == [f"{LIEN_MINH}:004"]
    assert client.get("lm.officer", "/candidates", award_form="BANG_KHEN_TINH")["total"] == 0
    assert client.get("lm.officer", "/candidates")["total"] == 5
    # province staff: one commune of the province at a time
    assert {i["tenant"] for i in client.get("nb.staff", "/candidates", commune=TAM_DIEP)["items"]} == {TAM_DIEP}
    assert client.as_("lm.submitter").get("/candidates").status_code == 403


def test_the_deprecated_limit_of_candidates_is_a_page_size_within_the_bound() -> None:
    client = Client()
    old = client.get("lm.officer", "/candidates", limit=500)
    assert (old["page"], old["page_size"], old["total"]) == (1, 200, 5)
    assert len(old["items"]) == 5
    assert client.get("lm.officer", "/candidates", limit=3)["page_size"] == 3
    assert client.as_("lm.officer").get("/candidates", params={"limit": 501}).status_code == 422


@pytest.mark.parametrize("path", ["/candidates", "/sessions", "/decisions", "/proposals", "/history"])
@pytest.mark.parametrize(("params", "field"), [({"page_size": 201}, "page_size"), ({"page_size": 0}, "page_size"),
                                               ({"page": 0}, "page")])  # fmt: skip
def test_a_page_holds_at_most_200_and_pages_count_from_1(path: str, params: dict[str, int], field: str) -> None:
    refused = Client().as_("lm.officer").get(path, params=params)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == [field]


@pytest.mark.parametrize(("path", "key"), [("/sessions", "held_at"), ("/decisions", "created_at")])
def test_sessions_and_decisions_are_paged_latest_first(path: str, key: str) -> None:
    client = Client()
    listing = client.get("lm.officer", path, period="2026", page=3, page_size=7)
    assert (listing["items"], listing["total"], listing["page"], listing["page_size"]) == ([], 0, 3, 7)
    repository = client.repos.sessions if path == "/sessions" else client.repos.decisions
    collection: Any = repository.collection
    [query] = collection.queries
    assert query == {"$and": [{"period": "2026"}, {"tenant": LIEN_MINH, "province": "37"}]}
    [cursor] = collection.cursors
    assert cursor.order == [(key, -1), ("_id", -1)]
    assert client.as_("lm.submitter").get(path).status_code == 403


def test_province_staff_page_the_proposals_of_every_commune_by_period_and_status() -> None:
    client = Client()
    pending = client.get("nb.staff", "/proposals", status="submitted_to_province", page_size=1)
    assert pending["total"] == 3
    assert ids(pending) == [f"{TAM_DIEP}:005"]  # newest first
    second = client.get("nb.staff", "/proposals", status="submitted_to_province", page_size=1, page=2)
    assert ids(second) == [f"{TAM_DIEP}:003"]
    of_2026 = client.get("nb.staff", "/proposals", period="2026", status="submitted_to_province")
    assert ids(of_2026) == [f"{TAM_DIEP}:003", f"{LIEN_MINH}:001"]
    decided = client.as_("nb.staff").get(
        "/proposals", params={"status": ["province_awarded", "province_rejected", "returned"]}
    )
    assert ids(decided.json()) == [f"{TAM_DIEP}:004", f"{LIEN_MINH}:002"]
    assert client.get("nb.staff", "/proposals")["total"] == 5  # not Sơn Mai's
    assert ids(client.get("lm.officer", "/proposals")) == [f"{LIEN_MINH}:002", f"{LIEN_MINH}:001"]
    bad = client.as_("nb.staff").get("/proposals", params={"status": "nonsense"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "status.0"


def test_the_history_is_paged_newest_first_and_a_focal_officer_sees_what_they_filed() -> None:
    client = Client()
    whole = client.get("lm.officer", "/history")
    assert ids(whole) == [f"{LIEN_MINH}:{n:03d}" for n in (4, 3, 2, 1)]
    assert whole["total"] == 4
    page = client.get("lm.officer", "/history", page=2, page_size=3)
    assert ids(page) == [f"{LIEN_MINH}:001"]
    assert page["total"] == 4
    several = client.as_("lm.officer").get("/history", params={"entrant_id": ["e-1", "e-2"], "page_size": 2})
    assert ids(several.json()) == [f"{LIEN_MINH}:003", f"{LIEN_MINH}:002"]
    assert several.json()["total"] == 3
    assert ids(client.get("lm.officer", "/history", entrant_id="e-1", period="2026")) == [f"{LIEN_MINH}:001"]
    assert ids(client.get("lm.submitter", "/history")) == [f"{LIEN_MINH}:004", f"{LIEN_MINH}:001"]
    assert client.get("nb.staff", "/history", entrant_id="e-1", commune=LIEN_MINH)["total"] == 2  # Liên Minh's e-1
    assert ids(client.get("nb.staff", "/history", entrant_id="e-1", commune=TAM_DIEP)) == [f"{TAM_DIEP}:005"]


@pytest.mark.parametrize("path", ["/candidates", "/sessions", "/decisions", "/history"])
def test_province_staff_read_the_lists_that_grow_with_the_province_one_commune_at_a_time(path: str) -> None:
    """Not the whole province's candidates, sessions, decisions or history at once (the province's figures are the
    rollups'): a commune must be named, only within the staff's province; a commune's users read their own whatever
    they name."""
    client = Client()
    unnamed = client.as_("nb.staff").get(path)
    assert unnamed.status_code == 422
    assert [e["field"] for e in unnamed.json()["errors"]] == ["commune"]
    assert client.get("nb.staff", path, commune=SON_MAI)["total"] == 0  # another province's commune
    client.get("lm.officer", path, commune=TAM_DIEP)
    collection: Any = getattr(client.repos, path.strip("/")).collection
    assert {"tenant": LIEN_MINH, "province": "37"} in bounds(collection.queries[-1])


def bounds(query: dict[str, Any]) -> list[dict[str, Any]]:
    """The scope's part of a query the repository issued: the last of an `$and`, or the query itself."""
    return [query["$and"][-1], *query["$and"]] if "$and" in query else [query]
