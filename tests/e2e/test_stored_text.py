"""Text stored before the text rule (issue #20) keeps working: older code kept and published text that the rule now
refuses (a NUL, a bell, an escape sequence) or would normalise (a decomposed spelling). Read back, such text is
answered 200 exactly as it is kept; the dossier it sits in can still be changed and submitted; its event is handled
by every consumer, not dead-lettered; what a person sends is still refused (thidua_platform.text, stored mode).

The old data is made by writing to the services' databases directly, as the older code did. The dossier is a fresh
one of xã Liên Minh scored low (nothing it holds reaches an award, a role model or another test's figures); the
letterhead is xã Sơn Mai's, the fuzzing's commune, and is put back as it was.
"""

from __future__ import annotations

import os
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from thidua_contracts.topology import CONSUMER_GROUPS
from thidua_platform.client import SERVICE_URLS
from thidua_platform.envelope import dead_letter_topic
from thidua_platform.testing import read_messages

from .conftest import BOOTSTRAP, LIEN_MINH, eventually
from .world import (
    AWARDS,
    BRIEF_EVIDENCE,
    OPEN_PERIOD,
    SCORING,
    SUBMISSIONS,
    bearer,
    every_item,
    filled_dossier,
    new_entrant,
    ok,
)

MONGO = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
NOTIFY = SERVICE_URLS["notifications"]
ROLLUPS = SERVICE_URLS["rollups"]
NUL = "\u0000"
Doc = dict[str, Any]


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    return decomposed


@pytest.fixture(scope="module")
def mongo() -> Iterator[MongoClient[Doc]]:
    client: MongoClient[Doc] = MongoClient(MONGO, tz_aware=True)
    yield client
    client.close()


@pytest.mark.usefixtures("lien_minh")
def test_a_dossier_with_old_text_is_read_changed_submitted_and_its_event_handled(
    http: httpx.Client, token: Callable[[str], str], mongo: MongoClient[Doc]
) -> None:
    officer, submitter = token("lm.officer"), token("lm.submitter")
    db = mongo["thidua_submissions"]
    tag = uuid.uuid4().hex[:6]
    # one-line text with a NUL, a bell and a line feed, decomposed; a narrative with a NUL and an escape sequence
    old_name = nfd(f"Thôn Lưu Trữ {tag}") + f"{NUL}\u0007\n"
    old_narrative = f"Biên bản{NUL} họp thôn\u001b[0m " + nfd("đầy đủ")
    entrant = new_entrant(http, officer, name="Thôn Lưu Trữ")
    assert db["entrants"].update_one({"_id": entrant["id"]}, {"$set": {"name": old_name}}).modified_count == 1

    # registering and opening a dossier copy the entrant's name as it is kept
    dossier = filled_dossier(http, submitter, entrant["id"], BRIEF_EVIDENCE)
    change = {"$set": {"evidence.a3.narrative": old_narrative}}
    assert db["submissions"].update_one({"_id": dossier}, change).modified_count == 1

    url = f"{SUBMISSIONS}/submissions/{dossier}"
    for reader in (submitter, officer):
        read = ok(http.get(url, headers=bearer(reader)))
        assert read["entrant"]["name"] == old_name
        assert read["evidence"]["a3"]["narrative"] == old_narrative
    listed = ok(http.get(f"{SUBMISSIONS}/submissions", params={"entrant": entrant["id"]}, headers=bearer(officer)))
    assert [(item["id"], item["entrant"]["name"]) for item in listed["items"]] == [(dossier, old_name)]
    registrations = ok(
        http.get(f"{SUBMISSIONS}/registrations", params={"entrant": entrant["id"]}, headers=bearer(officer))
    )
    [registration] = registrations["items"]
    assert registration["entrant"]["name"] == old_name
    again = ok(http.get(f"{SUBMISSIONS}/registrations/{registration['id']}", headers=bearer(officer)))
    assert again["entrant"]["name"] == old_name
    assert ok(http.get(f"{SUBMISSIONS}/entrants/{entrant['id']}", headers=bearer(officer)))["name"] == old_name

    # what a person sends is still held to the rule; the rest of the dossier changes as ever
    refused = http.put(f"{url}/evidence/a7", json={"value": 4, "narrative": f"Họp{NUL}"}, headers=bearer(submitter))
    assert refused.status_code == 422, refused.text
    changed = ok(http.put(f"{url}/evidence/a7", json={"value": 4}, headers=bearer(submitter)))
    assert changed["evidence"]["a7"]["value"] == 4
    assert changed["evidence"]["a3"]["narrative"] == old_narrative
    submitted = ok(http.post(f"{url}/submit", headers=bearer(submitter)))
    assert submitted["status"] == "submitted"
    assert submitted["entrant"]["name"] == old_name

    # its event, carrying the old text, is handled by every consumer: scoring, rollups, notifications (and awards)
    def scored() -> Doc | None:
        answer = http.get(f"{SCORING}/scores/{dossier}", headers=bearer(officer))
        return answer.json() if answer.status_code == 200 else None

    score = eventually(scored, what="the dossier's provisional score")
    assert score["provisional"]["entrant"]["name"] == old_name

    def rolled_up() -> Doc | None:
        rows = every_item(http, f"{ROLLUPS}/rollups/communes/{LIEN_MINH}/entrants", bearer(officer), period=OPEN_PERIOD)
        return next((row for row in rows or [] if row["submission_id"] == dossier), None)

    assert eventually(rolled_up, what="the dossier in the commune's rollups")["entrant_name"] == old_name

    def told() -> Doc | None:
        inbox = ok(http.get(f"{NOTIFY}/inbox", params={"page_size": 200}, headers=bearer(submitter)))
        return next((m for m in inbox["items"] if m["subject"] == dossier), None)

    eventually(told, what="the submitter's message about the dossier")
    for group in CONSUMER_GROUPS:
        letters = read_messages(
            BOOTSTRAP, dead_letter_topic(group), count=1, accept=lambda m: m.key() == dossier.encode(), timeout=3
        )
        assert letters == [], f"{group} dead-lettered an event of the dossier"


def test_a_letterhead_with_old_text_is_read_and_replaced(
    http: httpx.Client, token: Callable[[str], str], mongo: MongoClient[Doc]
) -> None:
    """The letterhead's model is both the request body and the stored setting: kept text reads as it is, a new one
    is held to the rule."""
    officer = token("sm.officer")
    url = f"{AWARDS}/letterhead"
    letterheads = mongo["thidua_awards"]["letterheads"]
    ok(http.get(url, headers=bearer(officer)))  # the commune is known to the awards service
    kept = letterheads.find_one({"tenant": "ph-51-son-mai"})
    old = {
        "issuing_body": f"ỦY BAN NHÂN DÂN XÃ SƠN MAI{NUL}",
        "parent_body": nfd("TỈNH QUẢNG NGÃI") + "\u001b[0m",
        "place": nfd("Sơn Mai") + "\t",
        "authority": f"UBND xã Sơn Mai{NUL}",
    }
    try:
        if kept is None:
            ok(
                http.put(
                    url,
                    json={"issuing_body": "ỦY BAN NHÂN DÂN XÃ SƠN MAI", "place": "Sơn Mai", "authority": "UBND"},
                    headers=bearer(officer),
                )
            )
        assert letterheads.update_one({"tenant": "ph-51-son-mai"}, {"$set": old}).modified_count == 1
        assert ok(http.get(url, headers=bearer(officer))) == old
        refused = http.put(url, json={**old, "place": "Sơn Mai"}, headers=bearer(officer))
        assert refused.status_code == 422, refused.text
        fresh = {
            "issuing_body": "ỦY BAN NHÂN DÂN XÃ SƠN MAI",
            "parent_body": "TỈNH QUẢNG NGÃI",
            "place": "Sơn Mai",
            "authority": "UBND xã Sơn Mai",
        }
        assert ok(http.put(url, json=fresh, headers=bearer(officer))) == fresh
        assert ok(http.get(url, headers=bearer(officer))) == fresh
    finally:
        if kept is None:
            letterheads.delete_one({"tenant": "ph-51-son-mai"})
        else:
            letterheads.replace_one({"_id": kept["_id"]}, kept)
