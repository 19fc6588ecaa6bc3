"""Target group b's default criteria set: Ủy ban MTTQ và các tổ chức chính trị - xã hội (the Fatherland Front and the
socio-political organisations), collectives."""

from __future__ import annotations

from submissions.domain.criteria import CriteriaSetContent, Indicator
from submissions.domain.defaults.rules import assessment, discipline_penalty, level, model_bonus, percent, ratio

GROUP_B = CriteriaSetContent(
    target_group="b",
    criteria=(
        assessment(
            "b1",
            1,
            "Tổ chức các hoạt động cụ thể, thiết thực, hiệu quả, phối hợp với cấp ủy, chính quyền tuyên truyền, vận "
            "động đoàn viên, hội viên và Nhân dân hiểu rõ ý nghĩa, tầm quan trọng của phát triển khoa học, công nghệ, "
            "đổi mới sáng tạo, chuyển đổi số",
            25,
        ),
        assessment(
            "b2",
            5,
            "Có sáng kiến, giải pháp triển khai sâu rộng phong trào học tập số, “Bình dân học vụ số”; hướng dẫn, vận "
            "động Nhân dân thực hiện Nghị quyết số 57-NQ/TW; phát huy vai trò giám sát, phản biện xã hội",
            25,
        ),
        level(
            "b3",
            1,
            "Ban hành kế hoạch hưởng ứng, tổ chức phát động và đăng ký thi đua trong đoàn viên, hội viên",
            10,
        ),
        ratio(
            "b4",
            1,
            "Số cuộc tuyên truyền, tập huấn về chuyển đổi số, “Bình dân học vụ số” tổ chức trong năm",
            10,
            Indicator(name="Cuộc tuyên truyền, tập huấn đã tổ chức", unit="cuộc", target=12),
        ),
        ratio(
            "b5",
            5,
            "Tỷ lệ người dân trong độ tuổi trưởng thành hoàn thành chương trình “Bình dân học vụ số”",
            15,
            percent("Người hoàn thành “Bình dân học vụ số” trên dân số trưởng thành"),
        ),
        ratio(
            "b6",
            5,
            "Số thành viên tổ công nghệ số cộng đồng trên 100 dân",
            15,
            Indicator(name="Thành viên tổ công nghệ số cộng đồng trên 100 dân", unit="người/100 dân", target=5),
        ),
        model_bonus("b"),
        discipline_penalty("b"),
    ),
)
