"""ingest_orders: loads orders into the DuckDB warehouse (sample rows here; replace with your API or files).

Dagster runs this script in a subprocess (Dagster Pipes): log through `context`, report what you wrote.
"""

import os
import random
from datetime import date, timedelta

import duckdb
from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as context:
    database = os.environ["WAREHOUSE_DUCKDB"]
    rng = random.Random(42)
    start = date(2026, 1, 1)
    rows = [
        (i, start + timedelta(days=i % 30), rng.choice(["card", "cash", "voucher"]), round(rng.uniform(5, 120), 2))
        for i in range(1, 501)
    ]
    with duckdb.connect(database) as connection:
        connection.execute(
            "create or replace table raw_orders (order_id integer, order_date date, payment text, amount double)"
        )
        connection.executemany("insert into raw_orders values (?, ?, ?, ?)", rows)
    context.log.info(f"Loaded {len(rows)} orders into {database}")
    context.report_asset_materialization(metadata={"rows": len(rows)})
