"""Issue #22's promise on the real stack: a secret ballot leaves no link between a member and a vote in any collection,
log or event. A council votes in secret, each member differently, one absent member by a written opinion the officer
records; then every document of every database on the
server, every event published meanwhile on the domain topics, and every line the stack's processes logged and traced
are read, and none names a member beside a vote on the session's candidates."""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from confluent_kafka import Consumer
from pymongo import MongoClient

from .conftest import BOOTSTRAP, eventually
from .test_cloudevents_binding import end_offsets, messages_between
from .world import (
    AWARDS,
    OPEN_PERIOD,
    SESSION_HELD_AT,
    SESSION_MEMBERS,
    bearer,
    ok,
    scored_dossier,
)

MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
STACK = Path(os.environ.get("THIDUA_STACK_DIR", Path(__file__).resolve().parents[2] / ".stack"))
MEMBERS = [m["username"] for m in SESSION_MEMBERS]
PATTERNS = {"lm.chair": "yes", "lm.council1": "no", "lm.council2": "abstain"}  # each member votes differently
ABSENT = "lm.council1"  # sends a written opinion, which the officer records


def linked(value: Any, people: set[str], candidates: set[str]) -> Iterator[Any]:
    """Every mapping (at any depth) that names one of `people` beside a vote on one of `candidates`."""
    if isinstance(value, dict):
        names_someone = any(isinstance(v, str) and v in people for v in value.values())
        if names_someone and {"vote", "votes"} & value.keys() and any(c in str(value) for c in candidates):
            yield value
        for inner in value.values():
            yield from linked(inner, people, candidates)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from linked(inner, people, candidates)


def stored_links(people: set[str], candidates: set[str]) -> list[Any]:
    """Links in every document of every database on the server (the services', the change logs', the outboxes')."""
    client: MongoClient[dict[str, Any]] = MongoClient(MONGO_URL)
    try:
        found: list[Any] = []
        for name in client.list_database_names():
            if name in ("admin", "local", "config"):
                continue
            database = client[name]
            for collection in database.list_collection_names():
                for document in database[collection].find({}):
                    found += linked(document, people, candidates)
        return found
    finally:
        client.close()


def awards_changes_relayed(session_id: str) -> bool:
    """The awards outbox has relayed (and so deleted) every change record of the session."""
    client: MongoClient[dict[str, Any]] = MongoClient(MONGO_URL)
    try:
        return client["thidua_awards"]["changes"].count_documents({"aggregate_id": session_id}) == 0
    finally:
        client.close()


def lines_naming(files: list[Path], people: set[str], candidates: set[str]) -> list[str]:
    """Lines of the stack's logs and exported spans that hold a member's name or id and one of the candidates."""
    found = []
    for path in files:
        with path.open(encoding="utf-8", errors="replace") as text:
            for line in text:
                if any(c in line for c in candidates) and any(p in line for p in people):
                    found.append(f"{path.name}: {line[:300]}")
    return found


@pytest.mark.usefixtures("lien_minh")
def test_a_secret_ballot_leaves_no_link_between_a_member_and_a_vote_anywhere(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    officer = token("lm.officer")
    _entrant, dossier = scored_dossier(http, token, name=f"Tổ hợp tác bỏ phiếu kín {uuid.uuid4().hex[:6]}")
    body = {"submission_id": dossier, "award_form": "BANG_KHEN_TINH", "reason": "Mô hình tiêu biểu của xã"}

    def added() -> dict[str, Any] | None:  # 422 naming the dossier until awards has its final score
        answer = http.post(f"{AWARDS}/candidates", json=body, headers=bearer(officer))
        return None if answer.status_code == 422 else dict(ok(answer, 201))

    candidate = eventually(added, what="the candidate added by hand")
    convening = {
        "period": OPEN_PERIOD,
        "title": "Họp Hội đồng bỏ phiếu kín",
        "held_at": SESSION_HELD_AT,
        "location": "Hội trường UBND xã Liên Minh",
        "members": SESSION_MEMBERS,
        "chair": "lm.chair",
        "secretary": "lm.council2",
        "award_forms": ["BANG_KHEN_TINH"],
        "ballot_mode": "secret",
    }
    session = ok(http.post(f"{AWARDS}/sessions", json=convening, headers=bearer(officer)), 201)
    assert candidate["id"] in {c["candidate_id"] for c in session["candidates"]}
    candidates = {c["candidate_id"] for c in session["candidates"]}
    sid = session["id"]
    before = end_offsets_now()
    began = time.time()

    present = [m for m in MEMBERS if m != ABSENT]
    opening = {"present": present, "counting_committee": ["lm.council2"]}
    ok(http.post(f"{AWARDS}/sessions/{sid}/open", json=opening, headers=bearer(officer)))
    for member in MEMBERS:
        votes = [
            {"candidate_id": c["candidate_id"], "vote": PATTERNS[member]}
            for c in session["candidates"]
            if member not in {r["member"] for r in c["recused"]}
        ]
        if member == ABSENT:
            path, by = f"{AWARDS}/sessions/{sid}/written-opinions/{member}", officer
        else:
            path, by = f"{AWARDS}/sessions/{sid}/ballot", token(member)
        voted = ok(http.put(path, json={"votes": votes}, headers=bearer(by)))
        assert all(b["votes"] is None for b in voted["ballots"])  # who voted is shown, never how
    closed = ok(http.post(f"{AWARDS}/sessions/{sid}/close", headers=bearer(officer)))
    ours = next(r for r in closed["results"] if r["candidate_id"] == candidate["id"])
    assert (ours["yes"], ours["no"], ours["abstain"]) == (1, 1, 1)  # counted all the same
    assert [(b["member"], b["in_writing"]) for b in closed["ballots"]] == [(m, m == ABSENT) for m in MEMBERS]
    assert closed["ballot_count"] == {"issued": 2, "returned": 2, "valid": 2}
    eventually(lambda: awards_changes_relayed(sid) or None, what="the session's changes relayed")

    people = {*MEMBERS, *(subject_of(token(member)) for member in MEMBERS), subject_of(officer)}
    assert stored_links(people, candidates) == []
    events = [json.loads(m.value() or b"{}") for m in messages_between(before, end_offsets_now())]
    assert [link for event in events for link in linked(event, people, candidates)] == []
    written = [p for p in (*STACK.glob("logs/*.log"), *STACK.glob("traces/*.jsonl")) if p.stat().st_mtime >= began]
    assert written, "no log or span written during the vote: the check below would prove nothing"
    assert lines_naming(written, people, candidates) == []


def subject_of(access_token: str) -> str:
    """The user id a token names (its `sub`), as the services record an actor; read, not verified."""
    payload = access_token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims["sub"])


def end_offsets_now() -> dict[tuple[str, int], int]:
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"test-secret-ballot-{uuid.uuid4().hex[:6]}"})
    try:
        return end_offsets(consumer)
    finally:
        consumer.close()
