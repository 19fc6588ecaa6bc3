"""Eligibility rules per award form and round, and the candidate list they produce. Pure.

The score proposes; people decide. A rule says who *may* be put before the council: recipient kind, target groups,
minimum score or grade, a quota per target group, exclusions (discipline, investigation, complaint) and prerequisites
from the award history. Everything here is configurable per province (DOMAIN.md §4); `DEFAULT_RULES` is what a
province starts with.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from awards.domain.catalogue import FORMS, FormCode, Track
from awards.domain.past_forms import OTHER, PAST_FORMS, PastFormCode, year_of
from thidua_contracts.awards import AwardRound
from thidua_contracts.terms import EntrantKind, EntrantRef, TargetGroup

# What bars an award or a proposal while it lasts (NĐ 152/2025/NĐ-CP, principles of awarding): a disciplinary review
# or discipline; an investigation, or an inspection or check on signs of a violation (never a routine inspection);
# complaints or denunciations (or press reports of corruption) being verified.
Flag = Literal["discipline", "investigation", "complaint"]
FLAG_NAMES: dict[Flag, str] = {
    "discipline": "đang bị xem xét kỷ luật hoặc đang bị kỷ luật / under disciplinary review or discipline",
    "investigation": (
        "đang bị điều tra, thanh tra, kiểm tra khi có dấu hiệu vi phạm / "
        "under investigation, or inspection on signs of a violation"
    ),
    "complaint": (
        "đang có khiếu nại, tố cáo đang được xác minh, làm rõ / with complaints or denunciations being verified"
    ),
}
# Flags stored before the bar was named as the decree says it: "inspection" meant the same case.
LEGACY_FLAGS: dict[str, Flag] = {"inspection": "investigation"}


def read_flag(value: object) -> object:
    """A flag as stored or sent, the legacy name read as the one that replaced it."""
    return LEGACY_FLAGS.get(value, value) if isinstance(value, str) else value


StoredFlag = Annotated[Flag, BeforeValidator(read_flag)]
GRADE_ORDER = ("Không đạt", "Đạt", "Khá", "Tốt", "Xuất sắc")
Grade = Literal["Không đạt", "Đạt", "Khá", "Tốt", "Xuất sắc"]
ThresholdBase = Literal["all_members", "non_recused_members"]


class Prerequisite(BaseModel):
    """An award the entrant must already hold in its history (the law asks for some; this movement's default is
    none): `count` awards of a form of the history's catalogue (`past_forms.PAST_FORMS`, OTHER aside), of one track
    or either, in the `within_years` years ending with the period's year when given, in as many consecutive years
    when `consecutive`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    form: PastFormCode = Field(description="Mã hình thức trong lịch sử khen thưởng / A code of the history's forms")
    count: int = Field(default=1, ge=1, le=10)
    track: Track | None = Field(default=None, description="Chỉ tính khen thưởng của phong trào này hay thường xuyên")
    within_years: int | None = Field(
        default=None, ge=1, le=30, description="Trong số năm gần nhất, tính cả năm của kỳ xét / In the last N years"
    )
    consecutive: bool = Field(default=False, description="Các năm liên tục / In consecutive years")

    @model_validator(mode="after")
    def _can_be_held(self) -> Prerequisite:
        if self.form == OTHER:
            raise ValueError("Điều kiện không thể là hình thức OTHER / A prerequisite cannot be OTHER (it has no code)")
        if self.consecutive and self.within_years is not None and self.within_years < self.count:
            raise ValueError(
                f"{self.count} năm liên tục không nằm trong {self.within_years} năm / "
                f"{self.count} consecutive years do not fit in {self.within_years}"
            )
        return self

    def held_by(self, history: Sequence[PastAward], *, year: int | None) -> bool:
        """Whether the history meets it for a period ending in `year` (None: no window can be applied)."""
        matching = [a for a in history if a.form == self.form and (self.track is None or a.track == self.track)]
        if self.within_years is not None and year is not None:
            matching = [a for a in matching if year - self.within_years < a.year <= year]
        if not self.consecutive:
            return len(matching) >= self.count
        years = sorted({a.year for a in matching})
        run = longest = 0
        for index, held in enumerate(years):
            run = run + 1 if index and held == years[index - 1] + 1 else 1
            longest = max(longest, run)
        return longest >= self.count

    def describe(self) -> str:
        """Why an entrant missing it is left out, e.g. "chưa có 3 lần Chiến sĩ thi đua cơ sở liên tục"."""
        within = f" trong {self.within_years} năm gần nhất" if self.within_years else ""
        together = " liên tục" if self.consecutive else ""
        return f"chưa có {self.count} lần {PAST_FORMS[self.form].name}{together}{within} / missing a prerequisite award"


class AwardRule(BaseModel):
    """Who may be proposed for one form in one round, and what the council needs to pass them."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    form: FormCode
    round: AwardRound
    recipient_kinds: tuple[EntrantKind, ...] = ("collective", "individual")
    target_groups: tuple[TargetGroup, ...] = Field(default=(), description="Rỗng: mọi nhóm / Empty: every group")
    minimum_total: float | None = Field(default=None, ge=0, le=1000)
    minimum_grade: Grade | None = None
    quota_percent: float | None = Field(
        default=None, gt=0, le=100, description="Tối đa % số đối tượng mỗi nhóm / At most % of each group's entrants"
    )
    at_least_one: bool | None = Field(
        default=None,
        description=(
            "Mỗi nhóm ít nhất 1 suất dù hạn mức làm tròn xuống 0 (mặc định: có với hình thức cấp xã, tỉnh; không với "
            "hình thức Trung ương) / At least one place per group (default: yes for commune and province forms, "
            "no for central forms)"
        ),
    )
    excluded_flags: tuple[StoredFlag, ...] = ("discipline", "investigation", "complaint")
    prerequisites: tuple[Prerequisite, ...] = ()
    threshold_share: float = Field(default=0.5, gt=0, le=1, description="Tỷ lệ phiếu đồng ý / Share of yes votes")
    threshold_inclusive: bool = Field(default=False, description="false: trên tỷ lệ (>); true: từ tỷ lệ trở lên (≥)")
    threshold_base: ThresholdBase = Field(
        default="all_members",
        description="Tính trên tổng số thành viên, hay số thành viên không phải miễn biểu quyết",
    )

    @model_validator(mode="after")
    def _fits_the_form(self) -> AwardRule:
        form = FORMS[self.form]
        if self.round not in form.rounds:
            raise ValueError(f"{form.name} không xét trong đợt này / is not awarded in round {self.round}")
        if not set(self.recipient_kinds) <= form.recipient_kinds or not self.recipient_kinds:
            raise ValueError(f"{form.name} chỉ dành cho {sorted(form.recipient_kinds)} / recipient kinds")
        return self

    @property
    def key(self) -> str:
        return f"{self.form}:{self.round}"

    @property
    def one_at_least(self) -> bool:
        """Whether each group has at least one place: as set, else yes except for the scarce central forms, whose
        quotas belong to the province, not to each commune's groups."""
        return self.at_least_one if self.at_least_one is not None else FORMS[self.form].level != "central"

    def pass_rule_text(self) -> str:
        """As the minutes say it, e.g. "trên 50% tổng số thành viên Hội đồng"."""
        share = f"{self.threshold_share * 100:g}%".replace(".", ",")
        comparison = f"từ {share} trở lên" if self.threshold_inclusive else f"trên {share}"
        base = (
            "tổng số thành viên Hội đồng" if self.threshold_base == "all_members" else "số thành viên được biểu quyết"
        )
        return f"{comparison} {base}"


def _rule(form: FormCode, rounds: Sequence[AwardRound], **settings: object) -> list[AwardRule]:
    return [AwardRule.model_validate({"form": form, "round": r, **settings}) for r in rounds]


DEFAULT_RULES: tuple[AwardRule, ...] = (
    *_rule("GIAY_KHEN_XA", ("yearly", "so_ket", "tong_ket"), minimum_total=80, quota_percent=30),
    *_rule("BANG_KHEN_TINH", ("yearly", "so_ket", "tong_ket"), minimum_total=90, quota_percent=10),
    *_rule("CO_THI_DUA_TINH", ("tong_ket",), recipient_kinds=("collective",), minimum_total=95, quota_percent=5),
    *_rule("BANG_KHEN_TTG", ("so_ket", "tong_ket"), minimum_total=95, quota_percent=5),
    *_rule("CO_THI_DUA_CP", ("tong_ket",), recipient_kinds=("collective",), minimum_total=98, quota_percent=2),
    *_rule("HCLD_HANG_BA", ("tong_ket",), minimum_total=98, quota_percent=2),
)


@dataclass(frozen=True)
class Scored:
    """An entrant's finalised score for the period."""

    entrant: EntrantRef
    total: float
    grade: str


@dataclass(frozen=True)
class PastAward:
    form: str
    period: str  # a period of the movement, or the year of an award of the past
    track: Track

    @property
    def year(self) -> int:
        return year_of(self.period)


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: tuple[str, ...]
    rank: int | None  # within the target group, among those meeting every other condition


def quota_of(rule: AwardRule, group_size: int) -> int | None:
    """How many of a group may be proposed: the quota's share rounded down, but at least one when the rule says so
    (`AwardRule.one_at_least`)."""
    if rule.quota_percent is None:
        return None
    share = math.floor(group_size * rule.quota_percent / 100 + 1e-9)
    return max(1, share) if rule.one_at_least else share


def _conditions(
    rule: AwardRule, scored: Scored, flags: frozenset[Flag], history: Sequence[PastAward], year: int | None
) -> list[str]:
    reasons: list[str] = []
    entrant = scored.entrant
    if entrant.kind not in rule.recipient_kinds:
        reasons.append("không đúng loại đối tượng / recipient kind not eligible")
    if rule.target_groups and entrant.target_group not in rule.target_groups:
        reasons.append("nhóm đối tượng không được xét / target group not eligible")
    if rule.minimum_total is not None and scored.total < rule.minimum_total:
        reasons.append(f"điểm {scored.total:g} dưới mức {rule.minimum_total:g} / score below the minimum")
    if rule.minimum_grade is not None and (
        scored.grade not in GRADE_ORDER or GRADE_ORDER.index(scored.grade) < GRADE_ORDER.index(rule.minimum_grade)
    ):
        reasons.append(f"xếp loại {scored.grade} dưới mức {rule.minimum_grade} / grade below the minimum")
    reasons.extend(FLAG_NAMES[flag] for flag in rule.excluded_flags if flag in flags)
    reasons.extend(p.describe() for p in rule.prerequisites if not p.held_by(history, year=year))
    return reasons


def evaluate(
    rule: AwardRule,
    scored: Sequence[Scored],
    *,
    flags: Mapping[str, frozenset[Flag]],
    history: Mapping[str, Sequence[PastAward]],
    period: str | None = None,
) -> dict[str, Verdict]:
    """The verdict for every scored entrant of the period, keyed by entrant id; prerequisites with a window count
    back from the period's year.

    The quota counts every scored entrant of a target group; the best totals meeting every other condition fill it.
    Entrants tied at the cutoff are all left out when taking them all would exceed the quota: the officer may add
    them back with a reason, which is a human decision the platform records.
    """
    group_sizes: dict[str, int] = {}
    for item in scored:
        group_sizes[item.entrant.target_group] = group_sizes.get(item.entrant.target_group, 0) + 1
    year = year_of(period) if period else None
    reasons = {
        item.entrant.id: _conditions(
            rule, item, flags.get(item.entrant.id, frozenset()), history.get(item.entrant.id, ()), year
        )
        for item in scored
    }
    verdicts: dict[str, Verdict] = {}
    for group, size in group_sizes.items():
        members = [item for item in scored if item.entrant.target_group == group]
        qualified = sorted((i for i in members if not reasons[i.entrant.id]), key=lambda i: -i.total)
        allowed = quota_of(rule, size)
        for item in qualified:
            rank = 1 + sum(1 for other in qualified if other.total > item.total)
            tied = sum(1 for other in qualified if other.total == item.total)
            if allowed is not None and rank + tied - 1 > allowed:
                why = f"vượt hạn mức {rule.quota_percent:g}% ({allowed} suất) của nhóm / over the group's quota"
                if rank <= allowed:
                    why += " — đồng điểm ở ngưỡng / tied at the cutoff"
                reasons[item.entrant.id].append(why)
            verdicts[item.entrant.id] = Verdict(not reasons[item.entrant.id], tuple(reasons[item.entrant.id]), rank)
        for item in members:
            if item.entrant.id not in verdicts:
                verdicts[item.entrant.id] = Verdict(False, tuple(reasons[item.entrant.id]), None)
    return verdicts


def rule_for(rules: Sequence[AwardRule], form: str, round_: AwardRound) -> AwardRule | None:
    return next((rule for rule in rules if rule.form == form and rule.round == round_), None)
