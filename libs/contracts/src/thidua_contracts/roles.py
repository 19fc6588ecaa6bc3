"""The realm's roles: what a person may do is the contract between Keycloak (`thidua-ops realm` creates them) and every
route that checks them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The realm roles a person holds in Keycloak (created by `thidua-ops realm`), the only names of roles in code."""

    SUBMITTER = "submitter"
    COMMUNE_OFFICER = "commune_officer"
    COUNCIL_MEMBER = "council_member"
    COMMUNE_CHAIR = "commune_chair"
    PROVINCE_STAFF = "province_staff"
    PROVINCE_ADMIN = "province_admin"
    OPERATOR = "operator"  # the platform's operators: dead letters, deliveries (no commune, no province)


# in the order a refusal names them
COMMUNE_ROLES = (Role.SUBMITTER, Role.COMMUNE_OFFICER, Role.COUNCIL_MEMBER, Role.COMMUNE_CHAIR)
PROVINCE_ROLES = (Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN)
