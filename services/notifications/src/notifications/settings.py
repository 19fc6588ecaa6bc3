from pydantic import Field, SecretStr

from thidua_platform.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"
    api_port: int = 8104
    worker_port: int = 8114

    # e-mail: the province's SMTP relay (the local stack runs a sink on 18025)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 18025
    smtp_sender: str = "Thi đua xã <thidua@thidua.invalid>"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_start_tls: bool = False
    smtp_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # gateways must be https on public addresses; tests and local development may allow http on private ones
    webhook_allow_private: bool = False

    # sending: claims, retries with backoff, then the dead-letter status
    dispatch_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    dispatch_max_attempts: int = Field(default=6, ge=1, le=20)
    dispatch_retry_base_seconds: float = Field(default=30.0, gt=0, le=3600)
    dispatch_lease_seconds: float = Field(default=120.0, ge=10, le=3600)

    # the daily digest (Vietnam time) and reminders before a period closes
    digest_hour: int = Field(default=17, ge=0, le=23)
    reminder_days_before: float = Field(default=3.0, gt=0, le=30)
    sweep_seconds: float = Field(default=60.0, gt=0, le=3600)

    # the directory: Keycloak's admin API through the services' confidential client
    # where the services reach Keycloak when it is not at the issuer's address (inside a cluster or Compose network:
    # e.g. http://keycloak:8080 while tokens name the public http://localhost:18080); empty: the issuer's server
    directory_url: str = ""
    directory_client_id: str = "thidua-services"
    directory_client_secret: SecretStr = SecretStr("")
    directory_cache_seconds: float = Field(default=300.0, ge=0, le=86400)
