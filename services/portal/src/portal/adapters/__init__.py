"""What the portal talks to beside its own database: the five services' public APIs (`backend`) and Keycloak, for
logging people in (`oidc`)."""
