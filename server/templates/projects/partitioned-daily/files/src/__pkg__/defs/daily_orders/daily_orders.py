"""daily_orders: loads the orders of one day, the run's partition (sample rows here; replace with your source).

Dagster runs this script in a subprocess (Dagster Pipes); `context.partition_key` is the day, e.g. "2026-01-05".
Running it again for a day replaces that day's rows, so a backfill can be repeated safely.
"""

import random
from datetime import date
from pathlib import Path

import duckdb
from dagster_pipes import open_dagster_pipes

# The project folder (src/<package>/defs/daily_orders/ is four levels down): where the DuckDB connection's
# "warehouse.duckdb" is, since Dagster runs in the project folder.
DATABASE = Path(__file__).resolve().parents[4] / "warehouse.duckdb"

with open_dagster_pipes() as context:
    day = date.fromisoformat(context.partition_key)
    rng = random.Random(day.toordinal())
    rows = [(f"{day.isoformat()}-{i}", day, round(rng.uniform(5, 120), 2)) for i in range(rng.randint(10, 40))]
    with duckdb.connect(str(DATABASE)) as connection:
        connection.execute(
            "create table if not exists daily_orders (order_id text, order_date date, amount double)"
        )
        connection.execute("delete from daily_orders where order_date = ?", [day])
        connection.executemany("insert into daily_orders values (?, ?, ?)", rows)
    context.log.info(f"Loaded {len(rows)} orders of {day}")
    context.report_asset_materialization(metadata={"rows": len(rows), "day": day.isoformat()})
