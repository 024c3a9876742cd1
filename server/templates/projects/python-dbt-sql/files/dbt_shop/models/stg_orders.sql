select
    order_id,
    order_date,
    lower(payment) as payment,
    amount
from {{ source('shop', 'raw_orders') }}
where amount > 0
