from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from rollups.domain import aggregates
from rollups.domain.lifecycle import ReportStatus
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.pagination import Page
from thidua_platform.text import TextRule


class GroupFigures(BaseModel):
    scored: int
    average_score: float | None


class ThemeFigures(BaseModel):
    scored: int
    average_points: float | None
    max_points: float | None


class AwardFigures(BaseModel):
    total: int
    by_form: dict[str, int]
    by_level: dict[str, int]
    by_kind: dict[str, int]
    ad_hoc: int = Field(default=0, description="Trong đó khen thưởng đột xuất / Of which ad-hoc awards")


class IndexFigures(BaseModel):
    """The commune digital-transformation index (chỉ số chuyển đổi số cấp xã), 0–1 overall and per pillar."""

    overall: float | None
    digital_government: float | None
    digital_economy: float | None
    digital_society: float | None


class InProgress(BaseModel):
    """Work the commune is still doing; shown to the commune only."""

    submitted: int = 0
    returned: int = 0
    withdrawn: int = 0
    awaiting_score: int = 0
    candidates: int = 0


class Figures(BaseModel):
    scored: int
    average_score: float | None
    grades: dict[str, int]
    bands: dict[str, int]
    groups: dict[str, GroupFigures]
    themes: dict[str, ThemeFigures]
    awards: AwardFigures
    proposals: dict[str, int]
    pending_upward: int
    index: IndexFigures | None
    in_progress: InProgress | None


class CommuneRow(Figures):
    commune: str
    name: str = Field(description="Tên xã như khi cấp (Xã Liên Minh); mã xã khi chưa có tên / the commune's name")
    rank: int | None
    index_rank: int | None


class Freshness(BaseModel):
    """How current the figures are: the last event applied, how many events the rollups have not applied yet (None if
    Kafka did not answer), and how many communes' summaries are waiting to be recomputed."""

    last_event_time: datetime | None
    last_applied_at: datetime | None
    lag: int | None
    pending_summaries: int


class CommuneFiguresResponse(BaseModel):
    figures: CommuneRow
    freshness: Freshness


class ProvinceFigures(BaseModel):
    """A page of the province's communes, ranked (`communes`: every commune of the province, those without figures
    yet with zeros and no rank), how many communes there are (`total`), and the province's totals over all of them."""

    province: str
    province_name: str = Field(description="Tên tỉnh (Tỉnh Ninh Bình); trống khi chưa có tên / its name, if known")
    period: str | None
    communes: list[CommuneRow]
    total: int
    page: int
    page_size: int
    totals: Figures
    freshness: Freshness


class UnitName(BaseModel):
    commune: str
    name: str


class ProvinceUnits(BaseModel):
    """The province's name (empty when unknown) and its communes by name, as provisioned (Keycloak organizations)."""

    province: str
    name: str
    communes: list[UnitName]


class EntrantRow(BaseModel):
    submission_id: str
    period: str | None
    entrant_id: str | None
    entrant_name: str | None
    entrant_kind: str | None
    target_group: str | None
    status: str | None
    total: float | None
    grade: str | None
    awards: list[dict[str, str]]


class EntrantsResponse(Page[EntrantRow]):
    """A page of a commune's entrants, the best final score first (those without one last, then by name)."""

    commune: str
    period: str | None
    freshness: Freshness


class LetterheadBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issuing_body: Annotated[str, TextRule(max_length=200, multi_line=False)] = Field(
        description="VD: ỦY BAN NHÂN DÂN XÃ LIÊN MINH"
    )
    parent_body: Annotated[str, TextRule(max_length=200, min_length=0, multi_line=False)] = Field(
        default="", description="VD: TỈNH NINH BÌNH"
    )
    place: Annotated[str, TextRule(max_length=100, multi_line=False)] = Field(
        description="Địa danh ghi ngày tháng / place in the date line"
    )


class ReportRequest(BaseModel):
    """A commune's report (`commune`) or a province's consolidated report (`province`) for a period."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["commune", "province"]
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    commune: str | None = Field(
        default=None, min_length=1, max_length=64, description="Báo cáo xã: mã xã / a commune's"
    )
    province: str | None = Field(default=None, min_length=1, max_length=16, description="Báo cáo tỉnh: mã tỉnh")
    letterhead: LetterheadBody | None = None

    @property
    def code(self) -> str:
        return (self.commune if self.kind == "commune" else self.province) or ""


class ReportJob(BaseModel):
    id: str
    kind: str
    code: str
    period: str
    status: ReportStatus
    progress: int
    step: str
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    files: dict[str, str]

    @classmethod
    def of(cls, job: aggregates.ReportJob) -> ReportJob:
        base = f"/rollups/reports/{job['_id']}"
        files = (
            {"workbook": f"{base}/report.xlsx", "narrative": f"{base}/report.pdf"} if job["status"] == "ready" else {}
        )
        return cls.model_validate({**job, "id": job["_id"], "files": files})
