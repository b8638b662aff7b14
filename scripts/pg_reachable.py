"""pg_reachable.py URL — exits 0 when the PostgreSQL server of URL accepts a connection.

It connects to the server's maintenance database `postgres`, as pytest-django does to create the
test database, so the database named in URL need not exist yet.
"""
import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    db = dj_database_url.parse(url)
    try:
        psycopg.connect(
            dbname="postgres", user=db.get("USER") or None, password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None, port=db.get("PORT") or None, connect_timeout=3,
        ).close()
    except psycopg.Error as exc:
        print(f"PostgreSQL: {exc}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
