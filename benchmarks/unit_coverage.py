"""What the unit tier alone exercises of the services' use cases and event handlers (issue #21: "the unit tier alone
covers every use case and handler"), with no server running.

    scripts/unit-coverage            # runs the unit tier under coverage, then this

It reads coverage's data (`.coverage`, branch coverage of each service's `service/` and `consumers/`) and prints:
- each service's branch coverage of its use cases and of its handlers, and the total;
- every use case (a public function of a `service/` module, or a public method of a public class there) and every
  handler (a function a `consumers/` module registers, `handlers.on_*`) that no unit test ever entered.
Then `RESULT {...}`. It exits 1 when a use case or a handler was never entered: a new one comes with its unit test.
Functions that talk to Kafka itself (`consumers/replay.py`, rollups' rebuild) are the integration tier's.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coverage import Coverage

ROOT = Path(__file__).resolve().parents[1]
KAFKA_ITSELF = frozenset({"consumers/replay.py"})  # reads topics from offset 0: tests/e2e/test_rollups_rebuild.py


@dataclass(frozen=True)
class Unit:
    """One module's figures: branches and statements covered, and its public functions never entered."""

    service: str
    kind: str  # "use cases" or "handlers"
    module: str
    covered: int
    total: int
    never_entered: tuple[str, ...]


def kind_of(path: str) -> tuple[str, str, str] | None:
    """(service, kind, module path under the package) of a measured file, or None for a file outside the count."""
    parts = Path(path).parts
    if "services" not in parts:
        return None
    at = parts.index("services")
    service, inside = parts[at + 1], parts[at + 4 :]
    module = "/".join(inside)
    if not inside or inside[-1] == "__init__.py" or module in KAFKA_ITSELF:
        return None
    if inside[0] == "service":
        return service, "use cases", module
    if inside[0] == "consumers":
        return service, "handlers", module
    return None


def is_public(name: str, kind: str) -> bool:
    """A use case (`decide`, `Background.start`) or a registered handler (`handlers.on_score`)."""
    if not name:
        return False  # the module's own lines
    parts = name.split(".")
    if any(part.startswith("_") for part in parts):
        return False
    if kind == "handlers":
        return len(parts) == 2 and parts[1].startswith("on_")
    return len(parts) == 1 or (len(parts) == 2 and parts[0][:1].isupper())


def units(report: dict[str, Any]) -> list[Unit]:
    found = []
    for path, measured in sorted(report["files"].items()):
        where = kind_of(path)
        if where is None:
            continue
        service, kind, module = where
        summary = measured["summary"]
        never = tuple(
            name
            for name, function in measured["functions"].items()
            if is_public(name, kind) and function["summary"]["num_statements"] and not function["executed_lines"]
        )
        covered = summary["covered_lines"] + summary.get("covered_branches", 0)
        total = summary["num_statements"] + summary.get("num_branches", 0)
        found.append(Unit(service, kind, module, covered, total, never))
    return found


def percent(covered: int, total: int) -> float:
    return round(100 * covered / total, 1) if total else 100.0


def main(argv: list[str]) -> int:
    data_file = argv[0] if argv else str(ROOT / ".coverage")
    measured = Coverage(data_file=data_file)
    measured.load()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "coverage.json"
        measured.json_report(outfile=str(out))
        report = json.loads(out.read_text(encoding="utf-8"))
    found = units(report)
    by: dict[tuple[str, str], list[Unit]] = {}
    for unit in found:
        by.setdefault((unit.service, unit.kind), []).append(unit)
    print(f"{'service':<15}{'':<11}{'covered':>9}  (statements and branches)")
    for (service, kind), group in sorted(by.items()):
        covered, total = sum(u.covered for u in group), sum(u.total for u in group)
        print(f"{service:<15}{kind:<11}{percent(covered, total):>8}%  ({covered} of {total})")
    covered, total = sum(u.covered for u in found), sum(u.total for u in found)
    never = [f"{u.service}: {u.module}: {name}" for u in found for name in u.never_entered]
    print(f"{'all':<26}{percent(covered, total):>8}%  ({covered} of {total})")
    print(f"use cases and handlers no unit test entered: {len(never)}")
    for line in never:
        print(f"  {line}")
    result = {"covered_percent": percent(covered, total), "never_entered": len(never), "modules": len(found)}
    print("RESULT " + json.dumps(result))
    return 1 if never else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
