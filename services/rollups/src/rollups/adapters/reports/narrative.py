"""The report's narrative as a PDF skeleton in Vietnamese: the sections of DOMAIN.md §6, the figures filled in, the
prose left for the commune or province to write (marked [ ... ]), the tables annexed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rollups.adapters.reports.model import ReportData
from rollups.adapters.reports.tables import LEVELS, Table
from thidua_commons.documents.layout import OfficialDocument, SignBlock
from thidua_commons.documents.text import MOVEMENT_QUOTED, format_number, place_date_line
from thidua_commons.periods import period_name

TO_WRITE = "[Nội dung do đơn vị bổ sung.]"
FORM_NAMES = {
    "GIAY_KHEN_XA": "Giấy khen của Chủ tịch UBND xã",
    "BANG_KHEN_TINH": "Bằng khen của Chủ tịch UBND tỉnh",
    "CO_THI_DUA_TINH": "Cờ Thi đua của UBND tỉnh",
    "BANG_KHEN_TTG": "Bằng khen của Thủ tướng Chính phủ",
    "CO_THI_DUA_CP": "Cờ Thi đua của Chính phủ",
    "HCLD_HANG_BA": "Huân chương Lao động hạng Ba",
}
AWARD_WIDTHS = (10.0, 45.0, 14.0, 14.0, 14.0, *(13.6,) * 5)
GRADES_WIDTHS = (8.0, 35.0, 14.0, *(13.0,) * 5, 15.0, 12.0, 16.0)


def _n(value: Any) -> str:
    if value is None or value == "":
        return "-"
    return format_number(float(value)) if isinstance(value, int | float) else str(value)


def _annex(doc: OfficialDocument, table: Table, widths: tuple[float, ...]) -> None:
    doc.section(f"Biểu {table.code}: {table.title}")
    doc.data_table(
        table.header,
        [tuple(_n(v) for v in row) for row in table.rows],
        widths,
        ("C", "L", *("C",) * (len(table.header) - 2)),
    )


def render_narrative(data: ReportData, *, fonts: Path) -> bytes:
    lh, f = data.letterhead, data.figures
    awards = f["awards"]
    movement, state, province, grades = data.tables
    taking_part = movement.rows[0]
    with OfficialDocument(
        fonts, title=f"Báo cáo {period_name(data.period)}", author=lh.issuing_body, created=data.made_on
    ) as doc:
        doc.heading(lh, number="      /BC-UBND", place_date=place_date_line(lh.place, data.made_on))
        doc.title_block(
            "BÁO CÁO", f"Kết quả thực hiện {MOVEMENT_QUOTED}", note=f"Kỳ báo cáo: {period_name(data.period)}"
        )

        doc.section("I. TÌNH HÌNH CHUNG")
        scope = f"{len(data.rows)} xã, phường" if data.kind == "province" else "toàn xã"
        doc.paragraph(
            f"Trong kỳ, phong trào được triển khai trên địa bàn {scope}, với {_n(taking_part[5])} tập thể và "
            f"{_n(taking_part[6])} cá nhân tham gia. {TO_WRITE}"
        )

        doc.section("II. KẾT QUẢ TRIỂN KHAI THỰC HIỆN")
        doc.paragraph("1. Công tác chỉ đạo, điều hành", bold=True)
        doc.paragraph(TO_WRITE)
        doc.paragraph("2. Công tác tuyên truyền", bold=True)
        doc.paragraph(TO_WRITE)
        doc.paragraph("3. Phát động và đăng ký thi đua", bold=True)
        doc.paragraph(
            f"{_n(taking_part[7])} hồ sơ thi đua đã được chấm điểm, điểm bình quân {_n(f['average_score'])}/100. "
            + "; ".join(f"{grade}: {count}" for grade, count in f["grades"].items())
            + "."
        )
        doc.paragraph("4. Kết quả theo từng nội dung so với chỉ tiêu", bold=True)
        themes = f.get("themes") or {}
        for theme, got in themes.items():
            doc.paragraph(
                f"- Nội dung {theme}: bình quân {_n(got['average_points'])}/{_n(got['max_points'])} điểm "
                f"({got['scored']} hồ sơ).",
                indent=5,
            )
        if not themes:
            doc.paragraph(TO_WRITE)
        doc.paragraph("5. Điển hình tiên tiến", bold=True)
        for model in data.role_models[:5]:
            doc.paragraph(f"- {model['name']} ({model['commune']}): {_n(model['total'])} điểm.", indent=5)
        doc.paragraph(TO_WRITE)
        doc.paragraph("6. Công tác khen thưởng", bold=True)
        doc.paragraph(
            f"Tổng số {awards['total']} lượt khen thưởng đã có quyết định"
            + (
                ": " + "; ".join(f"{FORM_NAMES.get(k, k)}: {v}" for k, v in awards["by_form"].items())
                if awards["by_form"]
                else ""
            )
            + ". "
            + "; ".join(f"{LEVELS.get(k, k)}: {v}" for k, v in awards["by_level"].items())
            + (f". Trong đó khen thưởng đột xuất: {awards['ad_hoc']}" if awards.get("ad_hoc") else "")
        )
        doc.paragraph(f"Số tờ trình đang chờ cấp trên xem xét: {f['pending_upward']}.")

        doc.section("III. ĐÁNH GIÁ CHUNG")
        for heading in ("1. Ưu điểm", "2. Hạn chế", "3. Nguyên nhân", "4. Bài học kinh nghiệm"):
            doc.paragraph(heading, bold=True)
            doc.paragraph(TO_WRITE)
        doc.section("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
        doc.paragraph(TO_WRITE)
        doc.section("V. KIẾN NGHỊ, ĐỀ XUẤT")
        doc.paragraph(TO_WRITE)
        doc.signatures(
            right=SignBlock(heading="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", name="[Họ và tên]"),
            recipients=("Như trên;", "Lưu: VT."),
        )

        doc.add_page()
        doc.title_block("PHỤ LỤC", "Các biểu số liệu")
        _annex(doc, grades, GRADES_WIDTHS)
        _annex(doc, state, AWARD_WIDTHS)
        _annex(doc, province, AWARD_WIDTHS)
        return doc.to_bytes()
