from notifications.domain.messages import message_for
from thidua_shared.events import ScoreComputed, SubmissionSubmitted, new_event

ENTRANT = {"id": "e", "name": "Thôn Đông Hưng", "kind": "collective", "target_group": "a"}


def test_the_submitter_is_told_of_the_score_in_vietnamese_and_english() -> None:
    event = new_event(
        ScoreComputed(
            submission_id="s",
            submission_version=1,
            period="2025",
            entrant=ENTRANT,
            submitted_by="u-9",
            total=86.5,
            max_total=100,
            grade="Tốt",
            criteria=(),
        ),
        source="t",
        subject="s",
        tenant="t",
        province="37",
    )
    message = message_for(event)
    assert message is not None and message.recipient == "u-9"
    assert message.body_vi == "Thôn Đông Hưng: 86.5/100 điểm, xếp loại Tốt."
    assert message.body_en == "Thôn Đông Hưng: 86.5/100 points, grade Tốt."


def test_submission_received() -> None:
    event = new_event(
        SubmissionSubmitted(
            submission_id="s", version=1, period="2026", entrant=ENTRANT, submitted_by="u-1", criteria=()
        ),
        source="t",
        subject="s",
        tenant="t",
        province="37",
    )
    message = message_for(event)
    assert message is not None and message.title_vi == "Đã nhận hồ sơ thi đua"
