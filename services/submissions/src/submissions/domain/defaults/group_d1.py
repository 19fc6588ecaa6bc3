"""Target group d1's default criteria set: cán bộ, công chức, viên chức, người lao động (officials, civil servants,
public employees, workers), individuals."""

from __future__ import annotations

from submissions.domain.criteria import CriteriaSetContent, Indicator
from submissions.domain.defaults.rules import assessment, discipline_penalty, level, percent, ratio, steps

GROUP_D1 = CriteriaSetContent(
    target_group="d1",
    criteria=(
        assessment(
            "d1",
            3,
            "Có sáng kiến, giải pháp sáng tạo trong xây dựng, tổ chức thực hiện cơ chế, chính sách, thủ tục hành "
            "chính hoặc phát triển sản phẩm, dịch vụ, mô hình kinh doanh mới dựa trên công nghệ số",
            40,
        ),
        steps(
            "d1-2",
            3,
            "Số sáng kiến, giải pháp được cấp có thẩm quyền công nhận trong kỳ",
            15,
            Indicator(name="Sáng kiến, giải pháp được công nhận", unit="sáng kiến", target=2),
            ((2, 1.0), (1, 2 / 3)),
        ),
        level(
            "d1-3",
            5,
            "Hoàn thành bồi dưỡng, được cấp chứng nhận kỹ năng số cơ bản (“Bình dân học vụ số”)",
            20,
        ),
        ratio(
            "d1-4",
            3,
            "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường mạng (trừ văn bản mật)",
            15,
            percent("Văn bản, hồ sơ công việc xử lý trên môi trường mạng"),
        ),
        ratio(
            "d1-5",
            1,
            "Số cuộc tuyên truyền, hướng dẫn kỹ năng số cho người dân do cá nhân chủ trì hoặc tham gia",
            10,
            Indicator(name="Cuộc tuyên truyền, hướng dẫn đã chủ trì hoặc tham gia", unit="cuộc", target=6),
        ),
        discipline_penalty("d1"),
    ),
)
