"""A council roster names only entrants scoring knows as the commune's (issue #20, docs/adr/0020): submissions
announces every entrant it creates (`entrant.recorded`, one by one or from a workbook), scoring keeps them, and
`PUT /council` answers 404 naming the field and the id for any other id (never heard of, another commune's, or created
a moment ago and not known yet), storing nothing."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from thidua_contracts.topology import TOPIC_SUBMISSIONS

from .conftest import events_about
from .test_bad_inputs import fields, problem, workbook
from .world import SCORING, SUBMISSIONS, bearer, every_item, new_entrant, ok

ENTRANT_RECORDED = "thidua.submissions.entrant.recorded.v1"
KNOWN_WITHIN = 30.0  # seconds: scoring consumes the event a moment after submissions' outbox relays it


@pytest.fixture
def tam_diep(token: Callable[[str], str], http: httpx.Client) -> Iterator[str]:
    """xã Tam Điệp's officer; the commune's roster is put back as it was after the test."""
    officer = token("td.officer")
    before = ok(http.get(f"{SCORING}/council", headers=bearer(officer)))
    yield officer
    if ok(http.get(f"{SCORING}/council", headers=bearer(officer))) != before:
        ok(http.put(f"{SCORING}/council", json=before, headers=bearer(officer)))


def roster(**member: Any) -> dict[str, Any]:
    """xã Tam Điệp's roster of one member, as `GET /council` shows it (no establishing decision given)."""
    shown = {"username": "td.council1", "unit_entrant_ids": [], "person_entrant_id": None, "name": None,
             "position": None, "council_role": "member", **member}  # fmt: skip
    return {"members": [shown], "established_by": None}


def put_once_known(http: httpx.Client, officer: str, body: dict[str, Any]) -> dict[str, Any]:
    """PUT the roster again while scoring answers that an entrant it names is not known yet, as an officer retries
    (bounded); the roster stored."""
    deadline = time.monotonic() + KNOWN_WITHIN
    while True:
        answer = http.put(f"{SCORING}/council", json=body, headers=bearer(officer))
        if answer.status_code != 404 or time.monotonic() > deadline:
            return ok(answer)  # type: ignore[no-any-return]
        refused = problem(answer, 404)
        assert all(field.startswith("members.0.") for field in fields(refused)), refused
        time.sleep(0.2)


def test_an_entrant_scoring_never_heard_of_is_refused_naming_the_field_and_the_id(
    http: httpx.Client, tam_diep: str
) -> None:
    before = ok(http.get(f"{SCORING}/council", headers=bearer(tam_diep)))
    unknown, also_unknown = str(uuid.uuid4()), str(uuid.uuid4())
    for body, field, entrant_id in (
        (roster(unit_entrant_ids=[unknown]), "members.0.unit_entrant_ids.0", unknown),
        (roster(person_entrant_id=also_unknown), "members.0.person_entrant_id", also_unknown),
    ):
        refused = problem(http.put(f"{SCORING}/council", json=body, headers=bearer(tam_diep)), 404)
        assert fields(refused) == {field}, refused
        (error,) = refused["errors"]
        assert entrant_id in error["message"]
        assert "thử lại" in error["message"]
        assert "try again" in error["message"]
    assert ok(http.get(f"{SCORING}/council", headers=bearer(tam_diep))) == before  # nothing stored


def test_an_entrant_just_created_becomes_acceptable_and_its_event_names_no_person(
    http: httpx.Client, tam_diep: str
) -> None:
    unit = new_entrant(http, tam_diep, name="Thôn Hội Đồng", focal=())
    person = ok(
        http.post(
            f"{SUBMISSIONS}/entrants",
            json={
                "name": f"Phạm Thị Hạnh {uuid.uuid4().hex[:6]}",
                "kind": "individual",
                "target_group": "d1",
                "unit_id": unit["id"],
                "position": "Công chức Văn hóa - Xã hội",
            },
            headers=bearer(tam_diep),
        ),
        201,
    )
    stored = put_once_known(http, tam_diep, roster(unit_entrant_ids=[unit["id"]], person_entrant_id=person["id"]))
    assert stored == roster(unit_entrant_ids=[unit["id"]], person_entrant_id=person["id"])
    assert ok(http.get(f"{SCORING}/council", headers=bearer(tam_diep))) == stored

    # the event carries what scoring needs and nothing personal: no name, no position
    (event,) = events_about(TOPIC_SUBMISSIONS, person["id"], count=1)
    assert event["type"] == ENTRANT_RECORDED
    assert event["tenant"] == "ph-37-tam-diep"
    assert event["data"] == {
        "entrant_id": person["id"],
        "kind": "individual",
        "target_group": "d1",
        "unit_id": unit["id"],
    }
    assert person["name"] not in str(event)


def test_entrants_imported_from_a_workbook_become_acceptable(http: httpx.Client, tam_diep: str) -> None:
    name = f"Tổ dân phố Sông Đáy {uuid.uuid4().hex[:6]}"
    report = ok(
        http.post(
            f"{SUBMISSIONS}/entrants/import",
            content=workbook([[name, "Tập thể", "b", None, None, None]]),
            headers=bearer(tam_diep),
        )
    )
    assert report["imported"] == 1, report
    listed = every_item(http, f"{SUBMISSIONS}/entrants", bearer(tam_diep), kind="collective", group="b") or []
    (imported,) = [e for e in listed if e["name"] == name]
    stored = put_once_known(http, tam_diep, roster(unit_entrant_ids=[imported["id"]]))
    assert stored == roster(unit_entrant_ids=[imported["id"]])
    (event,) = events_about(TOPIC_SUBMISSIONS, imported["id"], count=1)
    assert event["type"] == ENTRANT_RECORDED
    assert event["data"]["kind"] == "collective"
    assert name not in str(event)


def test_another_communes_entrant_is_refused_as_one_never_heard_of(
    http: httpx.Client, token: Callable[[str], str], tam_diep: str
) -> None:
    # a unit of xã Liên Minh that scoring knows (its roster accepts it), with no dossier
    lm_officer = token("lm.officer")
    theirs = new_entrant(http, lm_officer, name="Thôn Láng Giềng", focal=())
    lien_minh_before = ok(http.get(f"{SCORING}/council", headers=bearer(lm_officer)))
    first, *rest = lien_minh_before["members"] or [{"username": "lm.council1"}]
    known = {"members": [{**first, "unit_entrant_ids": [*first.get("unit_entrant_ids", []), theirs["id"]]}, *rest]}
    try:
        put_once_known(http, lm_officer, known)
    finally:
        ok(http.put(f"{SCORING}/council", json=lien_minh_before, headers=bearer(lm_officer)))

    before = ok(http.get(f"{SCORING}/council", headers=bearer(tam_diep)))
    foreign = problem(
        http.put(f"{SCORING}/council", json=roster(unit_entrant_ids=[theirs["id"]]), headers=bearer(tam_diep)), 404
    )
    assert fields(foreign) == {"members.0.unit_entrant_ids.0"}
    assert theirs["name"] not in str(foreign)
    never = str(uuid.uuid4())
    unknown = problem(
        http.put(f"{SCORING}/council", json=roster(unit_entrant_ids=[never]), headers=bearer(tam_diep)), 404
    )
    # the same answer but for the id: nobody learns that the id is another commune's
    assert str(foreign).replace(theirs["id"], "ID") == str(unknown).replace(never, "ID")
    assert ok(http.get(f"{SCORING}/council", headers=bearer(tam_diep))) == before
