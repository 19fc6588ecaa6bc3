"""TỜ TRÌNH đề nghị tặng a higher award (e.g. Bằng khen của Chủ tịch UBND tỉnh), sent upward with the dossier.

For a province form the letter asks the province chairman to award it; for a central form, to propose it to the
Prime Minister (or through him to the President): the province chairman never awards a central form."""

from __future__ import annotations

from pathlib import Path

from fpdf.enums import Align

from awards.adapters.documents.decision import merit, recipients_table
from awards.adapters.documents.model import ProposalLetterData
from thidua_commons.documents.layout import OfficialDocument, SignBlock
from thidua_commons.documents.text import LEGAL_BASIS, long_date, place_date_line


def render_proposal_letter(data: ProposalLetterData, *, fonts: Path) -> bytes:
    lh = data.letterhead
    place = lh.place
    with OfficialDocument(
        fonts, title=f"Tờ trình số {data.number}", author=lh.issuing_body, created=data.signed_on
    ) as doc:
        doc.heading(lh, number=data.number, place_date=place_date_line(place, data.signed_on))
        subject = " cho tập thể, cá nhân có thành tích xuất sắc đột xuất" if data.ad_hoc else ""
        doc.title_block("TỜ TRÌNH", f"Về việc đề nghị tặng {data.award_form}{subject}")
        doc.paragraph(f"Kính gửi: {data.addressee}.", align=Align.C)
        doc.ln(4)

        for line in LEGAL_BASIS:
            doc.paragraph(line)
        session = "Căn cứ kết quả phiên họp Hội đồng Thi đua - Khen thưởng xã " + place
        if data.session_held_on is not None:
            session += f" {long_date(data.session_held_on)}"
        summary = data.session_summary.strip().rstrip(".;")
        doc.paragraph(f"{session}{': ' + summary if summary else ''}.")
        doc.ln(2)

        count = len(data.recipients)
        ask = f"tặng {data.award_form}"
        if data.proposed_to:
            ask = f"đề nghị {data.proposed_to} {ask}"
        doc.paragraph(
            f"Ủy ban nhân dân xã {place} kính trình {data.addressee} xem xét, {ask} cho {count} "
            f"tập thể, cá nhân {merit(data.period_label, data.recipients, ad_hoc=data.ad_hoc)}, cụ thể như sau:",
        )
        doc.ln(2)
        recipients_table(doc, data.recipients)
        doc.paragraph(
            "(Hồ sơ kèm theo gồm: biên bản họp Hội đồng Thi đua - Khen thưởng, báo cáo thành tích và các minh chứng.)",
        )
        doc.signatures(
            right=SignBlock(data.signer.title, data.signer.name),
            recipients=("- Như trên;", "- Lưu: VT."),
            lead=(f"Kính trình {data.addressee} xem xét, {'đề nghị' if data.proposed_to else 'quyết định'}./.",),
        )
        return doc.to_bytes()
