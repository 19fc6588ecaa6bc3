"""The showcase: a commune officer publishes an award of the commune's history with a short public story, or
withdraws it; every user of the province reads what is published.

An item's id is its history entry's id, so an award is published at most once; a withdrawn item keeps its audit and
is published again by the same request.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from awards.domain.showcase import (
    STORY_MAX,
    TITLE_MAX,
    bounded,
    consent_missing,
    public_record,
    publish_action,
    withdraws,
)
from awards.repositories import Repositories
from awards.service.common import found
from thidua_shared.audit import entry as audit
from thidua_shared.audit import now
from thidua_shared.auth import Principal
from thidua_shared.mongo import Document
from thidua_shared.pagination import PageRequest
from thidua_shared.problems import Unprocessable
from thidua_shared.repository import Reviser, Revision
from thidua_shared.tenancy import Scope

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
    title: Annotated[str, AfterValidator(bounded(TITLE_MAX)), StringConstraints(min_length=1, max_length=TITLE_MAX)]
    consent: bool = Field(
        default=False,
        description="Cá nhân đã đồng ý công khai tên và thành tích (bắt buộc khi là cá nhân) / "
        "The individual agreed to their name and achievements being published (required for individuals)",
    )
    story: Annotated[str, AfterValidator(bounded(STORY_MAX)), StringConstraints(min_length=1, max_length=STORY_MAX)]


async def publish(
    *, repos: Repositories, principal: Principal, scope: Scope, history_id: str, request: ShowcaseRequest
) -> Document:
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
    at = now()
    text = {"title": request.title, "story": request.story}
    document = {
        "_id": history["_id"],
        "tenant": history["tenant"],
        "province": history["province"],
        **public_record(history),
        **text,
        "status": "published",
        "published_at": at,
        "updated_at": at,
        "audit": [audit(principal.user_id, "published", at, status="published", consent=request.consent, **text)],
    }
    if not await repos.showcase.add(document):  # published before: change what this request changes, if anything
        await repos.showcase.revise(scope, history["_id"], _publishing(principal, text, request.consent))
    return found(await repos.showcase.get(scope, history["_id"]), ITEM)  # as stored: the same answer on a replay


def _publishing(principal: Principal, text: dict[str, str], consent: bool) -> Reviser:
    """The revision publishing this title and story makes to an item that exists (None: it has them already); the
    audit entry records whether the officer confirmed the person's consent."""
    at = now()

    async def change(current: Document) -> Revision | None:
        action = publish_action(current, title=text["title"], story=text["story"])
        if action is None:
            return None
        fields: dict[str, Any] = {**text, "status": "published", "updated_at": at}
        if action == "published":  # again, after a withdrawal: it comes first in the list again
            fields["published_at"] = at
        changes = {k: v for k, v in fields.items() if k != "updated_at"}
        entry = audit(principal.user_id, action, at, consent=consent, **changes)
        return Revision({"$set": fields, "$push": {"audit": entry}})

    return change


async def withdraw(*, repos: Repositories, principal: Principal, scope: Scope, history_id: str) -> None:
    """Take an item off the showcase (404 unless the commune published it; an item already withdrawn stays so)."""
    found(await repos.showcase.get(scope, history_id), ITEM)
    at = now()

    async def change(current: Document) -> Revision | None:
        if not withdraws(current):
            return None
        return Revision(
            {
                "$set": {"status": "withdrawn", "updated_at": at},
                "$push": {"audit": audit(principal.user_id, "withdrawn", at, status="withdrawn")},
            }
        )

    await repos.showcase.revise(scope, history_id, change)


async def published(*, repos: Repositories, scope: Scope, paging: PageRequest) -> tuple[list[Document], int]:
    """The items published within the scope (a province: every commune of it), newest first."""
    return await repos.showcase.page(
        scope, {"status": "published"}, skip=paging.skip, limit=paging.page_size, sort=("published_at", -1)
    )
