-- 500 sample orders over 30 days (no network needed): replace with your own source.
create or replace table raw_orders as
select
    i as order_id,
    date '2026-01-01' + cast(i % 30 as integer) as order_date,
    round(10 + (i * 37) % 90 + (i % 7) / 10.0, 2) as amount
from range(1, 501) as t(i)
