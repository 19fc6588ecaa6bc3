"""Tests wait on conditions, never for a fixed time (issue #21).

A fixed sleep is a guess: too short on a loaded machine (the test fails for no fault), too long everywhere else (the
suite slows), and it proves nothing about what it waited for. A test polls for the state it needs with a deadline
(`eventually` in thidua_platform.testing and tests/e2e/conftest.py), waits on an event, or moves a clock it controls.

Read with `ast` alone, every module of the tests (tests/, libs/*/tests, services/*/tests, ops/tests,
and thidua_platform.testing, which only tests import) fails `test_tests_do_not_sleep_a_fixed_time`, naming the file
and line, for a sleep — `time.sleep`, `asyncio.sleep` (however imported or renamed) or Playwright's
`wait_for_timeout` — unless the nearest loop around it, within the same function, polls a condition:

  - a `while` loop: its test is the condition (`while not ready() and time.monotonic() < deadline`); a
    `while True` must have a way out (`break`, `return`, `raise` or `assert`) in its body;
  - a `for` loop over attempts (`range(…)`, `itertools.count(…)`) with such a way out in its body.

A sleep in no loop, or in a loop over items (pacing a sequence), fails. `ALLOWED` lists the sleeps that are right
where they are, per function, with the reason; a count only goes down.
"""

from __future__ import annotations

import ast
import functools
from collections import Counter
from pathlib import Path

from .sources import parsed

ROOT = Path(__file__).resolve().parents[2]
SLEEPING_MODULES = frozenset({"time", "asyncio"})
FIXED_WAITS = frozenset({"wait_for_timeout"})  # Playwright's page.wait_for_timeout(ms), on whatever object
ATTEMPTS = frozenset({"range", "count", "itertools.count"})

# Sleeps that are no wait, per "path::function", and why. Lower a count when you remove one; never raise one.
ALLOWED: dict[str, int] = {
    # the SMTP server the test runs keeps its client waiting `stall` seconds before it answers: the slowness under
    # test (a server that answers after the sender gave up), not a test waiting for something
    "tests/integration/test_notification_delivery.py::Mailbox.handle_DATA": 1,
}

Scope = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
Loop = ast.While | ast.For | ast.AsyncFor


def modules_of_tests(root: Path) -> list[Path]:
    folders = [root / "tests", *root.glob("libs/*/tests"), root / "ops" / "tests", *root.glob("services/*/tests")]
    modules = {path for folder in folders for path in folder.rglob("*.py") if "__pycache__" not in path.parts}
    helpers = root / "libs" / "platform" / "src" / "thidua_platform" / "testing.py"
    return sorted({*modules, *([helpers] if helpers.exists() else [])})


def sleep_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names the module binds to the sleeping modules (`import time as t`), and to their sleep functions
    (`from asyncio import sleep as nap`)."""
    modules, functions = set(SLEEPING_MODULES), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name in SLEEPING_MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module in SLEEPING_MODULES and node.level == 0:
            functions |= {alias.asname or alias.name for alias in node.names if alias.name == "sleep"}
    return modules, functions


def is_sleep(call: ast.Call, modules: set[str], functions: set[str]) -> bool:
    function = call.func
    if isinstance(function, ast.Attribute):
        if function.attr in FIXED_WAITS:
            return True
        return function.attr == "sleep" and isinstance(function.value, ast.Name) and function.value.id in modules
    return isinstance(function, ast.Name) and function.id in functions


def exits(loop: Loop) -> bool:
    """Whether the loop's body has a way out of it (not counting nested functions)."""
    pending: list[ast.AST] = list(loop.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Break | ast.Return | ast.Raise | ast.Assert):
            return True
        if not isinstance(node, Scope):
            pending.extend(ast.iter_child_nodes(node))
    return False


def polls(loop: Loop) -> bool:
    if isinstance(loop, ast.While):
        forever = isinstance(loop.test, ast.Constant) and bool(loop.test.value)
        return not forever or exits(loop)
    over = loop.iter
    attempts = isinstance(over, ast.Call) and ast.unparse(over.func) in ATTEMPTS
    return attempts and exits(loop)


def qualified(parents: tuple[ast.AST, ...]) -> str:
    names = [node.name for node in parents if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    return ".".join(names) or "<module>"


def fixed_sleeps(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, qualified name of the function) of each sleep that is not in a loop polling a condition, in line
    order."""
    modules, functions = sleep_names(tree)
    found: list[tuple[int, str]] = []
    pending: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(tree, ())]
    while pending:  # every node with the nodes above it, outermost first (one tuple shared by siblings)
        node, parents = pending.pop()
        if isinstance(node, ast.Call) and is_sleep(node, modules, functions):
            loop: Loop | None = None
            for parent in reversed(parents):
                if isinstance(parent, Scope):
                    break
                if isinstance(parent, Loop):
                    loop = parent
                    break
            if loop is None or not polls(loop):
                found.append((node.lineno, qualified(parents)))
        above = (*parents, node)
        pending.extend((child, above) for child in ast.iter_child_nodes(node))
    return sorted(found)


def relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def may_sleep(path: Path) -> bool:
    """Whether the module names a sleep at all: no call can be one without the word in its text."""
    text = path.read_text(encoding="utf-8")
    return any(word in text for word in ("sleep", *FIXED_WAITS))


@functools.cache
def found_in(root: Path) -> list[tuple[str, int]]:
    """("path::function", line) of every fixed sleep under `root` (read once per process and root)."""
    return [
        (f"{relative(path, root)}::{function}", line)
        for path in modules_of_tests(root)
        if may_sleep(path)
        for line, function in fixed_sleeps(parsed(path))
    ]


def test_tests_do_not_sleep_a_fixed_time() -> None:
    found = found_in(ROOT)
    counts = Counter(where for where, _ in found)
    beyond = [
        f"{where.split('::')[0]}:{line} (in {where.split('::')[1]})"
        for where, line in found
        if counts[where] > ALLOWED.get(where, 0)
    ]
    assert not beyond, (
        "fixed sleeps in tests: poll for the state with a deadline (`eventually`), wait on an event, or move a clock "
        "the test controls; a wait that proves something did not happen waits for a later marker (a later event "
        "handled, the consumer's lag at 0) first:\n" + "\n".join(beyond)
    )


def test_the_allowances_follow_the_tests() -> None:
    counts = Counter(where for where, _ in found_in(ROOT))
    lower = [f"{where}: {counts[where]} found, {n} allowed" for where, n in ALLOWED.items() if counts[where] < n]
    assert not lower, "fewer sleeps than ALLOWED says (well done): lower it to match:\n" + "\n".join(lower)


PLANTED = """
import asyncio
import time
import time as clock
from asyncio import sleep as nap
from itertools import count

async def waits(ready, items, page, deadline):
    time.sleep(1)                                    # 9: nothing waited for
    await asyncio.sleep(0.5)                         # 10
    clock.sleep(1)                                   # 11: renamed module
    await nap(1)                                     # 12: renamed function
    page.wait_for_timeout(1000)                      # 13: Playwright's
    for item in items:
        time.sleep(0.1)                              # 15: pacing a sequence, no condition
    for _ in range(10):
        time.sleep(0.1)                              # 17: attempts, but no way out
    while True:
        time.sleep(0.1)                              # 19: for ever
    while True:
        def inner():
            return 1
        time.sleep(0.1)                              # 23: the only way out is another function's
    while not ready():
        time.sleep(0.1)                              # fine: the loop's test is the condition
    while True:
        if ready():
            break
        await asyncio.sleep(0.1)                     # fine
    for attempt in range(50):
        if ready():
            return attempt
        time.sleep(0.1)                              # fine
    for attempt in count():
        assert time.monotonic() < deadline
        try:
            return ready()
        except OSError:
            await nap(0.1)                           # fine
    while not ready():
        for item in items:
            time.sleep(0.1)                          # 42: the nearest loop is the one over items
        page.wait_for_timeout(100)                   # fine

def helper():
    import time as t
    t.sleep(2)                                       # 47
"""


def test_the_check_sees_a_planted_sleep() -> None:
    assert [line for line, _ in fixed_sleeps(ast.parse(PLANTED))] == [9, 10, 11, 12, 13, 15, 17, 19, 23, 42, 47]
    assert {function for _, function in fixed_sleeps(ast.parse(PLANTED))} == {"waits", "helper"}


def test_the_check_reads_a_tree_of_tests(tmp_path: Path) -> None:
    """The folders read: a planted sleep is found in each, with its path and function."""
    for folder in ("tests/e2e", "libs/platform/tests", "ops/tests", "services/alpha/tests/unit"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "test_x.py").write_text("import time\n\ndef test_x():\n    time.sleep(1)\n")
    (tmp_path / "libs/platform/src/thidua_platform").mkdir(parents=True)
    (tmp_path / "libs/platform/src/thidua_platform/testing.py").write_text(
        "import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n"
    )
    assert sorted(found_in(tmp_path)) == [
        ("libs/platform/src/thidua_platform/testing.py::f", 4),
        ("libs/platform/tests/test_x.py::test_x", 4),
        ("ops/tests/test_x.py::test_x", 4),
        ("services/alpha/tests/unit/test_x.py::test_x", 4),
        ("tests/e2e/test_x.py::test_x", 4),
    ]
