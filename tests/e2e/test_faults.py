"""The reduced fault run, in CI: dossiers submitted across communes of two provinces while every worker is
SIGKILLed once, the broker is restarted once and the database is restarted once; afterwards nothing is lost,
doubled or stuck (`tests/e2e/faults.py`; the full run: `.venv/bin/python -m tests.e2e.faults`)."""

from __future__ import annotations

import os

import pytest

from .conftest import RUN_SUMMARY
from .faults import drive

SUBMISSIONS = int(os.environ.get("THIDUA_FAULT_SUBMISSIONS", "90"))


def test_nothing_is_lost_doubled_or_stuck_through_kills_and_restarts(request: pytest.FixtureRequest) -> None:
    report = drive(SUBMISSIONS)
    for line in report.lines():
        print(line)
    request.config.stash.setdefault(RUN_SUMMARY, []).extend(report.lines())
    assert len(report.faults) == 7, report.faults  # five workers killed, the broker and the database restarted
    assert report.submitted == SUBMISSIONS
    assert not any(report.lost.values()), report.lost
    assert not any(report.duplicated.values()), report.duplicated
    assert not any(report.stuck.values()), report.stuck
    assert not any(report.outbox_backlog.values()), report.outbox_backlog
