from thidua_shared.settings import ServiceSettings


class ScoringSettings(ServiceSettings):
    service_name: str = "scoring"
    api_port: int = 8102
    worker_port: int = 8112
