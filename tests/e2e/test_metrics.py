"""Every process's Prometheus metrics, scraped from the running stack while a dossier goes through it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from thidua_contracts.submissions import SubmissionSubmitted
from thidua_contracts.topology import CONSUMER_GROUPS
from thidua_platform.client import SERVICE_URLS

from .conftest import eventually
from .world import DEFAULT_PREFERENCES, EVIDENCE_80, bearer, filled_dossier, new_entrant

WORKER_PORT_OFFSET = 10


def worker_url(service: str) -> str:
    base, _, port = SERVICE_URLS[service].rpartition(":")
    return f"{base}:{int(port) + WORKER_PORT_OFFSET}"


def scrape(http: httpx.Client, url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = http.get(f"{url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.usefixtures("lien_minh")
def test_every_process_serves_its_metrics_and_they_move_with_a_submission(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    officer = token("lm.officer")
    assert http.put(f"{SERVICE_URLS['notifications']}/preferences", json=DEFAULT_PREFERENCES, headers=bearer(officer))
    submit_route = {"service": "submissions", "method": "POST", "route": "/submissions/{submission_id}/submit"}
    handled = {"group": "scoring", "type": SubmissionSubmitted.event_type, "outcome": "handled"}
    sent = {"channel": "email", "outcome": "sent"}
    before_api = scrape(http, SERVICE_URLS["submissions"])
    before_scoring = scrape(http, worker_url("scoring"))
    before_notifications = scrape(http, worker_url("notifications"))

    entrant = new_entrant(http, officer)
    dossier = filled_dossier(http, officer, entrant["id"], EVIDENCE_80)
    response = http.post(f"{SERVICE_URLS['submissions']}/submissions/{dossier}/submit", headers=bearer(officer))
    assert response.is_success

    after_api = scrape(http, SERVICE_URLS["submissions"])
    count = "thidua_http_request_duration_seconds_count"
    assert (
        value(after_api, count, **submit_route, status="200")
        == value(before_api, count, **submit_route, status="200") + 1
    )
    assert not any(dossier in str(labels) for _name, labels in after_api)  # routes as templates, never ids

    def moved(url: str, before: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> bool:
        return value(scrape(http, url), name, **labels) > value(before, name, **labels)

    eventually(
        lambda: moved(worker_url("scoring"), before_scoring, "thidua_events_total", **handled) or None,
        what="the scoring worker counting the submitted event",
    )
    eventually(
        lambda: moved(worker_url("notifications"), before_notifications, "thidua_deliveries_total", **sent) or None,
        what="the notifications worker counting the e-mail sent",
    )

    # every worker measures its group's lag on each partition of the topics it reads, and its outbox backlog
    for group, topics in CONSUMER_GROUPS.items():
        samples = scrape(http, worker_url(group))
        lagged = {dict(labels)["topic"] for name, labels in samples if name == "thidua_consumer_lag"}
        assert lagged == set(topics), group
        assert value(samples, "thidua_consumer_lag_unknown", group=group) == 0
    for service in ("submissions", "scoring", "awards", "notifications"):
        samples = scrape(http, worker_url(service))
        assert ("thidua_outbox_backlog", (("service", service),)) in samples
    for service in SERVICE_URLS:  # and every API its request durations
        assert any(name == count for name, _ in scrape(http, SERVICE_URLS[service]))
