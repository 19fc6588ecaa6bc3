"""The portal's settings, read from THIDUA_* environment variables."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from thidua_platform.settings import ServiceSettings


class PortalSettings(ServiceSettings):
    service_name: str = "portal"
    api_port: int = 8100

    # where browsers reach the portal: the OIDC redirect and post-logout addresses are built from it
    public_url: str = "http://127.0.0.1:8100"
    # the confidential client the portal logs people in with (authorization code + PKCE)
    oidc_client_id: str = "thidua-portal"
    oidc_client_secret: str = Field(default="", repr=False)
    # where browsers reach Keycloak, when it differs from the issuer the services check (the token endpoint is
    # always called at the issuer)
    oidc_browser_issuer: str = ""
    # where the portal itself calls Keycloak (token, logout, discovery) when the issuer's address is not reachable from
    # inside its network (Compose, a cluster): the realm's URL at an internal address; the issuer by default
    oidc_backchannel_url: str = ""

    submissions_url: str = "http://127.0.0.1:8101"
    scoring_url: str = "http://127.0.0.1:8102"
    awards_url: str = "http://127.0.0.1:8103"
    notifications_url: str = "http://127.0.0.1:8104"
    rollups_url: str = "http://127.0.0.1:8105"
    backend_timeout_seconds: float = Field(default=15.0, gt=0, le=120)

    # a session ends after this long without a request, and after `session_max_seconds` in any case (Keycloak's own
    # SSO session limits apply as well: a refused token refresh ends the session)
    session_idle_seconds: int = Field(default=1800, ge=60)
    session_max_seconds: int = Field(default=36000, ge=300)
    cookie_secure: bool = False
    upload_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)

    @field_validator("public_url", "oidc_browser_issuer", "oidc_backchannel_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _safe_outside_the_local_stack(self) -> PortalSettings:
        if not self.oidc_client_secret:
            raise ValueError("THIDUA_OIDC_CLIENT_SECRET: the portal's Keycloak client secret is required")
        if self.public_url.startswith("https://") and not self.cookie_secure:
            raise ValueError("THIDUA_COOKIE_SECURE must be true when THIDUA_PUBLIC_URL is https")
        return self

    @property
    def browser_issuer(self) -> str:
        return self.oidc_browser_issuer or self.oidc_issuer

    @property
    def backchannel_url(self) -> str:
        return self.oidc_backchannel_url or self.oidc_issuer

    def service_url(self, service: str) -> str:
        urls = {
            "submissions": self.submissions_url,
            "scoring": self.scoring_url,
            "awards": self.awards_url,
            "notifications": self.notifications_url,
            "rollups": self.rollups_url,
        }
        return urls[service].rstrip("/")
