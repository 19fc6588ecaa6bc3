from pydantic import Field

from thidua_platform.settings import ServiceSettings


class ScoringSettings(ServiceSettings):
    service_name: str = "scoring"
    api_port: int = 8102
    worker_port: int = 8112
    index_poll_seconds: float = Field(default=2.0, gt=0, le=300)  # how often stale commune indexes are recomputed
