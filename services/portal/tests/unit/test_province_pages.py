"""The province's pages render whatever the rollups answer, including a commune whose index has no overall figure
yet (its indicators not all reported): the province benchmark's grown province made the dashboard answer 500."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request

from portal.i18n import Translator
from portal.web import template_environment

FRESHNESS = {"last_event_time": None, "last_applied_at": None, "lag": 0, "pending_summaries": 0}
NO_OVERALL = {"overall": None, "digital_government": 0.4, "digital_economy": None, "digital_society": None}


def rendered(template: str, **context: Any) -> str:
    request = Request({"type": "http", "method": "GET", "path": "/province", "query_string": b"", "headers": []})
    return template_environment().get_template(template).render(
        t=Translator("vi"), lang="vi", request=request, here="/province", session=None, principal=None, menu=[],
        csrf="", flash=None, new_key=lambda: str(uuid.uuid4()), errors={}, values={}, **context,
    )  # fmt: skip


def commune(index: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "commune": "ph-37-thi-dua", "name": "Xã Thi Đua", "rank": 1, "index_rank": None, "scored": 3,
        "average_score": 81.5, "grades": {}, "awards": {"total": 0, "by_form": {}}, "pending_upward": 0,
        "index": index, "in_progress": None,
    }  # fmt: skip


def test_the_dashboard_shows_a_dash_for_an_index_without_an_overall_figure() -> None:
    page = rendered(
        "province/dashboard.html", province="37", province_name="Tỉnh Ninh Bình", periods=["2026"], period="2026",
        communes=[commune(NO_OVERALL), commune({**NO_OVERALL, "overall": 0.625})],
        totals={"communes": 2, "scored": 6, "average_score": 81.5, "awards": {"total": 0, "by_form": {}},
                "pending_upward": 0, "index": NO_OVERALL, "proposals": {}},
        forms={}, by_form=[], outcomes={}, freshness=FRESHNESS, total=2, number=1, last=1,
    )  # fmt: skip
    assert page.count('data-commune="ph-37-thi-dua"') == 2
    assert "62,5 (–)" in page


def test_the_dashboard_ranks_a_page_of_communes_among_all_of_them() -> None:
    """129 communes: the rollups rank all of them and send 20 a page; the dashboard says how many there are and
    pages on with the period kept."""
    page = rendered(
        "province/dashboard.html", province="37", province_name="Tỉnh Ninh Bình", periods=["2026"], period="2026",
        communes=[commune(None)], totals={"communes": 129, "scored": 3, "average_score": 81.5,
        "awards": {"total": 0, "by_form": {}}, "pending_upward": 0, "index": None, "proposals": {}},
        forms={}, by_form=[], outcomes={}, freshness=FRESHNESS, total=129, number=2, last=7,
    )  # fmt: skip
    assert 'data-testid="communes-total">129<' in page
    assert "Trang 2 / 7" in page
    assert 'href="?period=2026&amp;page=3" rel="next"' in page
    past = rendered(
        "province/dashboard.html", province="37", province_name="Tỉnh Ninh Bình", periods=["2026"], period="2026",
        communes=[],
        totals={"communes": 129, "scored": 0, "average_score": None, "awards": {"total": 0, "by_form": {}},
                "pending_upward": 0, "index": None, "proposals": {}},
        forms={}, by_form=[], outcomes={}, freshness=FRESHNESS, total=129, number=9, last=7,
    )  # fmt: skip
    assert "Trang này không còn xã nào" in past
    assert 'href="?period=2026"' in past


def test_a_commune_page_leaves_out_an_index_without_an_overall_figure() -> None:
    page = rendered(
        "province/commune.html", commune="ph-37-thi-dua", name="Xã Thi Đua", periods=["2026"], period="2026",
        figures=commune(NO_OVERALL), entrants=[], total=0, number=1, last=1, forms={}, freshness=FRESHNESS,
    )  # fmt: skip
    assert "<dt>Chỉ số chuyển đổi số</dt>" not in page
    assert "<h1>Xã Thi Đua</h1>" in page


def entrant(name: str, total: float | None) -> dict[str, Any]:
    return {
        "submission_id": f"s-{name}", "period": "2026", "entrant_id": f"e-{name}", "entrant_name": name,
        "entrant_kind": "unit", "target_group": "a", "status": None, "total": total, "grade": None, "awards": [],
    }  # fmt: skip


def test_a_communes_entrants_come_a_page_at_a_time_with_the_period_kept() -> None:
    page = rendered(
        "province/commune.html", commune="ph-37-thi-dua", name="Xã Thi Đua", periods=["2026"], period="2026",
        figures=commune(None), entrants=[entrant("Thôn A", 95.0), entrant("Thôn B", 81.0)], total=120, number=2,
        last=3, forms={}, freshness=FRESHNESS,
    )  # fmt: skip
    assert "(120)" in page
    assert "Trang 2 / 3" in page
    assert 'href="?period=2026&amp;page=1" rel="prev"' in page
    assert 'href="?period=2026&amp;page=3" rel="next"' in page
    assert page.index("Thôn A") < page.index("Thôn B")  # as the rollups sorted them


def test_a_page_past_the_last_of_a_commune_leads_back_to_the_first() -> None:
    page = rendered(
        "province/commune.html", commune="ph-37-thi-dua", name="Xã Thi Đua", periods=["2026"], period="2026",
        figures=commune(None), entrants=[], total=12, number=9, last=1, forms={}, freshness=FRESHNESS,
    )  # fmt: skip
    assert "Trang này không còn đối tượng nào" in page
    assert 'href="?period=2026"' in page
