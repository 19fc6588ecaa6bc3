"""Pages of the portal: inbox (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
