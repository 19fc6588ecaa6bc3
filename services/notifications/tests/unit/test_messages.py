from notifications.domain.messages import message_for
from thidua_shared.testing import entrant, envelope_of, score_finalised, submission_submitted


def test_the_submitter_is_told_of_the_score_in_vietnamese_and_english() -> None:
    event = envelope_of(score_finalised(submitted_by="u-9", total=86.5, grade="Tốt"))
    message = message_for(event)
    assert message is not None and message.recipient == "u-9"
    assert message.body_vi == "Thôn Đông Hưng: 86.5/100 điểm, xếp loại Tốt."
    assert message.body_en == "Thôn Đông Hưng: 86.5/100 points, grade Tốt."


def test_submission_received() -> None:
    event = envelope_of(submission_submitted(period="2026", entrant=entrant(name="Hội Nông dân xã")))
    message = message_for(event)
    assert message is not None and message.title_vi == "Đã nhận hồ sơ thi đua"
    assert message.body_vi == "Hồ sơ của Hội Nông dân xã cho kỳ 2026 đã được nộp thành công."
