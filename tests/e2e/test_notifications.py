"""Issue #6's promise on the real stack: the submitter is told, in the inbox and by e-mail, that their dossier was
submitted, returned (with the reason), scored and awarded — exactly once each — through real Kafka, the realm's
directory in Keycloak and the stack's SMTP server; council members hear of the session, the chairman of decisions
waiting; preferences and templates work through the API."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from thidua_platform.client import SERVICE_URLS

from .conftest import eventually
from .mailbox import messages_about
from .settled import deliveries_about, notifications_settled
from .world import (
    DECISION_SIGNED_ON,
    EVIDENCE_80,
    OPEN_PERIOD,
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

AWARDS, NOTIFY = SERVICE_URLS["awards"], SERVICE_URLS["notifications"]
SUBMITTER_EMAIL = "lm.submitter@lienminh.thidua.invalid"
MEMBERS = [
    {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "role": "Chủ tịch Hội đồng"},
    {"username": "lm.council1", "name": "Trần Thị Thủy", "role": "Phó Chủ tịch Hội đồng"},
    {"username": "lm.council2", "name": "Lê Văn Đức", "role": "Thư ký Hội đồng"},
]
DEFAULTS = {"in_app": True, "email": True, "webhook": False, "digest": "off"}


@pytest.fixture
def submitter(http: httpx.Client, token: Callable[[str], str]) -> Iterator[str]:
    """lm.submitter with the default preferences, restored afterwards whatever the test changed."""
    me = token("lm.submitter")
    ok(http.put(f"{NOTIFY}/preferences", json=DEFAULTS, headers=bearer(me)))
    yield me
    ok(http.put(f"{NOTIFY}/preferences", json=DEFAULTS, headers=bearer(me)))


def kinds_in_inbox(http: httpx.Client, me: str, subjects: set[str]) -> list[str]:
    listing = ok(http.get(f"{NOTIFY}/inbox?page_size=200", headers=bearer(me)))
    return sorted(m["kind"] for m in listing["items"] if m["subject"] in subjects)


def mails(subjects: set[str]) -> list[EmailMessage]:
    return [m for s in subjects for m in messages_about(SUBMITTER_EMAIL, "X-Thidua-Subject", s)]


def decided_award(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str], dossier: str
) -> tuple[dict[str, Any], str]:
    """The dossier's Giấy khen candidate through a council session (3 yes) to the chairman's decision."""
    officer, chair = token("lm.officer"), token("lm.chair")
    voters = {"lm.chair": chair, **council}

    def candidate() -> dict[str, Any] | None:
        listing = every_item(
            http, f"{AWARDS}/candidates", bearer(officer), period=OPEN_PERIOD, award_form="GIAY_KHEN_XA"
        )
        return next((c for c in listing or [] if c["submission_id"] == dossier), None)

    giay_khen = eventually(candidate, what="the Giấy khen candidate")
    # the officer keeps it on the list (the quota may leave it out among the dev stack's earlier 95-point units)
    keep = {"included": True, "reason": "Giữ trong danh sách xét"}
    ok(http.post(f"{AWARDS}/candidates/{giay_khen['id']}/review", json=keep, headers=bearer(officer)))
    session = ok(
        http.post(
            f"{AWARDS}/sessions",
            json={
                "period": OPEN_PERIOD,
                "title": "Họp xét khen thưởng (thông báo)",
                "held_at": SESSION_HELD_AT,
                "location": "Hội trường UBND xã Liên Minh",
                "members": MEMBERS,
                "chair": "lm.chair",
                "secretary": "lm.council2",
                "award_forms": ["GIAY_KHEN_XA"],
            },
            headers=bearer(officer),
        ),
        201,
    )
    sid = session["id"]
    ok(
        http.post(
            f"{AWARDS}/sessions/{sid}/open", json={"present": [m["username"] for m in MEMBERS]}, headers=bearer(officer)
        )
    )
    for member, member_token in voters.items():
        votes = [
            {"candidate_id": c["candidate_id"], "vote": "yes" if c["candidate_id"] == giay_khen["id"] else "no"}
            for c in session["candidates"]
            if member not in {r["member"] for r in c["recused"]}
        ]
        ok(http.put(f"{AWARDS}/sessions/{sid}/ballot", json={"votes": votes}, headers=bearer(member_token)))
    ok(http.post(f"{AWARDS}/sessions/{sid}/close", headers=bearer(officer)))
    decision = ok(
        http.post(
            f"{AWARDS}/decisions",
            json={
                "award_form": "GIAY_KHEN_XA",
                "period": OPEN_PERIOD,
                "number": f"{uuid.uuid4().int % 10**6}/QĐ-UBND",
                "signed_on": DECISION_SIGNED_ON,
                "signer_name": "Phạm Văn Minh",
                "candidate_ids": [giay_khen["id"]],
            },
            headers=bearer(chair),
        ),
        201,
    )
    return decision, sid


@pytest.mark.usefixtures("lien_minh")
def test_the_submitter_hears_of_each_step_once_in_the_inbox_and_by_email(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str], submitter: str
) -> None:
    officer = token("lm.officer")
    entrant = new_entrant(http, officer, name="Thôn Thông Báo")
    dossier = filled_dossier(http, submitter, entrant["id"], EVIDENCE_80)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
    reason = "Bổ sung biên bản nghiệm thu công trình"
    ok(
        http.post(
            f"{SUBMISSIONS}/submissions/{dossier}/return",
            json={"reasons": [{"code": "a8", "reason": reason}]},
            headers=bearer(officer),
        )
    )
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
    review_all(http, council, dossier, version=2)
    eventually(lambda: final_score(http, officer, dossier, version=2), what="the version-2 score")
    decision, session = decided_award(http, token, council, dossier)
    subjects = {dossier, decision["id"]}

    expected = sorted(
        [
            "submission_submitted",
            "submission_returned",
            "submission_resubmitted",
            "submission_scored",
            "award_candidate",
            "award_decided",
        ]
    )
    eventually(lambda: kinds_in_inbox(http, submitter, subjects) == expected, what="every in-app message")
    eventually(lambda: sorted(str(m["X-Thidua-Kind"]) for m in mails(subjects)) == expected, what="every e-mail")
    # anything doubled would come from an event handled again or a delivery sent again: waits until the notifications
    # worker has committed every event so far and none of the deliveries about the dossier and the decision waits
    eventually(lambda: notifications_settled(subjects), what="the notifications about the dossier to settle")
    assert kinds_in_inbox(http, submitter, subjects) == expected
    received = {str(m["X-Thidua-Kind"]): m for m in mails(subjects)}
    assert len(mails(subjects)) == len(expected) == len(received)

    returned = received["submission_returned"]
    assert returned["To"] == SUBMITTER_EMAIL
    assert str(returned["Subject"]).startswith("Hồ sơ bị trả lại để bổ sung")
    text = returned.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"a8: {reason}" in text
    assert "needs correction" in text
    assert [p.get_content_type() for p in returned.iter_parts()] == ["text/plain", "text/html"]
    awarded = received["award_decided"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert entrant["name"] in awarded
    assert decision["number"] in awarded
    assert "Giấy khen" in awarded
    scored = received["submission_scored"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "95/100 điểm" in scored

    # the council heard of the session, the chairman that decisions wait, both by e-mail too
    for member in ("lm.council1", "lm.council2"):
        assert messages_about(f"{member}@lienminh.thidua.invalid", "X-Thidua-Subject", session)
    chair_mail = messages_about("lm.chair@lienminh.thidua.invalid", "X-Thidua-Subject", session)
    assert {str(m["X-Thidua-Kind"]) for m in chair_mail} >= {"decisions_waiting"}
    assert not messages_about("sm.council1@sonmai.thidua.invalid", "X-Thidua-Subject", session)


@pytest.mark.usefixtures("lien_minh")
def test_preferences_and_a_communes_template_through_the_api(
    http: httpx.Client, token: Callable[[str], str], submitter: str
) -> None:
    officer = token("lm.officer")
    # bad input names the field
    bad = http.put(f"{NOTIFY}/preferences", json={**DEFAULTS, "digest": "weekly"}, headers=bearer(submitter))
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    broken = http.post(
        f"{NOTIFY}/templates/submission_submitted/preview",
        json={"body_vi": "Xin chào {{ khong_co }}"},
        headers=bearer(officer),
    )
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["field"] == "body_vi"
    assert http.get(f"{NOTIFY}/templates", headers=bearer(submitter)).status_code == 403
    preview = ok(
        http.post(
            f"{NOTIFY}/templates/submission_submitted/preview",
            json={"subject_vi": "Đã nhận hồ sơ của {{ entrant }} ✓", "facts": {"entrant": "Thôn Đông Hưng"}},
            headers=bearer(officer),
        )
    )
    assert preview["subject_vi"] == "Đã nhận hồ sơ của Thôn Đông Hưng ✓"
    assert 'lang="vi"' in preview["html"]

    # e-mail off: the inbox still gets the message, no e-mail is sent
    ok(http.put(f"{NOTIFY}/preferences", json={**DEFAULTS, "email": False}, headers=bearer(submitter)))
    entrant = new_entrant(http, officer, name="Thôn Không Thư")
    dossier = filled_dossier(http, submitter, entrant["id"], EVIDENCE_80)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
    eventually(lambda: "submission_submitted" in kinds_in_inbox(http, submitter, {dossier}), what="the message")
    # an e-mail would come from an e-mail delivery: waits until the notifications worker has committed every event so
    # far (the submission's included) and nothing about the dossier waits to be sent; no e-mail delivery was made
    eventually(lambda: notifications_settled({dossier}), what="the notifications about the dossier to settle")
    assert deliveries_about({dossier}, channel="email", to=SUBMITTER_EMAIL) == []
    assert not messages_about(SUBMITTER_EMAIL, "X-Thidua-Subject", dossier)


@pytest.mark.usefixtures("lien_minh")
def test_the_inbox_comes_a_page_at_a_time_newest_first(
    http: httpx.Client, token: Callable[[str], str], submitter: str
) -> None:
    officer = token("lm.officer")
    dossiers: set[str] = set()
    for name in ("Thôn Trang Một", "Thôn Trang Hai"):
        entrant = new_entrant(http, officer, name=name)
        dossier = filled_dossier(http, submitter, entrant["id"], EVIDENCE_80)
        ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
        dossiers.add(dossier)
    eventually(lambda: len(kinds_in_inbox(http, submitter, dossiers)) == 2, what="both messages")

    def page(number: int, size: int, **params: Any) -> dict[str, Any]:
        asked = {"page": number, "page_size": size, **params}
        listing: dict[str, Any] = ok(http.get(f"{NOTIFY}/inbox", params=asked, headers=bearer(submitter)))
        assert (listing["page"], listing["page_size"]) == (number, size)
        return listing

    first, second = page(1, 1), page(2, 1)
    assert first["total"] >= 2
    assert second["total"] >= first["total"]  # a message may arrive meanwhile, none leaves
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert first["items"][0]["created_at"] >= second["items"][0]["created_at"]  # newest first
    moments = [m["created_at"] for m in page(1, 3)["items"]]
    assert len(moments) >= 2
    assert moments == sorted(moments, reverse=True)
    beyond = page(second["total"] + 50, 1)
    assert beyond["items"] == []
    assert beyond["total"] >= second["total"]

    # the unread ones only, paged the same way: as many as the unread count says
    def unread_counted() -> bool:
        unread = page(1, 200, unread_only="true")
        count = ok(http.get(f"{NOTIFY}/inbox/unread-count", headers=bearer(submitter)))["unread"]
        return all(m["read_at"] is None for m in unread["items"]) and unread["total"] == count >= 2

    eventually(unread_counted, what="the unread pages to agree with the unread count")

    # a page holds at most 200 messages; pages count from 1
    for params in ({"page_size": 201}, {"page_size": 0}, {"page": 0}):
        refused = http.get(f"{NOTIFY}/inbox", params=params, headers=bearer(submitter))
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["errors"][0]["field"] == next(iter(params))
