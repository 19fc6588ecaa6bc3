"""The portal's pages: how long each takes to answer (rendering and the API calls behind it), alone and under
concurrent readers, against the services' own answer for the same data; and the portal process's memory. Prints
figures; asserts nothing.

Run with the stack up (`deploy/stack up --demo`):

    .venv/bin/python -m benchmarks.portal                     # 40 requests a page, then 8 readers for 20 s
    .venv/bin/python -m benchmarks.portal --requests 100 --readers 16 --seconds 30

Logs in the way a browser does (Keycloak's login form, username then password), with httpx; the session cookie is
then used for every request. "API alone" is the same data read straight from the service with the person's token,
so the difference is what the portal adds (its session lookup, the calls it makes, rendering).
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from thidua_platform.client import DEMO_PASSWORD, SERVICE_URLS, password_token

PORTAL = "http://127.0.0.1:8100"
STACK = Path(__file__).resolve().parents[1] / ".stack"
PAGES = {  # person → pages they use most, with the API read that carries the same data
    "lm.submitter": [("/submitter/dossiers?period=2026", "submissions", "/submissions?period=2026&page_size=20")],
    "lm.officer": [
        ("/officer/dossiers?period=2026", "submissions", "/submissions?period=2026&page_size=50"),
        ("/officer/sessions?period=2026", "awards", "/candidates?period=2026&page_size=200"),
    ],
    "nb.staff": [("/province/dashboard?period=2026", "rollups", "/rollups/provinces/37?period=2026&page_size=20")],
}


def logged_in(username: str, password: str = DEMO_PASSWORD) -> httpx.Client:
    """A portal session through Keycloak's own login pages (the code flow with PKCE, as a browser does it)."""
    client = httpx.Client(follow_redirects=True, timeout=30)
    page = client.get(f"{PORTAL}/auth/login")
    for field in ({"username": username}, {"username": username, "password": password}):
        action = re.search(r'<form[^>]+action="([^"]+)"', page.text)
        assert action, "Keycloak's login form"
        for cookie in client.cookies.jar:  # Keycloak's are Secure; browsers send them to 127.0.0.1 over http, httpx not
            cookie.secure = False
        page = client.post(html.unescape(action.group(1)), data=field)
        if str(page.url).startswith(PORTAL):
            break
    assert str(page.url).startswith(PORTAL), page.text[:300]
    assert "thidua_session" in client.cookies, page.text[:300]
    return client


@dataclass
class Timing:
    seconds: list[float]

    def line(self) -> str:
        ordered = sorted(self.seconds)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return f"p50 {statistics.median(ordered) * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms (n={len(ordered)})"


def timed(get: httpx.Client, url: str, n: int, headers: dict[str, str] | None = None) -> Timing:
    seconds = []
    for _ in range(n):
        began = time.perf_counter()
        answer = get.get(url, headers=headers)
        seconds.append(time.perf_counter() - began)
        assert answer.status_code == 200, (url, answer.status_code)
    return Timing(seconds)


def rss_mib() -> float:
    pid = int((STACK / "run" / "portal.pid").read_text())
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def readers(clients: list[httpx.Client], url: str, seconds: float) -> tuple[int, Timing]:
    done: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def read(client: httpx.Client) -> None:
        while time.monotonic() < stop:
            began = time.perf_counter()
            client.get(url)
            with lock:
                done.append(time.perf_counter() - began)

    threads = [threading.Thread(target=read, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(done), Timing(done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="sequential requests per page")
    parser.add_argument("--readers", type=int, default=8, help="concurrent readers of the dashboard")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()

    print(f"portal resident memory at start: {rss_mib():.0f} MiB")
    sessions = {}
    for username in PAGES:  # one login at a time: Keycloak locks out a user logging in many times at once
        sessions[username] = logged_in(username)
    for username, pages in PAGES.items():
        token = password_token(username).access_token
        with httpx.Client(timeout=30) as api:
            for path, service, api_path in pages:
                portal = timed(sessions[username], f"{PORTAL}{path}", args.requests)
                alone = timed(
                    api, f"{SERVICE_URLS[service]}{api_path}", args.requests, {"Authorization": f"Bearer {token}"}
                )
                ratio = statistics.median(portal.seconds) / statistics.median(alone.seconds)
                print(f"{username:13} {path:34} portal {portal.line()}; API alone {alone.line()}; ×{ratio:.1f}")
    dashboard = f"{PORTAL}{PAGES['nb.staff'][0][0]}"
    clients = [sessions["nb.staff"]] + [logged_in("nb.staff") for _ in range(args.readers - 1)]
    count, timing = readers(clients, dashboard, args.seconds)
    print(
        f"{args.readers} concurrent readers of the province dashboard for {args.seconds:.0f} s: "
        f"{count / args.seconds:.1f} pages/s, {timing.line()}"
    )
    print(f"portal resident memory after: {rss_mib():.0f} MiB")
    for client in [*sessions.values(), *clients[1:]]:
        client.close()


if __name__ == "__main__":
    main()
