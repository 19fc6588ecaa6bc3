"""One trace follows a submission from the HTTP request through the outbox and every consumer's event."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from thidua_shared.client import SERVICE_URLS
from thidua_shared.events import TOPIC_AWARDS, TOPIC_SCORING, TOPIC_SUBMISSIONS

from .conftest import events_about
from .world import EVIDENCE_80, Commune, bearer, filled_dossier, new_entrant, review_all


def trace_id(traceparent: str) -> str:
    version, trace, _span, _flags = traceparent.split("-")
    assert version == "00" and len(trace) == 32 and trace != "0" * 32
    return trace


def test_the_events_of_one_submission_share_its_trace(
    http: httpx.Client, token: Callable[[str], str], lien_minh: Commune, council: dict[str, str]
) -> None:
    officer = token("lm.officer")
    entrant = new_entrant(http, officer)
    dossier = filled_dossier(http, officer, entrant["id"], EVIDENCE_80)
    assert http.post(f"{SERVICE_URLS['submissions']}/submissions/{dossier}/submit", headers=bearer(officer)).is_success
    review_all(http, council, dossier)

    submitted = events_about(TOPIC_SUBMISSIONS, dossier, count=1)[0]
    # 2 reviewers assigned, computed, 2 reviewers × 5 assessments, finalised
    scoring = events_about(TOPIC_SCORING, dossier, count=14)
    computed = next(e for e in scoring if e["type"] == "thidua.scoring.score.computed.v1")
    finalised = next(e for e in scoring if e["type"] == "thidua.scoring.score.finalised.v1")
    candidate = events_about(TOPIC_AWARDS, dossier, count=1)[0]
    # the submit request's trace runs through the outbox into scoring's consumer
    assert trace_id(submitted["traceparent"]) == trace_id(computed["traceparent"])
    # the review that completed the council's work starts the trace that finalises and proposes the award
    assert trace_id(finalised["traceparent"]) == trace_id(candidate["traceparent"])
    assert trace_id(finalised["traceparent"]) != trace_id(submitted["traceparent"])
    spans = {e["traceparent"].split("-")[2] for e in (submitted, computed, finalised, candidate)}
    assert len(spans) == 4  # each hop is its own span
