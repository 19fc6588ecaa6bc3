"""Preferences, backoff, digest days, the e-mail's shape and the webhook signature."""

import functools
import random
import re
from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser

import pytest

from notifications.domain.delivery import (
    Preferences,
    delivery_id,
    digest_date,
    email_message,
    retry_delay,
    signature,
    verify_signature,
)
from notifications.domain.templates import BUILTIN, SAMPLES, Rendered, render
from thidua_platform.testing import ENCODED_WORD, strictly_decoded


def test_ids_are_one_per_cause_recipient_and_channel() -> None:
    assert delivery_id("e-1", "u-1", "email") == delivery_id("e-1", "u-1", "email")
    assert len({delivery_id("e-1", "u-1", c) for c in ("email", "webhook", "in_app")}) == 3


def test_default_preferences_and_stored_choices() -> None:
    assert Preferences.of(None) == Preferences(in_app=True, email=True, webhook=False, digest="off")
    chosen = Preferences.of({"_id": "u-1", "tenant": "x", "province": "37", "email": False, "digest": "daily"})
    assert not chosen.wants("email")
    assert chosen.wants("in_app")
    assert chosen.digest == "daily"


def test_backoff_grows_fourfold_and_is_capped() -> None:
    assert [retry_delay(n, 30) for n in (1, 2, 3)] == [30, 120, 480]
    assert retry_delay(20, 30) == 6 * 3600


def test_a_message_held_before_the_digest_hour_goes_in_todays_digest() -> None:
    # 09:59 UTC is 16:59 in Vietnam; 10:00 UTC is 17:00.
    assert digest_date(datetime(2026, 12, 1, 9, 59, tzinfo=UTC), 17) == date(2026, 12, 1)
    assert digest_date(datetime(2026, 12, 1, 10, 0, tzinfo=UTC), 17) == date(2026, 12, 2)
    assert digest_date(datetime(2026, 11, 30, 18, 0, tzinfo=UTC), 17) == date(2026, 12, 1)  # 01:00 next day


def test_the_email_is_multipart_vietnamese_first_with_a_stable_message_id() -> None:
    rendered = render(BUILTIN["submission_scored"], SAMPLES["submission_scored"])
    at = datetime(2026, 12, 1, tzinfo=UTC)
    message = email_message(
        rendered=rendered,
        sender="thidua@x.invalid",
        to="a@x.invalid",
        delivery="d-1",
        subject_id="s-1",
        kind="k",
        at=at,
    )
    again = email_message(
        rendered=rendered,
        sender="thidua@x.invalid",
        to="a@x.invalid",
        delivery="d-1",
        subject_id="s-1",
        kind="k",
        at=at,
    )
    assert message["Message-ID"] == again["Message-ID"]
    assert "d-1" in message["Message-ID"]
    assert message["Subject"] == "Hồ sơ đã được chấm điểm: Thôn Đông Hưng"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert text.index("điểm") < text.index("points")


def test_a_signature_verifies_only_for_the_same_secret_body_and_a_recent_time() -> None:
    body = '{"a": "Liên Minh"}'.encode()
    header = signature("bí-mật-0123456789", 1_800_000_000, body)
    assert header.startswith("sha256=")
    assert verify_signature("bí-mật-0123456789", 1_800_000_000, body, header, now=1_800_000_100)
    assert not verify_signature("other-secret-0123", 1_800_000_000, body, header, now=1_800_000_100)
    assert not verify_signature("bí-mật-0123456789", 1_800_000_000, body + b" ", header, now=1_800_000_100)
    assert not verify_signature("bí-mật-0123456789", 1_800_000_000, body, header, now=1_800_001_000)


# --- The Subject on the wire: RFC 2047 decoders must read back exactly the rendered subject (issue #20) ---

_LONG_ENTRANT = "Hội Liên hiệp Phụ nữ xã Liên Minh và Ban Chỉ huy Quân sự xã Liên Minh tỉnh Ninh Bình"
_LONG_FACTS = {
    "entrant": _LONG_ENTRANT,
    "title": "Phiên xét khen thưởng năm 2026 của Hội đồng Thi đua - Khen thưởng xã Liên Minh (đợt 2)",
    "award_form_vi": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Ninh Bình cho tập thể có thành tích xuất sắc",
}


def subject_on_the_wire(subject: str) -> tuple[str, bytes]:
    rendered = Rendered(subject_vi=subject, body_vi="Nội dung", subject_en="Subject", body_en="Body")
    wire = email_message(
        rendered=rendered,
        sender="Thi đua xã <thidua@x.invalid>",
        to="a@x.invalid",
        delivery="d-1",
        subject_id="s-1",
        kind="k",
        at=datetime(2026, 12, 1, tzinfo=UTC),
    ).as_bytes()
    found = re.search(rb"^Subject: (.*?)\r?\n(?![ \t])", wire, re.MULTILINE | re.DOTALL)
    assert found, wire
    return found.group(1).decode("ascii"), wire


def long_subjects() -> list[str]:
    """The built-in templates filled with their sample facts and with long names, and made-up subjects of 60 to 200
    characters, with and without ASCII words among the Vietnamese ones."""
    subjects = [render(template, SAMPLES[kind]).subject_vi for kind, template in BUILTIN.items()]
    subjects += [
        render(template, {**SAMPLES[kind], **{k: v for k, v in _LONG_FACTS.items() if k in SAMPLES[kind]}}).subject_vi
        for kind, template in BUILTIN.items()
    ]
    vietnamese = _LONG_FACTS["award_form_vi"].split() + _LONG_ENTRANT.split() + ["thưởng", "đổi", "sáng", "tạo"]
    ascii_words = ["UBND", "TC05", "2026", "15/QD-UBND", "(dot", "2)", "-", "HTX", "Nam", "va"]
    pick = random.Random(2047)  # noqa: S311 (made-up subjects, not a secret)
    for n in range(300):
        words: list[str] = []
        while len(" ".join(words)) < 60 + n * 140 // 300:
            words.append(pick.choice(ascii_words if n % 2 and pick.random() < 0.3 else vietnamese))
        subjects.append(" ".join(words))
    return subjects


@functools.cache
def long_subjects_on_the_wire() -> list[tuple[str, str, bytes]]:
    """Each long subject, its Subject header as sent and the whole message (built once for the tests below)."""
    return [(subject, *subject_on_the_wire(subject)) for subject in long_subjects()]


def test_a_long_vietnamese_subject_decodes_to_the_same_words_under_a_strict_rfc_2047_reader() -> None:
    # "Hội đồng" must not arrive as "Hộiđồng": the space may not be the only whitespace between two encoded-words.
    garbled = []
    for subject, raw, wire in long_subjects_on_the_wire():
        parsed = BytesParser(policy=policy.default).parsebytes(wire, headersonly=True)
        if strictly_decoded(raw) != subject or parsed["Subject"] != subject:
            garbled.append((subject, strictly_decoded(raw), raw))
    assert not garbled, garbled[:3]


def test_a_returned_dossiers_subject_keeps_the_space_after_its_colon() -> None:
    # as the stack's mail sink received it before the fix: "Hồ sơ bị trả lại để bổ sung:Thôn Đông Hưng"
    subject = render(BUILTIN["submission_returned"], SAMPLES["submission_returned"]).subject_vi
    assert subject == "Hồ sơ bị trả lại để bổ sung: Thôn Đông Hưng"
    raw, wire = subject_on_the_wire(subject)
    assert strictly_decoded(raw) == subject
    assert BytesParser(policy=policy.default).parsebytes(wire)["Subject"] == subject


def test_the_encoded_subject_keeps_rfc_2047_line_and_word_lengths() -> None:
    for _subject, raw, _wire in long_subjects_on_the_wire():
        lines = f"Subject: {raw}".replace("\r\n", "\n").split("\n")
        assert all(len(line) <= 76 for line in lines if "=?" in line), lines
        assert all(len(word.group(0)) <= 75 for word in ENCODED_WORD.finditer(raw)), raw


def test_an_ascii_subject_stays_readable_and_a_literal_encoded_word_stays_literal() -> None:
    raw, _ = subject_on_the_wire("thidua digest of 2026-12-01: 3 messages")
    assert raw == "thidua digest of 2026-12-01: 3 messages"
    raw, _ = subject_on_the_wire("Mau =?utf-8?q?x?= thu")
    assert strictly_decoded(raw) == "Mau =?utf-8?q?x?= thu"


def test_a_subject_cannot_smuggle_a_header() -> None:
    with pytest.raises(ValueError, match="may not contain linefeed or carriage return"):
        subject_on_the_wire("Hồ sơ\r\nBcc: x@y.invalid")
