from thidua_shared.settings import ServiceSettings


class SubmissionsSettings(ServiceSettings):
    service_name: str = "submissions"
    api_port: int = 8101
    worker_port: int = 8111
