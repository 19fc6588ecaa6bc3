"""Entry point: `thidua-portal`."""

from portal.bootstrap import create_portal
from portal.settings import PortalSettings
from thidua_platform.runtime import api_main


def portal() -> None:
    api_main(PortalSettings(), create_portal)
