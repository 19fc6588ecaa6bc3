"""The service template (docs/service-template.md), checked in code: every service has the same files in the same
places, and each route and event handler calls one use case."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from .sources import parsed

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("submissions", "scoring", "awards", "notifications", "rollups")
# a service's worker that follows topics has consumers/events.py; submissions' worker only relays its outbox
FOLLOWS_TOPICS = ("scoring", "awards", "notifications", "rollups")
EVERY_SERVICE_HAS = (
    "settings.py",
    "bootstrap.py",
    "main.py",
    "domain/lifecycle.py",
    "service",
    "api/deps.py",
    "api/schemas.py",
)
# routes that call a second use case, each with its reason in docs/service-template.md
SECOND_CALL_ALLOWED = {("rollups", "freshness")}
METHODS = {"get", "put", "post", "patch", "delete"}


def package(service: str) -> Path:
    return ROOT / "services" / service / "src" / service


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_templates_files(service: str) -> None:
    base = package(service)
    missing = [name for name in EVERY_SERVICE_HAS if not (base / name).exists()]
    missing += [name for name in ("domain/aggregates", "repository") if not _module_or_package(base / name)]
    if service in FOLLOWS_TOPICS and not (base / "consumers" / "events.py").exists():
        missing.append("consumers/events.py")
    if not (ROOT / "services" / service / "tests" / "unit").is_dir():
        missing.append("tests/unit")
    assert not missing, f"{service} lacks {missing}"


def _module_or_package(path: Path) -> bool:
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _use_case_modules(tree: ast.Module, service: str) -> tuple[set[str], set[str]]:
    """The names this module imported from the service's use cases: modules (`from x.service import reports`) and
    functions (`from x.service.reports import make`)."""
    modules: set[str] = set()
    functions: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == f"{service}.service":
                modules |= {alias.asname or alias.name for alias in node.names}
            elif node.module.startswith(f"{service}.service."):
                functions |= {alias.asname or alias.name for alias in node.names}
    return modules, functions


def _routes(tree: ast.Module) -> Iterator[ast.AsyncFunctionDef]:
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr in {"get", "put", "post", "delete"}
            for d in node.decorator_list
        ):
            yield node


def _use_cases_awaited(route: ast.AsyncFunctionDef, modules: set[str], functions: set[str]) -> list[str]:
    called = []
    for node in ast.walk(route):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules:
                called.append(func.attr)
            elif isinstance(func, ast.Name) and func.id in functions:
                called.append(func.id)
    return called


@pytest.mark.parametrize("service", SERVICES)
def test_a_route_calls_one_use_case(service: str) -> None:
    departures = []
    for path in sorted((package(service) / "api").glob("*.py")):
        tree = parsed(path)
        modules, functions = _use_case_modules(tree, service)
        for route in _routes(tree):
            called = [
                c for c in _use_cases_awaited(route, modules, functions) if (service, c) not in SECOND_CALL_ALLOWED
            ]
            if len(called) > 1:
                departures.append(f"{path.name}:{route.name} calls {called}")
    assert not departures, departures


@pytest.mark.parametrize("service", FOLLOWS_TOPICS)
def test_an_event_handler_calls_one_use_case(service: str) -> None:
    path = package(service) / "consumers" / "events.py"
    tree = parsed(path)
    modules, functions = _use_case_modules(tree, service)
    departures = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef):
            called = _use_cases_awaited(node, modules, functions)
            if len(called) > 1:
                departures.append(f"{node.name} calls {called}")
    assert not departures, departures
