"""The awards documents render as PDFs whose text (read back with pypdf) holds the Vietnamese content exactly."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from awards.adapters.documents import (
    AchievementReportData,
    DecisionData,
    DecisionRecipient,
    FontsMissingError,
    Letterhead,
    MinutesData,
    MinutesMember,
    MinutesResult,
    MinutesVote,
    ProposalLetterData,
    ReportCriterion,
    ReportEvidence,
    Signature,
    check_fonts,
    default_font_dir,
    format_number,
    render_achievement_report,
    render_decision,
    render_minutes,
    render_proposal_letter,
)

COMMUNE = Letterhead(issuing_body="ỦY BAN NHÂN DÂN XÃ LIÊN MINH", parent_body="TỈNH NINH BÌNH", place="Liên Minh")
COUNCIL = Letterhead(
    issuing_body="HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", parent_body="ỦY BAN NHÂN DÂN XÃ LIÊN MINH", place="Liên Minh"
)
CHAIRMAN = Signature("CHỦ TỊCH", "Trần Văn Đức")
AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân xã"
VIETNAM = timezone(timedelta(hours=7))


@pytest.fixture(scope="module")
def fonts() -> Path:
    # fails with "... is missing: run deploy/fonts/install.sh ..." when the fonts are not installed
    return check_fonts(default_font_dir())


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    return len(reader.pages), unicodedata.normalize("NFC", "\n".join(pages))


def flat(text: str) -> str:
    """Whitespace (including line breaks inside wrapped cells) collapsed to single spaces."""
    return " ".join(text.split())


def recipients(count: int) -> tuple[DecisionRecipient, ...]:
    first = (
        DecisionRecipient(
            "Nguyễn Thị Hường",
            "Cá nhân",
            "Trường Tiểu học Liên Minh",
            "Hoàn thành xuất sắc nhiệm vụ chuyển đổi số trong dạy học; sáng kiến số hóa học bạ được công nhận",
        ),
        DecisionRecipient("Thôn Đồng Tâm", "Tập thể", "Xã Liên Minh", "Dẫn đầu phong trào Bình dân học vụ số"),
    )
    more = tuple(
        DecisionRecipient(
            f"Phạm Quốc Việt {i}",
            "Cá nhân",
            f"Thôn Yên Bình {i}",
            "Tích cực hướng dẫn người dân sử dụng dịch vụ công trực tuyến toàn trình, "
            "thanh toán không dùng tiền mặt và ứng dụng định danh điện tử",
        )
        for i in range(3, count + 1)
    )
    return (first + more)[:count]


def decision(count: int) -> DecisionData:
    return DecisionData(
        letterhead=COMMUNE,
        number="125/QĐ-UBND",
        signed_on=date(2025, 12, 12),
        award_form=AWARD,
        period_label="năm 2025",
        recipients=recipients(count),
        signer=CHAIRMAN,
    )


VOTERS = ("Trần Văn Đức", "Lê Thị Thu Hà", "Hoàng Minh Tuấn", "Nguyễn Thị Hường")


def minutes(mode: str) -> MinutesData:
    members = (
        MinutesMember("Trần Văn Đức", True, "Chủ tịch Hội đồng"),
        MinutesMember("Lê Thị Thu Hà", True, "Phó Chủ tịch Hội đồng"),
        MinutesMember("Hoàng Minh Tuấn", True, "Ủy viên"),
        MinutesMember("Nguyễn Thị Hường", True, "Ủy viên"),
        MinutesMember("Đặng Văn Lợi", False, "Ủy viên thường trực"),
    )
    votes = tuple(
        MinutesVote(member, candidate, vote)
        for candidate, ballot in (
            ("Thôn Đồng Tâm", ("yes", "yes", "no", "abstain")),
            ("Trường Tiểu học Liên Minh", ("yes", "yes", "yes", "yes")),
        )
        for member, vote in zip(VOTERS, ballot, strict=True)
    )
    return MinutesData(
        letterhead=COUNCIL,
        title="Họp Hội đồng Thi đua - Khen thưởng xã Liên Minh xét khen thưởng năm 2025",
        held_at=datetime(2025, 12, 5, 14, 0, tzinfo=VIETNAM),
        location="Hội trường Ủy ban nhân dân xã Liên Minh",
        chaired_by=Signature("Chủ tịch Ủy ban nhân dân xã, Chủ tịch Hội đồng", "Trần Văn Đức"),
        secretary=Signature("Công chức Văn phòng", "Vũ Thị Ngọc Ánh"),
        members=members,
        quorum_required=4,
        ballot_mode="open" if mode == "open" else "secret",
        pass_rule="trên 50% tổng số thành viên Hội đồng",
        results=(
            MinutesResult("Thôn Đồng Tâm", "Thôn, xóm", AWARD, 92.5, 2, 1, 1, 0, False),
            MinutesResult("Trường Tiểu học Liên Minh", "Cơ quan, đơn vị", AWARD, 88.25, 4, 0, 0, 1, True),
        ),
        votes=votes,
        number="03/BB-HĐTĐKT",
    )


def proposal() -> ProposalLetterData:
    return ProposalLetterData(
        letterhead=COMMUNE,
        number="45/TTr-UBND",
        signed_on=date(2026, 1, 8),
        addressee="Chủ tịch Ủy ban nhân dân tỉnh Ninh Bình",
        award_form="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        period_label="năm 2025",
        session_held_on=date(2025, 12, 5),
        session_summary="4/5 thành viên có mặt, bỏ phiếu kín, 100% thành viên có mặt đồng ý",
        recipients=recipients(2),
        signer=Signature("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "Trần Văn Đức"),
    )


def report() -> AchievementReportData:
    return AchievementReportData(
        letterhead=Letterhead("TRƯỜNG TIỂU HỌC LIÊN MINH", "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "Liên Minh"),
        entrant="Nguyễn Thị Hường",
        kind="Cá nhân",
        unit="Trường Tiểu học Liên Minh",
        period_label="năm 2025",
        total=92.5,
        max_total=100,
        grade="Xuất sắc",
        criteria=(
            ReportCriterion(
                "TC1", "Nhận thức, đổi mới tư duy", 18.5, 20, "Tham gia đầy đủ các lớp bồi dưỡng kỹ năng số"
            ),
            ReportCriterion("TC3", "Chính quyền số, cải cách hành chính", 24, 25, "Số hóa 100% hồ sơ học bạ"),
        ),
        evidence=(ReportEvidence("TC3", "quyết-định-công-nhận-sáng-kiến.pdf", "application/pdf", "AB12" * 16),),
        signer=Signature("HIỆU TRƯỞNG", "Lê Văn Thắng"),
        signed_on=date(2025, 11, 20),
    )


def test_decision_has_headings_names_and_fits_two_pages(fonts: Path) -> None:
    pages, text = text_of(render_decision(decision(2), fonts=fonts))
    assert pages == 2  # the basis of the laws in force (ADR 0028) is longer: the list's second row goes over
    flat_text = flat(text)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ LIÊN MINH",
        "TỈNH NINH BÌNH",
        "Số: 125/QĐ-UBND",
        "Liên Minh, ngày 12 tháng 12 năm 2025",
        "QUYẾT ĐỊNH",
        f"Về việc tặng {AWARD}",
        "Căn cứ Luật Thi đua, khen thưởng",
        "Nghị định số 152/2025/NĐ-CP",
        "Điều 1.",
        "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số",
        "Điều 3.",
        "CHỦ TỊCH",
        "Trần Văn Đức",
        "DANH SÁCH",
        "Nguyễn Thị Hường",
        "Trường Tiểu học Liên Minh",
        "Thôn Đồng Tâm",
        "Trang 1/2",
    ):
        assert expected in flat_text, expected


def test_a_decision_for_120_recipients_flows_over_pages_with_numbers(fonts: Path) -> None:
    pages, text = text_of(render_decision(decision(120), fonts=fonts))
    assert pages > 2
    for page in range(1, pages + 1):
        assert f"Trang {page}/{pages}" in text
    flat_text = flat(text)
    assert "Phạm Quốc Việt 120" in flat_text
    assert flat_text.count("Thành tích") >= pages - 1  # headings repeated on each page of the list


def test_explicit_basis_replaces_the_default(fonts: Path) -> None:
    data = replace(decision(2), basis=("Căn cứ Quyết định số 547/QĐ-UBND ngày 08/8/2025;",))
    _, text = text_of(render_decision(data, fonts=fonts))
    assert "Quyết định số 547/QĐ-UBND" in flat(text)
    assert "152/2025" not in text


def test_open_ballot_minutes_list_counts_and_each_members_vote(fonts: Path) -> None:
    pages, text = text_of(render_minutes(minutes("open"), fonts=fonts))
    flat_text = flat(text)
    for expected in (
        "BIÊN BẢN",
        "Họp Hội đồng Thi đua - Khen thưởng xã Liên Minh",
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "14 giờ 00 phút, ngày 05 tháng 12 năm 2025",
        "Hội trường Ủy ban nhân dân xã Liên Minh",
        "Trần Văn Đức - Chủ tịch Ủy ban nhân dân xã, Chủ tịch Hội đồng",
        "Đặng Văn Lợi",
        "Vắng mặt",
        "4/4",  # present / required
        "biểu quyết công khai",
        "trên 50% tổng số thành viên Hội đồng",
        "92,5",
        "88,25",
        "Không đạt",
        "Chi tiết biểu quyết công khai",
        "Không biểu quyết",
        "CHỦ TRÌ",
        "THƯ KÝ",
        "Vũ Thị Ngọc Ánh",
        f"Trang 1/{pages}",
    ):
        assert expected in flat_text, expected
    # the result rows: score, yes, no, abstain, recused, result
    assert re.search(r"92,5 2 1 1 0 Không đạt", flat_text)
    assert re.search(r"88,25 4 0 0 1 Đạt", flat_text)
    # one row per member and candidate
    assert flat_text.count("Hoàng Minh Tuấn") >= 3
    assert "Hoàng Minh Tuấn Thôn Đồng Tâm Không đồng ý" in flat_text


def test_secret_ballot_minutes_never_show_individual_votes(fonts: Path) -> None:
    _, text = text_of(render_minutes(minutes("secret"), fonts=fonts))
    flat_text = flat(text)
    assert "bỏ phiếu kín" in flat_text
    assert re.search(r"92,5 2 1 1 0 Không đạt", flat_text)
    assert "Chi tiết biểu quyết công khai" not in flat_text
    assert "Hoàng Minh Tuấn Thôn Đồng Tâm" not in flat_text
    assert flat_text.count("Hoàng Minh Tuấn") == 1  # the attendance table only


def test_the_signature_page_keeps_the_closing_sentence(fonts: Path) -> None:
    reader = PdfReader(io.BytesIO(render_minutes(minutes("secret"), fonts=fonts)))
    last = flat(unicodedata.normalize("NFC", reader.pages[-1].extract_text()))
    assert "CHỦ TRÌ" in last
    assert "Biên bản đã được thông qua tại phiên họp" in last


def test_minutes_flag_a_missing_quorum(fonts: Path) -> None:
    data = replace(minutes("secret"), quorum_required=5)
    _, text = text_of(render_minutes(data, fonts=fonts))
    assert "4/5" in flat(text)
    assert "không đủ số thành viên" in flat(text)


def test_minutes_name_the_quorum_share_the_session_was_convened_with(fonts: Path) -> None:
    data = replace(minutes("secret"), quorum_share=0.75)
    assert "hợp lệ (3/4 tổng số thành viên): 4/4" in flat(text_of(render_minutes(data, fonts=fonts))[1])


def test_minutes_show_an_aware_time_in_vietnam_time(fonts: Path) -> None:
    data = replace(minutes("open"), held_at=datetime(2025, 12, 5, 7, 30, tzinfo=UTC))
    _, text = text_of(render_minutes(data, fonts=fonts))
    assert "14 giờ 30 phút, ngày 05 tháng 12 năm 2025" in flat(text)


def test_minutes_take_a_naive_time_as_vietnam_time(fonts: Path) -> None:
    held_at = minutes("open").held_at
    data = replace(minutes("open"), held_at=held_at.replace(tzinfo=None))
    _, text = text_of(render_minutes(data, fonts=fonts))
    assert "14 giờ 00 phút, ngày 05 tháng 12 năm 2025" in flat(text)


def test_unknown_vote_is_rejected(fonts: Path) -> None:
    data = replace(minutes("open"), votes=(MinutesVote("Trần Văn Đức", "Thôn Đồng Tâm", "maybe"),))
    with pytest.raises(ValueError, match="maybe"):
        render_minutes(data, fonts=fonts)


def test_proposal_letter(fonts: Path) -> None:
    pages, text = text_of(render_proposal_letter(proposal(), fonts=fonts))
    assert pages == 1
    flat_text = flat(text)
    for expected in (
        "TỜ TRÌNH",
        "Về việc đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Ninh Bình",
        "Liên Minh, ngày 08 tháng 01 năm 2026",
        "ngày 05 tháng 12 năm 2025",
        "4/5 thành viên có mặt, bỏ phiếu kín",
        "Nguyễn Thị Hường",
        "Trường Tiểu học Liên Minh",
        "TM. ỦY BAN NHÂN DÂN",
        "Trang 1/1",
    ):
        assert expected in flat_text, expected


def test_a_province_form_asks_the_province_chairman_to_award_it(fonts: Path) -> None:
    flat_text = flat(text_of(render_proposal_letter(proposal(), fonts=fonts))[1])
    assert "kính trình Chủ tịch Ủy ban nhân dân tỉnh Ninh Bình xem xét, tặng Bằng khen" in flat_text
    assert "xem xét, quyết định./." in flat_text


@pytest.mark.parametrize(
    ("form", "proposed_to"),
    [
        ("Bằng khen của Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
        ("Huân chương Lao động hạng Ba", "Thủ tướng Chính phủ trình Chủ tịch nước"),
    ],
)
def test_a_central_form_asks_the_province_chairman_to_propose_it_never_to_award_it(
    fonts: Path, form: str, proposed_to: str
) -> None:
    data = replace(proposal(), award_form=form, proposed_to=proposed_to)
    flat_text = flat(text_of(render_proposal_letter(data, fonts=fonts))[1])
    assert f"xem xét, đề nghị {proposed_to} tặng {form} cho 2" in flat_text
    assert "xem xét, tặng" not in flat_text
    assert "xem xét, đề nghị./." in flat_text
    assert "quyết định./." not in flat_text


def test_the_default_basis_cites_the_laws_in_force(fonts: Path) -> None:
    flat_text = flat(text_of(render_decision(decision(2), fonts=fonts))[1])
    for expected in (
        "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân quyền",
    ):
        assert expected in flat_text, expected


def test_achievement_report(fonts: Path) -> None:
    pages, text = text_of(render_achievement_report(report(), fonts=fonts))
    assert pages == 1
    flat_text = flat(text)
    for expected in (
        "BÁO CÁO THÀNH TÍCH",
        "Nguyễn Thị Hường",
        "Trường Tiểu học Liên Minh",
        "92,5/100 điểm",
        "Xuất sắc",
        "TC1",
        "18,5/20",
        "Số hóa 100% hồ sơ học bạ",
        "application/pdf",
        "ab12ab12ab12",
        "XÁC NHẬN CỦA CẤP TRÌNH KHEN",
        "HIỆU TRƯỞNG",
        "Lê Văn Thắng",
    ):
        assert expected in flat_text, expected
    assert "ab12ab12ab12a" not in flat_text
    # a long file name may wrap inside its cell
    assert "quyết-định-công-nhận-sáng-kiến.pdf" in "".join(text.split())


def test_decomposed_input_is_rendered_as_nfc(fonts: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    data = replace(decision(1), recipients=(replace(recipients(1)[0], name=nfd),))
    _, text = text_of(render_decision(data, fonts=fonts))
    assert "Nguyễn Thị Hường" in flat(text)


def test_output_depends_only_on_the_data(fonts: Path) -> None:
    assert render_decision(decision(3), fonts=fonts) == render_decision(decision(3), fonts=fonts)
    assert render_minutes(minutes("open"), fonts=fonts) == render_minutes(minutes("open"), fonts=fonts)


def test_missing_fonts_raise_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontsMissingError, match=r"DejaVuSans\.ttf is missing: run deploy/fonts/install\.sh"):
        render_decision(decision(1), fonts=tmp_path)
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")
    with pytest.raises(RuntimeError, match=r"DejaVuSans-Bold\.ttf is missing"):
        check_fonts(tmp_path)
    (tmp_path / "DejaVuSans-Bold.ttf").write_bytes(b"")
    assert check_fonts(tmp_path) == tmp_path


def test_default_font_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("THIDUA_FONT_DIR", str(tmp_path))
    assert default_font_dir() == tmp_path
    monkeypatch.delenv("THIDUA_FONT_DIR")
    monkeypatch.setenv("THIDUA_CACHE", str(tmp_path))
    assert default_font_dir() == tmp_path / "fonts" / "dejavu-2.37.3"
    monkeypatch.delenv("THIDUA_CACHE")
    assert default_font_dir() == Path.home() / ".cache" / "thidua" / "fonts" / "dejavu-2.37.3"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(92.5, "92,5"), (90.0, "90"), (88.25, "88,25"), (1234.5, "1.234,5"), (0.004, "0"), (-0.001, "0"), (7, "7")],
)
def test_vietnamese_number_format(value: float, expected: str) -> None:
    assert format_number(value) == expected
