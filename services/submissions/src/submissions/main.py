"""Entry points: `thidua-submissions-api` and `thidua-submissions-worker`."""

from submissions.bootstrap import build_worker, create_api
from submissions.settings import SubmissionsSettings
from thidua_platform.runtime import api_main, worker_main


def api() -> None:
    api_main(SubmissionsSettings(), create_api)


def worker() -> None:
    worker_main(SubmissionsSettings(), build_worker)
