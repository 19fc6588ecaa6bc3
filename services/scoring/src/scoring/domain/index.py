"""The commune digital-transformation index (chỉ số chuyển đổi số cấp xã). Pure.

Modelled on the provincial DTI as QĐ 405/QĐ-BKHCN publishes it: each pillar normalised to 0..1. A pillar is the mean
of its indicators' attainment, min(value / target, 1); the overall is the weighted mean of the pillars that have data.
Which themes feed which pillar, and the weights, are configurable per province.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

PILLARS = ("digital_government", "digital_economy", "digital_society")


class IndexSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    weights: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=lambda: {"digital_government": 0.4, "digital_economy": 0.3, "digital_society": 0.3}
    )
    themes: dict[str, tuple[Annotated[int, Field(ge=1, le=7)], ...]] = Field(
        default_factory=lambda: {"digital_government": (1, 3, 6), "digital_economy": (2, 4), "digital_society": (5, 7)}
    )

    @model_validator(mode="after")
    def _complete(self) -> IndexSettings:
        if set(self.weights) != set(PILLARS) or set(self.themes) != set(PILLARS):
            raise ValueError(f"cần đủ ba trụ cột / weights and themes for exactly {', '.join(PILLARS)}")
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("trọng số không âm, tổng dương / weights must be non-negative with a positive sum")
        return self


@dataclass(frozen=True)
class Observation:
    theme: int
    value: float
    target: float


@dataclass(frozen=True)
class CommuneIndex:
    pillars: dict[str, float | None]
    overall: float | None
    indicators: int


def attainment(observation: Observation) -> float:
    return min(max(observation.value, 0.0) / observation.target, 1.0) if observation.target > 0 else 0.0


def commune_index(observations: Iterable[Observation], settings: IndexSettings) -> CommuneIndex:
    seen = list(observations)
    pillars: dict[str, float | None] = {}
    for pillar in PILLARS:
        values = [attainment(o) for o in seen if o.theme in settings.themes[pillar]]
        pillars[pillar] = round(sum(values) / len(values), 4) if values else None
    weighted = [(settings.weights[p], v) for p, v in pillars.items() if v is not None]
    weight = sum(w for w, _v in weighted)
    overall = round(sum(w * v for w, v in weighted) / weight, 4) if weighted and weight > 0 else None
    return CommuneIndex(pillars=pillars, overall=overall, indicators=len(seen))
