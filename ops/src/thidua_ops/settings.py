"""What the operator's command line needs: the platform's addresses (THIDUA_*) and Keycloak's administrator."""

from __future__ import annotations

from pathlib import Path

from keycloak import KeycloakAdmin
from pydantic import SecretStr

from thidua_platform.client import SERVICE_URLS
from thidua_platform.settings import ServiceSettings

# the local stack's administrator password (deploy/keycloak/run.sh); elsewhere THIDUA_KEYCLOAK_ADMIN_PASSWORD
LOCAL_ADMIN_PASSWORD = Path(".stack/data/keycloak/bootstrap-admin-password")


class OpsSettings(ServiceSettings):
    service_name: str = "ops"
    keycloak_url: str = ""  # Keycloak's base URL for its admin API; empty: the issuer's server
    keycloak_admin_user: str = "admin"
    keycloak_admin_password: SecretStr | None = None
    submissions_url: str = SERVICE_URLS["submissions"]  # the submissions API, where a commune adopts its campaign
    scoring_url: str = SERVICE_URLS["scoring"]  # the scoring API, where the commune's council is seated

    @property
    def keycloak_server(self) -> str:
        return self.keycloak_url.rstrip("/") or self.oidc_issuer.partition("/realms/")[0]

    @property
    def realm(self) -> str:
        return self.oidc_issuer.partition("/realms/")[2]

    def admin_password(self) -> str:
        if self.keycloak_admin_password is not None:
            return self.keycloak_admin_password.get_secret_value()
        if LOCAL_ADMIN_PASSWORD.exists():
            return LOCAL_ADMIN_PASSWORD.read_text().strip()
        raise SystemExit("set THIDUA_KEYCLOAK_ADMIN_PASSWORD (Keycloak's administrator in the master realm)")

    def keycloak_admin(self) -> KeycloakAdmin:
        return KeycloakAdmin(
            server_url=self.keycloak_server + "/",
            username=self.keycloak_admin_user,
            password=self.admin_password(),
            realm_name=self.realm,
            user_realm_name="master",
            timeout=30,
        )
