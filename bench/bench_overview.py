"""The city overview page (/dashboard/) of a 3,000-project city, fully rendered, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_overview.py                       # 3,000 projects, both databases
    .venv/bin/python bench/bench_overview.py --projects 10000 --backend postgres --runs 21

For each database: a fresh database (SQLite file, or PostgreSQL `faims_bench_overview` dropped and created),
`faims load_demo --projects N`, the 2021 history (bench/history.py, then `faims refresh_metrics` when it
exists); then, in a worker process with Django set up on that database (DEBUG off), GET /dashboard/ as the
demo city admin `admin` (django.test.Client, force_login): the median server time of --runs warm requests
(the whole request through the middleware, the page rendered), and the number of queries of one request.
Limit: 300 ms.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from history import prepare, setup_django

LIMIT_MS = 300
PG_NAME = "faims_bench_overview"
URL = "/dashboard/"


def worker(runs: int) -> dict:
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from faims.org.models import User

    assert not settings.DEBUG, "measure with DEBUG off (unset FAIMS_DEBUG)"
    client = Client()
    client.force_login(User.objects.get(username="admin"))

    def get():
        response = client.get(URL)
        if response.status_code != 200:
            raise SystemExit(f"GET {URL}: {response.status_code}")
        return response

    first_started = time.perf_counter()
    response = get()
    first = time.perf_counter() - first_started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        get()
    return {
        "vendor": connection.vendor,
        "first_seconds": first,
        "median_seconds": statistics.median(times),
        "min_seconds": min(times),
        "max_seconds": max(times),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=3_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the SQLite file here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="keep a database this script prepared before")
    parser.add_argument("--refresh", action="store_true", help="with --reuse: run faims refresh_metrics again")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.runs)))
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {}
    with tempfile.TemporaryDirectory(prefix="faims-bench-overview-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for backend in backends:
            env, timings = prepare(
                backend,
                args.projects,
                workdir,
                PG_NAME,
                seed=args.seed,
                reuse=args.reuse,
                refresh=args.refresh,
                log=lambda message: print(message, flush=True),
            )
            done = subprocess.run(
                [sys.executable, __file__, "--worker", "--runs", str(args.runs)],
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            results[backend] = json.loads(done.stdout.strip().splitlines()[-1]) | timings
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    print()
    print(
        f"City overview {URL} as admin, {args.projects:,} projects, median of {args.runs} warm requests "
        f"(limit {LIMIT_MS} ms)"
    )
    print("| database | median | min | max | first request | queries | page size | verdict |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    over = False
    for backend, r in results.items():
        median_ms = r["median_seconds"] * 1000
        over |= median_ms >= LIMIT_MS
        print(
            f"| {names[backend]} | {median_ms:,.1f} ms | {r['min_seconds'] * 1000:,.1f} ms | "
            f"{r['max_seconds'] * 1000:,.1f} ms | {r['first_seconds'] * 1000:,.1f} ms | {r['queries']} | "
            f"{r['bytes'] / 1024:,.0f} kB | {'within' if median_ms < LIMIT_MS else 'OVER'} |"
        )
    if over:
        print(f"the overview takes {LIMIT_MS} ms or more on at least one database")


if __name__ == "__main__":
    sys.exit(main())
