"""Pages of the portal: showcase (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
