from thidua_shared.settings import ServiceSettings


class RollupsSettings(ServiceSettings):
    service_name: str = "rollups"
    api_port: int = 8105
    worker_port: int = 8115
