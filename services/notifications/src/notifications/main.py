"""Entry points: `thidua-notifications-api` and `thidua-notifications-worker`."""

from notifications.bootstrap import build_worker, create_api
from notifications.settings import NotificationsSettings
from thidua_platform.runtime import api_main, worker_main


def api() -> None:
    api_main(NotificationsSettings(), create_api)


def worker() -> None:
    worker_main(NotificationsSettings(), build_worker)
