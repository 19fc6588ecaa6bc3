"""Entry points: `thidua-rollups-api`, `thidua-rollups-worker` and the operator's `thidua-rollups-rebuild`."""

import argparse
import asyncio

from rollups.bootstrap import build_worker, create_api, rebuild_read_models
from rollups.settings import RollupsSettings
from thidua_platform.runtime import api_main, worker_main

REBUILD = """Rebuild the read models from the events alone: `thidua-rollups-rebuild`.

Refuses to run (exit status 3) when a partition of a domain topic no longer starts at offset 0: events were deleted
and the result would silently lack them. Otherwise reads every domain topic from its beginning up to the end offsets
taken at the start, applies each event with the worker's own code into empty read models, recomputes every summary,
and prints a digest of the result. Run twice up to the same offsets, it prints the same digest; run against a settled
live database, the same digest as the live read models (`--digest-only` prints that one).

    thidua-rollups-rebuild --database thidua_rollups_rebuilt       # into a scratch database, compare digests
    thidua-rollups-rebuild --replace                                # into the live database: stop the worker first;
                                                                    # its group then resumes after the replayed events
"""


def api() -> None:
    api_main(RollupsSettings(), create_api)


def worker() -> None:
    worker_main(RollupsSettings(), build_worker)


def rebuild() -> None:
    parser = argparse.ArgumentParser(description=REBUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="thidua_rollups_rebuilt", help="scratch database to rebuild into")
    parser.add_argument("--replace", action="store_true", help="rebuild the live database (worker stopped)")
    parser.add_argument("--digest-only", action="store_true", help="print the digest of the database and stop")
    args = parser.parse_args()
    status = rebuild_read_models(
        RollupsSettings(), database=args.database, replace=args.replace, digest_only=args.digest_only
    )
    raise SystemExit(asyncio.run(status))
