"""The showcase: a commune officer publishes an award of the commune's history with a short public story, or
withdraws it; every user of the province reads what is published.

An item's id is its history entry's id, so an award is published at most once; a withdrawn item keeps its audit and
is published again by the same request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from awards.domain.aggregates import HistoryEntry, ShowcaseEntry
from awards.domain.showcase import (
    STORY_MAX,
    TITLE_MAX,
    consent_missing,
    public_record,
)
from awards.repository import Repositories
from awards.service.common import found
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import TextRule

HISTORY = "khen thưởng trong lịch sử của xã / award in the commune's history"
ITEM = "mục đã đăng / published item"


class ShowcaseRequest(BaseModel):
    """The public story of one award (nhân rộng điển hình tiên tiến)."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Thôn Đông Hưng: họp thôn trực tuyến, sổ sách số hóa",
                    "story": "Thôn số hóa toàn bộ sổ sách và họp thôn trực tuyến hằng tháng; 95% hộ dân dùng "
                    "dịch vụ công trực tuyến.",
                }
            ]
        },
    )
    title: Annotated[str, TextRule(max_length=TITLE_MAX, multi_line=False)]
    consent: bool = Field(
        default=False,
        description="Cá nhân đã đồng ý công khai tên và thành tích (bắt buộc khi là cá nhân) / "
        "The individual agreed to their name and achievements being published (required for individuals)",
    )
    story: Annotated[str, TextRule(max_length=STORY_MAX)]


async def publish(
    *, repos: Repositories, principal: Principal, scope: Scope, history_id: str, request: ShowcaseRequest
) -> ShowcaseEntry:
    """Publish an award of the commune's own history (404 for any other id), or change its story. The same request
    again changes nothing."""
    history = found(await repos.history.get(scope, history_id), HISTORY)
    if consent_missing(history, request.consent):
        raise Unprocessable(
            "Cần sự đồng ý của cá nhân / The individual's consent is needed",
            errors=[
                {
                    "field": "consent",
                    "message": "Xác nhận cá nhân đã đồng ý công khai tên và thành tích / "
                    "Confirm the person agreed to their name and achievements being published",
                }
            ],
        )
    document = new_entry(
        history, title=request.title, story=request.story, consent=request.consent, actor=principal.user_id, at=now()
    )
    if not await repos.showcase.add(document):  # published before: change what this request changes, if anything
        await repos.showcase.publish_again(
            scope,
            history["_id"],
            title=request.title,
            story=request.story,
            consent=request.consent,
            actor=principal.user_id,
            at=now(),
        )
    return found(await repos.showcase.get(scope, history["_id"]), ITEM)  # as stored: the same answer on a replay


def new_entry(
    history: HistoryEntry, *, title: str, story: str, consent: bool, actor: str, at: datetime
) -> ShowcaseEntry:
    """The showcase's item for an award of the history, published now: what the province may read of the award
    (`public_record`), the title and story, and its audit entry (who published it, with the person's consent)."""
    record = public_record(history)
    return {
        "_id": history["_id"],
        "tenant": history["tenant"],
        "province": history["province"],
        "entrant_name": record["entrant_name"],
        "entrant_kind": record["entrant_kind"],
        "award_form": record["award_form"],
        "award_name": record["award_name"],
        "level": record["level"],
        "period": record["period"],
        "decision_number": record["decision_number"],
        "decision_signed_on": record["decision_signed_on"],
        "title": title,
        "story": story,
        "status": "published",
        "published_at": at,
        "updated_at": at,
        "audit": [audit(actor, "published", at, status="published", consent=consent, title=title, story=story)],
    }


async def withdraw(*, repos: Repositories, principal: Principal, scope: Scope, history_id: str) -> None:
    """Take an item off the showcase (404 unless the commune published it; an item already withdrawn stays so)."""
    found(await repos.showcase.get(scope, history_id), ITEM)
    at = now()
    await repos.showcase.withdraw(
        scope, history_id, audit=audit(principal.user_id, "withdrawn", at, status="withdrawn")
    )


async def published(*, repos: Repositories, scope: Scope, paging: PageRequest) -> tuple[list[ShowcaseEntry], int]:
    """The items published within the scope (a province: every commune of it), newest first."""
    return await repos.showcase.page(
        scope, {"status": "published"}, skip=paging.skip, limit=paging.page_size, sort=("published_at", -1)
    )
