-- Orders and revenue of every day daily_orders has loaded so far (run it after a backfill of daily_orders).
create or replace table revenue_by_day as
select order_date, count(*) as orders, round(sum(amount), 2) as revenue
from daily_orders
group by order_date
order by order_date
