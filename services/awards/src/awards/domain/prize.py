"""Prize money (tiền thưởng): a province's settings and the amount each recipient of a decision gets. Pure.

Amount = coefficient of the form and recipient kind × the base salary (lương cơ sở) in force on the day the decision is
signed, rounded up to the rounding unit (10,000 đồng by default). The defaults are NĐ 98/2023/NĐ-CP Điều 70–75 (kept by
NĐ 152/2025/NĐ-CP) and the base salary of NĐ 73/2024/NĐ-CP; docs/adr/0025-prize-money.md lists each with its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from awards.domain.catalogue import FORMS
from thidua_contracts.terms import EntrantKind

MAX_AMOUNT = 1_000_000_000  # đồng: far above any base salary, below anything a typo would give
KINDS: tuple[EntrantKind, ...] = ("collective", "individual")
KIND_WORDS: dict[EntrantKind, str] = {"collective": "tập thể", "individual": "cá nhân"}


class BaseSalary(BaseModel):
    """The base salary (lương cơ sở) from a day on, until the next entry's day."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    amount: int = Field(gt=0, le=MAX_AMOUNT, description="Mức lương cơ sở, đồng / Base salary in đồng")
    effective_from: date = Field(description="Áp dụng từ ngày / In force from")


class Coefficient(BaseModel):
    """How many base salaries a form's recipient gets, per recipient kind (None: the form is not given to that kind)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    award_form: str = Field(description="Mã hình thức trong danh mục / The form's code in the catalogue")
    collective: float | None = Field(default=None, ge=0, le=1000, description="Hệ số cho tập thể / For a collective")
    individual: float | None = Field(default=None, ge=0, le=1000, description="Hệ số cho cá nhân / For an individual")

    @field_validator("award_form")
    @classmethod
    def _known(cls, code: str) -> str:
        if code not in FORMS:
            raise ValueError(f"hình thức không có trong danh mục / unknown award form, must be one of {sorted(FORMS)}")
        return code

    @field_validator("collective", "individual")
    @classmethod
    def _three_decimals(cls, value: float | None) -> float | None:
        exponent = None if value is None else Decimal(str(value)).as_tuple().exponent
        if isinstance(exponent, int) and exponent < -3:
            raise ValueError("tối đa 3 chữ số thập phân / at most 3 decimal places")
        return value

    @model_validator(mode="after")
    def _kinds_of_the_form(self) -> Self:
        for kind in KINDS:
            if self.of(kind) is not None and kind not in FORMS[self.award_form].recipient_kinds:
                raise ValueError(
                    f"{FORMS[self.award_form].name} không tặng cho {KIND_WORDS[kind]} / "
                    f"{self.award_form} is not given to {kind}s"
                )
        return self

    def of(self, kind: EntrantKind) -> float | None:
        return self.collective if kind == "collective" else self.individual


class PrizeSettings(BaseModel):
    """A province's prize-money settings, replaced as a whole by its administrator."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "base_salaries": [{"amount": 2_340_000, "effective_from": "2024-07-01"}],
                    "coefficients": [{"award_form": "GIAY_KHEN_XA", "collective": 0.3, "individual": 0.15}],
                    "rounding_unit": 10_000,
                }
            ]
        },
    )
    base_salaries: tuple[BaseSalary, ...] = Field(min_length=1, max_length=50)
    coefficients: tuple[Coefficient, ...] = Field(max_length=100)
    rounding_unit: int = Field(
        default=10_000, gt=0, le=1_000_000, description="Làm tròn lên đến bội số này, đồng / Rounded up to a multiple"
    )

    @field_validator("base_salaries")
    @classmethod
    def _one_per_day(cls, salaries: tuple[BaseSalary, ...]) -> tuple[BaseSalary, ...]:
        days = [s.effective_from for s in salaries]
        if twice := sorted({d.isoformat() for d in days if days.count(d) > 1}):
            raise ValueError(f"trùng ngày áp dụng / duplicate effective date: {', '.join(twice)}")
        return tuple(sorted(salaries, key=lambda s: s.effective_from))

    @field_validator("coefficients")
    @classmethod
    def _one_per_form(cls, coefficients: tuple[Coefficient, ...]) -> tuple[Coefficient, ...]:
        forms = [c.award_form for c in coefficients]
        if twice := sorted({f for f in forms if forms.count(f) > 1}):
            raise ValueError(f"trùng hình thức / duplicate award form: {', '.join(twice)}")
        return coefficients

    def base_salary_on(self, day: date) -> BaseSalary | None:
        """The base salary in force on `day`: the latest entry from that day or before (None before the first)."""
        in_force = [s for s in self.base_salaries if s.effective_from <= day]
        return in_force[-1] if in_force else None

    def coefficient(self, form: str, kind: EntrantKind) -> float | None:
        """The form's coefficient for the kind (None: no prize set for it). An unknown form is a ValueError."""
        if form not in FORMS:
            raise ValueError(f"unknown award form {form!r}")
        found = next((c for c in self.coefficients if c.award_form == form), None)
        return None if found is None else found.of(kind)


DEFAULT_PRIZE_SETTINGS = PrizeSettings(
    base_salaries=(BaseSalary(amount=2_340_000, effective_from=date(2024, 7, 1)),),  # NĐ 73/2024/NĐ-CP
    coefficients=(  # NĐ 98/2023/NĐ-CP Điều 70–75, kept by NĐ 152/2025/NĐ-CP (to verify against the texts)
        Coefficient(award_form="HCLD_HANG_BA", collective=9.0, individual=4.5),
        Coefficient(award_form="BANG_KHEN_TTG", collective=3.0, individual=1.5),
        Coefficient(award_form="CO_THI_DUA_CP", collective=12.0),
        Coefficient(award_form="BANG_KHEN_TINH", collective=2.0, individual=1.0),
        Coefficient(award_form="CO_THI_DUA_TINH", collective=8.0),
        Coefficient(award_form="GIAY_KHEN_XA", collective=0.3, individual=0.15),
    ),
)


def rounded_up(value: Decimal, unit: int) -> int:
    """`value` rounded up to a multiple of `unit` (an exact multiple stays as it is)."""
    return int((value / unit).to_integral_value(rounding=ROUND_CEILING)) * unit


def amount(coefficient: float, base_salary: int, unit: int) -> int:
    """coefficient × base salary, rounded up to `unit`; computed in decimals (0.15 × 2,340,000 is 351,000 exactly)."""
    return rounded_up(Decimal(str(coefficient)) * base_salary, unit)


@dataclass(frozen=True)
class Prize:
    """What a decision pays: the base salary it used, and per recipient kind the coefficient and the amount."""

    base_salary: int
    base_salary_from: date
    rounding_unit: int
    coefficients: dict[EntrantKind, float]
    amounts: dict[EntrantKind, int]


def prize_of(settings: PrizeSettings, form: str, kinds: Iterable[EntrantKind], signed_on: date) -> Prize | None:
    """The prize of the form for recipients of these kinds under a decision signed on `signed_on`; None when the
    settings give no base salary on that day or no coefficient for one of the kinds (the decision then names no
    amount). An unknown form is a ValueError."""
    base = settings.base_salary_on(signed_on)
    wanted = sorted(set(kinds))
    coefficients = {kind: settings.coefficient(form, kind) for kind in wanted}
    if base is None or any(c is None for c in coefficients.values()):
        return None
    known = {kind: c for kind, c in coefficients.items() if c is not None}
    return Prize(
        base_salary=base.amount,
        base_salary_from=base.effective_from,
        rounding_unit=settings.rounding_unit,
        coefficients=known,
        amounts={kind: amount(c, base.amount, settings.rounding_unit) for kind, c in known.items()},
    )
