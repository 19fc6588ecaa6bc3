"""Every state change leaves an audit entry (issue #8, ADR 0011): a whole flow with real tokens, then the services'
databases read directly. Each aggregate the flow touched has exactly one entry per revision (who, when, what), the
right people as actors of what they asked for, `event:` actors for what the workers did from events, and its tenant.
Then the invariant across every aggregate collection of every service database, for the aggregates created while
the test ran (older code on a long-lived dev database wrote aggregates that break it; they are left as they are)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from pymongo import MongoClient
from pymongo.database import Database

from thidua_platform.client import SERVICE_URLS
from thidua_platform.outbox import CHANGES

from .conftest import LIEN_MINH, eventually
from .world import (
    DECISION_SIGNED_ON,
    EVIDENCE_80,
    OPEN_PERIOD,
    PDF,
    PROVINCE_SIGNED_ON,
    SESSION_HELD_AT,
    SUBMISSIONS,
    bearer,
    every_item,
    filled_dossier,
    final_score,
    new_entrant,
    ok,
    review_all,
)

AWARDS, NOTIFY, ROLLUPS = SERVICE_URLS["awards"], SERVICE_URLS["notifications"], SERVICE_URLS["rollups"]
MONGO = "mongodb://127.0.0.1:27027/"
SERVICES = ("submissions", "scoring", "awards", "notifications", "rollups")
MEMBERS = [
    {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "role": "Chủ tịch Hội đồng"},
    {"username": "lm.council1", "name": "Trần Thị Thủy", "role": "Phó Chủ tịch Hội đồng"},
    {"username": "lm.council2", "name": "Lê Văn Đức", "role": "Thư ký Hội đồng"},
]

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def mongo() -> Iterator[MongoClient[Doc]]:
    client: MongoClient[Doc] = MongoClient(MONGO, tz_aware=True)
    yield client
    client.close()


def user_id(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


def number(kind: str) -> str:
    return f"{uuid.uuid4().int % 10**6}/{kind}-UBND"


class Trail:
    """What the checks saw: aggregates and entries."""

    def __init__(self) -> None:
        self.aggregates = 0
        self.entries = 0

    def check(self, db: Database[Doc], collection: str, document: Doc, actors: Callable[[list[str]], None]) -> None:
        """One aggregate: one entry per revision, each with at/actor/action, its tenant, and the actors expected."""
        where = f"{db.name}.{collection} {document['_id']}"
        audit = document.get("audit") or []
        assert len(audit) == document["revision"], f"{where}: revision {document['revision']}, {len(audit)} entries"
        for item in audit:
            assert item.get("at"), f"{where}: incomplete entry {item}"
            assert item.get("actor"), f"{where}: incomplete entry {item}"
            assert item.get("action"), f"{where}: incomplete entry {item}"
            assert isinstance(item.get("changes", {}), dict), where
        assert document.get("tenant") == LIEN_MINH, f"{where}: tenant"
        assert document.get("province") == "37", f"{where}: province"
        actors([str(item["actor"]) for item in audit])
        self.aggregates += 1
        self.entries += len(audit)

    def each(
        self, db: Database[Doc], collection: str, query: Doc, actors: Callable[[list[str]], None], *, least: int = 1
    ) -> list[Doc]:
        found = list(db[collection].find(query))
        assert len(found) >= least, f"{db.name}.{collection} {query}: {len(found)} found"
        for document in found:
            self.check(db, collection, document, actors)
        return found


def only(*allowed: str, events: bool = False, systems: bool = False) -> Callable[[list[str]], None]:
    """Every actor is one of these people (or, if allowed, an event or a sweep)."""

    def check(actors: list[str]) -> None:
        for actor in actors:
            ok_actor = (
                actor in allowed or (events and actor.startswith("event:")) or (systems and actor.startswith("system:"))
            )
            assert ok_actor, f"unexpected actor {actor} in {actors}"

    return check


def first_then(first: Callable[[str], bool], rest: Callable[[list[str]], None]) -> Callable[[list[str]], None]:
    def check(actors: list[str]) -> None:
        assert first(actors[0]), f"unexpected first actor in {actors}"
        rest(actors[1:])

    return check


def aggregates(db: dict[str, Database[Doc]]) -> Iterator[tuple[str, str, Doc]]:
    """Every document of every collection of the services' databases that counts revisions, but the outbox's change
    records, which name the revision they claim (and are gone once published, unless the stack is busy)."""
    for service, database in db.items():
        for name in sorted(set(database.list_collection_names()) - {CHANGES}):
            for document in database[name].find({"revision": {"$exists": True}}, {"revision": 1, "audit": 1}):
                yield service, name, document


def by_event(actor: str) -> bool:
    return actor.startswith("event:") and len(actor) > len("event:")


def by_event_or_reminder(actor: str) -> bool:
    """A delivery is made from an event, or by the review-reminder sweep for a review left waiting."""
    return by_event(actor) or actor == "system:review_reminder"


@pytest.mark.usefixtures("lien_minh")
def test_every_change_of_a_flow_is_audited(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str], mongo: MongoClient[Doc]
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=2)  # the services' clocks are this machine's
    officer, submitter, chair, staff = token("lm.officer"), token("lm.submitter"), token("lm.chair"), token("nb.staff")
    officer_id, submitter_id, chair_id, staff_id = map(user_id, (officer, submitter, chair, staff))
    council_ids = {user_id(t) for t in council.values()}
    voters = {"lm.chair": chair, **council}
    db = {name: mongo[f"thidua_{name}"] for name in SERVICES}
    index_id = f"{LIEN_MINH}:{OPEN_PERIOD}"
    index_before = db["scoring"]["indexes"].find_one({"_id": index_id}) or {"revision": 0, "audit": []}
    older = {(service, name, document["_id"]) for service, name, document in aggregates(db)}

    # the officer registers a unit with lm.submitter as its focal officer, who files the dossier without a8,
    # uploads a file and submits; the officer returns it; a8 is added and the dossier resubmitted
    entrant = new_entrant(http, officer, name="Thôn Kiểm Toán", focal=("lm.submitter",))
    incomplete = {code: given for code, given in EVIDENCE_80.items() if code != "a8"}
    dossier = filled_dossier(http, submitter, entrant["id"], incomplete)
    uploaded = ok(
        http.post(
            f"{SUBMISSIONS}/submissions/{dossier}/evidence/a3/attachments",
            params={"filename": f"Biên bản {uuid.uuid4().hex[:6]}.pdf"},
            content=PDF,
            headers=bearer(submitter),
        ),
        201,
    )
    attachment_id = uploaded["evidence"]["a3"]["attachments"][-1]["id"]
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
    ok(
        http.post(
            f"{SUBMISSIONS}/submissions/{dossier}/return",
            headers=bearer(officer),
            json={"reasons": [{"code": "a8", "reason": "Thiếu số liệu a8."}]},
        )
    )
    ok(http.put(f"{SUBMISSIONS}/submissions/{dossier}/evidence/a8", json=EVIDENCE_80["a8"], headers=bearer(submitter)))
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))

    # the council reviews version 2; the score becomes final
    review_all(http, council, dossier, version=2)
    eventually(lambda: final_score(http, officer, dossier, version=2), what="the final score")

    # the worker proposes the unit for the commune's Giấy khen; the officer keeps it and adds a Bằng khen by hand
    def commune_candidate() -> Doc | None:
        listing = every_item(
            http, f"{AWARDS}/candidates", bearer(officer), period=OPEN_PERIOD, award_form="GIAY_KHEN_XA"
        )
        return next((c for c in listing or [] if c["submission_id"] == dossier), None)

    giay_khen = eventually(commune_candidate, what="the Giấy khen candidate")
    ok(
        http.post(
            f"{AWARDS}/candidates/{giay_khen['id']}/review",
            json={"included": True, "reason": "Đủ điều kiện"},
            headers=bearer(officer),
        )
    )
    bang_khen = ok(
        http.post(
            f"{AWARDS}/candidates",
            json={"submission_id": dossier, "award_form": "BANG_KHEN_TINH", "reason": "Tiêu biểu của xã"},
            headers=bearer(officer),
        ),
        201,
    )

    # the council session, the ballots, the chairman's decision and the proposal to the province, decided there
    session = ok(
        http.post(
            f"{AWARDS}/sessions",
            json={
                "period": OPEN_PERIOD,
                "title": f"Họp xét khen thưởng {uuid.uuid4().hex[:6]}",
                "held_at": SESSION_HELD_AT,
                "location": "Hội trường UBND xã Liên Minh",
                "members": MEMBERS,
                "chair": "lm.chair",
                "secretary": "lm.council2",
                "award_forms": ["GIAY_KHEN_XA", "BANG_KHEN_TINH"],
            },
            headers=bearer(officer),
        ),
        201,
    )
    sid = session["id"]
    ours = {giay_khen["id"], bang_khen["id"]}
    assert ours <= {c["candidate_id"] for c in session["candidates"]}
    ok(
        http.post(
            f"{AWARDS}/sessions/{sid}/open", json={"present": [m["username"] for m in MEMBERS]}, headers=bearer(officer)
        )
    )
    for member, member_token in voters.items():
        votes = [
            {"candidate_id": c["candidate_id"], "vote": "yes" if c["candidate_id"] in ours else "abstain"}
            for c in session["candidates"]
            if member not in {r["member"] for r in c["recused"]}
        ]
        ok(http.put(f"{AWARDS}/sessions/{sid}/ballot", json={"votes": votes}, headers=bearer(member_token)))
    ok(http.post(f"{AWARDS}/sessions/{sid}/close", headers=bearer(officer)))
    act = {"period": OPEN_PERIOD, "signed_on": DECISION_SIGNED_ON, "signer_name": "Phạm Văn Minh"}
    decision = ok(
        http.post(
            f"{AWARDS}/decisions",
            json={**act, "award_form": "GIAY_KHEN_XA", "number": number("QĐ"), "candidate_ids": [giay_khen["id"]]},
            headers=bearer(chair),
        ),
        201,
    )
    proposal = ok(
        http.post(
            f"{AWARDS}/proposals",
            json={**act, "award_form": "BANG_KHEN_TINH", "number": number("TTr"), "candidate_ids": [bang_khen["id"]]},
            headers=bearer(chair),
        ),
        201,
    )
    ok(
        http.post(
            f"{AWARDS}/proposals/{proposal['id']}/outcome",
            json={"outcome": "awarded", "number": number("QĐ"), "signed_on": PROVINCE_SIGNED_ON, "issuer": "UBND tỉnh"},
            headers=bearer(staff),
        )
    )

    # the chairman saves their notification preferences (as they were: other tests rely on them)
    chosen = ok(http.get(f"{NOTIFY}/preferences", headers=bearer(chair)))
    ok(http.put(f"{NOTIFY}/preferences", json=chosen, headers=bearer(chair)))

    # the officer asks for the commune's report
    job = ok(
        http.post(
            f"{ROLLUPS}/rollups/reports",
            json={"kind": "commune", "commune": LIEN_MINH, "period": OPEN_PERIOD},
            headers=bearer(officer),
        ),
        202,
    )

    def job_done() -> Doc | None:
        now = ok(http.get(f"{ROLLUPS}/rollups/reports/{job['id']}", headers=bearer(officer)))
        return now if now["status"] in ("ready", "failed") else None

    eventually(job_done, what="the report")

    # the workers have caught up: the awards history holds both awards, the reminders service closed the reviews
    def awarded() -> bool:
        items = ok(http.get(f"{AWARDS}/history?entrant_id={entrant['id']}", headers=bearer(officer)))["items"]
        return len(items) == 2

    eventually(awarded, what="both awards in the history")
    eventually(
        lambda: (
            db["notifications"]["reviews"].count_documents({"submission_id": dossier}) >= 2
            and db["notifications"]["reviews"].count_documents({"submission_id": dossier, "status": "open"}) == 0
        ),
        what="the reviews to be followed by notifications",
    )

    trail = Trail()
    people = {officer_id, submitter_id, chair_id, staff_id, *council_ids}
    s, sc, aw, nt, ru = (db[name] for name in SERVICES)

    # submissions: every change is a person's
    trail.each(s, "entrants", {"_id": entrant["id"]}, only(officer_id))
    trail.each(s, "registrations", {"entrant.id": entrant["id"]}, only(submitter_id))
    (attachment,) = trail.each(s, "attachments", {"_id": attachment_id}, only(submitter_id))
    assert attachment["audit"][0]["action"] == "uploaded"
    assert "filename" not in attachment["audit"][0]["changes"]
    (submission,) = trail.each(s, "submissions", {"_id": dossier}, only(submitter_id, officer_id))
    returned = [e for e in submission["audit"] if e["action"] == "returned"]
    assert [e["actor"] for e in returned] == [officer_id]
    assert "attachment_added" in [e["action"] for e in submission["audit"]]

    # scoring: the worker's scores and closing of reviews are the events'; assessments are the members'
    trail.each(sc, "scores", {"submission_id": dossier}, only(events=True), least=2)
    trail.each(sc, "assignments", {"submission_id": dossier}, first_then(by_event, only(*council_ids, events=True)))
    trail.each(sc, "assessments", {"submission_id": dossier}, only(*council_ids))
    trail.each(sc, "finals", {"submission_id": dossier}, only(*council_ids, events=True))
    # the index is recomputed by the worker's loop every few seconds after a final score, not on the event's path
    eventually(
        lambda: (sc["indexes"].find_one({"_id": index_id}) or {"revision": 0})["revision"] > index_before["revision"],
        what="the commune's index recomputed",
    )
    index = sc["indexes"].find_one({"_id": index_id})
    assert index is not None
    assert index["tenant"] == LIEN_MINH
    new_entries = index["audit"][len(index_before.get("audit") or []) :]
    assert index["revision"] - index_before["revision"] == len(new_entries) >= 1, "the index's changes are audited"
    assert all(by_event(e["actor"]) and e["changes"]["event"] for e in new_entries)

    # awards: projections of events; candidates by the worker, the officer, the council's close, the chairman
    trail.each(aw, "dossiers", {"_id": dossier}, only(events=True))
    trail.each(aw, "scores", {"_id": dossier}, only(events=True))
    (commune_award,) = trail.each(
        aw, "candidates", {"_id": giay_khen["id"]}, first_then(by_event, only(officer_id, chair_id, events=True))
    )
    reviewed = next(e for e in commune_award["audit"] if e["action"] == "reviewed")
    assert reviewed["actor"] == officer_id
    assert {"claimed", "awarded", "council_result", "before_council"} <= {e["action"] for e in commune_award["audit"]}
    trail.each(aw, "candidates", {"_id": bang_khen["id"]}, first_then(officer_id.__eq__, only(*people, events=True)))
    trail.each(aw, "sessions", {"_id": sid}, only(officer_id, *council_ids, chair_id))
    trail.each(aw, "decisions", {"_id": decision["id"]}, only(chair_id))
    trail.each(aw, "proposals", {"_id": proposal["id"]}, only(chair_id, staff_id))
    trail.each(aw, "history", {"entrant.id": entrant["id"]}, only(chair_id, staff_id, events=True), least=2)

    # notifications: deliveries made from events, then sent by the dispatcher; reviews followed from events
    trail.each(nt, "deliveries", {"subject": dossier}, first_then(by_event_or_reminder, only(systems=True)))
    # a review is followed from events, and marked by the reminder sweep when it reminds its reviewer (the sweep runs
    # every minute: whether it reached this review before its final score depends on the moment)
    trail.each(nt, "reviews", {"submission_id": dossier}, only("system:reminders", events=True), least=2)
    preferences = nt["preferences"].find_one({"_id": chair_id})
    assert preferences is not None
    assert preferences["audit"][-1]["actor"] == chair_id
    assert preferences["audit"][-1]["at"] >= started
    assert preferences["tenant"] == LIEN_MINH

    # rollups: the report job, requested by the officer, then generated
    (report,) = trail.each(ru, "report_jobs", {"_id": job["id"]}, first_then(officer_id.__eq__, only(systems=True)))
    assert [e["changes"]["status"] for e in report["audit"]] == ["queued", "running", "ready"]

    # the invariant, across every aggregate collection of every service database, for the aggregates created while
    # the test ran (by this flow and by anything else running meanwhile); those that existed before are skipped
    checked = entries = 0
    broken: list[str] = []
    for service, name, document in aggregates(db):
        if (service, name, document["_id"]) in older:
            continue
        audit = document.get("audit") or []
        checked += 1
        entries += len(audit)
        if len(audit) != document["revision"]:
            broken.append(f"thidua_{service}.{name} {document['_id']}: revision {document['revision']}, {len(audit)}")
    print(
        f"\naudit: the flow's {trail.aggregates} aggregates carry {trail.entries} entries; across all services "
        f"{checked} aggregates created during the test carry {entries} entries"
    )
    assert not broken, broken
    assert checked >= trail.aggregates - 1  # the flow's own (all but the long-lived index) are among them
