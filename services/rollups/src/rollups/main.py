"""Entry points: `thidua-rollups-api` and `thidua-rollups-worker`."""

from rollups.bootstrap import build_worker, create_api
from rollups.settings import RollupsSettings
from thidua_shared.runtime import api_main, worker_main


def api() -> None:
    api_main(RollupsSettings(), create_api)


def worker() -> None:
    worker_main(RollupsSettings(), build_worker)
