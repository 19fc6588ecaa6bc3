"""The test suite twice on one stack: the second run must pass too, and take about as long as the first (issue #19
part 6: a suite that slows down with use means some read grows with the data earlier runs left behind).

Run with the stack up (`deploy/stack up`); CI runs it through `.ci/run`:

    .venv/bin/python -m benchmarks.suite_twice

It runs the README's test command, `scripts/test`, twice (each run: lint, types, and every test), echoing both,
and prints each run's test time (the "tests took" line of scripts/test) and their ratio, then `RESULT {...}`.
It fails when a run fails, and when the second run's tests take more than MAX_RATIO times the first's (the
issue's target: a suite that slows down with use is a defect even when every test passes).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOK = re.compile(r"^tests took (\d+)s$", re.MULTILINE)
MAX_RATIO = 1.2


def run_once(label: str) -> tuple[int, float]:
    """One `scripts/test` run, echoed as it goes; its test seconds and its whole wall time."""
    print(f"== suite, {label} run", flush=True)
    began = time.monotonic()
    process = subprocess.Popen(
        [str(ROOT / "scripts/test")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    if process.wait() != 0:
        raise SystemExit(f"the {label} run of scripts/test failed (exit {process.returncode})")
    found = TOOK.search("".join(lines))
    if found is None:
        raise SystemExit(f"the {label} run printed no 'tests took' line")
    return int(found.group(1)), time.monotonic() - began


def main() -> None:
    status = [str(ROOT / ".venv/bin/python"), "deploy/stack.py", "status"]
    if subprocess.run(status, cwd=ROOT, stdout=subprocess.DEVNULL).returncode != 0:
        raise SystemExit("start the stack first (deploy/stack up): both runs must share it")
    first, first_wall = run_once("first")
    second, second_wall = run_once("second")
    ratio = second / max(first, 1)
    print(f"tests: first run {first} s, second run {second} s on the same stack: {ratio:.2f}× the first")
    result = {
        "first_tests_s": first,
        "second_tests_s": second,
        "second_over_first": round(ratio, 2),
        "first_wall_s": round(first_wall),
        "second_wall_s": round(second_wall),
        "at": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    }
    print("RESULT " + json.dumps(result))
    if ratio > MAX_RATIO:
        raise SystemExit(f"the second run took {ratio:.2f}× the first, over {MAX_RATIO}×: a read grows with use")


if __name__ == "__main__":
    main()
