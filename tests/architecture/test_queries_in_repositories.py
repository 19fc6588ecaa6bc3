"""Every query and update a service sends to MongoDB lives in a repository module of that service (issue #19).

A repository module is `repository.py` at the top of a service's package
(`services/<name>/src/<package>/`), built on `thidua_platform.repository`; every other module reaches the database
through the named methods of its repositories. Read with `ast` alone (nothing imported, no stack), any other module
of any service fails `test_queries_live_in_repositories`, naming the file and line, when it

  (a) touches a `.collection` attribute (the driver collection a repository wraps), or
  (b) calls a driver method (`DRIVER_METHODS`: find, update_one, aggregate, …) on anything but a repository, or a
      helper that takes a driver collection (`insert_once`).

A receiver is a repository when it is a field of the service's repositories (`repos.<field>`, however `repos` is
reached), a name bound to one in the same or an enclosing function (`x = repos.a`, `for x in (repos.a, repos.b)`), or
a name annotated with a class a repository module defines. `x.find("…")` with a string or bytes literal is
`str.find`/`bytes.find`, not a query (a filter is a document).

MongoDB's operators (`"$set"`, `"$in"`, …) belong to repository modules too: a use case calls a named method
(`record_ballot`, `mark_submitted`) and the repository builds the update. `OPERATORS_OUTSIDE_REPOSITORIES` counts
those written elsewhere per module; it is empty (118 in eleven modules before issue #19 moved them), and a module
that writes one fails the test.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .sources import parsed

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "services"
REPOSITORY_MODULES = ("repository.py",)
SHARED_REPOSITORY = ROOT / "libs" / "platform" / "src" / "thidua_platform" / "repository.py"
# what PyMongo's asynchronous collection, database and client send to the server
DRIVER_METHODS = frozenset(
    {
        "aggregate",
        "aggregate_raw_batches",
        "bulk_write",
        "command",
        "count_documents",
        "create_collection",
        "create_index",
        "create_indexes",
        "create_search_index",
        "delete_many",
        "delete_one",
        "distinct",
        "drop",
        "drop_collection",
        "drop_database",
        "drop_index",
        "drop_indexes",
        "estimated_document_count",
        "find",
        "find_one",
        "find_one_and_delete",
        "find_one_and_replace",
        "find_one_and_update",
        "find_raw_batches",
        "index_information",
        "insert_many",
        "insert_one",
        "list_collection_names",
        "list_collections",
        "list_indexes",
        "rename",
        "replace_one",
        "update_many",
        "update_one",
        "watch",
    }
)
DRIVER_HELPERS = frozenset({"insert_once"})  # thidua_platform.mongo's helpers that write to the collection given
REPOSITORY_HOLDERS = frozenset({"repos", "repositories"})  # how a service's code names its `Repositories`
OPERATOR = re.compile(r"\$[a-z][A-Za-z]*")

# MongoDB operator literals (a string that is exactly "$word") per module outside the repository modules, counted
# when this test was written (issue #19). Lower a figure when you move operators into a repository; never raise one.
OPERATORS_OUTSIDE_REPOSITORIES: dict[str, int] = {}


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def is_repository_module(path: Path) -> bool:
    """`services/<name>/src/<package>/repository.py`, or a module of its `repository/` package."""
    if path.name in REPOSITORY_MODULES and path.parent.parent.name == "src":
        return True
    return path.parent.name == "repository" and path.parents[2].name == "src"


def service_modules() -> list[Path]:
    return sorted(SERVICES.glob("*/src/**/*.py"))


def repository_classes() -> frozenset[str]:
    """The classes the repository modules (and thidua_platform.repository) define."""
    modules = [SHARED_REPOSITORY, *(p for p in service_modules() if is_repository_module(p))]
    return frozenset(node.name for p in modules for node in ast.walk(parsed(p)) if isinstance(node, ast.ClassDef))


class QueryFinder(ast.NodeVisitor):
    """Collects (line, what) for every query written in a module that is not a repository."""

    def __init__(self, classes: frozenset[str]) -> None:
        self.classes = classes
        self.repositories: list[set[str]] = [set()]  # names bound to a repository, per enclosing function
        self.found: list[tuple[int, str]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "collection":
            what = "`.collection` is a repository's driver collection (name anything else otherwise)"
            self.found.append((node.lineno, f"`{ast.unparse(node)}`: {what}"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
        if name in DRIVER_HELPERS:
            self.found.append((node.lineno, f"`{name}(…)` writes to a driver collection"))
        elif isinstance(function, ast.Attribute) and name in DRIVER_METHODS and not self._allowed(function, node):
            self.found.append((node.lineno, f"`{ast.unparse(function.value)}.{name}(…)`: not a repository"))
        self.generic_visit(node)

    def _allowed(self, function: ast.Attribute, call: ast.Call) -> bool:
        if self._is_repository(function.value):
            return True
        literal = call.args[0] if call.args else None
        return function.attr == "find" and isinstance(literal, ast.Constant) and isinstance(literal.value, str | bytes)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        arguments = node.args
        parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        bound = set(self.repositories[-1])
        bound |= {p.arg for p in parameters if p.annotation is not None and self._names_repository(p.annotation)}
        self.repositories.append(bound)
        while True:  # until no new name is bound (`b = a` after `a = repos.x`)
            before = len(bound)
            bound |= set(self._bindings(node))
            if len(bound) == before:
                break
        self.generic_visit(node)
        self.repositories.pop()

    def _bindings(self, function: ast.AST) -> Iterator[str]:
        for node in ast.walk(function):
            if isinstance(node, ast.Assign | ast.NamedExpr):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if self._is_repository(node.value):
                    yield from (t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                value_is = node.value is not None and self._is_repository(node.value)
                if value_is or self._names_repository(node.annotation):
                    yield node.target.id
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and isinstance(node.target, ast.Name):
                items = node.iter
                elements = items.elts if isinstance(items, ast.Tuple | ast.List | ast.Set) else []
                if elements and all(self._is_repository(item) for item in elements):
                    yield node.target.id

    def _is_repository(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.repositories[-1]
        if isinstance(node, ast.Attribute):
            holder = node.value
            return (isinstance(holder, ast.Name) and holder.id in REPOSITORY_HOLDERS) or (
                isinstance(holder, ast.Attribute) and holder.attr in REPOSITORY_HOLDERS
            )
        if isinstance(node, ast.IfExp):
            return self._is_repository(node.body) and self._is_repository(node.orelse)
        return False

    def _names_repository(self, annotation: ast.expr) -> bool:
        """An annotation naming a repository class (`ScopedRepository`, `DeliveryRepository | None`, "Name")."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            return self._names_repository(ast.parse(annotation.value, mode="eval").body)
        for node in ast.walk(annotation):
            if (isinstance(node, ast.Name) and node.id in self.classes) or (
                isinstance(node, ast.Attribute) and node.attr in self.classes
            ):
                return True
        return False


def queries_in(tree: ast.Module, classes: frozenset[str]) -> list[tuple[int, str]]:
    finder = QueryFinder(classes)
    finder.visit(tree)
    return sorted(set(finder.found))


def operators_in(tree: ast.Module) -> int:
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and OPERATOR.fullmatch(node.value)
    )


def outside_repositories() -> Iterable[Path]:
    return (path for path in service_modules() if not is_repository_module(path))


def test_queries_live_in_repositories() -> None:
    classes = repository_classes()
    found = [
        f"{relative(path)}:{line}: {what}"
        for path in outside_repositories()
        for line, what in queries_in(parsed(path), classes)
    ]
    assert not found, (
        "queries written outside the repository modules; give each a named method in the service's repository.py "
        "with the tenant scope applied there:\n" + "\n".join(found)
    )


def operator_counts() -> dict[str, int]:
    counted = {relative(path): operators_in(parsed(path)) for path in outside_repositories()}
    return {path: count for path, count in counted.items() if count}


def test_no_module_gains_mongo_operators() -> None:
    grown = [
        f"{path}: {count} (the table allows {OPERATORS_OUTSIDE_REPOSITORIES.get(path, 0)})"
        for path, count in operator_counts().items()
        if count > OPERATORS_OUTSIDE_REPOSITORIES.get(path, 0)
    ]
    assert not grown, (
        'MongoDB operators ("$set", "$in", …) written outside the repository modules, more than before: build the '
        "update or the filter in a named repository method instead:\n" + "\n".join(grown)
    )


def test_the_operator_table_follows_the_operators_moved_out() -> None:
    counts = operator_counts()
    lower = [
        f'    "{path}": {counts[path]},' if path in counts else f'    "{path}": (remove the entry),'
        for path, allowed in OPERATORS_OUTSIDE_REPOSITORIES.items()
        if counts.get(path, 0) < allowed
    ]
    assert not lower, (
        "fewer MongoDB operators outside the repository modules than OPERATORS_OUTSIDE_REPOSITORIES allows (well "
        f"done): lower the table in {relative(Path(__file__))} so they cannot come back:\n" + "\n".join(lower)
    )


PLANTED = """
from notifications.repository import DeliveryRepository, Repositories

async def raw(repos: Repositories, database, collection) -> None:
    await repos.reviews.collection.update_many({}, {"$set": {"status": "done"}})   # (a) and (b) on the collection
    await database["deliveries"].find_one({"_id": "d-1"})                          # (b) on a database's collection
    await collection.count_documents({})                                           # (b) on a driver collection
    await repos.deliveries.queue.delete_one({"_id": "d-1"})                        # (b) on what a repository holds
    await insert_once(repos.deliveries.queue, {"_id": "d-1"})                      # (b) a driver helper

async def fine(repos: Repositories, deliveries: DeliveryRepository, head: bytes) -> None:
    await repos.reviews.find(scope, {"kind": "review"})
    for known in (repos.dossiers, repos.scores):
        await known.find(scope, {}, limit=1)
    chosen = repos.templates

    async def inner() -> None:
        await chosen.find(scope, {})
        await deliveries.find(scope, {})

    head.find(b"%PDF-", 0, 1024)
"""


def test_the_check_sees_what_a_planted_module_does() -> None:
    found = queries_in(ast.parse(PLANTED), repository_classes())
    assert [line for line, _ in found] == [5, 5, 6, 7, 8, 9]
    assert operators_in(ast.parse(PLANTED)) == 1
