"""Issue #20 on the real stack: a long Vietnamese subject, as the stack's SMTP sink received it, decodes to the same
words under a strict RFC 2047 reader — no space lost where the header is folded between two encoded-words."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import httpx
import pytest

from thidua_platform.client import SERVICE_URLS
from thidua_platform.testing import strictly_decoded

from .conftest import eventually
from .mailbox import messages_about
from .world import EVIDENCE_80, SUBMISSIONS, bearer, filled_dossier, new_entrant, ok

NOTIFY = SERVICE_URLS["notifications"]
SUBMITTER_EMAIL = "lm.submitter@lienminh.thidua.invalid"
DEFAULTS = {"in_app": True, "email": True, "webhook": False, "digest": "off"}
# with the built-in template, today's folder put the only space of "Liên hiệp" between two encoded-words
LONG_NAME = "Hội Liên hiệp Phụ nữ xã Liên Minh và Ban Chỉ huy Quân sự xã Liên Minh tỉnh Ninh Bình"


def raw_subject(message: EmailMessage) -> str:
    """The Subject as it came on the wire (folded, encoded), not as Python's parser decodes it."""
    return next(str(value) for name, value in message.raw_items() if name.lower() == "subject")


@pytest.mark.usefixtures("lien_minh")
def test_a_long_vietnamese_subject_arrives_with_every_space(http: httpx.Client, token: Callable[[str], str]) -> None:
    submitter = token("lm.submitter")
    ok(http.put(f"{NOTIFY}/preferences", json=DEFAULTS, headers=bearer(submitter)))
    entrant = new_entrant(http, token("lm.officer"), name=LONG_NAME)
    dossier = filled_dossier(http, submitter, entrant["id"], EVIDENCE_80)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))

    def received() -> EmailMessage | None:
        for message in messages_about(SUBMITTER_EMAIL, "X-Thidua-Subject", dossier):
            if str(message["X-Thidua-Kind"]) == "submission_submitted":
                return message
        return None

    message = eventually(received, what="the e-mail that the dossier was submitted")
    raw = raw_subject(message)
    assert "\n" in raw, raw  # long enough to be folded
    assert entrant["name"] in strictly_decoded(raw), raw
    assert entrant["name"] in str(message["Subject"])  # and as Python's own parser reads it
