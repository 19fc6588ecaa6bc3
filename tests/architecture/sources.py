"""The repository's Python files as the architecture tests read them: each parsed once per process, since several
tests walk the same files. A tree handed out here is shared: read it, never change it."""

from __future__ import annotations

import ast
import functools
from pathlib import Path


@functools.cache
def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
