"""Roles are named once, as `thidua_contracts.roles.Role`: no module of the services, the libraries or ops writes a
role's name as a string (issue #21: they were 140 literals, where one misspelt name grants nothing and fails
silently). Static: reads the source."""

from __future__ import annotations

import ast
from pathlib import Path

from thidua_contracts.roles import Role

from .sources import parsed

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "services", ROOT / "libs", ROOT / "ops" / "src")
DEFINITION = ROOT / "libs" / "contracts" / "src" / "thidua_contracts" / "roles.py"
NAMES = frozenset(role.value for role in Role)


def role_literals(tree: ast.Module) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in NAMES
    ]


def modules() -> list[Path]:
    return sorted(
        path
        for root in SOURCES
        for path in root.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts and path != DEFINITION
    )


def test_no_module_names_a_role_by_its_string() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {value!r}"
        for path in modules()
        for line, value in role_literals(parsed(path))
    ]
    assert not found, "name roles as thidua_contracts.roles.Role members:\n" + "\n".join(found)


def test_the_check_finds_a_role_written_as_a_string() -> None:
    planted = 'Officer = roles_required("commune_officer")\nOTHER = "province"\nALLOWED = Role.SUBMITTER\n'
    assert role_literals(ast.parse(planted)) == [(1, "commune_officer")]


def test_the_check_reads_every_service() -> None:
    read = {path.relative_to(ROOT).parts[1] for path in modules() if path.is_relative_to(ROOT / "services")}
    assert read >= {"submissions", "scoring", "awards", "notifications", "rollups", "portal"}
