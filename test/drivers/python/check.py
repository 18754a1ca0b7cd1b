"""Checks run by the Python drivers against Eddy (EDDY_URL) and, where a check compares, a real
PostgreSQL (PG_URL): `python check.py NAME`. Each prints one JSON line as its result, which
test/drivers/python.test.ts asserts on; any exception fails the run."""
import asyncio
import datetime
import decimal
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


def server_cursor():
    """A named (server-side) cursor in a transaction: DECLARE, then FETCH itersize rows at a time."""
    with psycopg.connect(EDDY_URL) as conn:
        with conn.cursor(name="big", binary=False) as cur:
            cur.itersize = 7
            cur.execute("SELECT g, 'row ' || g FROM generate_series(1, 1000) AS g ORDER BY g")
            rows = list(cur)
        binary_rows = conn.cursor(name="bin", binary=True)
        binary_rows.execute("SELECT g::numeric / 4 FROM generate_series(1, 10) AS g ORDER BY g")
        quarters = binary_rows.fetchmany(3) + binary_rows.fetchall()
        binary_rows.close()
    return {"rows": len(rows), "sum": sum(r[0] for r in rows), "first": list(rows[0]), "last": list(rows[-1]),
            "quarters": [str(q[0]) for q in quarters]}


def copy_from():
    """COPY ... FROM STDIN in text (write_row and raw write) and binary (typed rows)."""
    with psycopg.connect(EDDY_URL, autocommit=True) as conn:
        conn.execute("CREATE TABLE py_copy (id int8, name text, amount numeric(8,2), tags text[], at timestamptz)")
        import datetime
        import decimal
        at = datetime.datetime(2024, 1, 2, 3, 4, 5, 600000, tzinfo=datetime.timezone.utc)
        with conn.cursor() as cur:
            with cur.copy("COPY py_copy (id, name, amount, tags, at) FROM STDIN") as copy:
                for i in range(500):
                    copy.write_row((i, f"name\t{i}", decimal.Decimal(i) / 8, ["a", str(i)], at))
                copy.write_row((500, None, None, None, None))
            with cur.copy("COPY py_copy (id, name) FROM STDIN (FORMAT csv)") as copy:
                copy.write('501,"quoted, name"\n502,\n')
            with cur.copy("COPY py_copy (id, name, amount, tags, at) FROM STDIN (FORMAT binary)") as copy:
                copy.set_types(["int8", "text", "numeric", "text[]", "timestamptz"])
                for i in range(600, 700):
                    copy.write_row((i, f"bin {i}", decimal.Decimal("1.005") * i, ["b", None], at))
            counts = cur.execute("SELECT count(*), count(name), sum(amount)::text FROM py_copy").fetchone()
            row7 = cur.execute("SELECT name, amount, tags, at FROM py_copy WHERE id = 7").fetchone()
            csv = cur.execute("SELECT name FROM py_copy WHERE id IN (501, 502) ORDER BY id").fetchall()
            binary = cur.execute("SELECT name, amount, tags FROM py_copy WHERE id = 601").fetchone()
    return {"count": counts[0], "named": counts[1], "sum": counts[2], "row7": [row7[0], str(row7[1]), row7[2], row7[3].isoformat()],
            "csv": [r[0] for r in csv], "binary": [binary[0], str(binary[1]), binary[2]]}


def insert_later(table, values, after):
    """Inserts rows from another connection once `after` is set (the reader saw its first row)."""
    import threading

    def run():
        after.wait(30)
        with psycopg.connect(EDDY_URL, autocommit=True) as other:
            for v in values:
                other.execute(f"INSERT INTO {table} VALUES (%s)", (v,))

    t = threading.Thread(target=run)
    t.start()
    return t


def subscribe_stream():
    """cursor.stream() over a bare SUBSCRIBE: the snapshot, then rows inserted meanwhile."""
    import threading
    with psycopg.connect(EDDY_URL, autocommit=True) as conn:
        conn.execute("CREATE TABLE py_sub (x int)")
        conn.execute("INSERT INTO py_sub VALUES (1)")
        seen, first = [], threading.Event()
        writer = insert_later("py_sub", [2, 3], first)
        with conn.cursor() as cur:
            stream = cur.stream("SUBSCRIBE py_sub")
            columns = None
            for row in stream:
                columns = columns or [d.name for d in cur.description]
                seen.append(list(row[1:]))
                first.set()
                if len(seen) == 3:
                    break
            stream.close()
        writer.join()
        after = conn.execute("SELECT count(*) FROM py_sub").fetchone()[0]
    return {"columns": columns, "rows": seen, "after": after}


def subscribe_copy():
    """cursor.copy('COPY (SUBSCRIBE ...) TO STDOUT'): rows arrive as they are inserted."""
    import threading
    with psycopg.connect(EDDY_URL, autocommit=True) as conn:
        conn.execute("CREATE TABLE py_subcopy (x int)")
        conn.execute("INSERT INTO py_subcopy VALUES (10)")
        seen, first = [], threading.Event()
        writer = insert_later("py_subcopy", [20, 30], first)
        with conn.cursor() as cur:
            try:
                with cur.copy("COPY (SUBSCRIBE py_subcopy) TO STDOUT") as copy:
                    for row in copy.rows():
                        seen.append(list(row[1:]))
                        first.set()
                        if len(seen) == 3:
                            conn.cancel_safe()
            except psycopg.errors.QueryCanceled:
                pass
        writer.join()
        after = conn.execute("SELECT count(*) FROM py_subcopy").fetchone()[0]
    return {"rows": seen, "after": after}


SA_DDL = [
    "CREATE TABLE sa_accounts (id int8 PRIMARY KEY, owner varchar(30) NOT NULL, balance numeric(12,2) DEFAULT 0, opened date, tags text[])",
    "CREATE TABLE sa_pairs (a int, b text, c int, PRIMARY KEY (c, a))",
    "CREATE VIEW sa_rich AS SELECT id, owner FROM sa_accounts WHERE balance > 1000",
    "CREATE MATERIALIZED VIEW sa_by_owner AS SELECT owner, count(*) AS n FROM sa_accounts GROUP BY owner",
    "CREATE INDEX sa_accounts_owner_opened ON sa_accounts (owner, opened)",
    "CREATE INDEX sa_pairs_b ON sa_pairs USING hash (b)",
    "CREATE INDEX sa_by_owner_n ON sa_by_owner (n, owner)",
]


def sqlalchemy_inspect(url):
    import sqlalchemy as sa
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        for ddl in SA_DDL:
            conn.exec_driver_sql(ddl)
    inspector = sa.inspect(engine)
    mine = lambda names: sorted(n for n in names if n.startswith("sa_"))
    out = {
        "schemas": inspector.get_schema_names(),
        "tables": mine(inspector.get_table_names()),
        "views": mine(inspector.get_view_names()),
        "materialized_views": mine(inspector.get_materialized_view_names()),
    }
    for table in ("sa_accounts", "sa_pairs", "sa_by_owner"):
        out[table] = {
            "columns": [{k: repr(v) for k, v in c.items()} for c in inspector.get_columns(table)],
            "pk": inspector.get_pk_constraint(table),
            "indexes": inspector.get_indexes(table),
            "foreign_keys": inspector.get_foreign_keys(table),
        }
    out["sa_accounts"]["unique"] = inspector.get_unique_constraints("sa_accounts")
    out["sa_accounts"]["check"] = inspector.get_check_constraints("sa_accounts")
    out["sa_accounts"]["comment"] = inspector.get_table_comment("sa_accounts")
    out["sa_accounts"]["options"] = inspector.get_table_options("sa_accounts")
    out["has"] = [inspector.has_table("sa_accounts"), inspector.has_table("sa_none"), inspector.has_index("sa_pairs", "sa_pairs_b"), inspector.has_index("sa_pairs", "sa_none")]
    out["enums"] = inspector.get_enums()
    out["multi_indexes"] = sorted([key[1], [i["name"] for i in value]] for key, value in inspector.get_multi_indexes().items() if key[1].startswith("sa_"))
    autoloaded = sa.Table("sa_accounts", sa.MetaData(), autoload_with=engine)
    out["autoload"] = [[c.name, repr(c.type), c.nullable, c.primary_key] for c in autoloaded.columns]
    with engine.begin() as conn:
        conn.execute(autoloaded.insert(), {"id": 1, "owner": "ann", "balance": 1500, "tags": ["x"]})
        # the columns left out get their defaults (balance 0)
        conn.execute(autoloaded.insert(), {"id": 2, "owner": "bob"})
        out["select"] = [repr(tuple(r)) for r in conn.execute(sa.select(autoloaded).order_by(autoloaded.c.id))]
    engine.dispose()
    return out


def sqlalchemy_both():
    return {"eddy": sqlalchemy_inspect(EDDY_URL), "postgres": sqlalchemy_inspect(PG_URL)}


def pandas_read_sql():
    import pandas as pd
    import sqlalchemy as sa
    frames = {}
    columns = ",".join(COLUMNS)
    for side, url in (("eddy", EDDY_URL), ("postgres", PG_URL)):
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        frame = pd.read_sql(f"SELECT {columns} FROM fidelity ORDER BY id", engine)
        frames[side] = {"dtypes": {c: str(t) for c, t in frame.dtypes.items()}, "values": repr(frame.to_dict("list"))}
        engine.dispose()
    return frames


def connect_psycopg():
    with psycopg.connect(EDDY_URL) as conn:
        return {"value": conn.execute("SELECT %s::int + 1", (41,)).fetchone()[0], "tls": conn.pgconn.ssl_in_use}


def connect_asyncpg():
    async def run():
        conn = await asyncpg.connect(EDDY_URL)
        value = await conn.fetchval("SELECT $1::int + 1", 41)
        await conn.close()
        return {"value": value}

    return asyncio.run(run())


def asyncpg_introspection():
    """asyncpg's own type introspection query (pg_range, a correlated WITH RECURSIVE, ::regtype::text)
    for the array types of the fidelity table, as rows from Eddy and from PostgreSQL."""
    from asyncpg import introspection

    async def rows(url):
        conn = await asyncpg.connect(url)
        # int4[], text[], numeric[], bool[], timestamptz[], jsonb[], and int4 itself
        found = await conn.fetch(introspection.INTRO_LOOKUP_TYPES, [1007, 1009, 1231, 1000, 1185, 3807, 23])
        await conn.close()
        return sorted([list(r.values()) for r in found], key=repr)

    async def run():
        return {"eddy": await rows(EDDY_URL), "postgres": await rows(PG_URL)}

    return asyncio.run(run())


def copy_records_asyncpg():
    """asyncpg's copy_records_to_table (binary COPY FROM STDIN after it introspects the table), all
    columns and a subset, read back as repr of the records from Eddy and from PostgreSQL."""
    records = [
        (1, "a", decimal.Decimal("1.50"), datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc), ["x", None], True),
        (2, None, None, None, None, None),
    ]

    async def rows(url):
        conn = await asyncpg.connect(url)
        await conn.execute("DROP TABLE IF EXISTS copy_records")
        await conn.execute("CREATE TABLE copy_records (id int, name text, amount numeric, at timestamptz, tags text[], ok bool)")
        tags = [await conn.copy_records_to_table("copy_records", records=records)]
        tags.append(await conn.copy_records_to_table("copy_records", records=[(3, "c")], columns=["id", "name"]))
        found = await conn.fetch("SELECT * FROM copy_records ORDER BY id")
        await conn.execute("DROP TABLE copy_records")
        await conn.close()
        return {"tags": tags, "rows": [repr(tuple(r.values())) for r in found]}

    async def run():
        return {"eddy": await rows(EDDY_URL), "postgres": await rows(PG_URL)}

    return asyncio.run(run())


CHECKS = {
    "copy-records-asyncpg": copy_records_asyncpg,
    "asyncpg-introspection": asyncpg_introspection,
    "fidelity-psycopg-text": lambda: fidelity_psycopg(False),
    "fidelity-psycopg-binary": lambda: fidelity_psycopg(True),
    "fidelity-asyncpg": fidelity_asyncpg,
    "server-cursor": server_cursor,
    "copy-from": copy_from,
    "subscribe-stream": subscribe_stream,
    "subscribe-copy": subscribe_copy,
    "sqlalchemy": sqlalchemy_both,
    "pandas": pandas_read_sql,
    "connect-psycopg": connect_psycopg,
    "connect-asyncpg": connect_asyncpg,
}

if __name__ == "__main__":
    print(json.dumps(CHECKS[sys.argv[1]](), default=str))
