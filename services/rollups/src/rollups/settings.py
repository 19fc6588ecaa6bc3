from pathlib import Path

from pydantic import Field

from thidua_commons.documents.fonts import default_font_dir
from thidua_platform.settings import UnitNamesSettings


class RollupsSettings(UnitNamesSettings):
    service_name: str = "rollups"
    api_port: int = 8105
    worker_port: int = 8115
    summary_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    fonts: Path = Field(default_factory=default_font_dir, description="DejaVu fonts for the PDF reports")
