"""Time `faims load_demo --projects N` on a fresh SQLite file and a fresh PostgreSQL database.

    .venv/bin/python bench/bench_demo.py                      # 100,000 projects, both databases
    .venv/bin/python bench/bench_demo.py --projects 1000000   # the million-project registry
    .venv/bin/python bench/bench_demo.py --backend sqlite

PostgreSQL is reached through BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/faims_bench);
that database is dropped and created again for every run. Run by hand, never as a test.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
FAIMS = str(ROOT / ".venv" / "bin" / "faims")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/faims_bench"


def run(args, env):
    started = time.monotonic()
    subprocess.run([FAIMS, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def fresh_database(backend: str, workdir: Path, postgres_url: str = DEFAULT_POSTGRES) -> dict:
    """The environment of a migrated, empty database: a new SQLite file, or PostgreSQL dropped and created."""
    env = dict(os.environ, FAIMS_HOME=str(workdir))
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        env["DATABASE_URL"] = os.environ.get("BENCH_POSTGRES_URL", postgres_url)
        fresh_postgres(env["DATABASE_URL"])
    run(["migrate", "-v0"], env)
    return env


def bench(backend: str, projects: int, seed: int, workdir: Path) -> float:
    env = fresh_database(backend, workdir)
    return run(["load_demo", "--projects", str(projects), "--seed", str(seed)], env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="faims-bench-") as tmp:
            seconds = bench(backend, args.projects, args.seed, Path(tmp))
        print(f"{backend:9} load_demo --projects {args.projects:,}: {seconds:6.1f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
