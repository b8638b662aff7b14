#!/usr/bin/env bash
# The whole test suite on SQLite (the embedded default) and on PostgreSQL (production), side by side.
#
# PG_TEST_URL names the PostgreSQL database; pytest-django creates and drops test_<name> beside it.
# Without a reachable PostgreSQL the second run is skipped with a notice, except under CI=true,
# where a missing database is a failure: CI must prove both.
# The two runs go at the same time (each is one process; the machine has two cores): the SQLite run prints as
# it goes, the PostgreSQL run's output follows when both have ended. FAIMS_TEST_SERIAL=1 runs them one after
# the other. Extra arguments go to both pytest runs (scripts/test.sh -k login -x).
set -uo pipefail
cd "$(dirname "$0")/.."

pytest=.venv/bin/pytest
python=.venv/bin/python
PG_TEST_URL=${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/faims}

status=0
pg_status=0
pg_pid=
pg_log=$(mktemp)
trap 'rm -f "$pg_log"; [[ -n $pg_pid ]] && kill "$pg_pid" 2>/dev/null' EXIT

run_pg() {
  # The browser tests are left to the SQLite run: they check what the browser sees (templates,
  # forms, cookies, the language switch), which does not depend on the database, and each costs
  # a live server and a browser page; every database path they use is tested on PostgreSQL here.
  # --create-db: a test database kept from an earlier run may predate the latest migrations.
  DATABASE_URL=$PG_TEST_URL "$pytest" -m "not browser" --create-db "$@"
}

pg_reachable=false
if "$python" scripts/pg_reachable.py "$PG_TEST_URL"; then
  pg_reachable=true
  if [[ ${FAIMS_TEST_SERIAL:-} != 1 ]]; then
    run_pg "$@" >"$pg_log" 2>&1 &
    pg_pid=$!
    echo "=== Tests on PostgreSQL ($PG_TEST_URL): started beside the SQLite run; its output follows it ==="
  fi
fi

echo "=== Tests on SQLite ==="
env -u DATABASE_URL "$pytest" "$@" || status=$?

echo
echo "=== Tests on PostgreSQL ($PG_TEST_URL) ==="
if [[ $pg_reachable == true ]]; then
  if [[ -n $pg_pid ]]; then
    wait "$pg_pid" || pg_status=$?
    pg_pid=
    cat "$pg_log"
  else
    run_pg "$@" || pg_status=$?
  fi
  (( pg_status == 0 )) || status=$pg_status
elif [[ ${CI:-} == true ]]; then
  echo "error: PostgreSQL is not reachable at $PG_TEST_URL and CI=true: the PostgreSQL run is required." >&2
  status=1
else
  echo "notice: PostgreSQL is not reachable at $PG_TEST_URL; the PostgreSQL run is SKIPPED." >&2
  echo "notice: start it (pg_ctlcluster <version> main start) or set PG_TEST_URL, then run make test again." >&2
fi
exit $status
