"""Entry points: `thidua-awards-api` and `thidua-awards-worker`."""

from awards.bootstrap import build_worker, create_api
from awards.settings import AwardsSettings
from thidua_platform.runtime import api_main, worker_main


def api() -> None:
    api_main(AwardsSettings(), create_api)


def worker() -> None:
    worker_main(AwardsSettings(), build_worker)
