"""Target group c's default criteria set: đơn vị sự nghiệp, doanh nghiệp, hợp tác xã (public service units,
enterprises, cooperatives), collectives."""

from __future__ import annotations

from submissions.domain.criteria import CriteriaSetContent, Indicator
from submissions.domain.defaults.rules import (
    assessment,
    discipline_penalty,
    level,
    model_bonus,
    percent,
    ratio,
    steps,
)

GROUP_C = CriteriaSetContent(
    target_group="c",
    criteria=(
        assessment(
            "c1",
            4,
            "Đổi mới mạnh mẽ tư duy, văn hóa đổi mới; xây dựng tầm nhìn, chiến lược lâu dài, bền vững; đẩy mạnh hợp "
            "tác, nghiên cứu, phát triển và đổi mới sáng tạo trong môi trường số",
            10,
        ),
        assessment(
            "c2",
            4,
            "Chuyển từ ứng dụng, làm chủ công nghệ sang xây dựng năng lực sáng tạo đột phá; ứng dụng công nghệ số, tự "
            "động hóa, gắn với phát triển nguồn nhân lực chất lượng cao",
            15,
        ),
        assessment(
            "c3",
            4,
            "Cải cách mô hình quản lý, áp dụng công nghệ mới, số hóa và phát triển các sản phẩm, dịch vụ có tính đột "
            "phá để tạo sự khác biệt và cạnh tranh trên thị trường",
            15,
        ),
        ratio(
            "c4",
            5,
            "Tỷ lệ viên chức, người lao động được bồi dưỡng, cấp chứng nhận kỹ năng số cơ bản",
            10,
            percent("Viên chức, người lao động có chứng nhận kỹ năng số cơ bản", target=80),
        ),
        ratio(
            "c5",
            4,
            "Tỷ lệ khoản thu phí, giá dịch vụ được thanh toán không dùng tiền mặt",
            10,
            percent("Khoản thu thanh toán không dùng tiền mặt trên tổng số"),
        ),
        ratio(
            "c6",
            6,
            "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn thông tin",
            10,
            percent("Hệ thống thông tin đã phê duyệt cấp độ an toàn thông tin"),
        ),
        ratio(
            "c7",
            1,
            "Số cuộc tuyên truyền, tập huấn về chuyển đổi số cho viên chức, người lao động trong năm",
            5,
            Indicator(name="Cuộc tuyên truyền, tập huấn đã tổ chức", unit="cuộc", target=4),
        ),
        steps(
            "c8",
            4,
            "Số sáng kiến, giải pháp, sản phẩm đổi mới sáng tạo được cấp có thẩm quyền công nhận trong năm",
            10,
            Indicator(name="Sáng kiến, giải pháp được công nhận", unit="sáng kiến", target=3),
            ((3, 1.0), (2, 0.7), (1, 0.4)),
        ),
        level(
            "c9",
            5,
            "Số hóa hồ sơ, quy trình nghiệp vụ và cung cấp dịch vụ trên môi trường số (học bạ số, hồ sơ sức khỏe điện "
            "tử, hóa đơn điện tử…)",
            10,
        ),
        assessment(
            "c10",
            7,
            "Ký kết, triển khai hiệu quả chương trình, thỏa thuận hợp tác với viện, trường, doanh nghiệp trong nghiên "
            "cứu, chuyển giao, ứng dụng khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
            5,
        ),
        model_bonus("c"),
        discipline_penalty("c"),
    ),
)
