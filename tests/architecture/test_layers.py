"""The house's layers, enforced (issue #21; docs/service-template.md).

Read with `ast` alone (nothing imported, no stack), every module of the packages under `services/*/src`,
`libs/*/src` and `ops/src` is searched for what it imports: `import a.b`, `from a.b import c` (`a.b.c` when that is a
module of the tree, else `a.b`), relative imports resolved against the module's own package, imports inside functions
and under `if TYPE_CHECKING:` (a dependency all the same), and `importlib.import_module(…)` / `__import__(…)` calls:
with a string literal, the module named; with a computed name, a dynamic import no rule can check, so it counts
against every rule of the module making it. The rules:

  1. services are independent: no module of a service package (submissions, scoring, awards, notifications, rollups,
     portal) imports another service's package, nor `thidua_ops` (the operators' tool sits above the services);
  2. the libraries sit below what uses them, in the order platform < contracts < commons < services < ops: the
     platform (`thidua_platform`) knows no domain (nothing of `thidua_contracts`, `thidua_commons`, a service or ops);
     the contracts (`thidua_contracts`) know the platform alone; the domain commons (`thidua_commons`) know the
     platform and the contracts, no service;
  3. a domain does no I/O: a module of a service's `domain` package imports nothing of its own service outside a
     `domain` package (not `service`, `api`, `consumers`, `repository`, `adapters`, `bootstrap`, `settings`, nor
     whatever is still waiting to be moved into `adapters/`), and none of the libraries that talk to the database,
     the broker or the network or serve HTTP (`IO_LIBRARIES`);
  4. ops may import any service (it is the operators' tool): no rule.

Packages are found on disk, so a module moved inside its service (`api/routes.py` split into routers, `repository.py`
into a package, `documents/` into `adapters/`) is judged where it lands. What breaks a rule today is listed in
`ALLOWED` with the reason and the count; a count only goes down. Each rule is shown to catch a violation planted in a
small tree of the same layout (`test_a_planted_violation_is_caught`).

Only direct imports are judged: a domain may import `thidua_platform.text` for `ShortText`, whose module imports
nothing of I/O itself, but a module it imported would not be judged here.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .sources import parsed

ROOT = Path(__file__).resolve().parents[2]
SERVICES = frozenset({"submissions", "scoring", "awards", "notifications", "rollups", "portal"})
OPS = "thidua_ops"
DOMAIN = "domain"
# what talks to MongoDB (pymongo, motor, bson, gridfs), Kafka (confluent_kafka), other servers (httpx) or serves HTTP
# (fastapi, starlette): a domain needs none of them (no domain imports one today, bson's types included)
IO_LIBRARIES = frozenset({"pymongo", "motor", "bson", "gridfs", "confluent_kafka", "fastapi", "starlette", "httpx"})
IMPORTERS = frozenset({"importlib.import_module", "import_module", "__import__"})

INDEPENDENT = "services are independent"
LIBRARIES_BELOW = "a library imports nothing above it"
PURE_DOMAIN = "a domain does no I/O"

# What breaks a rule today, per (rule, module), and why. Lower a count when you remove one; never raise one.
ALLOWED: dict[tuple[str, str], int] = {}
# the libraries, lowest first: each may import those before it, none after it, nor a service or ops
LIBRARIES = ("thidua_platform", "thidua_contracts", "thidua_commons")


@dataclass(frozen=True)
class Module:
    name: str  # dotted, as imported
    path: Path
    package: str  # the top-level package it belongs to
    kind: str  # "service", "library" or "ops": where its source root is
    is_package: bool  # an __init__.py

    @property
    def in_domain(self) -> bool:
        return DOMAIN in self.name.split(".")[1:]


@dataclass(frozen=True)
class Tree:
    root: Path
    modules: tuple[Module, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(module.name for module in self.modules)

    @property
    def services(self) -> frozenset[str]:
        return frozenset(module.package for module in self.modules if module.kind == "service")


@dataclass(frozen=True)
class Imported:
    line: int
    name: str | None  # the module imported; None when its name is computed at run time
    written: str


@dataclass(frozen=True)
class Violation:
    rule: str
    path: str  # relative to the tree's root
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.what}"


def source_tree(root: Path) -> Tree:
    """Every module of the packages under services/*/src, libs/*/src and ops/src of `root`."""
    sources = [(src, "service") for src in sorted(root.glob("services/*/src"))]
    sources += [(src, "library") for src in sorted(root.glob("libs/*/src"))]
    sources.append((root / "ops" / "src", "ops"))
    modules: list[Module] = []
    for src, kind in sources:
        for init in sorted(src.glob("*/__init__.py")):
            for path in sorted(init.parent.rglob("*.py")):
                if "__pycache__" in path.parts:
                    continue
                parts = path.relative_to(src).with_suffix("").parts
                is_package = parts[-1] == "__init__"
                dotted = parts[:-1] if is_package else parts
                modules.append(Module(".".join(dotted), path, dotted[0], kind, is_package))
    return Tree(root, tuple(modules))


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def called(function: ast.expr) -> str:
    return ast.unparse(function) if isinstance(function, ast.Name | ast.Attribute) else ""


def base_of(module: Module, node: ast.ImportFrom) -> str | None:
    """The module a `from … import` reads from; None for a relative import reaching above the top-level package."""
    if node.level == 0:
        return node.module or ""
    package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    if node.level > len(package):
        return None
    kept = package[: len(package) - (node.level - 1)]
    return ".".join([*kept, *([node.module] if node.module else [])])


def imports_of(module: Module, known: frozenset[str]) -> Iterator[Imported]:
    tree = parsed(module.path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Imported(node.lineno, alias.name, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            base = base_of(module, node)
            for alias in node.names:
                written = ast.unparse(node)
                if base is None:
                    yield Imported(node.lineno, None, written)
                    continue
                submodule = f"{base}.{alias.name}"
                yield Imported(node.lineno, submodule if submodule in known else base, written)
        elif isinstance(node, ast.Call) and called(node.func) in IMPORTERS and node.args:
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value[:1] != ".":
                yield Imported(node.lineno, argument.value, ast.unparse(node))
            else:
                yield Imported(node.lineno, None, ast.unparse(node))


def judged(module: Module, imported: Imported, services: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(rule, what) for each rule the import breaks."""
    name = imported.name
    computed = f"`{imported.written}`: a module named at run time, which no rule can check"
    if module.kind == "service":
        others = sorted((services - {module.package}) | {OPS})
        if name is None:
            yield INDEPENDENT, computed
        elif hit := next((other for other in others if within(name, other)), None):
            yield INDEPENDENT, f"{module.package} imports {name} (of {hit})"
    if module.kind == "library":
        above = [*LIBRARIES[LIBRARIES.index(module.package) + 1 :], *sorted(services), OPS]
        if name is None:
            yield LIBRARIES_BELOW, computed
        elif hit := next((other for other in above if within(name, other)), None):
            yield LIBRARIES_BELOW, f"{module.package} imports {name} (of {hit}, above it)"
    if module.kind == "service" and module.in_domain:
        if name is None:
            yield PURE_DOMAIN, computed
        elif library := next((lib for lib in sorted(IO_LIBRARIES) if within(name, lib)), None):
            yield PURE_DOMAIN, f"a domain imports {name} ({library}: I/O)"
        elif within(name, module.package) and name != module.package and DOMAIN not in name.split(".")[1:]:
            layer = name.split(".")[1]
            yield PURE_DOMAIN, f"a domain imports {name} (its service's `{layer}`, outside the domain)"


def violations(tree: Tree) -> list[Violation]:
    known, services = tree.names, tree.services
    found = {
        Violation(rule, module.path.relative_to(tree.root).as_posix(), imported.line, what)
        for module in tree.modules
        for imported in imports_of(module, known)
        for rule, what in judged(module, imported, services)
    }
    return sorted(found, key=lambda v: (v.path, v.line, v.rule, v.what))


def counted(found: list[Violation]) -> Counter[tuple[str, str]]:
    return Counter((violation.rule, violation.path) for violation in found)


@pytest.fixture(scope="module")
def repository() -> Tree:
    return source_tree(ROOT)


def test_the_rules_see_every_service_and_every_domain(repository: Tree) -> None:
    """The rules judge the packages named in them: a service renamed or added, or a domain moved, is noticed."""
    assert repository.services == SERVICES
    assert {module.package for module in repository.modules if module.in_domain} == SERVICES - {"portal"}
    assert {module.kind for module in repository.modules} == {"service", "library", "ops"}
    assert {module.package for module in repository.modules if module.kind == "library"} == set(LIBRARIES)


def test_the_repository_keeps_its_layers(repository: Tree) -> None:
    found = violations(repository)
    counts = counted(found)
    beyond = [
        str(violation)
        for violation in found
        if counts[(violation.rule, violation.path)] > ALLOWED.get((violation.rule, violation.path), 0)
    ]
    assert not beyond, (
        "imports across the layers (docs/service-template.md): a service reaches another through its events or its "
        "API, a library does not know what sits above it, a domain takes what it needs as arguments:\n"
        + "\n".join(beyond)
    )


def test_the_allowances_follow_the_code(repository: Tree) -> None:
    counts = counted(violations(repository))
    lower = [f"{key}: {counts[key]} found, {n} allowed" for key, n in ALLOWED.items() if counts[key] < n]
    assert not lower, "fewer layer violations than ALLOWED says (well done): lower it to match:\n" + "\n".join(lower)


# A tree of the same layout, clean: two services (alpha with a domain and its layers, beta), the three libraries, ops.
CLEAN = {
    "services/alpha/src/alpha/__init__.py": "__version__ = '1'\n",
    "services/alpha/src/alpha/bootstrap.py": "from alpha.api import routes\nfrom alpha.service import use\n",
    "services/alpha/src/alpha/repository.py": "import pymongo\nfrom thidua_platform.repository import Base\n",
    "services/alpha/src/alpha/api/__init__.py": "",
    "services/alpha/src/alpha/api/routes.py": "import fastapi\nfrom alpha.service.use import act\n",
    "services/alpha/src/alpha/service/__init__.py": "",
    "services/alpha/src/alpha/service/use.py": "from alpha.domain.rules import rule\nfrom alpha.repository import R\n",
    "services/alpha/src/alpha/domain/__init__.py": "",
    "services/alpha/src/alpha/domain/other.py": "X = 1\n",
    "services/alpha/src/alpha/domain/rules.py": (
        "from typing import TYPE_CHECKING\n"
        "import pydantic\n"
        "from alpha import __version__\n"
        "from alpha.domain.other import X\n"
        "from . import other\n"
        "from .other import X as Y\n"
        "from thidua_contracts import Event\n"
        "if TYPE_CHECKING:\n"
        "    from alpha.domain import other as again\n"
    ),
    "services/beta/src/beta/__init__.py": "",
    "services/beta/src/beta/x.py": "import httpx\nfrom thidua_contracts import Event\n",
    "libs/platform/src/thidua_platform/__init__.py": "",
    "libs/platform/src/thidua_platform/envelope.py": "import pydantic\n",
    "libs/platform/src/thidua_platform/repository.py": "import pymongo\nfrom .envelope import Envelope\n",
    "libs/contracts/src/thidua_contracts/__init__.py": "from thidua_platform.envelope import EventData\n",
    "libs/commons/src/thidua_commons/__init__.py": "from thidua_contracts import Event\nimport thidua_platform\n",
    "ops/src/thidua_ops/__init__.py": "",
    "ops/src/thidua_ops/main.py": "from alpha.service import use\nimport beta.x\nfrom thidua_platform import text\n",
}

# Per rule: a module planted into the clean tree, and the lines of it that break the rule.
PLANTED: dict[str, tuple[str, str, list[int]]] = {
    INDEPENDENT: (
        "services/alpha/src/alpha/service/reach.py",
        "from beta.x import thing\n"  # 1
        "import beta\n"  # 2
        "import thidua_ops.main\n"  # 3
        "import importlib\n"
        "importlib.import_module('beta.x')\n"  # 5
        "def late(name):\n"
        "    return importlib.import_module(name)\n"  # 7: computed
        "from alpha.domain.rules import rule\n"
        "import thidua_contracts\n",
        [1, 2, 3, 5, 7],
    ),
    LIBRARIES_BELOW: (
        "libs/platform/src/thidua_platform/tool.py",
        "from alpha.domain import rules\n"  # 1
        "import thidua_ops\n"  # 2
        "from importlib import import_module\n"
        "def app(service):\n"
        "    return import_module(f'{service}.bootstrap')\n"  # 5: computed
        "from .envelope import Envelope\n"
        "import pydantic\n"
        "def late():\n"
        "    from beta import x\n"  # 9
        "from thidua_contracts import Event\n"  # 10: the platform knows no domain
        "import thidua_commons.council\n",  # 11
        [1, 2, 5, 9, 10, 11],
    ),
    PURE_DOMAIN: (
        "services/alpha/src/alpha/domain/bad.py",
        "from alpha.service.use import act\n"  # 1
        "from ..api import routes\n"  # 2: relative
        "from alpha import repository\n"  # 3: a module of the service, by `from`
        "import alpha.bootstrap\n"  # 4
        "import pymongo\n"  # 5
        "from bson import ObjectId\n"  # 6
        "from motor.motor_asyncio import AsyncIOMotorClient\n"  # 7
        "from confluent_kafka import Consumer\n"  # 8
        "import fastapi\n"  # 9
        "import httpx\n"  # 10
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from alpha.api.routes import Body\n"  # 13
        "from alpha.domain.other import X\n"
        "from . import rules\n",
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13],
    ),
}


def planted_tree(root: Path, extra: dict[str, str]) -> Tree:
    for relative, source in {**CLEAN, **extra}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return source_tree(root)


def test_the_clean_tree_breaks_no_rule(tmp_path: Path) -> None:
    tree = planted_tree(tmp_path, {})
    assert tree.services == {"alpha", "beta"}
    assert violations(tree) == []


@pytest.mark.parametrize("rule", list(PLANTED))
def test_a_planted_violation_is_caught(tmp_path: Path, rule: str) -> None:
    path, source, lines = PLANTED[rule]
    found = violations(planted_tree(tmp_path, {path: source}))
    assert {violation.rule for violation in found} == {rule}, "\n".join(map(str, found))
    assert [violation.line for violation in found] == lines, "\n".join(map(str, found))
    assert {violation.path for violation in found} == {path}


@pytest.mark.parametrize(
    ("path", "source", "line"),
    [
        ("libs/contracts/src/thidua_contracts/bad.py", "import pydantic\nfrom thidua_commons import council\n", 2),
        ("libs/contracts/src/thidua_contracts/bad.py", "from thidua_platform import envelope\nimport alpha\n", 2),
        ("libs/commons/src/thidua_commons/bad.py", "from thidua_contracts import Event\nfrom beta import x\n", 2),
        ("libs/commons/src/thidua_commons/bad.py", "import thidua_platform\nimport thidua_ops.main\n", 2),
    ],
)
def test_each_library_imports_only_those_below_it(tmp_path: Path, path: str, source: str, line: int) -> None:
    found = violations(planted_tree(tmp_path, {path: source}))
    assert [(violation.rule, violation.path, violation.line) for violation in found] == [(LIBRARIES_BELOW, path, line)]


def test_ops_may_import_every_service(tmp_path: Path) -> None:
    ops = "from alpha.domain import rules\nfrom alpha.api.routes import app\nimport beta\nimport pymongo\n"
    assert violations(planted_tree(tmp_path, {"ops/src/thidua_ops/tool.py": ops})) == []
