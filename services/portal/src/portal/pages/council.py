"""Pages of the portal: council (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
