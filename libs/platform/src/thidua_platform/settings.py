"""Settings common to every process, read from THIDUA_* environment variables and validated at start-up."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """What every API and worker process needs. Services subclass it to set their own defaults."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_", extra="ignore", frozen=True)

    service_name: str = "thidua"
    environment: str = "local"

    mongo_url: str = "mongodb://127.0.0.1:27027/"
    mongo_database: str = ""

    kafka_bootstrap: str = "127.0.0.1:19092"
    # how the topics the platform creates are replicated: 1/1 on the single local broker; 3/2 in production
    # (deploy/k8s), so an acknowledged event survives the loss of one broker and producing goes on while one is down
    kafka_replication_factor: int = Field(default=1, ge=1, le=7)
    kafka_min_insync_replicas: int = Field(default=1, ge=1, le=7)

    oidc_issuer: str = "http://127.0.0.1:18080/realms/thidua"
    oidc_audience: str = "thidua-api"
    oidc_jwks_url: str = ""
    oidc_algorithms: tuple[str, ...] = ("RS256",)
    oidc_leeway_seconds: int = Field(default=0, ge=0, le=60)

    api_host: str = "127.0.0.1"
    api_port: int = 8100
    worker_host: str = "127.0.0.1"
    worker_port: int = 8110
    # the largest request body an API reads (JSON); routes that stream uploads have their own, larger limit
    max_request_body_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)

    consumer_max_attempts: int = Field(default=5, ge=1, le=50)
    consumer_retry_backoff_seconds: float = Field(default=0.2, gt=0, le=30)
    outbox_poll_seconds: float = Field(default=0.2, gt=0, le=30)

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer_has_no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _in_sync_replicas_exist(self) -> ServiceSettings:
        if self.kafka_min_insync_replicas > self.kafka_replication_factor:
            raise ValueError(
                f"THIDUA_KAFKA_MIN_INSYNC_REPLICAS ({self.kafka_min_insync_replicas}) exceeds "
                f"THIDUA_KAFKA_REPLICATION_FACTOR ({self.kafka_replication_factor}): no write could be acknowledged"
            )
        return self

    @property
    def database_name(self) -> str:
        return self.mongo_database or f"thidua_{self.service_name}"

    @property
    def jwks_url(self) -> str:
        return self.oidc_jwks_url or f"{self.oidc_issuer}/protocol/openid-connect/certs"


class UnitNamesSettings(ServiceSettings):
    """A service that shows units by their names reads them from Keycloak's organizations (`thidua_platform.units`,
    ADR 0029) as the confidential client `units_client_id`, whose service account may only view organizations.
    Without a secret the service has no directory and shows codes."""

    # where the service reaches Keycloak when not at the issuer's address (e.g. http://keycloak:8080); empty: the
    # issuer's server
    units_url: str = ""
    units_client_id: str = "thidua-units"
    units_client_secret: SecretStr = SecretStr("")
    units_cache_seconds: float = Field(default=300.0, ge=0, le=86400)
