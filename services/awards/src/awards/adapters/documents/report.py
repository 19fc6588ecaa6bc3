"""BÁO CÁO THÀNH TÍCH of one entrant: scores per criterion, evidence, and the certification of the proposing level."""

from __future__ import annotations

from pathlib import Path

from awards.adapters.documents.model import AchievementReportData, AdHocReport
from thidua_commons.documents.layout import OfficialDocument, SignBlock
from thidua_commons.documents.text import MOVEMENT_QUOTED, format_number, place_date_line

CRITERIA_HEADINGS = ("Mã", "Tiêu chí", "Điểm", "Giải trình")
CRITERIA_WIDTHS = (14.0, 55.0, 22.0, 74.0)
CRITERIA_ALIGNS = ("C", "L", "C", "L")

EVIDENCE_HEADINGS = ("STT", "Tiêu chí", "Tệp minh chứng", "Loại tệp", "SHA-256")
EVIDENCE_WIDTHS = (10.0, 18.0, 70.0, 35.0, 32.0)
EVIDENCE_ALIGNS = ("C", "C", "L", "L", "C")

AD_HOC_EVIDENCE_HEADINGS = ("STT", "Văn bản, tài liệu", "Số, ngày, nơi ban hành hoặc lưu giữ")
AD_HOC_EVIDENCE_WIDTHS = (10.0, 80.0, 75.0)
AD_HOC_EVIDENCE_ALIGNS = ("C", "L", "L")

CERTIFICATION = "XÁC NHẬN CỦA CẤP TRÌNH KHEN"


def score(points: float, max_points: float) -> str:
    return f"{format_number(points)}/{format_number(max_points)}"


def render_achievement_report(data: AchievementReportData, *, fonts: Path) -> bytes:
    lh = data.letterhead
    with OfficialDocument(
        fonts, title=f"Báo cáo thành tích - {data.entrant}", author=lh.issuing_body, created=data.signed_on
    ) as doc:
        doc.heading(lh, number="", place_date=place_date_line(lh.place, data.signed_on))
        if data.ad_hoc is not None:
            doc.title_block("BÁO CÁO THÀNH TÍCH ĐỘT XUẤT", f"Trong {MOVEMENT_QUOTED} {data.period_label}")
            _general(doc, data)
            _ad_hoc(doc, data.ad_hoc)
            _sign(doc, data)
            return doc.to_bytes()
        doc.title_block("BÁO CÁO THÀNH TÍCH", f"Trong {MOVEMENT_QUOTED} {data.period_label}")

        _general(doc, data)
        doc.labelled("Kỳ đánh giá", data.period_label)
        doc.labelled("Tổng điểm", f"{score(data.total, data.max_total)} điểm")
        doc.labelled("Xếp loại", data.grade)

        doc.section("II. THÀNH TÍCH THEO TIÊU CHÍ")
        doc.data_table(
            CRITERIA_HEADINGS,
            [(c.code, c.title, score(c.points, c.max_points), c.explanation) for c in data.criteria],
            CRITERIA_WIDTHS,
            CRITERIA_ALIGNS,
            total_row=(("Tổng cộng", 2), (score(data.total, data.max_total), 1), (data.grade, 1)),
        )

        doc.section("III. MINH CHỨNG")
        if data.evidence:
            doc.data_table(
                EVIDENCE_HEADINGS,
                [
                    (str(i), e.criterion, e.filename, e.media_type, e.sha256[:12].lower())
                    for i, e in enumerate(data.evidence, start=1)
                ],
                EVIDENCE_WIDTHS,
                EVIDENCE_ALIGNS,
            )
        else:
            doc.paragraph("Không có minh chứng kèm theo.")

        _sign(doc, data)
        return doc.to_bytes()


def _general(doc: OfficialDocument, data: AchievementReportData) -> None:
    doc.section("I. THÔNG TIN CHUNG")
    doc.labelled("Tập thể, cá nhân", data.entrant)
    doc.labelled("Đối tượng", data.kind)
    doc.labelled("Đơn vị", data.unit)


def _ad_hoc(doc: OfficialDocument, ad_hoc: AdHocReport) -> None:
    """An ad-hoc achievement: what was done and when, then the documents it rests on (no score)."""
    doc.labelled("Ngày lập thành tích", ad_hoc.achieved_on.strftime("%d/%m/%Y"))
    doc.section("II. THÀNH TÍCH XUẤT SẮC ĐỘT XUẤT")
    doc.paragraph(ad_hoc.achievement)
    doc.section("III. MINH CHỨNG")
    if ad_hoc.evidence:
        rows = [(str(i), title, reference) for i, (title, reference) in enumerate(ad_hoc.evidence, start=1)]
        doc.data_table(AD_HOC_EVIDENCE_HEADINGS, rows, AD_HOC_EVIDENCE_WIDTHS, AD_HOC_EVIDENCE_ALIGNS)
    else:
        doc.paragraph("Không có minh chứng kèm theo.")


def _sign(doc: OfficialDocument, data: AchievementReportData) -> None:
    doc.signatures(
        left=SignBlock(CERTIFICATION, "", note="(Ký, đóng dấu)"),
        right=SignBlock(data.signer.title, data.signer.name, note="(Ký, ghi rõ họ tên)"),
    )
