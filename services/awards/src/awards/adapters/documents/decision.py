"""QUYẾT ĐỊNH về việc tặng Giấy khen, with the list of recipients (DANH SÁCH) after the signature."""

from __future__ import annotations

from pathlib import Path

from fpdf.enums import Align

from awards.adapters.documents.model import DecisionData, DecisionPrizeData, DecisionRecipient
from awards.domain.money import amount_in_words, dong
from thidua_commons.documents.layout import OfficialDocument, SignBlock
from thidua_commons.documents.text import MOVEMENT_QUOTED, default_basis, format_number, place_date_line, short_date

RECIPIENT_HEADINGS = ("STT", "Tên tập thể, cá nhân", "Đối tượng", "Đơn vị", "Thành tích")
RECIPIENT_WIDTHS = (10.0, 40.0, 20.0, 35.0, 60.0)
RECIPIENT_ALIGNS = ("C", "L", "C", "L", "L")
PAID_HEADINGS = (*RECIPIENT_HEADINGS, "Số tiền (đồng)")
PAID_WIDTHS = (10.0, 38.0, 18.0, 30.0, 46.0, 23.0)
PAID_ALIGNS = (*RECIPIENT_ALIGNS, "R")


def recipient_rows(recipients: tuple[DecisionRecipient, ...]) -> list[tuple[str, str, str, str, str]]:
    return [(str(i), r.name, r.kind, r.unit, r.achievement) for i, r in enumerate(recipients, start=1)]


def recipients_table(doc: OfficialDocument, recipients: tuple[DecisionRecipient, ...]) -> None:
    doc.data_table(RECIPIENT_HEADINGS, recipient_rows(recipients), RECIPIENT_WIDTHS, RECIPIENT_ALIGNS)


def merit(period_label: str, recipients: tuple[DecisionRecipient, ...], *, ad_hoc: bool) -> str:
    """What the recipients are commended for: a period's results in the movement, or an ad-hoc achievement (khen
    thưởng đột xuất), named when there is one recipient (each one's is in the list)."""
    if not ad_hoc:
        return f"đã có thành tích xuất sắc trong {MOVEMENT_QUOTED} {period_label}"
    named = f": {recipients[0].achievement.rstrip('.')}" if len(recipients) == 1 else ""
    return f"đã có thành tích xuất sắc đột xuất trong {MOVEMENT_QUOTED} {period_label}{named}"


def paid_table(doc: OfficialDocument, recipients: tuple[DecisionRecipient, ...], prize: DecisionPrizeData) -> None:
    """The list with each recipient's prize and the total."""
    rows = [(*row, dong(r.amount or 0)) for row, r in zip(recipient_rows(recipients), recipients, strict=True)]
    total = (("Tổng cộng", len(RECIPIENT_HEADINGS)), (dong(prize.total), 1))
    doc.data_table(PAID_HEADINGS, rows, PAID_WIDTHS, PAID_ALIGNS, total_row=total)


def prize_article(data: DecisionData) -> str:
    """Điều 2: when the decision takes effect, and the prize money it pays (or the old wording, without one)."""
    effect = "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."
    prize = data.prize
    if prize is None:
        return f"{effect} Kèm theo {data.award_form} là tiền thưởng theo quy định hiện hành."
    rates = ", ".join(
        f"mỗi {rate.kind} được thưởng {dong(rate.amount)} đồng ({format_number(rate.coefficient, 3)} lần mức lương "
        "cơ sở)"
        for rate in prize.rates
    )
    return (
        f"{effect} Kèm theo {data.award_form}, {rates}; tổng số tiền thưởng: {dong(prize.total)} đồng (Bằng chữ: "
        f"{amount_in_words(prize.total)}). Nguồn kinh phí: {prize.source}."
    )


def render_decision(data: DecisionData, *, fonts: Path) -> bytes:
    lh = data.letterhead
    place = lh.place
    with OfficialDocument(
        fonts, title=f"Quyết định số {data.number}", author=lh.issuing_body, created=data.signed_on
    ) as doc:
        doc.heading(lh, number=data.number, place_date=place_date_line(place, data.signed_on))
        subject = " cho tập thể, cá nhân có thành tích xuất sắc đột xuất" if data.ad_hoc else ""
        doc.title_block("QUYẾT ĐỊNH", f"Về việc tặng {data.award_form}{subject}")

        authority = f"CHỦ TỊCH {lh.issuing_body}"
        doc.paragraph(authority, bold=True, align=Align.C)
        doc.ln(3)
        for line in data.basis or default_basis(place):
            doc.paragraph(line)
        doc.ln(3)
        doc.paragraph("QUYẾT ĐỊNH:", bold=True, align=Align.C)
        doc.ln(3)

        count = len(data.recipients)
        doc.paragraph(
            f"Điều 1. Tặng {data.award_form} cho {count} tập thể, cá nhân có tên trong danh sách kèm theo Quyết định "
            f"này, {merit(data.period_label, data.recipients, ad_hoc=data.ad_hoc)}.",
        )
        doc.paragraph(prize_article(data))
        doc.signatures(
            right=SignBlock(data.signer.title, data.signer.name),
            recipients=("- Như Điều 3;", "- Lưu: VT."),
            lead=(
                f"Điều 3. Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã {place}, Hội đồng Thi đua - Khen "
                f"thưởng xã {place}, các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định "
                "này./.",
            ),
        )

        doc.ln(2)
        doc.title_block(
            "DANH SÁCH",
            f"Tập thể, cá nhân được tặng {data.award_form}",
            note=f"(Kèm theo Quyết định số {data.number} ngày {short_date(data.signed_on)} "
            f"của Chủ tịch Ủy ban nhân dân xã {place})",
            keep=28,
            shrink=True,
        )
        if data.prize is None:
            recipients_table(doc, data.recipients)
        else:
            paid_table(doc, data.recipients, data.prize)
        return doc.to_bytes()
