from pathlib import Path

from pydantic import Field

from awards.adapters.documents import default_font_dir
from thidua_platform.settings import UnitNamesSettings


class AwardsSettings(UnitNamesSettings):
    service_name: str = "awards"
    api_port: int = 8103
    worker_port: int = 8113
    fonts: Path = Field(default_factory=default_font_dir, description="DejaVu fonts for the PDF documents")
