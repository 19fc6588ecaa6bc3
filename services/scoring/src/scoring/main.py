"""Entry points: `thidua-scoring-api` and `thidua-scoring-worker`."""

from scoring.bootstrap import build_worker, create_api
from scoring.settings import ScoringSettings
from thidua_platform.runtime import api_main, worker_main


def api() -> None:
    api_main(ScoringSettings(), create_api)


def worker() -> None:
    worker_main(ScoringSettings(), build_worker)
