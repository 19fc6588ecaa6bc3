"""The awards lists come a page at a time (issue #19): province staff's proposals received show the pending and the
decided ones each with its own pager, and the pages that need a commune period's whole list read it page by page,
up to a bound."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, cast

from starlette.requests import Request

from portal.i18n import Translator
from portal.listing import PAGE_SIZE, every
from portal.web import Page, template_environment


def rendered(template: str, **context: Any) -> str:
    request = Request({"type": "http", "method": "GET", "path": "/province", "query_string": b"", "headers": []})
    return template_environment().get_template(template).render(
        t=Translator("vi"), lang="vi", request=request, here="/province", session=None, principal=None, menu=[],
        csrf="", flash=None, new_key=lambda: str(uuid.uuid4()), errors={}, values={}, **context,
    )  # fmt: skip


def proposal(number: int, status: str) -> dict[str, Any]:
    return {
        "id": f"p-{number}", "number": f"{number}/TTr-UBND", "signed_on": "2026-12-12", "tenant": "ph-37-lien-minh",
        "award_form": "BANG_KHEN_TINH", "period": "2026", "recipients": [{"entrant": {"name": f"Thôn {number}"}}],
        "status": status, "status_name": "Đã trình tỉnh / Submitted to the province",
    }  # fmt: skip


def listed(items: list[dict[str, Any]], total: int, number: int, last: int) -> dict[str, Any]:
    return {"items": items, "total": total, "number": number, "last": last}


def test_pending_and_decided_proposals_are_paged_each_on_its_own() -> None:
    page = rendered(
        "province/proposals.html", periods=["2025", "2026"], period="2026", forms={}, names={},
        pending=listed([proposal(1, "submitted_to_province")], 41, 2, 3),
        decided=listed([proposal(2, "province_awarded")], 25, 1, 2),
    )  # fmt: skip
    assert "Chờ tỉnh xét (41)" in page
    assert "Đã có kết quả (25)" in page
    assert "Trang 2 / 3" in page
    # each pager moves its own list and keeps the period and the other list's page
    assert 'href="?period=2026&amp;decided=1&amp;pending=1" rel="prev"' in page
    assert 'href="?period=2026&amp;decided=1&amp;pending=3" rel="next"' in page
    assert 'href="?period=2026&amp;pending=2&amp;decided=2" rel="next"' in page
    assert 'aria-label="Trang tờ trình chờ xét"' in page
    assert 'aria-label="Trang tờ trình đã có kết quả"' in page
    assert page.index('data-testid="pending"') < page.index("p-1") < page.index('data-testid="decided"')
    assert page.index('data-testid="decided"') < page.index("p-2")


def test_a_page_past_the_last_leads_back_to_the_first_and_all_periods_can_be_chosen() -> None:
    page = rendered(
        "province/proposals.html", periods=["2025", "2026"], period="", forms={}, names={},
        pending=listed([], 3, 7, 1), decided=listed([], 0, 1, 1),
    )  # fmt: skip
    assert "Trang này không còn tờ trình nào" in page
    assert 'href="?period=&amp;decided=1"' in page
    assert "Chưa có tờ trình nào có kết quả" in page
    assert 'rel="next"' not in page
    assert '<option value="" selected>Tất cả các kỳ</option>' in page


class Lists:
    """What a service answers a portal page: `count` items, a page at a time, with the requests noted."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.asked: list[dict[str, Any]] = []

    async def get(self, service: str, path: str, **params: Any) -> dict[str, Any]:
        self.asked.append({"service": service, "path": path, **params})
        start = (params["page"] - 1) * params["page_size"]
        items = [{"id": i} for i in range(start, min(start + params["page_size"], self.count))]
        return {"items": items, "total": self.count, "page": params["page"], "page_size": params["page_size"]}


def read(count: int, **options: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    lists = Lists(count)
    items = asyncio.run(every(cast(Page, lists), "awards", "/candidates", period="2026", **options))
    return items, lists.asked


def test_a_whole_list_is_read_page_by_page_in_the_services_order() -> None:
    items, asked = read(2 * PAGE_SIZE + 1)
    assert [i["id"] for i in items] == list(range(2 * PAGE_SIZE + 1))
    assert [(a["page"], a["page_size"], a["period"]) for a in asked] == [(n, PAGE_SIZE, "2026") for n in (1, 2, 3)]
    items, asked = read(0)
    assert items == []
    assert len(asked) == 1
    items, asked = read(PAGE_SIZE)
    assert len(items) == PAGE_SIZE
    assert len(asked) == 1  # the total says there is no second page


def test_a_whole_list_stops_at_its_bound() -> None:
    items, asked = read(10 * PAGE_SIZE, most=2 * PAGE_SIZE + 5)
    assert len(items) == 2 * PAGE_SIZE + 5
    assert len(asked) == 3


def dossier(number: int) -> dict[str, Any]:
    return {
        "id": f"d-{number}", "entrant": {"name": f"Thôn {number}"}, "status": "draft",
        "status_name": "Nháp / Draft", "updated_at": "2026-03-01T08:00:00+00:00",
    }  # fmt: skip


PERIODS = [{"code": "2026", "is_open": True}]


def test_a_periods_dossiers_come_twenty_a_page_newest_first() -> None:
    """The list of dossiers reads a page (it read up to 200 at once): 129 dossiers make 7 pages, the period kept."""
    page = rendered(
        "submitter/dossiers.html", periods=PERIODS, period="2026", dossiers=[dossier(1), dossier(2)], entrants=[],
        total=129, number=2, last=7, problem="",
    )  # fmt: skip
    assert "Trang 2 / 7" in page
    assert page.index("d-1") < page.index("d-2")
    assert 'href="?period=2026&amp;page=3" rel="next"' in page
    assert 'href="?period=2026&amp;page=1" rel="prev"' in page
    past = rendered(
        "submitter/dossiers.html", periods=PERIODS, period="2026", dossiers=[], entrants=[], total=129, number=9,
        last=7, problem="",
    )  # fmt: skip
    assert "Trang này không còn hồ sơ nào" in past
    assert 'href="?period=2026"' in past
