"""A submission (hồ sơ thi đua): one entrant's dossier for one period. Pure rules, no I/O."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from thidua_shared.events import CriterionEvidence, EntrantKind, TargetGroup
from thidua_shared.text import ShortText

INDIVIDUAL_GROUPS = {"d1", "d2"}


class SubmissionStatus(StrEnum):
    DRAFT = "draft"  # nháp
    SUBMITTED = "submitted"  # đã nộp


class EntrantInput(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: ShortText = Field(description="Tên đơn vị hoặc cá nhân / Name of the unit or person")
    kind: EntrantKind
    target_group: TargetGroup = Field(description="Nhóm đối tượng a, b, c, d1, d2 / Target group")

    @model_validator(mode="after")
    def _group_matches_kind(self) -> EntrantInput:
        if self.kind == "individual" and self.target_group not in INDIVIDUAL_GROUPS:
            raise ValueError("cá nhân thuộc nhóm d1 hoặc d2 / individuals belong to group d1 or d2")
        if self.kind == "collective" and self.target_group in INDIVIDUAL_GROUPS:
            raise ValueError("tập thể thuộc nhóm a, b hoặc c / collectives belong to group a, b or c")
        return self


class NewSubmission(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    period: str = Field(pattern=r"^20(2[5-9]|30)$", description="Năm của kỳ thi đua / Period year, 2025–2030")
    entrant: EntrantInput
    criteria: list[CriterionEvidence] = Field(min_length=1, max_length=100)

    @field_validator("criteria")
    @classmethod
    def _codes_unique(cls, criteria: list[CriterionEvidence]) -> list[CriterionEvidence]:
        codes = [c.code for c in criteria]
        if len(codes) != len(set(codes)):
            raise ValueError("mã tiêu chí bị trùng / duplicate criterion codes")
        return criteria


class TransitionRefused(Exception):
    """A lifecycle step that the current status does not allow."""


def can_submit(status: SubmissionStatus) -> None:
    if status is not SubmissionStatus.DRAFT:
        raise TransitionRefused(f"hồ sơ ở trạng thái {status.value} không thể nộp / cannot submit from {status.value}")
