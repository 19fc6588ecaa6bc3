"""The deployment files checked offline: there is no Docker engine and no cluster on the machines that build thidua.

- `deploy/compose.yaml` against the Compose specification's JSON schema (compose-go's);
- `deploy/k8s` rendered by kustomize, each object against the Kubernetes API's OpenAPI v3 schemas (k8s.io/kubernetes)
  or KEDA's CRD, made strict (an unknown field is an error, as `kubectl apply --validate=strict` would say);
- both, and the one Dockerfile (deploy/images/Dockerfile, built with SERVICE=<name>) for every service, against the
  code: entry points that exist, settings that exist, ports and probes that match, references that resolve.
What this cannot show (an image that builds, a pod that starts) is written down in docs/deploy.md.
The tools and schemas come from deploy/manifests/install.sh (run by scripts/test).
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shlex
import subprocess
import tomllib
import zipfile
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
import pytest
import yaml
from pydantic_settings import BaseSettings

from awards.settings import AwardsSettings
from notifications.settings import NotificationsSettings
from portal.settings import PortalSettings
from rollups.settings import RollupsSettings
from scoring.settings import ScoringSettings
from submissions.settings import SubmissionsSettings
from thidua_platform.kafka import ensure_topics

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("THIDUA_CACHE", Path.home() / ".cache" / "thidua"))
CHECK = CACHE / "deploy-check"
KUSTOMIZE = CACHE / "bin" / "kustomize-5.8.2"
SETTINGS: dict[str, type[BaseSettings]] = {
    "submissions": SubmissionsSettings,
    "scoring": ScoringSettings,
    "awards": AwardsSettings,
    "notifications": NotificationsSettings,
    "rollups": RollupsSettings,
}
PORTAL_SETTINGS = PortalSettings  # the web portal: one process (no worker), on the five services' APIs
CONSUMER_GROUPS = {"scoring", "awards", "notifications", "rollups"}  # the submissions worker only relays its outbox
API_PORT, WORKER_PORT = 8000, 8001  # what the images set (THIDUA_API_PORT, THIDUA_WORKER_PORT)
DOCKERFILE = ROOT / "deploy" / "images" / "Dockerfile"  # every image: --build-arg SERVICE=<name>
BUILD_ARG = "SERVICE"
IMAGES = (*sorted(SETTINGS), "portal")  # one image per directory of services/
PORTAL_PACKAGE_DATA = ("templates", "static")  # read from the installed package at run time
Document = dict[str, Any]


@pytest.fixture(scope="module", autouse=True)
def tools_installed() -> None:
    if not (KUSTOMIZE.exists() and (CHECK / "kubernetes").exists()):
        pytest.fail("needs the offline deployment checkers: deploy/manifests/install.sh")


# --- what the code says --------------------------------------------------------------------------------------------


def entry_points(service: str) -> set[str]:
    project = tomllib.loads((ROOT / "services" / service / "pyproject.toml").read_text())
    return set(project["project"]["scripts"])


def setting_names(service: str) -> set[str]:
    settings = PORTAL_SETTINGS if service == "portal" else SETTINGS[service]
    return {f"THIDUA_{name.upper()}" for name in settings.model_fields}


def unknown_settings(service: str, names: set[str]) -> set[str]:
    return {name for name in names if name.startswith("THIDUA_")} - setting_names(service)


# --- the Dockerfile --------------------------------------------------------------------------------------------------

ANY_SERVICE = re.compile(r"\$\{SERVICE\}|\$SERVICE\b")  # the build argument, as the builder or RUN's shell expands it
NOT_EXPANDED = ("CMD", "ENTRYPOINT")  # exec form: the builder leaves these alone, and no ARG reaches the container


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", dockerfile.read_text())
    lines = [line.strip() for line in joined.splitlines()]
    return [(line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1]) for line in lines if line and line[0] != "#"]


def stages(steps: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The instructions before the first FROM, then each stage from its FROM on."""
    split: list[list[tuple[str, str]]] = [[]]
    for op, args in steps:
        if op == "FROM":
            split.append([])
        split[-1].append((op, args))
    return split


def image(service: str) -> list[tuple[str, str]]:
    """The Dockerfile's instructions as the builder runs them with `--build-arg SERVICE=<service>`. Every stage that
    uses SERVICE declares it first, without a default (ARGs do not cross stages: undeclared, it would be empty)."""
    steps = instructions(DOCKERFILE)
    for stage in stages(steps):
        declared = False
        for op, args in stage:
            if op == "ARG" and args.split("=", 1)[0] == BUILD_ARG:
                assert args == BUILD_ARG, f"ARG {args}: the service must be named, never defaulted"
                declared = True
            elif ANY_SERVICE.search(args):
                assert declared, f"{op} {args}: SERVICE used before its stage declares it"
                assert op not in NOT_EXPANDED, f"{op} {args}: SERVICE is a build argument, unset in a container"
    return [(op, args if op in NOT_EXPANDED else ANY_SERVICE.sub(service, args)) for op, args in steps]


def copies(steps: list[tuple[str, str]]) -> list[list[str]]:
    """The build context's files each COPY takes, its target last."""
    return [args.split() for op, args in steps if op == "COPY" and "--from" not in args]


def checked_image(service: str) -> list[tuple[str, str]]:
    """The service's image, after what every image must do: sync its own package from the frozen lock with every
    workspace member's manifest, copy only what exists, and run as a user other than root."""
    steps = image(service)
    syncs = [shlex.split(args) for op, args in steps if op == "RUN" and "uv sync" in args]
    assert syncs
    assert all("--frozen" in s and "--no-dev" in s and "--package" in s for s in syncs)
    assert all(s[s.index("--package") + 1] == f"thidua-{service}" for s in syncs)
    copied = copies(steps)
    for *sources, _target in copied:
        for source in sources:
            assert (ROOT / source).exists(), f"{service}: COPY {source} does not exist"
    # the lock resolves only with every workspace member's manifest present
    members = {f"{p.parent.relative_to(ROOT)}/pyproject.toml" for p in ROOT.glob("services/*/pyproject.toml")}
    members |= {f"{p.parent.relative_to(ROOT)}/pyproject.toml" for p in ROOT.glob("libs/*/pyproject.toml")}
    assert {*members, "uv.lock"} <= {s for *sources, _ in copied for s in sources}
    # ...and those manifests before the service's sources: a change to the code keeps the dependency layer
    first_sync = next(i for i, (op, args) in enumerate(steps) if op == "RUN" and "uv sync" in args)
    assert f"services/{service}" in {s for *sources, _ in copies(steps[first_sync:]) for s in sources}
    assert f"services/{service}" not in {s for *sources, _ in copies(steps[:first_sync]) for s in sources}
    assert any(op == "USER" and args not in ("root", "0") for op, args in stages(steps)[-1])
    return steps


def image_env(steps: list[tuple[str, str]]) -> dict[str, str]:
    """The environment the final stage sets (ENV key=value ...)."""
    pairs = [word.split("=", 1) for op, args in stages(steps)[-1] if op == "ENV" for word in shlex.split(args)]
    assert all(len(pair) == 2 for pair in pairs), "ENV key=value, never the legacy `ENV key value`"
    return dict(pairs)


def exposed(steps: list[tuple[str, str]]) -> list[int]:
    return [int(port) for op, args in stages(steps)[-1] if op == "EXPOSE" for port in args.split()]


def default_command(service: str, tmp_path: Path) -> tuple[str, bool]:
    """Run the image's default command as a container would, with its environment and a stand-in for each of the
    service's entry points on PATH: which one it starts, and whether it is the process the container started (exec'd,
    hence PID 1 in the container, receiving SIGTERM itself)."""
    steps = image(service)
    assert not [op for op, _ in steps if op == "ENTRYPOINT"], "a command given to a container (a worker's) replaces CMD"
    (command,) = [json.loads(args) for op, args in stages(steps)[-1] if op == "CMD"]  # exec form
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    for name in entry_points(service):
        (stand_ins / name).write_text('#!/bin/sh\necho "${0##*/} $$"\n')
        (stand_ins / name).chmod(0o755)
    env = {**image_env(steps), "PATH": f"{stand_ins}:/usr/bin:/bin"}
    started = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    out, _ = started.communicate(timeout=30)
    assert started.returncode == 0, f"{service}: {command} starts none of {sorted(entry_points(service))}"
    name, pid = out.split()
    return name, int(pid) == started.pid


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_each_service_image_is_built_from_the_frozen_lock_and_runs_its_own_entry_point(
    service: str, tmp_path: Path
) -> None:
    steps = checked_image(service)
    assert default_command(service, tmp_path) == (f"thidua-{service}-api", True)
    env = image_env(steps)
    assert env["THIDUA_API_PORT"] == str(API_PORT)
    assert env["THIDUA_WORKER_PORT"] == str(WORKER_PORT)
    assert exposed(steps) == [API_PORT, WORKER_PORT]


def test_the_portal_image_is_built_from_the_frozen_lock_and_runs_the_portal_alone(tmp_path: Path) -> None:
    steps = checked_image("portal")
    assert default_command("portal", tmp_path) == ("thidua-portal", True)
    assert image_env(steps)["THIDUA_API_PORT"] == str(API_PORT)
    assert API_PORT in exposed(steps)
    # one process, no worker: the worker's settings and port, which the one Dockerfile gives every image, go unused
    assert entry_points("portal") == {"thidua-portal"}


def test_the_images_that_render_documents_have_their_fonts() -> None:
    """awards and rollups set their PDFs in DejaVu Sans, found at THIDUA_FONT_DIR (checked when they start)."""
    rendering = sorted(s for s, settings in SETTINGS.items() if "fonts" in settings.model_fields)
    assert rendering
    for service in rendering:
        steps = stages(checked_image(service))[-1]
        assert any(op == "RUN" and "fonts-dejavu-core" in shlex.split(args) for op, args in steps)
        assert image_env(steps)["THIDUA_FONT_DIR"] == "/usr/share/fonts/truetype/dejavu"  # where Debian puts them


def is_a_dockerfile(name: str) -> bool:
    """Dockerfile, Containerfile, Dockerfile.<x>, <x>.Dockerfile (not Dockerfile.dockerignore: see below)."""
    kinds = "Dockerfile|Containerfile"
    return bool(re.fullmatch(rf"({kinds})(\..+)?|.+\.({kinds})", name)) and not name.endswith(".dockerignore")


def test_one_dockerfile_builds_every_image_and_no_service_has_its_own() -> None:
    assert {p.parent.name for p in ROOT.glob("services/*/pyproject.toml")} == set(IMAGES)
    tops = [ROOT / top for top in ("services", "libs", "ops", "deploy")]
    files = [*(path for top in tops for path in top.rglob("*")), *ROOT.iterdir()]
    found = [path.relative_to(ROOT).as_posix() for path in files if path.is_file() and is_a_dockerfile(path.name)]
    assert found == [DOCKERFILE.relative_to(ROOT).as_posix()]


def test_the_build_stops_at_once_without_a_service_or_with_an_unknown_one(tmp_path: Path) -> None:
    """The check before the first sync, run as the builder runs it: in the build stage's workdir holding what the
    stage has copied so far (the workspace's manifests), SERVICE in its environment when given."""
    (build,) = [stage for stage in stages(instructions(DOCKERFILE)) if any("uv sync" in a for _, a in stage)]
    declared = build.index(("ARG", BUILD_ARG))
    op, check = build[declared + 1]
    assert op == "RUN"
    assert "uv sync" not in check
    assert all("uv sync" not in args for _, args in build[:declared])  # nothing installed before the check
    for *sources, target in copies(build[:declared]):
        for source in sources:
            into = tmp_path / target / Path(source).name if target.endswith("/") else tmp_path / target
            into.parent.mkdir(parents=True, exist_ok=True)
            into.write_bytes((ROOT / source).read_bytes())

    def run(*service: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": "/usr/bin:/bin", **({BUILD_ARG: service[0]} if service else {})}
        return subprocess.run(["/bin/sh", "-c", check], cwd=tmp_path, env=env, capture_output=True, text=True)

    for missing in (run(), run("")):
        assert missing.returncode != 0
        assert "SERVICE is required" in missing.stderr
    for unknown in ("scorin", "../shared", "services", "."):
        refused = run(unknown)
        assert refused.returncode != 0
        assert f"SERVICE={unknown} is not a service" in refused.stderr
    for service in IMAGES:
        assert run(service).returncode == 0


def test_the_portal_wheel_holds_its_templates_and_static_files(tmp_path: Path) -> None:
    """The image installs the portal non-editable: the pages render only if the wheel carries the package data."""
    pinned = re.search(r"^UV_VERSION=(\S+)$", (ROOT / "deploy" / "python.sh").read_text(), re.M)
    assert pinned, "deploy/python.sh pins uv"
    uv_version = pinned.group(1)
    assert f"ghcr.io/astral-sh/uv:{uv_version} " in DOCKERFILE.read_text()
    uv = CACHE / f"uv-{uv_version}" / "bin" / "uv"
    subprocess.run(
        [str(uv), "build", "--offline", "--no-config", "--package", "thidua-portal", "--wheel", "-o", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = tmp_path.glob("thidua_portal-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    source = ROOT / "services" / "portal" / "src"
    data = [
        f.relative_to(source).as_posix()
        for folder in PORTAL_PACKAGE_DATA
        for f in (source / "portal" / folder).rglob("*")
        if f.is_file() and "__pycache__" not in f.parts
    ]
    assert any(name.endswith(".html") for name in data)
    assert any(name.endswith(".css") for name in data)
    assert set(data) - packaged == set()


def test_the_build_context_keeps_what_the_images_copy() -> None:
    """BuildKit reads the Dockerfile apart from the context (so deploy/, ignored, may hold it) and takes the ignore
    file beside it, <Dockerfile>.dockerignore, over the context's .dockerignore when there is one."""
    beside = DOCKERFILE.with_name(f"{DOCKERFILE.name}.dockerignore")
    ignore = beside if beside.exists() else ROOT / ".dockerignore"
    ignored = [line for line in ignore.read_text().splitlines() if line and line[0] != "#"]
    for needed in ("libs", "services", "uv.lock", "pyproject.toml"):
        assert needed not in ignored


# --- Compose ---------------------------------------------------------------------------------------------------------


@cache
def compose() -> Document:
    loaded: Document = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    return loaded


def compose_build(container: Document) -> tuple[Path, str | None]:
    """The Dockerfile a Compose service builds (resolved) and the SERVICE it passes (None if it passes none)."""
    build = container["build"]
    if isinstance(build, str):  # only a context: its Dockerfile, no arguments
        return (ROOT / "deploy" / build / "Dockerfile").resolve(), None
    args = build.get("args", {})
    if isinstance(args, list):  # ["NAME=value"]; a bare "NAME" takes the value from the shell, if any
        args = dict(arg.split("=", 1) for arg in args if "=" in arg)
    dockerfile = ROOT / "deploy" / build.get("context", ".") / build.get("dockerfile", "Dockerfile")
    service = args.get(BUILD_ARG)
    return dockerfile.resolve(), None if service is None else str(service)


def build_problems(services: dict[str, Document]) -> list[str]:
    """What is wrong with the Compose services that build an image: each must build the one Dockerfile with SERVICE
    naming a service that exists, and tag the image thidua/<that service>."""
    problems = []
    for name, container in services.items():
        if "build" not in container:
            continue
        dockerfile, service = compose_build(container)
        if dockerfile != DOCKERFILE:
            problems.append(f"{name}: builds {dockerfile}, not {DOCKERFILE.relative_to(ROOT)}")
        if service is None or service not in IMAGES or not (ROOT / "services" / service / "pyproject.toml").is_file():
            problems.append(f"{name}: SERVICE={service!r} is not a service")
        elif str(container.get("image", "")).split(":")[0] != f"thidua/{service}":
            problems.append(f"{name}: image {container.get('image')!r} built with SERVICE={service}")
    return problems


def test_compose_builds_every_image_from_the_one_dockerfile_with_a_service_that_exists() -> None:
    services = compose()["services"]
    assert build_problems(services) == []
    built = {name for name, container in services.items() if "build" in container}
    assert built == {f"{s}-{kind}" for s in SETTINGS for kind in ("api", "worker")} | {"portal"}
    # and the check does refuse a build without SERVICE, with one naming no service, of the old per-service files
    api = services["scoring-api"]
    for args in ({}, {BUILD_ARG: ""}, {BUILD_ARG: "scorin"}, {"SERVIC": "scoring"}, [BUILD_ARG], {BUILD_ARG: "awards"}):
        assert build_problems({"scoring-api": {**api, "build": {**api["build"], "args": args}}}) != []
    for build in ({**api["build"], "dockerfile": "services/scoring/Dockerfile"}, ".."):
        assert build_problems({"scoring-api": {**api, "build": build}}) != []


def test_the_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads((CHECK / "compose" / "schema" / "compose-spec.json").read_text())
    validator = jsonschema_rs.validator_for(schema)
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(compose())]
    assert errors == []


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_compose_runs_each_services_api_and_worker_from_its_image_with_settings_it_knows(service: str) -> None:
    for kind, port in (("api", API_PORT), ("worker", WORKER_PORT)):
        container = compose()["services"][f"{service}-{kind}"]
        assert compose_build(container) == (DOCKERFILE, service)
        assert DOCKERFILE.exists()
        assert container["image"].split(":")[0] == f"thidua/{service}"
        if kind == "worker":
            assert container["command"] == [f"thidua-{service}-worker"]
            assert container["command"][0] in entry_points(service)
        assert unknown_settings(service, set(container["environment"])) == set()
        assert f"127.0.0.1:{port}/health/ready" in " ".join(container["healthcheck"]["test"])
        assert set(container["depends_on"]) <= set(compose()["services"])


def local_portal_port() -> int:
    stack = (ROOT / "deploy" / "stack.py").read_text()
    found = re.search(r'^PORTAL_PORT = int\(os\.environ\.get\("THIDUA_PORTAL_PORT", "(\d+)"\)\)$', stack, re.M)
    assert found, "deploy/stack.py names the portal's port"
    return int(found.group(1))


def test_compose_runs_the_portal_from_its_image_on_the_apis_with_settings_it_knows() -> None:
    services = compose()["services"]
    container = services["portal"]
    assert compose_build(container) == (DOCKERFILE, "portal")
    assert DOCKERFILE.exists()
    assert container["image"].split(":")[0] == "thidua/portal"
    assert "command" not in container  # the image's CMD, thidua-portal
    env = container["environment"]
    assert unknown_settings("portal", set(env)) == set()
    assert f"127.0.0.1:{API_PORT}/health/ready" in " ".join(container["healthcheck"]["test"])
    assert set(container["depends_on"]) <= set(services)
    for service in SETTINGS:  # each API through its Compose service, and up before the portal
        assert env[f"THIDUA_{service.upper()}_URL"] == f"http://{service}-api:{API_PORT}"
        assert container["depends_on"][f"{service}-api"] == {"condition": "service_healthy"}
    assert env["THIDUA_PUBLIC_URL"] == f"http://127.0.0.1:{local_portal_port()}"  # the realm's redirect URIs
    assert env["THIDUA_COOKIE_SECURE"] == "false"  # plain HTTP on the host: a Secure cookie would never return
    assert env["THIDUA_OIDC_CLIENT_SECRET"]


def test_the_portal_in_compose_calls_keycloak_inside_the_network_and_checks_the_issuer_tokens_name() -> None:
    """Tokens name the issuer at the host's address (Keycloak's KC_HOSTNAME), which the portal checks; its own calls to
    the realm go to Keycloak's container."""
    services = compose()["services"]
    env = services["portal"]["environment"]
    assert env["THIDUA_OIDC_ISSUER"] == services["keycloak"]["environment"]["KC_HOSTNAME"] + "/realms/thidua"
    backchannel = urlsplit(env["THIDUA_OIDC_BACKCHANNEL_URL"])
    (published,) = services["keycloak"]["ports"]
    assert backchannel.hostname == "keycloak"
    assert backchannel.port == int(published.rsplit(":", 1)[1])
    assert backchannel.path == "/realms/thidua"


def test_compose_publishes_the_same_host_ports_as_the_local_stack() -> None:
    stack = (ROOT / "deploy" / "stack.py").read_text()  # the demo loader and the CLI use these addresses
    ports = json.loads(re.search(r"^SERVICES = (\{.*\})$", stack, re.M).group(1).replace("'", '"'))  # type: ignore[union-attr]
    for service, port in ports.items():
        assert compose()["services"][f"{service}-api"]["ports"] == [f"127.0.0.1:{port}:{API_PORT}"]
    assert compose()["services"]["portal"]["ports"] == [f"127.0.0.1:{local_portal_port()}:{API_PORT}"]


# --- Kubernetes ------------------------------------------------------------------------------------------------------


@cache
def rendered() -> tuple[Document, ...]:
    out = subprocess.run(
        [str(KUSTOMIZE), "build", str(ROOT / "deploy" / "k8s" / "base")],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return tuple(doc for doc in yaml.safe_load_all(out) if doc)


def strict(schema: Any) -> Any:
    """The schema with unknown fields refused wherever the API defines the fields (not in free-form maps)."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    made = {k: strict(v) for k, v in schema.items()}
    free_form = "additionalProperties" in made or made.get("x-kubernetes-preserve-unknown-fields")
    if "properties" in made and not free_form:
        made["additionalProperties"] = False
    return made


@cache
def kubernetes_schemas() -> dict[tuple[str, str], Any]:
    """(apiVersion, kind) -> a validator, for every kind of the API groups the manifests use."""
    found: dict[tuple[str, str], Any] = {}
    for path in (CHECK / "kubernetes" / "api" / "openapi-spec" / "v3").glob("*.json"):
        document = json.loads(path.read_text())
        components = strict(document["components"])
        for name, schema in components.get("schemas", {}).items():
            for gvk in schema.get("x-kubernetes-group-version-kind", []):
                api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                root = {"components": components, "$ref": f"#/components/schemas/{name}"}
                found.setdefault((api_version, gvk["kind"]), root)
    crd = yaml.safe_load((CHECK / "keda" / "config" / "crd" / "bases" / "keda.sh_scaledobjects.yaml").read_text())
    for version in crd["spec"]["versions"]:
        found[(f"keda.sh/{version['name']}", "ScaledObject")] = strict(version["schema"]["openAPIV3Schema"])
    return found


def kafka_trigger_fields() -> set[str]:
    """The metadata names KEDA's Kafka scaler reads (its struct tags)."""
    source = (CHECK / "keda" / "pkg" / "scalers" / "kafka_scaler.go").read_text()
    return set(re.findall(r'keda:"name=(\w+),order=triggerMetadata', source))


def of_kind(kind: str) -> dict[str, Document]:
    return {doc["metadata"]["name"]: doc for doc in rendered() if doc["kind"] == kind}


def test_every_rendered_object_is_valid_for_the_kubernetes_api_and_keda() -> None:
    schemas = kubernetes_schemas()
    problems = []
    for doc in rendered():
        schema = schemas.get((doc["apiVersion"], doc["kind"]))
        assert schema is not None, f"no schema for {doc['apiVersion']} {doc['kind']}"
        for error in jsonschema_rs.validator_for(schema).iter_errors(doc):
            problems.append(f"{doc['kind']}/{doc['metadata']['name']} {list(error.instance_path)}: {error.message}")
    assert problems == []
    # namespace, config map; per service 2 deployments, service, HPA, PDB/scaler; the portal's config map,
    # deployment, service, HPA, PDB
    assert len(rendered()) >= 2 + 5 * 5 + 5


def test_the_strict_schemas_do_refuse_a_mistyped_field() -> None:
    deployment = next(iter(of_kind("Deployment").values()))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}  # a typo, not `replicas`
    validator = jsonschema_rs.validator_for(kubernetes_schemas()[("apps/v1", "Deployment")])
    assert validator.is_valid(deployment)
    assert not validator.is_valid(broken)
    bad_probe = {**container, "readinessProbe": {"httpGet": {"path": "/health/ready", "port": [8000]}}}
    bad_pod = {**deployment["spec"]["template"]["spec"], "containers": [bad_probe]}
    assert not validator.is_valid(
        {**deployment, "spec": {**deployment["spec"], "template": {**deployment["spec"]["template"], "spec": bad_pod}}}
    )


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_each_service_has_its_api_and_worker_deployed_apart_with_probes_on_their_own_port(service: str) -> None:
    deployments = of_kind("Deployment")
    config = of_kind("ConfigMap")["thidua-platform"]["data"]
    for kind, port in (("api", API_PORT), ("worker", WORKER_PORT)):
        pod = deployments[f"{service}-{kind}"]["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["image"].split(":")[0] == f"thidua/{service}"
        command = container.get("command", [f"thidua-{service}-api"])
        assert command == [f"thidua-{service}-{kind}"]
        assert command[0] in entry_points(service)
        assert [p["containerPort"] for p in container["ports"]] == [port]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["port"] == port
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        scraped = deployments[f"{service}-{kind}"]["spec"]["template"]["metadata"]["annotations"]
        assert scraped["prometheus.io/port"] == str(port)
        assert scraped["prometheus.io/path"] == "/metrics"
        assert container["resources"]["requests"]["cpu"]
        assert container["resources"]["limits"]["memory"]
        env = {e["name"] for e in container.get("env", [])}
        assert unknown_settings(service, env | set(config) & setting_names(service)) == set()
    # a config map entry must be a setting of some service (a typo would be ignored by every one of them)
    assert set(config) <= set().union(*(setting_names(s) for s in SETTINGS))


def test_the_portal_is_deployed_with_probes_on_its_port_and_the_settings_it_knows() -> None:
    deployment = of_kind("Deployment")["portal"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"].split(":")[0] == "thidua/portal"
    command = container.get("command", ["thidua-portal"])
    assert command == ["thidua-portal"]
    assert command[0] in entry_points("portal")
    assert [p["containerPort"] for p in container["ports"]] == [API_PORT]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["port"] == API_PORT
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    scraped = deployment["spec"]["template"]["metadata"]["annotations"]
    assert scraped["prometheus.io/port"] == str(API_PORT)
    assert scraped["prometheus.io/path"] == "/metrics"
    assert container["resources"]["requests"]["cpu"]
    assert container["resources"]["limits"]["memory"]
    assert pod["securityContext"]["runAsNonRoot"]
    assert container["securityContext"]["readOnlyRootFilesystem"]
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    # its own config map: every entry a setting of the portal; from the platform's, those it has
    config_maps = of_kind("ConfigMap")
    sources = [ref["configMapRef"]["name"] for ref in container["envFrom"]]
    assert sources == ["thidua-platform", "thidua-portal"]
    own = config_maps["thidua-portal"]["data"]
    assert set(own) <= setting_names("portal")
    env = {e["name"]: e for e in container["env"]}
    assert unknown_settings("portal", set(env)) == set()
    assert env["THIDUA_OIDC_CLIENT_SECRET"]["valueFrom"]["secretKeyRef"]["name"] == "thidua-secrets"
    assert own["THIDUA_COOKIE_SECURE"] == "true"
    assert own["THIDUA_PUBLIC_URL"].startswith("https://")
    services = of_kind("Service")
    for service in SETTINGS:  # each API through its Service, on the Service's port
        url = urlsplit(own[f"THIDUA_{service.upper()}_URL"])
        assert url.scheme == "http"
        assert url.hostname == service
        assert url.hostname in services
        assert (url.port or 80) in {p["port"] for p in services[url.hostname]["spec"]["ports"]}
    assert "portal" in services
    assert "portal" in of_kind("HorizontalPodAutoscaler")


def test_apis_scale_on_cpu_and_workers_on_their_consumer_lag() -> None:
    deployments, services = of_kind("Deployment"), of_kind("Service")
    for name, hpa in of_kind("HorizontalPodAutoscaler").items():
        assert hpa["spec"]["scaleTargetRef"]["name"] == name
        assert name in deployments
        assert name.endswith("-api") or name == "portal"
    assert {n.removesuffix("-api") for n in of_kind("HorizontalPodAutoscaler")} == {*SETTINGS, "portal"}
    partitions = inspect.signature(ensure_topics).parameters["partitions"].default  # what the workers create
    scaled = of_kind("ScaledObject")
    assert {n.removesuffix("-worker") for n in scaled} == CONSUMER_GROUPS
    for name, scaler in scaled.items():
        assert scaler["spec"]["scaleTargetRef"]["name"] == name
        assert name in deployments
        (trigger,) = scaler["spec"]["triggers"]
        assert trigger["type"] == "kafka"
        assert set(trigger["metadata"]) <= kafka_trigger_fields()
        assert trigger["metadata"]["consumerGroup"] == name.removesuffix("-worker")
        assert scaler["spec"]["maxReplicaCount"] <= partitions  # more consumers than partitions would idle
    for name, service in services.items():
        labels = deployments[f"{name}-api" if name in SETTINGS else name]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items()
    assert set(services) == {*SETTINGS, "portal"}


def test_every_disruption_budget_and_config_map_reference_resolves() -> None:
    deployments, config_maps = of_kind("Deployment"), of_kind("ConfigMap")
    for name, budget in of_kind("PodDisruptionBudget").items():
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for deployment in deployments.values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in config_maps


def test_the_secrets_the_pods_read_are_the_documented_ones() -> None:
    documented = (ROOT / "docs" / "deploy.md").read_text()
    for deployment in of_kind("Deployment").values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] in documented
                    assert ref["key"] in documented
