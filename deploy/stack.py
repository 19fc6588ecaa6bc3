"""Starts, stops and inspects the local platform: Kafka, the database, Keycloak, a mail sink and the services (API,
worker). The database is thidua-docstore (docs/adr/0016), or FerretDB with `THIDUA_EMBEDDED_DB=ferretdb`.

Installs pinned versions into the download cache on first use (each component's install.sh), binds everything to
127.0.0.1, keeps data and logs in the git-ignored `.stack/` folder, and waits on health checks, never on sleeps.
Run through `deploy/stack`, which prepares the Python environment first.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import smtplib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("THIDUA_STACK_DIR", ROOT / ".stack"))
DATA, LOGS, PIDS = STATE / "data", STATE / "logs", STATE / "run"
VENV_BIN = ROOT / ".venv" / "bin"

# The MongoDB-wire server of the local stack: thidua-docstore by default, FerretDB 1.24 (SQLite) to compare with
EMBEDDED_DB = os.environ.get("THIDUA_EMBEDDED_DB", "docstore")
DATABASE_ADDR = os.environ.get("THIDUA_DATABASE_ADDR", "127.0.0.1:27027")
DATABASE_HEALTH = os.environ.get("THIDUA_DATABASE_HEALTH_ADDR", "127.0.0.1:27028")
DATABASE_ENGINES = ("docstore", "ferretdb")
KAFKA_PORT = os.environ.get("THIDUA_KAFKA_PORT", "19092")
KEYCLOAK_PORT = os.environ.get("THIDUA_KEYCLOAK_PORT", "18080")
KEYCLOAK_MGMT_PORT = os.environ.get("THIDUA_KEYCLOAK_MGMT_PORT", "19000")
SMTP_PORT = os.environ.get("THIDUA_SMTP_PORT", "18025")
MAILDIR = Path(os.environ.get("THIDUA_MAILDIR", STATE / "mail"))
TRACE_PORT = os.environ.get("THIDUA_TRACE_PORT", "18318")
TRACE_DIR = Path(os.environ.get("THIDUA_TRACE_DIR", STATE / "traces"))

SERVICES = {"submissions": 8101, "scoring": 8102, "awards": 8103, "notifications": 8104, "rollups": 8105}
WORKER_PORT_OFFSET = 10
PORTAL_PORT = int(os.environ.get("THIDUA_PORTAL_PORT", "8100"))


def platform_env() -> dict[str, str]:
    """What every service process is told about the infrastructure."""
    return {
        "THIDUA_MONGO_URL": f"mongodb://{DATABASE_ADDR}/",
        "THIDUA_KAFKA_BOOTSTRAP": f"127.0.0.1:{KAFKA_PORT}",
        "THIDUA_OIDC_ISSUER": f"http://127.0.0.1:{KEYCLOAK_PORT}/realms/thidua",
        "THIDUA_SMTP_HOST": "127.0.0.1",
        "THIDUA_SMTP_PORT": SMTP_PORT,
        # the services' confidential client: dev/CI-only secret, the same as in deploy/keycloak/realm/
        "THIDUA_DIRECTORY_CLIENT_SECRET": "thidua-services-dev-secret",
        # the client that reads units' names (view-organizations only; awards and rollups): dev/CI-only secret too
        "THIDUA_UNITS_CLIENT_SECRET": "thidua-units-dev-secret",
        # every span to the local trace sink, exported each second (tests read whole traces soon after a request)
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{TRACE_PORT}",
        "OTEL_BSP_SCHEDULE_DELAY": "1000",
    }


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def kafka_ready() -> bool:
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    try:
        AdminClient({"bootstrap.servers": f"127.0.0.1:{KAFKA_PORT}", "log_level": 0}).list_topics(timeout=2)
    except KafkaException:
        return False
    return True


def smtp_ready() -> bool:
    try:
        with smtplib.SMTP("127.0.0.1", int(SMTP_PORT), local_hostname="localhost", timeout=2) as smtp:
            return smtp.noop()[0] == 250
    except OSError:  # smtplib.SMTPException included
        return False


@dataclass
class Component:
    name: str
    command: list[str]
    ready: Callable[[], bool]
    where: str
    timeout_seconds: float = 120.0
    env: dict[str, str] = field(default_factory=dict)

    @property
    def pid_file(self) -> Path:
        return PIDS / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return LOGS / f"{self.name}.log"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text())
        except (FileNotFoundError, ValueError):
            return None
        return pid if alive(pid) else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def engine() -> str:
    if EMBEDDED_DB not in DATABASE_ENGINES:
        raise SystemExit(f"THIDUA_EMBEDDED_DB={EMBEDDED_DB!r}: expected one of {', '.join(DATABASE_ENGINES)}")
    return EMBEDDED_DB


def infrastructure() -> list[Component]:
    return [
        Component(
            "database",
            ["bash", str(ROOT / f"deploy/{engine()}/run.sh")],
            lambda: http_ok(f"http://{DATABASE_HEALTH}/health/ready"),
            f"mongodb://{DATABASE_ADDR}/ ({engine()})",
            timeout_seconds=300,  # the docstore reads its journal back into memory first
            env={
                "THIDUA_DOCSTORE_ADDR": DATABASE_ADDR,
                "THIDUA_DOCSTORE_HEALTH_ADDR": DATABASE_HEALTH,
                "THIDUA_FERRETDB_ADDR": DATABASE_ADDR,
                "THIDUA_FERRETDB_HEALTH_ADDR": DATABASE_HEALTH,
            },
        ),
        Component(
            "kafka",
            ["bash", str(ROOT / "deploy/kafka/run.sh")],
            kafka_ready,
            f"127.0.0.1:{KAFKA_PORT}",
            timeout_seconds=120,
        ),
        Component(
            "keycloak",
            ["bash", str(ROOT / "deploy/keycloak/run.sh")],
            lambda: http_ok(f"http://127.0.0.1:{KEYCLOAK_MGMT_PORT}/health/ready"),
            f"http://127.0.0.1:{KEYCLOAK_PORT}/admin/ (realm thidua)",
            timeout_seconds=300,
        ),
        Component(
            "mail",
            [str(VENV_BIN / "python"), str(ROOT / "deploy/mail/sink.py")],
            smtp_ready,
            f"smtp://127.0.0.1:{SMTP_PORT} (Maildir {os.path.relpath(MAILDIR, ROOT)})",
            timeout_seconds=30,
            env={"THIDUA_SMTP_PORT": SMTP_PORT, "THIDUA_MAILDIR": str(MAILDIR)},
        ),
        Component(
            "traces",
            [str(VENV_BIN / "python"), str(ROOT / "deploy/traces/sink.py")],
            lambda: http_ok(f"http://127.0.0.1:{TRACE_PORT}/health"),
            f"http://127.0.0.1:{TRACE_PORT}/v1/traces (spans in {os.path.relpath(TRACE_DIR, ROOT)}/spans.jsonl)",
            timeout_seconds=30,
            env={"THIDUA_TRACE_PORT": TRACE_PORT, "THIDUA_TRACE_DIR": str(TRACE_DIR)},
        ),
    ]


def health_check(url: str) -> Callable[[], bool]:
    return lambda: http_ok(url)


def services() -> list[Component]:
    components = []
    for service, api_port in SERVICES.items():
        worker_port = api_port + WORKER_PORT_OFFSET
        env = {**platform_env(), "THIDUA_API_PORT": str(api_port), "THIDUA_WORKER_PORT": str(worker_port)}
        for kind, port, where in (
            ("api", api_port, f"http://127.0.0.1:{api_port}/docs"),
            ("worker", worker_port, f"http://127.0.0.1:{worker_port}/health/ready"),
        ):
            components.append(
                Component(
                    f"{service}-{kind}",
                    [str(VENV_BIN / f"thidua-{service}-{kind}")],
                    health_check(f"http://127.0.0.1:{port}/health/ready"),
                    where,
                    env=env,
                )
            )
    components.append(
        Component(
            "portal",
            [str(VENV_BIN / "thidua-portal")],
            health_check(f"http://127.0.0.1:{PORTAL_PORT}/health/ready"),
            f"http://127.0.0.1:{PORTAL_PORT}/ (the web portal; demo users in the README)",
            env={
                **platform_env(),
                "THIDUA_API_PORT": str(PORTAL_PORT),
                "THIDUA_PUBLIC_URL": f"http://127.0.0.1:{PORTAL_PORT}",
                # the portal's confidential client: dev/CI-only secret, the same as in deploy/keycloak/realm/
                "THIDUA_OIDC_CLIENT_SECRET": "thidua-portal-dev-secret",
            },
        )
    )
    return components


def everything() -> list[Component]:
    return infrastructure() + services()


def run_installs() -> None:
    scripts = [ROOT / "deploy" / name / "install.sh" for name in (engine(), "kafka", "keycloak")]
    env = {**os.environ, "THIDUA_CACHE": os.environ.get("THIDUA_CACHE", str(Path.home() / ".cache/thidua"))}

    def install(script: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
        return script, subprocess.run(["bash", str(script)], capture_output=True, text=True, env=env, check=False)

    with ThreadPoolExecutor(len(scripts)) as pool:
        for script, result in pool.map(install, scripts):
            sys.stdout.write(result.stdout)
            if result.returncode != 0:
                sys.stderr.write(result.stderr[-4000:])
                raise SystemExit(f"install failed: {script.relative_to(ROOT)}")


def start(component: Component) -> None:
    if component.pid() is not None:
        return
    LOGS.mkdir(parents=True, exist_ok=True)
    PIDS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "THIDUA_DATA": str(DATA), **component.env}
    with component.log_file.open("ab") as log:
        process = subprocess.Popen(
            component.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
    component.pid_file.write_text(str(process.pid))


def await_ready(component: Component) -> float:
    started = time.monotonic()
    deadline = started + component.timeout_seconds
    while time.monotonic() < deadline:
        alive_now = component.pid() is not None
        if alive_now and component.ready():
            return time.monotonic() - started
        if not alive_now:  # includes a port already held by another process: its server would answer, not ours
            raise SystemExit(
                f"{component.name} exited during start-up; see {component.log_file}:\n" + tail(component.log_file)
            )
        time.sleep(0.25)
    raise SystemExit(
        f"{component.name} not ready after {component.timeout_seconds:.0f}s; see {component.log_file}:\n"
        + tail(component.log_file)
    )


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def start_all(components: list[Component]) -> None:
    for component in components:
        start(component)
    with ThreadPoolExecutor(len(components)) as pool:
        for component, seconds in zip(components, pool.map(await_ready, components), strict=True):
            print(f"  {component.name:<22} ready in {seconds:5.1f}s  {component.where}")


def up(demo: bool) -> None:
    began = time.monotonic()
    run_installs()
    print(f"installed in {time.monotonic() - began:.1f}s")
    phase = time.monotonic()
    start_all(infrastructure())
    print(f"infrastructure ready in {time.monotonic() - phase:.1f}s")
    phase = time.monotonic()
    start_all(services())
    print(f"services ready in {time.monotonic() - phase:.1f}s")
    print(f"platform up in {time.monotonic() - began:.1f}s (logs in {LOGS.relative_to(ROOT)}/)")
    if demo:
        subprocess.run(
            [str(VENV_BIN / "python"), str(ROOT / "deploy/demo.py")], check=True, env={**os.environ, **platform_env()}
        )
    print(GUIDE.format(keycloak=KEYCLOAK_PORT, smtp=SMTP_PORT, maildir=os.path.relpath(MAILDIR, ROOT)))


def process_group_rss_kib(pid: int) -> int:
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ")[1].split()
            if int(fields[2]) == pid:  # process group id
                status = (stat.parent / "status").read_text()
                total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
        except (FileNotFoundError, IndexError, ValueError, StopIteration):
            continue
    return total


def status(as_json: bool) -> int:
    rows = []
    for component in everything():
        pid = component.pid()
        rows.append(
            {
                "name": component.name,
                "pid": pid,
                "ready": bool(pid and component.ready()),
                "rss_mib": round(process_group_rss_kib(pid) / 1024, 1) if pid else None,
                "where": component.where,
            }
        )
    if as_json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            state = "ready" if row["ready"] else ("starting" if row["pid"] else "stopped")
            rss = f"{row['rss_mib']:>7} MiB" if row["rss_mib"] is not None else " " * 11
            print(f"  {row['name']:<22} {state:<9} {rss}  {row['where']}")
    return 0 if all(row["ready"] for row in rows) else 1


def down() -> None:
    for component in reversed(everything()):
        pid = component.pid()
        if pid is None:
            component.pid_file.unlink(missing_ok=True)
            continue
        stop_process_group(pid)
        component.pid_file.unlink(missing_ok=True)
        print(f"  {component.name:<22} stopped")


def stop_process_group(pid: int, grace_seconds: float = 30.0) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.1)
    if alive(pid):
        os.killpg(pid, signal.SIGKILL)


GUIDE = """
Try it:
  token=$(.venv/bin/python -m thidua_platform.client token lm.officer)   # demo users: see README
  curl -s -H "Authorization: Bearer $token" http://127.0.0.1:8101/submissions | python3 -m json.tool
APIs: submissions :8101  scoring :8102  awards :8103  notifications :8104  rollups :8105  (each has /docs)
Keycloak admin console: http://127.0.0.1:{keycloak}/admin/  (admin password in .stack/data/keycloak/)
Mail sink: smtp://127.0.0.1:{smtp}, every e-mail sent is kept in the Maildir {maildir}/  (tests: tests/e2e/mailbox.py)
Stop: deploy/stack down
"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="deploy/stack", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    up_parser = commands.add_parser("up", help="install what is missing, start everything, wait until ready")
    up_parser.add_argument("--demo", action="store_true", help="also load demo submissions")
    commands.add_parser("down", help="stop everything this stack started")
    status_parser = commands.add_parser("status", help="health and resident memory of every process")
    status_parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.command in (None, "up"):
        up(demo=getattr(args, "demo", False))
    elif args.command == "down":
        down()
    else:
        raise SystemExit(status(args.json))


if __name__ == "__main__":
    main()
