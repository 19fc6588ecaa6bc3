"""A report job's lifecycle: its statuses and the moves between them. Pure rules, no I/O.

queued (asked for) ──generation starts──► running ──files made──► ready
                                            └──an error──► failed (with its reason)
queued | running, unfinished after STALE_AFTER (the API process stopped) ──read again──► failed (interrupted)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

ReportStatus = Literal["queued", "running", "ready", "failed"]

OPEN: tuple[ReportStatus, ...] = ("queued", "running")  # not finished: counts against a person's open reports
MAX_OPEN_PER_USER = 3  # reports queued or running for one person
STALE_AFTER = timedelta(minutes=15)  # a job still unfinished then was cut off (the API process stopped)


def is_interrupted(status: str, created_at: datetime, now: datetime) -> bool:
    """An open job older than STALE_AFTER: nothing is generating it any more."""
    return status in OPEN and now - created_at > STALE_AFTER


def has_files(status: str) -> bool:
    """Only a ready job's files may be read."""
    return status == "ready"
