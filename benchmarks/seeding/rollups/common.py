"""What the rollups seeder's modules share: its databases and the awards it follows, and the numbers and days of
the acts the plan implies, as the awards seeder writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from awards.domain.catalogue import round_of
from benchmarks.seeding.plan import PERIODS, PROVINCE_NAME, Entrant
from thidua_contracts.terms import EntrantRef

DATABASE = "thidua_rollups"


AWARDS_DATABASE = "thidua_awards"  # where the demo communes' letterheads are


SOURCE = "thidua/benchmarks"


COMMUNE_AWARD = "GIAY_KHEN_XA"  # decided by the commune chairman


PROVINCE_AWARD = "BANG_KHEN_TINH"  # proposed by the commune, decided by the province


MAX_TOTAL = 100.0


OFFICER, CHAIR, PROVINCE_STAFF = "u-bench-officer", "u-bench-chair", "u-bench-province-staff"


PROVINCE_ISSUER = f"Chủ tịch UBND tỉnh {PROVINCE_NAME}"


RETURN_REASON = "Bổ sung minh chứng cho các tiêu chí còn thiếu"


# Numbers and days of the acts the plan implies, one of each kind per commune and period, as the awards seeder
# (benchmarks/seeding/awards/) writes them, so that both services name the same decisions and proposals: the
# period's position numbers them; a year's round is held from 1 December, a review's (sơ kết, tổng kết) from the
# 13th; the chairman decides on day 7, proposes on day 8, and the province answers two weeks later.
FIRST_NUMBER = 801


PROVINCE_FIRST_NUMBER = 2000


DECIDED_ON_DAY, PROPOSED_ON_DAY, ANSWERED_AFTER = 7, 8, timedelta(days=14)


def _period_position(period: str) -> int:
    return next(i for i, (code, _year, _share) in enumerate(PERIODS) if code == period)


def _round_day(period: str, year: int, offset: int) -> datetime:
    first = 1 if round_of(period) == "yearly" else 13
    return datetime(year, 12, first + offset, 3, tzinfo=UTC)


@cache
def _ref(entrant: Entrant) -> EntrantRef:
    return EntrantRef(
        id=entrant.id,
        name=entrant.name,
        kind=entrant.kind,
        target_group=entrant.target_group,
        unit_id=entrant.unit_id,
    )
