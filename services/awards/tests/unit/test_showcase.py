"""The showcase: what a published item shows, when publishing changes something, and its routes with fakes."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from awards.api import showcase as showcase_routes
from awards.api.deps import repositories
from awards.domain.showcase import STORY_MAX, TITLE_MAX, public_record, publish_action, withdraws
from awards.repository import ShowcaseRepository
from awards.service.showcase import ShowcaseRequest
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.problems import install_problem_handlers
from thidua_platform.repository import Reviser
from thidua_platform.tenancy import Scope
from thidua_platform.web import current_principal

LIEN_MINH, TAM_DIEP, SON_MAI = "ph-37-lien-minh", "ph-37-tam-diep", "ph-51-son-mai"


def history(tenant: str = LIEN_MINH, province: str = "37", entrant: str = "e-1") -> dict[str, Any]:
    return {
        "_id": f"{tenant}:{entrant}:GIAY_KHEN_XA:2026:thematic",
        "tenant": tenant,
        "province": province,
        "entrant": {"id": entrant, "name": "Thôn Đông Hưng", "kind": "collective", "target_group": "a"},
        "award_form": "GIAY_KHEN_XA",
        "award_name": "Giấy khen của Chủ tịch UBND xã",
        "period": "2026",
        "round": "yearly",
        "level": "commune",
        "track": "thematic",
        "decision": {"number": "12/QĐ-UBND", "signed_on": "2026-12-10", "issuer": "Chủ tịch UBND xã Liên Minh"},
        "source": {"kind": "decision", "id": "d-1"},
        "submitted_by": "user-of-the-submitter",
        "recorded_at": datetime(2026, 12, 10, tzinfo=UTC),
        "audit": [{"actor": "user-of-the-chair", "action": "award_recorded"}],
    }


# --- the pure rules


def test_a_public_record_names_the_entrant_and_the_award_and_nothing_else() -> None:
    record = public_record(history())
    assert record == {
        "entrant_name": "Thôn Đông Hưng",
        "entrant_kind": "collective",
        "award_form": "GIAY_KHEN_XA",
        "award_name": "Giấy khen của Chủ tịch UBND xã",
        "level": "commune",
        "period": "2026",
        "decision_number": "12/QĐ-UBND",
        "decision_signed_on": "2026-12-10",
    }
    assert "user-of-the-submitter" not in str(record)
    assert "e-1" not in str(record)


@pytest.mark.parametrize(
    ("status", "title", "story", "action"),
    [
        ("published", "T", "S", None),  # the same text: nothing to do
        ("published", "T2", "S", "edited"),
        ("published", "T", "S2", "edited"),
        ("withdrawn", "T", "S", "published"),  # published again, even with the same text
    ],
)
def test_what_publishing_changes(status: str, title: str, story: str, action: str | None) -> None:
    assert publish_action({"status": status, "title": "T", "story": "S"}, title=title, story=story) == action


def test_only_a_published_item_is_withdrawn() -> None:
    assert withdraws({"status": "published"})
    assert not withdraws({"status": "withdrawn"})


def test_text_is_nfc_trimmed_and_measured_after_normalising() -> None:
    decomposed = unicodedata.normalize("NFD", "Điển hình tiên tiến")
    body = ShowcaseRequest(title=f"  {decomposed} ", story=decomposed)
    assert body.title == body.story == unicodedata.normalize("NFC", "Điển hình tiên tiến")
    # longer than the limit only while decomposed
    long_title = unicodedata.normalize("NFD", "ế" * TITLE_MAX)
    assert len(long_title) > TITLE_MAX
    assert len(ShowcaseRequest(title=long_title, story="x").title) == TITLE_MAX


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "   ", "story": "x"}, "title"),
        ({"title": "x" * (TITLE_MAX + 1), "story": "x"}, "title"),
        ({"title": "x", "story": "x" * (STORY_MAX + 1)}, "story"),
        ({"title": "x"}, "story"),
        ({"title": "x", "story": "x", "published_by": "me"}, "published_by"),
    ],
)
def test_bad_bodies_name_the_field(body: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        ShowcaseRequest.model_validate(body)
    assert [e["loc"][0] for e in raised.value.errors()] == [field]


# --- the routes, on fakes


class Collection(ShowcaseRepository):
    """The showcase repository on a scoped collection in memory: its named methods as they are, over the reads and
    the revisions they use, with revisions counted (no driver collection, no change log)."""

    def __init__(self, *documents: dict[str, Any]) -> None:
        self.documents = {d["_id"]: {**d, "revision": 1} for d in documents}

    async def get(self, scope: Scope, document_id: str, **_match: Any) -> Any:
        found = self.documents.get(document_id)
        return dict(found) if found is not None and scope.admits(found) else None

    # The repository's signatures; with no change log the events go nowhere, and a revision never conflicts to retry.
    async def add(self, document: Any, events: Sequence[Envelope] = ()) -> bool:  # noqa: ARG002
        if document["_id"] in self.documents:
            return False
        self.documents[document["_id"]] = {**document, "revision": 1}
        return True

    async def revise(self, scope: Scope, document_id: str, change: Reviser[Any], *, attempts: int = 1) -> Any:  # noqa: ARG002
        current = await self.get(scope, document_id)
        revision = None if current is None else await change(current)
        if current is None or revision is None:
            return None
        stored = self.documents[document_id]
        stored.update(revision.update["$set"])
        for field, value in revision.update["$push"].items():
            stored[field] = [*stored[field], value]
        stored["revision"] += 1
        return dict(stored)

    async def page(
        self, scope: Scope, query: dict[str, Any], *, skip: int, limit: int, sort: tuple[str, int] = ("_id", 1)
    ) -> Any:
        matching = [
            d for d in self.documents.values() if scope.admits(d) and all(d.get(k) == v for k, v in query.items())
        ]
        matching.sort(key=lambda d: d[sort[0]], reverse=sort[1] < 0)
        return matching[skip : skip + limit], len(matching)


class Repositories:
    def __init__(self) -> None:
        self.history = Collection(history(), history(TAM_DIEP, entrant="e-2"), history(SON_MAI, "51", "e-3"))
        self.showcase = Collection()


PEOPLE = {
    "lm.officer": Principal(
        user_id="u-lm-officer", username="lm.officer", roles=frozenset({"commune_officer"}), tenant=LIEN_MINH,
        province="37",
    ),
    "lm.submitter": Principal(
        user_id="u-lm-submitter", username="lm.submitter", roles=frozenset({"submitter"}), tenant=LIEN_MINH,
        province="37",
    ),
    "td.officer": Principal(
        user_id="u-td-officer", username="td.officer", roles=frozenset({"commune_officer"}), tenant=TAM_DIEP,
        province="37",
    ),
    "nb.staff": Principal(
        user_id="u-nb-staff", username="nb.staff", roles=frozenset({"province_staff"}), province="37"
    ),
    "qn.staff": Principal(
        user_id="u-qn-staff", username="qn.staff", roles=frozenset({"province_staff"}), province="51"
    ),
    "op.admin": Principal(user_id="u-op", username="op.admin", roles=frozenset({"operator"})),
}  # fmt: skip
OURS = history()["_id"]
BODY = {"title": "Thôn Đông Hưng: họp thôn trực tuyến", "story": "Sổ sách số hóa, họp thôn trực tuyến hằng tháng."}


class Client:
    def __init__(self) -> None:
        self.repos = Repositories()
        self.app = FastAPI()
        install_problem_handlers(self.app)
        self.app.include_router(showcase_routes.router)
        self.app.dependency_overrides[repositories] = lambda: self.repos
        self.http = TestClient(self.app, raise_server_exceptions=False)

    def as_(self, who: str) -> TestClient:
        async def principal() -> Principal:
            return PEOPLE[who]

        self.app.dependency_overrides[current_principal] = principal
        return self.http

    def listed(self, who: str) -> list[str]:
        response = self.as_(who).get("/showcase")
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]


def test_publish_again_changes_nothing_and_shows_nothing_personal() -> None:
    client = Client()
    first = client.as_("lm.officer").put(f"/showcase/{OURS}", json=BODY)
    assert first.status_code == 200, first.text
    again = client.as_("lm.officer").put(f"/showcase/{OURS}", json=BODY)
    assert again.json() == first.json()
    stored = client.repos.showcase.documents[OURS]
    assert stored["revision"] == len(stored["audit"]) == 1
    assert stored["audit"][0]["actor"] == "u-lm-officer"
    assert stored["audit"][0]["action"] == "published"
    item = first.json()
    assert set(item) == {
        "id", "tenant", "entrant_name", "entrant_kind", "award_form", "award_name", "level", "period",
        "decision_number", "decision_signed_on", "title", "story", "published_at",
    }  # fmt: skip
    assert "u-lm-officer" not in first.text
    assert "user-of-the-submitter" not in first.text
    assert "audit" not in item

    edited = client.as_("lm.officer").put(f"/showcase/{OURS}", json={**BODY, "title": "Tiêu đề mới"})
    assert edited.json()["title"] == "Tiêu đề mới"
    assert edited.json()["published_at"] == item["published_at"]
    assert [a["action"] for a in client.repos.showcase.documents[OURS]["audit"]] == ["published", "edited"]


def test_the_province_reads_it_and_nobody_else() -> None:
    client = Client()
    assert client.as_("lm.officer").put(f"/showcase/{OURS}", json=BODY).status_code == 200
    for reader in ("lm.officer", "lm.submitter", "td.officer", "nb.staff"):
        assert client.listed(reader) == [OURS], reader
    assert client.listed("qn.staff") == []
    assert client.as_("op.admin").get("/showcase").status_code == 403


def test_only_the_commune_officer_publishes_its_own_history() -> None:
    client = Client()
    assert client.as_("lm.submitter").put(f"/showcase/{OURS}", json=BODY).status_code == 403
    assert client.as_("nb.staff").put(f"/showcase/{OURS}", json=BODY).status_code == 403
    assert client.as_("td.officer").put(f"/showcase/{OURS}", json=BODY).status_code == 404
    assert client.as_("lm.officer").put("/showcase/no-such-entry", json=BODY).status_code == 404
    assert client.repos.showcase.documents == {}
    bad = client.as_("lm.officer").put(f"/showcase/{OURS}", json={**BODY, "story": ""})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["story"]


def test_unpublish_hides_it_and_publishing_again_brings_it_back() -> None:
    client = Client()
    assert client.as_("lm.officer").delete(f"/showcase/{OURS}").status_code == 404  # never published
    client.as_("lm.officer").put(f"/showcase/{OURS}", json=BODY)
    assert client.as_("td.officer").delete(f"/showcase/{OURS}").status_code == 404
    assert client.as_("lm.submitter").delete(f"/showcase/{OURS}").status_code == 403
    assert client.as_("lm.officer").delete(f"/showcase/{OURS}").status_code == 204
    assert client.as_("lm.officer").delete(f"/showcase/{OURS}").status_code == 204  # already withdrawn: no change
    assert client.listed("nb.staff") == []
    client.as_("lm.officer").put(f"/showcase/{OURS}", json=BODY)
    assert client.listed("nb.staff") == [OURS]
    stored = client.repos.showcase.documents[OURS]
    assert [a["action"] for a in stored["audit"]] == ["published", "withdrawn", "published"]
    assert stored["revision"] == 3


def test_newest_first_in_pages() -> None:
    client = Client()
    theirs = history(TAM_DIEP, entrant="e-2")["_id"]
    client.as_("lm.officer").put(f"/showcase/{OURS}", json=BODY)
    client.as_("td.officer").put(f"/showcase/{theirs}", json=BODY)
    assert client.listed("nb.staff") == [theirs, OURS]
    page = client.as_("nb.staff").get("/showcase", params={"page": 2, "page_size": 1}).json()
    assert ([i["id"] for i in page["items"]], page["total"], page["page"]) == ([OURS], 2, 2)


def test_an_individual_is_published_only_with_their_consent() -> None:
    client = Client()
    person = history(entrant="e-9")
    person["entrant"] = {**person["entrant"], "name": "Nguyễn Thị Hoa", "kind": "individual", "target_group": "d1"}
    client.repos.history.documents[person["_id"]] = person
    refused = client.as_("lm.officer").put(f"/showcase/{person['_id']}", json=BODY)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["consent"]
    assert client.repos.showcase.documents == {}
    agreed = client.as_("lm.officer").put(f"/showcase/{person['_id']}", json={**BODY, "consent": True})
    assert agreed.status_code == 200
    assert agreed.json()["entrant_name"] == "Nguyễn Thị Hoa"
    assert client.repos.showcase.documents[person["_id"]]["audit"][0]["changes"]["consent"] is True
    # a unit needs none
    assert client.as_("lm.officer").put(f"/showcase/{OURS}", json=BODY).status_code == 200
