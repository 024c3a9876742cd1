-- Orders and revenue per day, from raw_orders (the edge on the canvas makes it run after raw_orders).
create or replace table orders_by_day as
select order_date, count(*) as orders, round(sum(amount), 2) as revenue
from raw_orders
group by order_date
order by order_date
