"""One trace follows a submission from the HTTP request through the outbox and every consumer's event."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from thidua_shared.client import SERVICE_URLS
from thidua_shared.events import TOPIC_AWARDS, TOPIC_SCORING, TOPIC_SUBMISSIONS

from .conftest import events_about
from .world import EVIDENCE_80, Commune, bearer, filled_dossier, new_entrant


def trace_id(traceparent: str) -> str:
    version, trace, _span, _flags = traceparent.split("-")
    assert version == "00" and len(trace) == 32 and trace != "0" * 32
    return trace


def test_the_events_of_one_submission_share_its_trace(
    http: httpx.Client, token: Callable[[str], str], lien_minh: Commune
) -> None:
    officer = bearer(token("lm.officer"))
    entrant = new_entrant(http, token("lm.officer"))
    draft = {"id": filled_dossier(http, token("lm.officer"), entrant["id"], EVIDENCE_80)}
    submitted = http.post(f"{SERVICE_URLS['submissions']}/submissions/{draft['id']}/submit", headers=officer)
    assert submitted.status_code == 200

    chain = [events_about(topic, draft["id"], count=1)[0] for topic in (TOPIC_SUBMISSIONS, TOPIC_SCORING, TOPIC_AWARDS)]
    assert [event["type"] for event in chain] == [
        "thidua.submissions.submission.submitted.v1",
        "thidua.scoring.score.computed.v1",
        "thidua.awards.candidate.proposed.v1",
    ]
    traces = {trace_id(event["traceparent"]) for event in chain}
    assert len(traces) == 1, traces
    spans = [event["traceparent"].split("-")[2] for event in chain]
    assert len(set(spans)) == 3  # each hop is its own span in the same trace
