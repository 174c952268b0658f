"""Serve the extraction as a scheduled Prefect deployment: ``python -m flows.deploy --corpus C --out DIR``.

Registers deployment ``extract-claims-scheduled/<name>`` with a cron schedule and the run's parameters, then serves
it (runs start on schedule, or from the UI / ``prefect deployment run``) until Ctrl-C. Needs a Prefect server that
outlives this process: start one with ``make server`` and point at it with
``PREFECT_API_URL=http://127.0.0.1:4200/api``. ``--register-only`` registers and exits (for a worker-less check).
"""
from __future__ import annotations

import argparse
import sys

from flows.settings import configure_prefect_env

configure_prefect_env()

from prefect import flow, serve  # noqa: E402

from flows.extract import DEFAULT_BATCH_SIZE, run_extract  # noqa: E402

DEFAULT_CRON = "0 2 * * *"  # nightly at 02:00
DEFAULT_NAME = "nightly"


@flow(name="extract-claims-scheduled", log_prints=False)
def scheduled_extract(corpus: str, out: str, processes: int = 1, dask_address: str = "",
                      batch_size: int = DEFAULT_BATCH_SIZE) -> dict:
    """One scheduled run: the extraction flow (a sub-flow) with the task runner the parameters ask for."""
    summary = run_extract(corpus, out, processes=processes, dask_address=dask_address, batch_size=batch_size)
    return {k: summary[k] for k in ("run_id", "articles", "articles_analysed", "articles_failed", "claims", "run_json")}


def build_deployment(corpus: str, out: str, *, cron: str = DEFAULT_CRON, name: str = DEFAULT_NAME,
                     processes: int = 1, dask_address: str = "", timezone: str = "UTC"):
    """The deployment object (not yet registered): schedule + parameters."""
    from prefect.schedules import Cron

    return scheduled_extract.to_deployment(
        name=name,
        schedule=Cron(cron, timezone=timezone),
        parameters={"corpus": corpus, "out": out, "processes": processes, "dask_address": dask_address},
        description="Incremental drug-claim extraction over a corpus (unchanged articles are skipped).",
        tags=["drugclaims"],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="corpus", help="corpus folder or .jsonl file (default: corpus)")
    parser.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    parser.add_argument("--cron", default=DEFAULT_CRON, help=f"cron schedule (default '{DEFAULT_CRON}')")
    parser.add_argument("--timezone", default="UTC", help="time zone of the cron schedule (default UTC)")
    parser.add_argument("--name", default=DEFAULT_NAME, help=f"deployment name (default {DEFAULT_NAME})")
    parser.add_argument("--processes", type=int, default=1, help="worker processes per run (default 1)")
    parser.add_argument("--dask-address", default="", help="run the batches on this Dask cluster (tcp://HOST:PORT)")
    parser.add_argument("--register-only", action="store_true", help="register the deployment and exit")
    args = parser.parse_args(argv)
    from pathlib import Path

    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=args.cron, timezone=args.timezone)
    except ValidationError:
        print(f"error: --cron {args.cron!r} / --timezone {args.timezone!r} is not a valid schedule "
              "(e.g. --cron '0 2 * * *' --timezone UTC)", file=sys.stderr)
        return 2
    corpus, out = str(Path(args.corpus).resolve()), str(Path(args.out).resolve())
    deployment = build_deployment(corpus, out, cron=args.cron, name=args.name, processes=args.processes,
                                  dask_address=args.dask_address, timezone=args.timezone)
    try:
        if args.register_only:
            deployment_id = deployment.apply()
            print(f"registered deployment extract-claims-scheduled/{args.name} ({deployment_id}), cron '{args.cron}'")
            return 0
        serve(deployment)
    except Exception as e:  # noqa: BLE001 - CLI boundary
        print(f"error: {type(e).__name__}: {e}; is the Prefect server running (make server) and PREFECT_API_URL set?",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
