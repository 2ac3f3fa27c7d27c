"""Create the PostgreSQL database named by DATABASE_URL when it does not exist yet.

Does nothing for SQLite (the file is created by ``migrate``). Connects to the server's
``postgres`` database with the same host, port and user, as ``createdb`` would.
"""

import os
import sys

import dj_database_url
import psycopg
from psycopg import sql


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    if "postgresql" not in config.get("ENGINE", ""):
        return
    name = config["NAME"]
    params = {
        "dbname": "postgres",
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            print(f"database {name} exists")
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"database {name} created")


if __name__ == "__main__":
    try:
        main()
    except psycopg.Error as error:
        sys.exit(f"bench/ensure_database.py: {error}")
