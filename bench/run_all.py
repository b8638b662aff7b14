"""Every benchmark of bench/, one after the other (what `make bench` runs).

    .venv/bin/python bench/run_all.py                      # overview 3,000 + KPIs 100,000 + demo load + imports
    .venv/bin/python bench/run_all.py --only overview metrics
    .venv/bin/python bench/run_all.py --country            # adds the KPIs at 1,000,000 projects on PostgreSQL

Each script runs with its defaults (both databases): bench_overview.py (3,000 projects), bench_metrics.py
(100,000 projects), bench_demo.py (load_demo of 100,000 projects) and bench_imports.py (10,000-row sheets).
The 1,000,000-project KPI run (`bench_metrics.py --projects 1000000 --backend postgres`, well over 20 minutes
of loading) only with --country. A failing script is reported and the others still run; the exit status
is 1 when any failed.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = {
    "overview": ["bench_overview.py"],
    "metrics": ["bench_metrics.py"],
    "demo": ["bench_demo.py"],
    "imports": ["bench_imports.py"],
}
COUNTRY = ["bench_metrics.py", "--projects", "1000000", "--backend", "postgres"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=list(SCRIPTS), default=list(SCRIPTS))
    parser.add_argument("--country", action="store_true", help="also the KPIs of 1,000,000 projects on PostgreSQL")
    args = parser.parse_args()
    runs = [SCRIPTS[name] for name in args.only] + ([COUNTRY] if args.country else [])
    failed = []
    for script, *arguments in runs:
        if not (HERE / script).exists():
            continue
        print(f"=== bench/{script} {' '.join(arguments)}".rstrip(), flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(HERE / script), *arguments]).returncode
        print(
            f"=== bench/{script}: {'ok' if code == 0 else f'FAILED ({code})'} in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        if code:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
