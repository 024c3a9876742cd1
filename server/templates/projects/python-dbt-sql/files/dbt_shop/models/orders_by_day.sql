select
    order_date,
    count(*) as orders,
    round(sum(amount), 2) as revenue
from {{ ref('stg_orders') }}
group by order_date
