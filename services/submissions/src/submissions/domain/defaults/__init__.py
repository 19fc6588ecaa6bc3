"""Default criteria sets (bộ tiêu chí mặc định), one per target group (đối tượng thi đua): a, b, c, d1, d2.

Sources:
- the commune plans in ``shared/seeds``, section III.1 a–d ("Tiêu chí thi đua") of xã Liên Minh (Ninh Bình) and
  xã Sơn Mai (Quảng Ngãi). The seed criteria keep their codes: a1–a5 from both plans, a6 (commune data and AI) from
  Sơn Mai only; b1–b2; c1–c3; d1 (cán bộ, công chức, viên chức, người lao động) and d2 (đối tượng khác). Titles
  shorten the plans' wording to one sentence;
- DOMAIN.md §3 for the scoring rules and for the quantitative indicators (chỉ tiêu) added as extra criteria
  (a7…, b3…, c4…, d1-2…, d2-2…), each tied to the theme (nội dung thi đua, 1–7) it contributes to most;
- a bonus for this movement's own models and initiatives recognised and replicated (collectives only), in place of
  DOMAIN.md §3's bonus for a provincial emulation flag: NĐ 152/2025 keeps a thematic movement apart from the regular
  emulation track whose award that flag is (ADR 0028), and the penalty for discipline or violations;
- theme 7 (cooperation, Sơn Mai's plan) as one assessment criterion of the groups that enter into cooperation:
  a15 (offices) and c10 (public service units, enterprises).

The points of every criterion except the bonus/penalty ones add up to 100 (max_total) per group. A bonus/penalty
criterion carries max_points = |points_per_occurrence| and sits outside that 100; the total stays capped at max_total.

These are defaults only: points, targets and even the list of criteria are *configurable*. A province (or a commune,
where the province allows) copies a default into a new versioned criteria set of its campaign period and adapts it;
nothing in the scoring logic may depend on these particular codes or numbers.

One module per target group (`group_a` … `group_d2`); the builders of their criteria, one per rule, in `rules`.
"""

from __future__ import annotations

from submissions.domain.criteria import TARGET_GROUPS, CriteriaSetContent
from submissions.domain.defaults.group_a import GROUP_A
from submissions.domain.defaults.group_b import GROUP_B
from submissions.domain.defaults.group_c import GROUP_C
from submissions.domain.defaults.group_d1 import GROUP_D1
from submissions.domain.defaults.group_d2 import GROUP_D2

DEFAULT_CRITERIA_SETS: dict[str, CriteriaSetContent] = {
    "a": GROUP_A,
    "b": GROUP_B,
    "c": GROUP_C,
    "d1": GROUP_D1,
    "d2": GROUP_D2,
}


def default_criteria_set(target_group: str) -> CriteriaSetContent:
    """The default criteria set of a target group (a, b, c, d1, d2). The model is frozen, so it is safe to share."""
    try:
        return DEFAULT_CRITERIA_SETS[target_group]
    except KeyError:
        known = ", ".join(TARGET_GROUPS)
        raise ValueError(
            f"không có bộ tiêu chí mặc định cho nhóm {target_group!r} (chỉ có: {known}) / "
            f"no default criteria set for target group {target_group!r} (known: {known})"
        ) from None
