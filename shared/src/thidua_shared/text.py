"""Text as users type it: Vietnamese is stored NFC-normalised so that equal words compare equal."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


Text = Annotated[str, AfterValidator(nfc), StringConstraints(min_length=1, max_length=2000)]
ShortText = Annotated[str, AfterValidator(nfc), StringConstraints(min_length=1, max_length=300)]
