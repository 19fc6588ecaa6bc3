"""Pages of the portal: chair (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
