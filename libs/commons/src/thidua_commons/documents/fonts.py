"""Where the DejaVu Sans fonts live (installed by deploy/fonts/install.sh) and a check that they are there."""

from __future__ import annotations

import os
from pathlib import Path

FONT_VERSION = "2.37.3"
REGULAR_FILE = "DejaVuSans.ttf"
BOLD_FILE = "DejaVuSans-Bold.ttf"
INSTALL_SCRIPT = "deploy/fonts/install.sh"


class FontsMissingError(RuntimeError):
    """The font directory lacks a TTF file the documents need."""


def default_font_dir() -> Path:
    """THIDUA_FONT_DIR if set, else $THIDUA_CACHE/fonts/dejavu-<v>, else ~/.cache/thidua/fonts/dejavu-<v>."""
    explicit = os.environ.get("THIDUA_FONT_DIR")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("THIDUA_CACHE")
    base = Path(cache) if cache else Path.home() / ".cache" / "thidua"
    return base / "fonts" / f"dejavu-{FONT_VERSION}"


def font_files(directory: Path) -> tuple[Path, Path]:
    """The (regular, bold) font paths inside ``directory`` (not checked)."""
    return directory / REGULAR_FILE, directory / BOLD_FILE


def check_fonts(directory: Path) -> Path:
    """Return ``directory`` if it holds both fonts, else raise FontsMissingError naming the first missing file."""
    for path in font_files(directory):
        if not path.is_file():
            raise FontsMissingError(
                f"font file {path} is missing: run {INSTALL_SCRIPT} to install DejaVu Sans {FONT_VERSION} "
                f"(or point THIDUA_FONT_DIR at a directory holding {REGULAR_FILE} and {BOLD_FILE})"
            )
    return directory
