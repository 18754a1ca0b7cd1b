"""Checks run by the Python drivers against Eddy (EDDY_URL) and, where a check compares, a real
PostgreSQL (PG_URL): `python check.py NAME`. Each prints one JSON line as its result, which
test/drivers/python.test.ts asserts on; any exception fails the run."""
import asyncio
import json
import os
import sys

import asyncpg
import psycopg

EDDY_URL = os.environ["EDDY_URL"]
PG_URL = os.environ.get("PG_URL", "")
COLUMNS = os.environ.get("FIDELITY_COLUMNS", "").split(",")


def value_key(v):
    """A value as the driver decoded it: its Python type and repr, recursively (repr tells NaN,
    -0.0, Decimal('1.10') and datetime's tzinfo apart where == would not)."""
    if isinstance(v, (list, tuple)):
        return [type(v).__name__, [value_key(x) for x in v]]
    if isinstance(v, dict):
        return ["dict", [[k, value_key(x)] for k, x in v.items()]]
    return [type(v).__name__, repr(v)]


def outcome(read):
    """The values a read returned, or the error it raised (a driver refusing a value on both
    servers alike is fidelity too)."""
    try:
        return ["values", [value_key(v) for v in read()]]
    except Exception as e:  # noqa: BLE001: the error itself is what is compared
        return ["error", type(e).__name__, str(e)]


def compare(read_eddy, read_pg):
    """Reads every fidelity column from both servers; returns how many values matched and the
    columns that differ."""
    mismatches, compared = [], 0
    for column in COLUMNS:
        sql = f"SELECT {column} FROM fidelity ORDER BY id"
        e, p = outcome(lambda: read_eddy(sql)), outcome(lambda: read_pg(sql))
        if e != p:
            mismatches.append({"column": column, "eddy": e, "postgres": p})
        elif e[0] == "values":
            compared += len(e[1])
    return {"compared": compared, "mismatches": mismatches}


def psycopg_reader(url, binary):
    conn = psycopg.connect(url, autocommit=True)

    def read(sql):
        with conn.cursor(binary=binary) as cur:
            cur.execute(sql)
            return [row[0] for row in cur.fetchall()]

    return read


def fidelity_psycopg(binary):
    return compare(psycopg_reader(EDDY_URL, binary), psycopg_reader(PG_URL, binary))


def asyncpg_reader(url, loop):
    conn = loop.run_until_complete(asyncpg.connect(url))
    return lambda sql: [r[0] for r in loop.run_until_complete(conn.fetch(sql))]


def fidelity_asyncpg():
    loop = asyncio.new_event_loop()
    return compare(asyncpg_reader(EDDY_URL, loop), asyncpg_reader(PG_URL, loop))


CHECKS = {
    "fidelity-psycopg-text": lambda: fidelity_psycopg(False),
    "fidelity-psycopg-binary": lambda: fidelity_psycopg(True),
    "fidelity-asyncpg": fidelity_asyncpg,
}

if __name__ == "__main__":
    print(json.dumps(CHECKS[sys.argv[1]](), default=str))
