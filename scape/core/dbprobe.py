"""Exit 0 when a PostgreSQL server answers at the given URL (used by `make test`)."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m scape.core.dbprobe postgres://user@host:port/db", file=sys.stderr)
        return 2
    import psycopg

    # Probe the maintenance database: the test database need not exist yet.
    parts = urlsplit(argv[0])
    url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(url, connect_timeout=3):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
