"""What the submissions seeder's modules share: the database, the benchmark's officer and the days its history
happens on, and the ids and change nonces derived from the plan, so that a second run builds the same documents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from benchmarks.seeding.plan import PROVINCE, Dossier
from thidua_platform.envelope import derived_id

DATABASE = "thidua_submissions"


TEMPLATE_CODE = "cds-2025-2030"  # the movement's template, published by the province (deploy/demo.py)


# The benchmark's commune officer: adopts the campaign, imports the entrants, returns dossiers. Its campaigns are
# recognised by it, so that `forget` removes a demo commune's campaign only when the benchmark adopted it.
OFFICER = "u-bench-officer"


# Before the first period's first dossier (1 March 2025): the campaign is adopted, then the entrants imported.
ADOPTED_AT = datetime(2025, 1, 15, 2, 0, tzinfo=UTC)


IMPORTED_AT = datetime(2025, 2, 1, 2, 0, tzinfo=UTC)


# The plan files dossiers from 1 March of the period's year; a commune whose period would open later (2025, sơ kết,
# tổng kết open on 1 July) opens it on 1 March itself, as an officer does with PUT /campaigns/{id}/periods/{code}.
OPENS_BY = (3, 1)


REGISTERED_BEFORE = timedelta(hours=1)


RETURNED_AFTER = timedelta(days=2)


WITHDRAWN_AFTER = timedelta(days=3)


RETURN_REASON = "Bổ sung thuyết minh và minh chứng cho tiêu chí này."


CORRECTED = "Đã bổ sung thuyết minh và minh chứng theo yêu cầu của cán bộ Văn hóa - Xã hội."


WITHDRAW_REASON = "Đơn vị xin rút hồ sơ để hoàn thiện lại."


NARRATIVE = "Đã triển khai đầy đủ theo kế hoạch của xã; báo cáo kết quả và minh chứng lưu tại đơn vị."


DELETE_STREAMS = 4


SetKey = tuple[str, str]  # (period code, target group)


def _nonce(document_id: str, revision: int) -> str:
    """The change-record nonce a revision records in `applied_changes`, derived so that reseeding is stable."""
    return derived_id("bench-change", document_id, revision).hex


def _applied(document_id: str, revisions: Iterable[int]) -> list[str]:
    return [_nonce(document_id, revision) for revision in revisions]


def _template_id() -> str:
    return str(derived_id("template", PROVINCE, TEMPLATE_CODE))


def _campaign_id(tenant: str) -> str:
    return str(derived_id("campaign", tenant, _template_id()))


def _registration_id(dossier: Dossier) -> str:
    return str(derived_id("registration", dossier.tenant, dossier.period, dossier.entrant.id))
