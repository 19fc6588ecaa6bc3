"""The moves of a report job (rollups.domain.lifecycle)."""

from __future__ import annotations

from datetime import UTC, datetime

from rollups.domain.lifecycle import STALE_AFTER, has_files, is_interrupted

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def test_an_open_job_left_past_its_time_was_interrupted_and_a_finished_one_never_is() -> None:
    long_ago = NOW - STALE_AFTER - STALE_AFTER / 100
    assert is_interrupted("queued", long_ago, NOW)
    assert is_interrupted("running", long_ago, NOW)
    assert not is_interrupted("running", NOW - STALE_AFTER / 2, NOW)
    assert not is_interrupted("ready", long_ago, NOW)
    assert not is_interrupted("failed", long_ago, NOW)


def test_only_a_ready_job_has_files() -> None:
    assert has_files("ready")
    assert not any(has_files(status) for status in ("queued", "running", "failed"))
