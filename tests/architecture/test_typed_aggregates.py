"""Aggregates cross a repository's boundary typed, not as `dict[str, Any]` (issue #19, docs/adr/0018).

Each service declares its aggregates as TypedDicts in `domain/aggregates.py` (or a `domain/aggregates/` package): the
stored document's keys and their types. A repository module (`repository.py` at the top of a service's package) fails
`test_repositories_speak_in_typed_aggregates`, naming the file and line, when

  (a) it builds or subclasses a generic repository (`ScopedRepository`, or one of its generic subclasses) without
      binding its aggregate to a TypedDict: `ScopedRepository(collection)` reads and writes `dict[str, Any]`, while
      `ScopedRepository[Candidate](collection)` reads and writes a `Candidate`; or
  (b) a public function or method of it returns `Document`, `dict[str, Any]` or `Mapping[str, Any]` (or a list, an
      optional or a mapping of them): what a use case gets from a repository is an aggregate whose keys mypy knows.

Parameters are not checked: updates are partial (`{"status": …}`) and some methods take an aggregate's fields as
they come from a request. `UNTYPED` lists what is left per module and only goes down.
"""

from __future__ import annotations

import ast
import importlib
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from thidua_platform.repository import ScopedRepository

from .sources import parsed

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "services"
REPOSITORY_MODULES = ("repository.py",)
UNTYPED_RETURNS = ("Document", "dict[str, Any]", "Mapping[str, Any]")
# what is left to type, per repository module: lowered as aggregates get their TypedDicts, never raised
UNTYPED: dict[str, int] = {}


def repository_modules() -> list[Path]:
    """Each service's `repository.py`, or the modules of its `repository/` package."""
    modules = [path for name in REPOSITORY_MODULES for path in SERVICES.glob(f"*/src/*/{name}")]
    modules += SERVICES.glob("*/src/*/repository/*.py")
    return sorted(path for path in modules if "tests" not in path.parts)


def module_of(path: Path) -> ModuleType:
    parts = path.relative_to(path.parents[2] if path.parent.name == "repository" else path.parents[1]).with_suffix("")
    return importlib.import_module(".".join(p for p in parts.parts if p != "__init__"))


def is_generic_repository(value: object) -> bool:
    return (
        isinstance(value, type) and issubclass(value, ScopedRepository) and bool(getattr(value, "__parameters__", ()))
    )


def binds_an_aggregate(node: ast.Subscript, module: ModuleType) -> bool:
    """`Repo[X]` where X is a TypedDict of the module's namespace, or a type variable of a generic intermediate."""
    argument = node.slice
    if not isinstance(argument, ast.Name):
        return False
    bound = getattr(module, argument.id, None)
    return typing.is_typeddict(bound) or isinstance(bound, typing.TypeVar) or type(bound).__name__ == "TypeVar"


def unbound_repositories(tree: ast.Module, module: ModuleType) -> Iterator[tuple[int, str]]:
    uses: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            uses.extend(node.bases)
        elif isinstance(node, ast.Call):
            uses.append(node.func)
    for use in uses:
        if isinstance(use, ast.Name) and is_generic_repository(getattr(module, use.id, None)):
            yield use.lineno, f"{use.id} used without its aggregate: write {use.id}[<TypedDict>]"
        elif (
            isinstance(use, ast.Subscript)
            and isinstance(use.value, ast.Name)
            and is_generic_repository(getattr(module, use.value.id, None))
            and not binds_an_aggregate(use, module)
        ):
            yield use.lineno, f"{ast.unparse(use)} binds no TypedDict declared for the aggregate"


def untyped_returns(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
            continue
        if node.returns is None:
            continue
        annotation = ast.unparse(node.returns)
        if any(untyped in annotation for untyped in UNTYPED_RETURNS):
            yield node.lineno, f"{node.name} returns {annotation}"


def offences(path: Path) -> list[str]:
    tree = parsed(path)
    module = module_of(path)
    found = [*unbound_repositories(tree, module), *untyped_returns(tree)]
    return [f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in sorted(found)]


@pytest.mark.parametrize("path", repository_modules(), ids=lambda path: str(path.relative_to(SERVICES)))
def test_repositories_speak_in_typed_aggregates(path: Path) -> None:
    key = str(path.relative_to(SERVICES))
    found = offences(path)
    allowed = UNTYPED.get(key, 0)
    assert len(found) <= allowed, "untyped aggregates at the repository boundary:\n" + "\n".join(found)
    assert len(found) == allowed, f"{key} has {len(found)} left, fewer than {allowed}: lower UNTYPED to match"


def test_the_check_sees_an_untyped_repository() -> None:
    """The rules catch what they describe, on a module written for the purpose."""
    source = """
from thidua_platform.repository import ScopedRepository
class Loose(ScopedRepository):
    async def one(self) -> Document | None: ...
    async def many(self) -> list[dict[str, Any]]: ...
    async def _inner(self) -> Document: ...
def build(collection):
    return ScopedRepository(collection)
"""
    module = ModuleType("loose")
    module.ScopedRepository = ScopedRepository  # type: ignore[attr-defined]
    tree = ast.parse(source)
    found = [*unbound_repositories(tree, module), *untyped_returns(tree)]
    assert [line for line, _ in found] == [3, 8, 4, 5]
