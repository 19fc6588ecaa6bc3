"""Preferences, backoff, digest days, the e-mail's shape and the webhook signature."""

from datetime import UTC, date, datetime

from notifications.domain.delivery import (
    Preferences,
    delivery_id,
    digest_date,
    email_message,
    retry_delay,
    signature,
    verify_signature,
)
from notifications.domain.templates import BUILTIN, SAMPLES, render


def test_ids_are_one_per_cause_recipient_and_channel() -> None:
    assert delivery_id("e-1", "u-1", "email") == delivery_id("e-1", "u-1", "email")
    assert len({delivery_id("e-1", "u-1", c) for c in ("email", "webhook", "in_app")}) == 3


def test_default_preferences_and_stored_choices() -> None:
    assert Preferences.of(None) == Preferences(in_app=True, email=True, webhook=False, digest="off")
    chosen = Preferences.of({"_id": "u-1", "tenant": "x", "province": "37", "email": False, "digest": "daily"})
    assert not chosen.wants("email") and chosen.wants("in_app") and chosen.digest == "daily"


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
    assert message["Message-ID"] == again["Message-ID"] and "d-1" in message["Message-ID"]
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
