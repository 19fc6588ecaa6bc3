"""After every other suite has run: no query a service made read a whole collection.

The local database (thidua-docstore, docs/adr/0016) records every query it could serve from no index, with the
namespace, the filter's shape and the client's name (`thidua-<service>`, see thidua_platform.mongo.connect). Each
service declares, beside its repositories, the indexes its query shapes need (`QUERY_INDEXES`, created when its API
starts), tenant or province first, as MongoDB needs them in production. This test runs last (pytest collects
`tests/query_shapes` after the other suites) and fails on any service query that found no index, naming it, unless
the table below says why reading that whole collection is right. Queries made by tests themselves (their own
clients have other names) are not counted.
"""

from __future__ import annotations

import os
import re

import httpx
import pytest

SCANS = f"http://{os.environ.get('THIDUA_DATABASE_HEALTH_ADDR', '127.0.0.1:27028')}/scans"
# (namespace pattern, shape pattern) -> why a whole-collection read is what that query should do
EXPECTED: dict[tuple[str, str], str] = {
    (r"thidua_\w+\.changes", r"\{\}"): "the outbox relay reads the change records in flight, deleted once published",
    (r"thidua_notifications\.dispatch_queue", r"\{\"due_at\": \{\"\$lte\": 1\}\}"): (
        "deliveries waiting to be sent: the queue holds only what is due or being retried (ADR 0012)"
    ),
    (r"thidua_scoring\.index_queue", r"\{\}"): "communes whose index waits to be recomputed, unmarked once done",
    (r"thidua_rollups\.dirty", r".*"): "summaries waiting to be recomputed, unmarked once done (ADR 0010)",
    (r"thidua_portal\.(sessions|logins|forms)", r".*\"\$lt\".*"): (
        "the portal's expiry sweep: sessions, logins and forms live minutes to hours, so each holds only the live ones"
    ),
    (r"thidua_rollups\.(submission|award)_facts\..+", r".*"): (
        "one commune's facts of one period: the collection is the commune's slice (ADR 0010)"
    ),
}


def scans() -> list[dict[str, object]]:
    try:
        answer = httpx.get(SCANS, timeout=10)
    except httpx.HTTPError:
        pytest.skip("the database does not report its scans (THIDUA_EMBEDDED_DB=ferretdb?)")
    if answer.status_code == 404:
        pytest.skip("the database does not report its scans (THIDUA_EMBEDDED_DB=ferretdb?)")
    answer.raise_for_status()
    return list(answer.json())


def expected(scan: dict[str, object]) -> bool:
    return any(
        re.fullmatch(namespace, str(scan["namespace"])) and re.fullmatch(shape, str(scan["shape"]))
        for namespace, shape in EXPECTED
    )


def test_every_query_of_the_services_is_served_by_an_index() -> None:
    found = [s for s in scans() if str(s["application"]).startswith("thidua-") and not expected(s)]
    lines = [f"{s['namespace']} {s['shape']}  ({s['application']}, {s['count']}×)" for s in found]
    assert not found, "queries that read a whole collection:\n" + "\n".join(lines)
