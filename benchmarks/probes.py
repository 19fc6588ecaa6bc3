"""What `benchmarks.province` reads, and how it times each read: every list and item endpoint of every service (GET,
with the people who use it) and every page of the portal, each sampled with p50/p95. A list is read a page of 20 rows
at a time (`page_size=20`), as the portal's pages read them.

Item endpoints take their ids from what the same person's lists answered (the first item), so they read real
documents of that person's commune, whatever the province holds.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from thidua_platform.client import SERVICE_URLS, Tokens

Kind = Literal["list", "item", "page"]
PERIOD = "2026"
BATCH = 20  # ids a batch read is given: as many as a page of the portal's results asks for
# a list is read a page at a time as the portal reads it (its pages show 20 rows); lists that are not paged ignore it
PAGE = "page_size=20"
OFFICERS = ("lm.officer", "td.officer")  # the largest commune's and a small one's
SUBMITTER, COUNCIL, CHAIR, STAFF = "lm.submitter", "lm.council1", "lm.chair", "nb.staff"
COMMUNE_OF = {
    "lm": "ph-37-lien-minh",
    "td": "ph-37-tam-diep",
    "nb": "ph-37-lien-minh",
}  # staff drill down to the largest


@dataclass(frozen=True)
class Probe:
    """One GET of a service: `path` may name ids (`{submission_id}`) that earlier lists collected for the person;
    `collects` says which id the first item of this list gives (param name -> field of the item), `gathers` which
    ids of its first `BATCH` items a batch read asks for (param name -> (query parameter, field of the items)): the
    param then stands for the whole query string, `submission_id=a&submission_id=b…`."""

    kind: Kind
    service: str
    path: str
    people: tuple[str, ...]
    collects: tuple[tuple[str, str], ...] = ()
    gathers: tuple[tuple[str, tuple[str, str]], ...] = ()

    @property
    def name(self) -> str:
        return f"{self.service} {self.path}"


def _p(
    service: str,
    path: str,
    *people: str,
    collects: dict[str, str] | None = None,
    gathers: dict[str, tuple[str, str]] | None = None,
) -> Probe:
    return Probe("list", service, path, people, tuple((collects or {}).items()), tuple((gathers or {}).items()))


def _i(service: str, path: str, *people: str) -> Probe:
    return Probe("item", service, path, people)


LISTS = (
    # submissions
    _p("submissions", "/campaign-templates", STAFF, collects={"template_id": "id"}),
    _p("submissions", "/campaigns", *OFFICERS, collects={"campaign_id": "id"}),
    _p("submissions", "/reference", *OFFICERS),
    _p("submissions", "/entrants", *OFFICERS, SUBMITTER, collects={"entrant_id": "id"}),
    _p("submissions", f"/registrations?period={PERIOD}", *OFFICERS, SUBMITTER, collects={"registration_id": "id"}),
    _p("submissions", f"/registrations/counts?period={PERIOD}", *OFFICERS),
    _p(
        "submissions",
        f"/submissions?period={PERIOD}",
        *OFFICERS,
        SUBMITTER,
        gathers={"submission_ids": ("submission_id", "id"), "entrant_ids": ("entrant_id", "entrant.id")},
    ),
    _p("submissions", f"/submissions?period={PERIOD}&commune={{commune}}", STAFF, collects={"submission_id": "id"}),
    # the dossier items are read of a submitted dossier (it has a score): the newest dossier may be a draft
    _p(
        "submissions",
        f"/submissions?period={PERIOD}&status=submitted",
        *OFFICERS,
        SUBMITTER,
        collects={"submission_id": "id"},
    ),
    # scoring
    _p("scoring", "/scores?{submission_ids}", *OFFICERS, SUBMITTER),  # a page of the portal's results, at once
    _p("scoring", "/council", *OFFICERS),
    # the queue answers the member's next review (`next`), not a list of items
    _p("scoring", "/reviews/queue", COUNCIL, collects={"submission_id": "next.submission_id"}),
    _p("scoring", f"/leaderboard?period={PERIOD}&group=a", *OFFICERS),
    _p("scoring", f"/leaderboard?period={PERIOD}&group=a&commune={{commune}}", STAFF),
    _p("scoring", f"/index/provinces/37?period={PERIOD}", STAFF),
    _p("scoring", "/index/settings", STAFF),
    # awards
    _p("awards", "/catalogue", *OFFICERS),
    _p("awards", "/rules", *OFFICERS),
    _p("awards", "/letterhead", *OFFICERS),
    _p(
        "awards",
        f"/candidates?period={PERIOD}",
        *OFFICERS,
        collects={"candidate_id": "id"},
    ),
    _p("awards", f"/candidates?period={PERIOD}&commune={{commune}}", STAFF),
    _p("awards", f"/sessions?period={PERIOD}", *OFFICERS, COUNCIL, CHAIR, collects={"session_id": "id"}),
    _p("awards", f"/sessions?period={PERIOD}&commune={{commune}}", STAFF),
    # every period's first: a small commune may have decided nothing in the period measured (Tam Điệp's one award of
    # 2026 is the province's Bằng khen), so its decision's item is read with an id of another year; the period's list
    # then gives its own id where it has one
    _p("awards", "/decisions", *OFFICERS, CHAIR, collects={"decision_id": "id"}),
    _p("awards", f"/decisions?period={PERIOD}", *OFFICERS, CHAIR, collects={"decision_id": "id"}),
    _p("awards", f"/decisions?period={PERIOD}&commune={{commune}}", STAFF),
    _p("awards", f"/proposals?period={PERIOD}", *OFFICERS, CHAIR, STAFF, collects={"proposal_id": "id"}),
    _p("awards", "/history", *OFFICERS, SUBMITTER),
    _p("awards", "/history?commune={commune}", STAFF),
    _p("awards", "/history?{entrant_ids}", *OFFICERS, SUBMITTER),  # a page of the portal's results, at once
    _p("awards", "/showcase", *OFFICERS, STAFF),
    _p("awards", "/showcase?commune={commune}", *OFFICERS),  # the officer's publishing page reads its own
    # notifications
    _p("notifications", "/inbox", *OFFICERS, SUBMITTER, COUNCIL, CHAIR, STAFF),
    _p("notifications", "/inbox/unread-count", *OFFICERS, SUBMITTER, STAFF),
    _p("notifications", "/preferences", *OFFICERS, SUBMITTER),
    _p("notifications", "/templates", *OFFICERS, collects={"kind": "kind"}),
    _p("notifications", "/deliveries", *OFFICERS),
    # rollups
    _p("rollups", f"/rollups/provinces/37?period={PERIOD}", STAFF),
    _p("rollups", f"/rollups/communes/{{commune}}?period={PERIOD}", *OFFICERS, STAFF),
    _p("rollups", f"/rollups/communes/{{commune}}/entrants?period={PERIOD}", *OFFICERS, STAFF),
)
ITEMS = (
    _i("submissions", "/campaign-templates/{template_id}", STAFF),
    _i("submissions", "/campaigns/{campaign_id}", *OFFICERS),
    _i("submissions", f"/campaigns/{{campaign_id}}/criteria-sets?period={PERIOD}", *OFFICERS),
    _i("submissions", "/entrants/{entrant_id}", *OFFICERS),
    _i("submissions", "/registrations/{registration_id}", *OFFICERS),
    _i("submissions", "/submissions/{submission_id}", *OFFICERS, SUBMITTER),
    _i("submissions", "/submissions/{submission_id}/audit", *OFFICERS),
    _i("scoring", "/scores/{submission_id}", *OFFICERS, SUBMITTER),
    _i("awards", "/candidates/{candidate_id}", *OFFICERS),
    _i("awards", "/sessions/{session_id}", *OFFICERS, COUNCIL),
    _i("awards", "/decisions/{decision_id}", *OFFICERS, CHAIR),
    _i("awards", "/proposals/{proposal_id}", *OFFICERS, CHAIR),
    _i("awards", "/proposals/{proposal_id}/dossier", *OFFICERS, CHAIR),
    _i("notifications", "/templates/{kind}", *OFFICERS),
)
# Pages and files left out of the page timings: files are documents rendered or streamed (PDF, xlsx), not pages;
# report jobs exist only once someone asks for a report.
NOT_PAGES = re.compile(r"\.pdf$|\.xlsx$|\.\{extension\}$|import-template$|/files/|\{job_id\}|/new$|/publish$")
PAGE_PARAMS = {"dossier_id": "submission_id"}  # the portal's name for an id -> the services'


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def p(self, percent: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(percent / 100 * len(ordered)) - 1))]


@dataclass
class Reading:
    """Timings of one (probe, person), in milliseconds."""

    kind: Kind
    name: str
    person: str
    p50_ms: float
    p95_ms: float
    n: int
    failed: str | None = None


def reading_of(kind: Kind, name: str, person: str, taken: Sample) -> Reading:
    failed = taken.failures[0] if taken.failures else None
    return Reading(kind, name, person, 1000 * taken.p(50), 1000 * taken.p(95), len(taken.seconds), failed)


@dataclass(frozen=True)
class Target:
    """One reading to time: a GET of `url` as `person` (their token from `bearer`, or their portal session)."""

    kind: Kind
    name: str
    person: str
    client: httpx.Client
    url: str
    bearer: BearerTokens | None = None

    @property
    def headers(self) -> dict[str, str]:
        return self.bearer.header(self.person) if self.bearer is not None else {}


@dataclass
class BearerTokens:
    """Each person's access token, fetched again a minute before it expires: the realm's tokens live 5 minutes
    (deploy/keycloak), and reading every endpoint 150 times takes longer, so a token held from the start would turn
    every later request into a 401 (a run at size once failed every API reading so)."""

    fetch: Callable[[str], Tokens]
    margin_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    held: dict[str, tuple[str, float]] = field(default_factory=dict)  # person: (token, fetch again at)

    def header(self, person: str) -> dict[str, str]:
        token, renew_at = self.held.get(person, ("", -math.inf))
        if self.clock() >= renew_at:
            fresh = self.fetch(person)
            token, renew_at = fresh.access_token, self.clock() + max(fresh.expires_in - self.margin_s, 1.0)
            self.held[person] = (token, renew_at)
        return {"Authorization": f"Bearer {token}"}


def timed_in_rounds(targets: list[Target | Reading], *, requests: int, budget_s: float) -> list[Reading]:
    """Each target read once a round, `requests` rounds, so that a stall of the stack (a garbage collection, a
    journal flush, a consumer's batch) costs one sample of each reading it meets rather than several samples of one
    reading. A target stops being read at its first failure, or once it has spent `budget_s` (never before 3
    requests), so that a read that takes seconds does not hold the benchmark for hours. Readings already decided
    (`Reading`: no id to read) pass through; the order is kept."""
    taken = {i: Sample() for i, t in enumerate(targets) if isinstance(t, Target)}
    for _ in range(requests):
        for i, sampled in taken.items():
            target = targets[i]
            assert isinstance(target, Target)
            if sampled.failures or (len(sampled.seconds) >= 3 and sum(sampled.seconds) > budget_s):
                continue
            headers = target.headers  # a token fetched again, if due, before the clock starts
            started = time.perf_counter()
            try:
                answer = target.client.get(target.url, headers=headers)
            except httpx.HTTPError as error:  # a timeout or a dropped connection is a failed reading, not the end
                sampled.seconds.append(time.perf_counter() - started)
                sampled.failures.append(f"{type(error).__name__} {error}")
                continue
            sampled.seconds.append(time.perf_counter() - started)
            if answer.status_code != 200:
                sampled.failures.append(f"{answer.status_code} {answer.text[:160]}")
    return [
        reading_of(t.kind, t.name, t.person, taken[i]) if isinstance(t, Target) else t for i, t in enumerate(targets)
    ]


def items_of(body: Any) -> list[dict[str, Any]]:
    """The items of a list answer: a page (`items`), a bare list, or the first list of items a document holds."""
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    if isinstance(body, dict):
        if isinstance(body.get("items"), list):
            return items_of(body["items"])
        for value in body.values():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                return items_of(value)
    return []


def first_item(body: Any) -> dict[str, Any] | None:
    items = items_of(body)
    return items[0] if items else None


def gathered(items: list[dict[str, Any]], name: str, dotted: str) -> str | None:
    """The query string naming the distinct ids of the first `BATCH` items, or None when none has one."""
    ids = dict.fromkeys(str(v) for item in items[:BATCH] if (v := field_of(item, dotted)) is not None)
    return urlencode([(name, value) for value in ids]) or None


def field_of(item: dict[str, Any], dotted: str) -> Any:
    value: Any = item
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def resolved(path: str, ids: dict[str, str]) -> str | None:
    names = re.findall(r"\{([^}]+)\}", path)
    if any(name not in ids for name in names):
        return None
    for name in names:
        path = path.replace(f"{{{name}}}", ids[name])
    return path


def targets_of(
    probes: Iterable[Probe], client: httpx.Client, tokens: BearerTokens, ids: dict[str, dict[str, str]]
) -> list[Target | Reading]:
    """Each probe as each of its people, as a target to time; lists are read once here to collect the ids that items
    then use (which warms each read up, too). A probe whose ids no list gave is a failed reading."""
    out: list[Target | Reading] = []
    for probe in probes:
        for person in probe.people:
            known = ids.setdefault(person, {"commune": COMMUNE_OF.get(person.split(".")[0], "")})
            path = resolved(probe.path, known)
            if path is None:
                out.append(Reading(probe.kind, probe.name, person, 0, 0, 0, "no id to read"))
                continue
            if probe.kind == "list":
                path = f"{path}{'&' if '?' in path else '?'}{PAGE}"
            target = Target(
                probe.kind,
                probe.name,
                person,
                client,
                f"{SERVICE_URLS[probe.service]}{path}",
                tokens,
            )
            out.append(target)
            try:
                answer = client.get(target.url, headers=target.headers)
                body = answer.json() if answer.status_code == 200 else None
            except (httpx.HTTPError, ValueError):
                continue
            item = first_item(body) or (body if isinstance(body, dict) else {})
            for param, key in probe.collects:
                value = field_of(item, key)
                if value is not None:
                    known[param] = str(value)
            for param, (name, key) in probe.gathers:
                if (query := gathered(items_of(body), name, key)) is not None:
                    known[param] = query
    return out


def page_paths(
    routes: Iterable[tuple[str, frozenset[str] | None]], person_roles: dict[str, set[str]]
) -> list[tuple[str, str]]:
    """(person, page path) for every GET page of the portal and one person of each role it is for."""
    out: list[tuple[str, str]] = []
    for path, roles in routes:
        if NOT_PAGES.search(path):
            continue
        for person, theirs in person_roles.items():
            if roles is None or theirs & roles:
                out.append((person, path))
    return out


def page_targets(
    sessions: dict[str, httpx.Client], pages: list[tuple[str, str]], ids: dict[str, dict[str, str]], *, portal: str
) -> list[Target | Reading]:
    """Each page as its person, with the ids that person's lists gave; each is read once here (a warm-up)."""
    out: list[Target | Reading] = []
    for person, template in pages:
        known = {**ids.get(person, {})}
        for page_name, api_name in PAGE_PARAMS.items():
            if api_name in known:
                known[page_name] = known[api_name]
        path = resolved(template, known)
        query = f"?period={PERIOD}" if "{" not in template else ""
        if path is None:
            out.append(Reading("page", template, person, 0, 0, 0, "no id to read"))
            continue
        target = Target("page", template, person, sessions[person], f"{portal}{path}{query}")
        out.append(target)
        try:
            target.client.get(target.url)
        except httpx.HTTPError:
            continue
    return out
