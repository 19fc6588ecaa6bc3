"""Seeds the province's showcase: the first units a commune awarded in a round, published a few days after the
award."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from awards.domain.aggregates import HistoryEntry
from awards.service.showcase import new_entry
from benchmarks.seeding.awards.common import SHOWN_PER_ROUND
from benchmarks.seeding.awards.people import People, _user_id
from thidua_platform.mongo import Document


def _showcased(history: list[Document], people: People) -> list[Document]:
    """showcase.publish: the round's first units awarded, published by the commune a few days after the award."""
    units = [h for h in history if h["entrant"]["kind"] != "individual"][:SHOWN_PER_ROUND]
    return [
        dict(
            new_entry(
                cast(HistoryEntry, entry),
                title=f"Điển hình: {entry['entrant']['name']}",
                story="Đơn vị tiêu biểu trong phong trào thi đua đổi mới sáng tạo và chuyển đổi số của xã.",
                consent=False,
                actor=_user_id(people.chair.username),
                at=entry["recorded_at"] + timedelta(days=3),
            )
        )
        for entry in units
    ]
