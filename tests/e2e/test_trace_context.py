"""One trace follows a submission from the HTTP request through the outbox and every consumer's event."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from thidua_contracts.topology import TOPIC_AWARDS, TOPIC_SCORING, TOPIC_SUBMISSIONS
from thidua_platform.client import SERVICE_URLS

from .conftest import events_about, eventually
from .world import DEFAULT_PREFERENCES, EVIDENCE_80, bearer, filled_dossier, new_entrant, review_all


def trace_id(traceparent: str) -> str:
    version, trace, _span, _flags = traceparent.split("-")
    assert version == "00"
    assert len(trace) == 32
    assert trace != "0" * 32
    return trace


@pytest.mark.usefixtures("lien_minh")
def test_the_events_of_one_submission_share_its_trace(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer = token("lm.officer")
    entrant = new_entrant(http, officer)
    dossier = filled_dossier(http, officer, entrant["id"], EVIDENCE_80)
    assert http.post(f"{SERVICE_URLS['submissions']}/submissions/{dossier}/submit", headers=bearer(officer)).is_success
    review_all(http, council, dossier)

    submitted = events_about(TOPIC_SUBMISSIONS, dossier, count=1)[0]
    # 2 reviewers assigned, computed, 2 reviewers × 6 assessments (a15, cooperation, since #22), finalised
    scoring = events_about(TOPIC_SCORING, dossier, count=16)
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


TRACES = Path(os.environ.get("THIDUA_TRACE_DIR", Path(__file__).resolve().parents[2] / ".stack" / "traces"))


def exported_spans(trace: str) -> list[dict[str, Any]]:
    """The spans the processes exported to the local trace sink (deploy/traces/sink.py) for one trace."""
    found = []
    for name in ("spans.1.jsonl", "spans.jsonl"):
        path = TRACES / name
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                # a line still being written has no newline yet: it is read at the next look
                found += [
                    span
                    for line in lines
                    if trace in line and line.endswith("\n") and (span := json.loads(line))["trace_id"] == trace
                ]
    return found


@pytest.mark.usefixtures("lien_minh")
def test_the_spans_of_every_service_exported_for_one_submission_form_one_trace(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    officer = token("lm.officer")  # told of every submission; by e-mail at once, so the sending is traced too
    assert http.put(
        f"{SERVICE_URLS['notifications']}/preferences", json=DEFAULT_PREFERENCES, headers=bearer(officer)
    ).is_success
    entrant = new_entrant(http, officer)
    dossier = filled_dossier(http, officer, entrant["id"], EVIDENCE_80)
    assert http.post(f"{SERVICE_URLS['submissions']}/submissions/{dossier}/submit", headers=bearer(officer)).is_success
    trace = trace_id(events_about(TOPIC_SUBMISSIONS, dossier, count=1)[0]["traceparent"])
    wanted = {
        ("submissions", "api", "POST /submissions/{submission_id}/submit"),
        ("submissions", "worker", "publish thidua.submissions.submission.submitted.v1"),
        ("scoring", "worker", "process thidua.submissions.submission.submitted.v1"),
        ("scoring", "worker", "publish thidua.scoring.score.computed.v1"),
        ("awards", "worker", "process thidua.submissions.submission.submitted.v1"),
        ("notifications", "worker", "process thidua.submissions.submission.submitted.v1"),
        ("notifications", "worker", "send email"),
        ("rollups", "worker", "process thidua.submissions.submission.submitted.v1"),
    }

    def complete() -> list[dict[str, Any]] | None:
        spans = exported_spans(trace)
        return spans if wanted <= {(s["service"], s["process"], s["name"]) for s in spans} else None

    spans = eventually(complete, timeout=90, what=f"the spans of trace {trace} from every service")
    # one tree: a single root (the HTTP request), every other span's parent exported in the same trace
    ids = {span["span_id"] for span in spans}
    roots = [span for span in spans if not span["parent_span_id"]]
    assert [(r["service"], r["process"]) for r in roots] == [("submissions", "api")]
    assert all(span["parent_span_id"] in ids for span in spans if span["parent_span_id"]), spans
    sent = next(span for span in spans if span["name"] == "send email")
    assert sent["attributes"]["thidua.delivery.outcome"] == "sent"
