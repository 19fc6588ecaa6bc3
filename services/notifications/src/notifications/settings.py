from thidua_shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"
    api_port: int = 8104
    worker_port: int = 8114
