from __future__ import annotations

import uuid

import pytest

from thidua_contracts import EVENT_TYPES
from thidua_contracts.scoring import ReviewAssigned, ScoreComputed
from thidua_contracts.submissions import SubmissionSubmitted
from thidua_platform.envelope import Envelope, UnknownEventType, derived_id, event_model, new_event


def submitted() -> SubmissionSubmitted:
    return SubmissionSubmitted(
        submission_id="s-1",
        version=1,
        period="2025",
        entrant={"id": "e-1", "name": "Thôn Đông", "kind": "collective", "target_group": "a"},
        submitted_by="u-1",
        criteria=({"code": "a3", "theme": 3, "max_points": 20, "value": 45, "target": 50},),
    )


def test_an_envelope_survives_the_wire() -> None:
    envelope = new_event(
        submitted(),
        source="thidua/submissions",
        subject="s-1",
        tenant="ph-37-lien-minh",
        province="37",
        traceparent="00-" + "a" * 32 + "-" + "b" * 16 + "-01",
    )
    again = Envelope.model_validate_json(envelope.model_dump_json())
    assert again == envelope
    assert again.payload(SubmissionSubmitted) == submitted()
    assert again.topic == "thidua.submissions"


def test_vietnamese_text_is_stored_nfc() -> None:
    decomposed = "Tho\u0302n \u0110o\u0302ng"  # 'Thôn Đông' with combining circumflexes
    data = SubmissionSubmitted.model_validate(
        {
            **submitted().model_dump(),
            "entrant": {"id": "e-1", "name": decomposed, "kind": "collective", "target_group": "a"},
        }
    )
    assert data.entrant.name == "Thôn Đông"


def test_reading_the_wrong_payload_fails() -> None:
    envelope = new_event(submitted(), source="x", subject="s-1", tenant="t", province="37")
    with pytest.raises(ValueError, match="not"):
        envelope.payload(ScoreComputed)


def test_a_blind_review_assignment_names_no_entrant() -> None:
    fields = {
        "assignment_id": "s-1:2:lm.council2",
        "submission_id": "s-1",
        "submission_version": 2,
        "period": "2025",
        "reviewer": "lm.council2",
        "criteria": ["a3", "a4"],
        "entrant": None,
        "assigned_by": "system",
    }
    envelope = new_event(ReviewAssigned.model_validate(fields), source="x", subject="s-1", tenant="t", province="37")
    again = Envelope.model_validate_json(envelope.model_dump_json()).payload(ReviewAssigned)
    assert (again.criteria, again.entrant, envelope.topic) == (("a3", "a4"), None, "thidua.scoring")
    with pytest.raises(ValueError, match="entrant"):  # blind or not is stated, never implied by a missing field
        ReviewAssigned.model_validate({k: v for k, v in fields.items() if k != "entrant"})
    with pytest.raises(ValueError, match="submission_version"):
        ReviewAssigned.model_validate(fields | {"submission_version": 0})


def test_derived_ids_are_deterministic_and_distinct() -> None:
    source = uuid.uuid4()
    assert derived_id(source, "score") == derived_id(source, "score")
    assert derived_id(source, "score") != derived_id(source, "candidate")


def test_event_types_are_versioned_and_unique() -> None:
    for event_type, model in EVENT_TYPES.items():
        assert event_type.startswith("thidua.")
        assert event_type.rsplit(".", 1)[1].startswith("v")
        assert event_model(event_type) is model
    with pytest.raises(UnknownEventType):
        event_model("thidua.submissions.submission.submitted.v99")
