"""What a province sets beyond its eligibility rules: the council's quorum and the quotas of the scarce central forms
it may forward (ADR 0028). Pure."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from awards.domain.catalogue import FORMS
from awards.domain.council import DEFAULT_QUORUM_SHARE


class ProvinceSettings(BaseModel):
    """The council's quorum and the central quotas; a province that sets nothing has the defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    quorum_share: float = Field(
        default=DEFAULT_QUORUM_SHARE,
        ge=0.5,
        le=1,
        description=(
            "Tỷ lệ thành viên phải có mặt để họp, từ 1/2 đến toàn bộ, làm tròn lên / Share of members present for a "
            "quorum, from half to all, rounded up"
        ),
    )
    central_quotas: dict[str, int] = Field(
        default_factory=dict,
        description=(
            "Số suất tỉnh được trình Trung ương cho mỗi hình thức và đợt, khóa 'HÌNH_THỨC:đợt' (không có: không giới "
            "hạn) / Places the province may forward per central form and round, keyed 'FORM:round' (none: no limit)"
        ),
    )

    @field_validator("central_quotas")
    @classmethod
    def _central_forms_only(cls, quotas: dict[str, int]) -> dict[str, int]:
        for key, places in quotas.items():
            code, _, round_ = key.partition(":")
            form = FORMS.get(code)
            if form is None or form.level != "central" or round_ not in form.rounds:
                raise ValueError(
                    f"{key}: cần 'HÌNH_THỨC:đợt' của một hình thức Trung ương / a central form and one of its rounds"
                )
            if not 0 <= places <= 10_000:
                raise ValueError(f"{key}: số suất từ 0 đến 10000 / places between 0 and 10000")
        return quotas

    def central_quota(self, form: str, round_: str) -> int | None:
        """The places the province may forward for this form and round; None when it set none."""
        return self.central_quotas.get(f"{form}:{round_}")
