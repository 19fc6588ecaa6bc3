"""Default criteria sets (bộ tiêu chí mặc định), one per target group (đối tượng thi đua): a, b, c, d1, d2.

Sources:
- the commune plans in ``shared/seeds``, section III.1 a–d ("Tiêu chí thi đua") of xã Liên Minh (Ninh Bình) and
  xã Sơn Mai (Quảng Ngãi). The seed criteria keep their codes: a1–a5 from both plans, a6 (commune data and AI) from
  Sơn Mai only; b1–b2; c1–c3; d1 (cán bộ, công chức, viên chức, người lao động) and d2 (đối tượng khác). Titles
  shorten the plans' wording to one sentence;
- DOMAIN.md §3 for the scoring rules and for the quantitative indicators (chỉ tiêu) added as extra criteria
  (a7…, b3…, c4…, d1-2…, d2-2…), each tied to the theme (nội dung thi đua, 1–7) it contributes to most;
- DOMAIN.md §4 for the bonus of a provincial emulation flag (Cờ Thi đua của UBND tỉnh, collectives only) and the
  penalty for discipline or violations.

The points of every criterion except the bonus/penalty ones add up to 100 (max_total) per group. A bonus/penalty
criterion carries max_points = |points_per_occurrence| and sits outside that 100; the total stays capped at max_total.

These are defaults only: points, targets and even the list of criteria are *configurable*. A province (or a commune,
where the province allows) copies a default into a new versioned criteria set of its campaign period and adapts it;
nothing in the scoring logic may depend on these particular codes or numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from submissions.domain.criteria import TARGET_GROUPS, CriteriaSetContent, Criterion, Indicator, Rule, Step

PERCENT = "%"

# Steering-committee meetings per year, DOMAIN §3: 4→20, 3→15, 2→10, 1→5 — as fractions of the criterion's max.
MEETING_STEPS: tuple[tuple[float, float], ...] = ((4, 1.0), (3, 0.75), (2, 0.5), (1, 0.25))

PROVINCIAL_FLAG_BONUS = 10.0
DISCIPLINE_PENALTY = -10.0


def _ratio(code: str, theme: int, title: str, max_points: float, indicator: Indicator) -> Criterion:
    return Criterion(
        code=code, theme=theme, title=title, max_points=max_points, rule=Rule(kind="ratio"), indicator=indicator
    )


def _steps(
    code: str,
    theme: int,
    title: str,
    max_points: float,
    indicator: Indicator,
    fractions: Sequence[tuple[float, float]],
) -> Criterion:
    """A steps criterion whose thresholds give fractions of max_points, highest threshold first."""
    steps = tuple(Step(at_least=at_least, points=round(fraction * max_points, 2)) for at_least, fraction in fractions)
    return Criterion(
        code=code,
        theme=theme,
        title=title,
        max_points=max_points,
        rule=Rule(kind="steps", steps=steps),
        indicator=indicator,
    )


def _level(code: str, theme: int, title: str, max_points: float) -> Criterion:
    return Criterion(code=code, theme=theme, title=title, max_points=max_points, rule=Rule(kind="level"))


def _assessment(code: str, theme: int, title: str, max_points: float) -> Criterion:
    return Criterion(code=code, theme=theme, title=title, max_points=max_points, rule=Rule(kind="assessment"))


def _bonus_penalty(code: str, theme: int, title: str, points: float) -> Criterion:
    return Criterion(
        code=code,
        theme=theme,
        title=title,
        max_points=abs(points),
        rule=Rule(kind="bonus_penalty", points_per_occurrence=points),
    )


def _flag_bonus(group: str) -> Criterion:
    return _bonus_penalty(f"{group}-flag", 1, "Được tặng Cờ Thi đua của UBND tỉnh (điểm thưởng)", PROVINCIAL_FLAG_BONUS)


def _discipline_penalty(group: str) -> Criterion:
    return _bonus_penalty(
        f"{group}-discipline", 1, "Bị kỷ luật hoặc có vi phạm trong kỳ thi đua (trừ điểm mỗi lần)", DISCIPLINE_PENALTY
    )


def _percent(name: str, target: float = 100) -> Indicator:
    return Indicator(name=name, unit=PERCENT, target=target)


_GROUP_A = CriteriaSetContent(
    target_group="a",
    criteria=(
        _level(
            "a1",
            1,
            "Hoàn thành có chất lượng, đạt, vượt và về đích sớm các mục tiêu, nhiệm vụ, giải pháp được giao "
            "thực hiện Nghị quyết số 57-NQ/TW",
            15,
        ),
        _assessment(
            "a2",
            3,
            "Kịp thời tham mưu, đề xuất ban hành quy định tháo gỡ điểm nghẽn, rào cản về thể chế, chính sách trong "
            "phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số; đơn giản hóa tối đa thủ tục hành chính",
            6,
        ),
        _assessment(
            "a3",
            3,
            "Thực hiện có chất lượng, hiệu quả việc chuyển đổi số, ứng dụng khoa học, công nghệ, đổi mới sáng tạo "
            "trong hoạt động của đơn vị, góp phần nâng cao hiệu lực, hiệu quả quản lý nhà nước",
            8,
        ),
        _assessment(
            "a4",
            4,
            "Tham mưu cơ chế, chính sách ưu đãi, hỗ trợ doanh nghiệp, nhất là doanh nghiệp vừa và nhỏ, đầu tư cho "
            "chuyển đổi số, nghiên cứu, ứng dụng khoa học, đổi mới công nghệ",
            5,
        ),
        _assessment(
            "a5",
            3,
            "Tinh gọn bộ máy; giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông, phi địa giới "
            "hành chính; tái cấu trúc quy trình để cung cấp dịch vụ công trực tuyến toàn trình",
            6,
        ),
        _assessment(
            "a6",
            3,
            "Xây dựng, phát huy hiệu quả dữ liệu của xã bảo đảm liên thông, tích hợp, chia sẻ; phát triển ứng dụng "
            "trí tuệ nhân tạo dựa trên dữ liệu lớn",
            5,
        ),
        _steps(
            "a7",
            1,
            "Tổ chức họp Ban Chỉ đạo, giao ban chuyên đề về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
            "định kỳ trong năm",
            10,
            Indicator(name="Số cuộc họp Ban Chỉ đạo, giao ban chuyên đề trong năm", unit="cuộc", target=4),
            MEETING_STEPS,
        ),
        _ratio(
            "a8",
            3,
            "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình",
            10,
            _percent("Hồ sơ giải quyết trực tuyến toàn trình trên tổng số hồ sơ"),
        ),
        _ratio(
            "a9",
            3,
            "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn",
            8,
            _percent("Hồ sơ giải quyết đúng hạn trên tổng số hồ sơ"),
        ),
        _ratio(
            "a10",
            4,
            "Tỷ lệ phí, lệ phí thủ tục hành chính được thanh toán không dùng tiền mặt",
            5,
            _percent("Khoản phí, lệ phí thanh toán không dùng tiền mặt trên tổng số"),
        ),
        _ratio(
            "a11",
            5,
            "Tỷ lệ cán bộ, công chức được bồi dưỡng, cấp chứng nhận kỹ năng số cơ bản",
            8,
            # Quảng Ngãi: ≥ 80% in 2025, 100% in 2026 (DOMAIN §3).
            _percent("Cán bộ, công chức có chứng nhận kỹ năng số cơ bản", target=80),
        ),
        _ratio(
            "a12",
            6,
            "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn thông tin",
            5,
            _percent("Hệ thống thông tin đã phê duyệt cấp độ an toàn thông tin"),
        ),
        _ratio(
            "a13",
            2,
            "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang",
            5,
            _percent("Hộ gia đình có Internet cáp quang"),
        ),
        _ratio(
            "a14",
            2,
            "Tỷ lệ thôn, xóm, tổ dân phố được phủ sóng di động 4G/5G",
            4,
            _percent("Thôn, xóm, tổ dân phố có sóng 4G/5G"),
        ),
        _flag_bonus("a"),
        _discipline_penalty("a"),
    ),
)

_GROUP_B = CriteriaSetContent(
    target_group="b",
    criteria=(
        _assessment(
            "b1",
            1,
            "Tổ chức các hoạt động cụ thể, thiết thực, hiệu quả, phối hợp với cấp ủy, chính quyền tuyên truyền, vận "
            "động đoàn viên, hội viên và Nhân dân hiểu rõ ý nghĩa, tầm quan trọng của phát triển khoa học, công nghệ, "
            "đổi mới sáng tạo, chuyển đổi số",
            25,
        ),
        _assessment(
            "b2",
            5,
            "Có sáng kiến, giải pháp triển khai sâu rộng phong trào học tập số, “Bình dân học vụ số”; hướng dẫn, vận "
            "động Nhân dân thực hiện Nghị quyết số 57-NQ/TW; phát huy vai trò giám sát, phản biện xã hội",
            25,
        ),
        _level(
            "b3",
            1,
            "Ban hành kế hoạch hưởng ứng, tổ chức phát động và đăng ký thi đua trong đoàn viên, hội viên",
            10,
        ),
        _ratio(
            "b4",
            1,
            "Số cuộc tuyên truyền, tập huấn về chuyển đổi số, “Bình dân học vụ số” tổ chức trong năm",
            10,
            Indicator(name="Cuộc tuyên truyền, tập huấn đã tổ chức", unit="cuộc", target=12),
        ),
        _ratio(
            "b5",
            5,
            "Tỷ lệ người dân trong độ tuổi trưởng thành hoàn thành chương trình “Bình dân học vụ số”",
            15,
            _percent("Người hoàn thành “Bình dân học vụ số” trên dân số trưởng thành"),
        ),
        _ratio(
            "b6",
            5,
            "Số thành viên tổ công nghệ số cộng đồng trên 100 dân",
            15,
            Indicator(name="Thành viên tổ công nghệ số cộng đồng trên 100 dân", unit="người/100 dân", target=5),
        ),
        _flag_bonus("b"),
        _discipline_penalty("b"),
    ),
)

_GROUP_C = CriteriaSetContent(
    target_group="c",
    criteria=(
        _assessment(
            "c1",
            4,
            "Đổi mới mạnh mẽ tư duy, văn hóa đổi mới; xây dựng tầm nhìn, chiến lược lâu dài, bền vững; đẩy mạnh hợp "
            "tác, nghiên cứu, phát triển và đổi mới sáng tạo trong môi trường số",
            15,
        ),
        _assessment(
            "c2",
            4,
            "Chuyển từ ứng dụng, làm chủ công nghệ sang xây dựng năng lực sáng tạo đột phá; ứng dụng công nghệ số, tự "
            "động hóa, gắn với phát triển nguồn nhân lực chất lượng cao",
            15,
        ),
        _assessment(
            "c3",
            4,
            "Cải cách mô hình quản lý, áp dụng công nghệ mới, số hóa và phát triển các sản phẩm, dịch vụ có tính đột "
            "phá để tạo sự khác biệt và cạnh tranh trên thị trường",
            15,
        ),
        _ratio(
            "c4",
            5,
            "Tỷ lệ viên chức, người lao động được bồi dưỡng, cấp chứng nhận kỹ năng số cơ bản",
            10,
            _percent("Viên chức, người lao động có chứng nhận kỹ năng số cơ bản", target=80),
        ),
        _ratio(
            "c5",
            4,
            "Tỷ lệ khoản thu phí, giá dịch vụ được thanh toán không dùng tiền mặt",
            10,
            _percent("Khoản thu thanh toán không dùng tiền mặt trên tổng số"),
        ),
        _ratio(
            "c6",
            6,
            "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn thông tin",
            10,
            _percent("Hệ thống thông tin đã phê duyệt cấp độ an toàn thông tin"),
        ),
        _ratio(
            "c7",
            1,
            "Số cuộc tuyên truyền, tập huấn về chuyển đổi số cho viên chức, người lao động trong năm",
            5,
            Indicator(name="Cuộc tuyên truyền, tập huấn đã tổ chức", unit="cuộc", target=4),
        ),
        _steps(
            "c8",
            4,
            "Số sáng kiến, giải pháp, sản phẩm đổi mới sáng tạo được cấp có thẩm quyền công nhận trong năm",
            10,
            Indicator(name="Sáng kiến, giải pháp được công nhận", unit="sáng kiến", target=3),
            ((3, 1.0), (2, 0.7), (1, 0.4)),
        ),
        _level(
            "c9",
            5,
            "Số hóa hồ sơ, quy trình nghiệp vụ và cung cấp dịch vụ trên môi trường số (học bạ số, hồ sơ sức khỏe điện "
            "tử, hóa đơn điện tử…)",
            10,
        ),
        _flag_bonus("c"),
        _discipline_penalty("c"),
    ),
)

_GROUP_D1 = CriteriaSetContent(
    target_group="d1",
    criteria=(
        _assessment(
            "d1",
            3,
            "Có sáng kiến, giải pháp sáng tạo trong xây dựng, tổ chức thực hiện cơ chế, chính sách, thủ tục hành "
            "chính hoặc phát triển sản phẩm, dịch vụ, mô hình kinh doanh mới dựa trên công nghệ số",
            40,
        ),
        _steps(
            "d1-2",
            3,
            "Số sáng kiến, giải pháp được cấp có thẩm quyền công nhận trong kỳ",
            15,
            Indicator(name="Sáng kiến, giải pháp được công nhận", unit="sáng kiến", target=2),
            ((2, 1.0), (1, 2 / 3)),
        ),
        _level(
            "d1-3",
            5,
            "Hoàn thành bồi dưỡng, được cấp chứng nhận kỹ năng số cơ bản (“Bình dân học vụ số”)",
            20,
        ),
        _ratio(
            "d1-4",
            3,
            "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường mạng (trừ văn bản mật)",
            15,
            _percent("Văn bản, hồ sơ công việc xử lý trên môi trường mạng"),
        ),
        _ratio(
            "d1-5",
            1,
            "Số cuộc tuyên truyền, hướng dẫn kỹ năng số cho người dân do cá nhân chủ trì hoặc tham gia",
            10,
            Indicator(name="Cuộc tuyên truyền, hướng dẫn đã chủ trì hoặc tham gia", unit="cuộc", target=6),
        ),
        _discipline_penalty("d1"),
    ),
)

_GROUP_D2 = CriteriaSetContent(
    target_group="d2",
    criteria=(
        _assessment(
            "d2",
            5,
            "Có nhiều đóng góp về công sức, trí tuệ, vật chất, sáng kiến vào quá trình phát triển khoa học, công nghệ, "
            "đổi mới sáng tạo, chuyển đổi số của xã",
            50,
        ),
        _level(
            "d2-2",
            5,
            "Hoàn thành chương trình “Bình dân học vụ số”, có kỹ năng số cơ bản",
            20,
        ),
        _ratio(
            "d2-3",
            5,
            "Số người được hướng dẫn sử dụng dịch vụ công trực tuyến, nền tảng số (thành viên tổ công nghệ số cộng "
            "đồng)",
            15,
            Indicator(name="Người dân được hướng dẫn", unit="người", target=20),
        ),
        _level(
            "d2-4",
            3,
            "Thực hiện thủ tục hành chính qua dịch vụ công trực tuyến và thanh toán không dùng tiền mặt",
            15,
        ),
        _discipline_penalty("d2"),
    ),
)

DEFAULT_CRITERIA_SETS: dict[str, CriteriaSetContent] = {
    "a": _GROUP_A,
    "b": _GROUP_B,
    "c": _GROUP_C,
    "d1": _GROUP_D1,
    "d2": _GROUP_D2,
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
