"""BIÊN BẢN HỌP Hội đồng Thi đua - Khen thưởng xã: attendance, quorum, ballot mode, results and, for open
ballots only, each member's vote."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from awards.adapters.documents.model import MinutesData, MinutesResult, Signature
from thidua_commons.documents.layout import OfficialDocument, SignBlock
from thidua_commons.documents.text import (
    as_vietnam_time,
    ballot_label,
    clock_time,
    format_number,
    long_date,
    place_date_line,
    vote_label,
)

MEMBER_HEADINGS = ("STT", "Họ và tên", "Chức danh trong Hội đồng", "Tham dự")
MEMBER_WIDTHS = (12.0, 55.0, 68.0, 30.0)
MEMBER_ALIGNS = ("C", "L", "L", "C")

RESULT_HEADINGS = (
    "STT",
    "Tập thể, cá nhân",
    "Nhóm",
    "Hình thức khen thưởng",
    "Điểm",
    "Đồng ý",
    "Không đồng ý",
    "Không biểu quyết",
    "Miễn",
    "Kết quả",
)
RESULT_WIDTHS = (10.0, 30.0, 18.0, 27.0, 12.0, 13.0, 14.0, 16.0, 12.0, 13.0)
RESULT_ALIGNS = ("C", "L", "L", "L", "C", "C", "C", "C", "C", "C")
# An ad-hoc session (khen thưởng đột xuất): the achievement where the score was, no group
AD_HOC_HEADINGS = ("STT", "Tập thể, cá nhân", "Hình thức khen thưởng", "Thành tích đột xuất", *RESULT_HEADINGS[5:])
AD_HOC_WIDTHS = (10.0, 28.0, 24.0, 45.0, 12.0, 13.0, 14.0, 9.0, 10.0)
AD_HOC_ALIGNS = ("C", "L", "L", "L", "C", "C", "C", "C", "C")

VOTE_HEADINGS = ("STT", "Thành viên", "Tập thể, cá nhân được xét", "Biểu quyết")
VOTE_WIDTHS = (12.0, 50.0, 70.0, 33.0)
VOTE_ALIGNS = ("C", "L", "L", "C")


def _person(signature: Signature) -> str:
    title = " ".join(signature.title.split())
    return f"{signature.name} - {title}" if title else signature.name


def _result_row(index: int, result: MinutesResult, *, ad_hoc: bool = False) -> tuple[str, ...]:
    if ad_hoc:
        return (str(index), result.candidate, result.award_form, result.achievement, *_result_row(0, result)[5:])
    return (
        str(index),
        result.candidate,
        result.group,
        result.award_form,
        format_number(result.total) if result.total is not None else "",
        str(result.yes),
        str(result.no),
        str(result.abstain),
        str(result.recused),
        "Đạt" if result.passed else "Không đạt",
    )


def render_minutes(data: MinutesData, *, fonts: Path) -> bytes:
    lh = data.letterhead
    held = as_vietnam_time(data.held_at)
    ballot = ballot_label(data.ballot_mode)
    with OfficialDocument(fonts, title=f"Biên bản họp - {data.title}", author=lh.issuing_body, created=held) as doc:
        doc.heading(lh, number=data.number, place_date=place_date_line(lh.place, held.date()))
        doc.title_block("BIÊN BẢN", data.title)

        doc.labelled("Thời gian", f"{clock_time(held)}, {long_date(held.date())}")
        doc.labelled("Địa điểm", data.location)
        doc.labelled("Chủ trì", _person(data.chaired_by))
        if data.secretary is not None:
            doc.labelled("Thư ký", _person(data.secretary))

        present = [m for m in data.members if m.present]
        absent = [m for m in data.members if not m.present]
        doc.section("I. THÀNH PHẦN THAM DỰ")
        doc.data_table(
            MEMBER_HEADINGS,
            [
                (str(i), m.name, m.role, "Có mặt" if m.present else "Vắng mặt")
                for i, m in enumerate(data.members, start=1)
            ],
            MEMBER_WIDTHS,
            MEMBER_ALIGNS,
        )
        attendance = (
            f"Tổng số thành viên Hội đồng: {len(data.members)}; có mặt: {len(present)}; vắng mặt: {len(absent)}"
        )
        if absent:
            attendance += " (" + ", ".join(m.name for m in absent) + ")"
        doc.paragraph(attendance + ".")
        quorum_met = len(present) >= data.quorum_required
        share = ""
        if data.quorum_share is not None:
            fraction = Fraction(data.quorum_share).limit_denominator(100)
            share = f" ({fraction.numerator}/{fraction.denominator} tổng số thành viên)"
        doc.paragraph(
            f"Số thành viên có mặt so với số thành viên tối thiểu để phiên họp hợp lệ{share}: "
            f"{len(present)}/{data.quorum_required}. "
            + ("Phiên họp đủ điều kiện tiến hành." if quorum_met else "Phiên họp không đủ số thành viên theo quy định.")
        )

        doc.section("II. NỘI DUNG VÀ KẾT QUẢ BIỂU QUYẾT")
        doc.labelled("Hình thức biểu quyết", ballot + (" bằng phiếu giấy" if data.paper else ""))
        if data.counting_committee:
            head, *others = data.counting_committee
            doc.labelled("Ban kiểm phiếu", "; ".join((f"{head} (Trưởng ban)", *others)))
        if data.ballot_count is not None:
            issued, returned, valid = data.ballot_count
            doc.paragraph(
                f"Số phiếu phát ra: {issued}; số phiếu thu về: {returned}; số phiếu hợp lệ: {valid}; "
                f"số phiếu không hợp lệ: {returned - valid}."
            )
        if data.written_opinions:
            doc.paragraph(
                f"Ý kiến bằng văn bản của thành viên vắng mặt: {len(data.written_opinions)} "
                f"({', '.join(data.written_opinions)}), được tính vào kết quả biểu quyết."
            )
        doc.labelled("Điều kiện thông qua", f"số phiếu đồng ý {data.pass_rule}")
        doc.ln(2)
        if data.results:
            doc.data_table(
                AD_HOC_HEADINGS if data.ad_hoc else RESULT_HEADINGS,
                [_result_row(i, r, ad_hoc=data.ad_hoc) for i, r in enumerate(data.results, start=1)],
                AD_HOC_WIDTHS if data.ad_hoc else RESULT_WIDTHS,
                AD_HOC_ALIGNS if data.ad_hoc else RESULT_ALIGNS,
                size=8.5,
            )
        else:
            doc.paragraph("Không có tập thể, cá nhân nào được đưa ra xét.")

        # A secret ballot's individual votes never appear in the minutes, even when the caller passed some.
        if data.ballot_mode == "open" and data.votes:
            doc.section("Chi tiết biểu quyết công khai của từng thành viên")
            doc.data_table(
                VOTE_HEADINGS,
                [(str(i), v.member, v.candidate, vote_label(v.vote)) for i, v in enumerate(data.votes, start=1)],
                VOTE_WIDTHS,
                VOTE_ALIGNS,
            )

        doc.section("III. KẾT LUẬN")
        passed = [r for r in data.results if r.passed]
        conclusion = (
            f"Căn cứ kết quả {ballot}, Hội đồng thống nhất: {len(passed)}/{len(data.results)} "
            "tập thể, cá nhân đạt số phiếu đồng ý theo quy định"
        )
        conclusion += (": " + "; ".join(f"{r.candidate} ({r.award_form})" for r in passed) + ".") if passed else "."
        doc.paragraph(conclusion)
        chair = SignBlock("CHỦ TRÌ", data.chaired_by.name)
        secretary = SignBlock("THƯ KÝ", data.secretary.name) if data.secretary is not None else None
        doc.signatures(
            right=chair,
            left=secretary,
            lead=("Biên bản đã được thông qua tại phiên họp và được các thành viên có mặt nhất trí./.",),
        )
        return doc.to_bytes()
