from thidua_shared.settings import ServiceSettings


class AwardsSettings(ServiceSettings):
    service_name: str = "awards"
    api_port: int = 8103
    worker_port: int = 8113
