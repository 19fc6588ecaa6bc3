"""What the unit tests of the reports share."""

from __future__ import annotations

from pathlib import Path

import pytest

from thidua_commons.documents.fonts import FontsMissingError, check_fonts, default_font_dir


@pytest.fixture(scope="module")
def fonts() -> Path:
    """The DejaVu fonts of deploy/fonts/install.sh, if installed here; the narrative cannot be made without them."""
    try:
        return check_fonts(default_font_dir())
    except FontsMissingError as missing:
        pytest.skip(str(missing))
