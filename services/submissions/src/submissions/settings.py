from pydantic import Field

from thidua_platform.settings import ServiceSettings


class SubmissionsSettings(ServiceSettings):
    service_name: str = "submissions"
    api_port: int = 8101
    worker_port: int = 8111
    max_attachment_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    upload_directory: str | None = Field(default=None, description="Temporary files of uploads; default: system tmp")
