-- Revenue per day with a 7-day moving average, from the dbt model orders_by_day.
create or replace table daily_report as
select
    order_date,
    orders,
    revenue,
    round(avg(revenue) over (order by order_date rows between 6 preceding and current row), 2) as revenue_7d_avg
from orders_by_day
order by order_date
