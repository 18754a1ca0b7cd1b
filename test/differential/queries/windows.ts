/**
 * Window functions: ranking, offset and value functions, aggregates over every frame kind, named
 * windows, windows over grouped rows, and the row_number() top-K. Where a result depends on the
 * order among peers (row_number, lag, ROWS frames, first_value), the ORDER BY ends with a key.
 */
import { family } from '../query.js';

export default family('windows', [
  ['row-number', `SELECT id, customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at NULLS FIRST, id) AS rn FROM orders`],
  ['rank-dense-rank', `SELECT id, status, priority, rank() OVER (PARTITION BY status ORDER BY priority DESC) AS r, dense_rank() OVER (PARTITION BY status ORDER BY priority DESC) AS d FROM orders`],
  ['percent-rank-cume-dist', `SELECT id, percent_rank() OVER (PARTITION BY customer_id ORDER BY priority) AS pr, cume_dist() OVER (PARTITION BY customer_id ORDER BY priority) AS cd FROM orders`],
  ['ntile', `SELECT id, ntile(3) OVER (PARTITION BY status ORDER BY id) AS tile, ntile(4) OVER (ORDER BY id DESC) AS quartile FROM orders`],
  ['lag-lead', `SELECT id, lag(priority) OVER w AS prev, lead(priority, 2) OVER w AS next2, lag(status, 1, 'none') OVER w AS prev_status, lead(id, 1, -1) OVER w AS next_id FROM orders WINDOW w AS (PARTITION BY customer_id ORDER BY id)`],
  ['first-last-nth', `SELECT id, first_value(qty) OVER w AS f, last_value(qty) OVER w AS l, nth_value(qty, 2) OVER w AS second FROM line_items WINDOW w AS (PARTITION BY order_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`],
  ['running-sum-default-frame', `SELECT id, order_id, sum(qty) OVER (PARTITION BY order_id ORDER BY qty) AS running, count(*) OVER (PARTITION BY order_id ORDER BY qty) AS n FROM line_items`],
  ['partition-aggregates', `SELECT id, product_id, sum(unit_price) OVER (PARTITION BY product_id) AS total, avg(qty) OVER (PARTITION BY product_id) AS mean, min(discount) OVER (PARTITION BY product_id) AS lo, max(qty) OVER (PARTITION BY product_id) AS hi, count(discount) OVER (PARTITION BY product_id) AS nd FROM line_items`],
  ['whole-table-window', `SELECT id, count(*) OVER () AS n, sum(priority) OVER () AS total, bool_or(priority > 4) OVER () AS any_high FROM orders`],
  ['rows-sliding', `SELECT id, sum(qty) OVER (PARTITION BY order_id ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s3, avg(unit_price) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS ma4, min(qty) OVER (ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 4 FOLLOWING) AS ahead FROM line_items`],
  ['rows-excludes', `SELECT id, sum(qty) OVER (PARTITION BY order_id ORDER BY qty, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS others, count(*) OVER (ORDER BY qty RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE GROUP) AS non_peers FROM line_items`],
  ['range-offsets', `SELECT id, sum(qty) OVER (ORDER BY priority RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS near, count(*) OVER (PARTITION BY status ORDER BY priority DESC RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING) AS below FROM orders o JOIN (SELECT order_id, sum(qty) AS qty FROM line_items GROUP BY order_id) l ON l.order_id = o.id`],
  ['range-dates', `SELECT id, count(*) OVER (ORDER BY order_date RANGE BETWEEN '7 days' PRECEDING AND CURRENT ROW) AS last_week, max(priority) OVER (PARTITION BY customer_id ORDER BY created_at RANGE BETWEEN INTERVAL '2 days' PRECEDING AND INTERVAL '1 day' FOLLOWING) AS busy FROM orders`],
  ['range-numeric-exclude-ties', `SELECT id, sum(qty) OVER (PARTITION BY product_id ORDER BY unit_price RANGE BETWEEN 20 PRECEDING AND 20 FOLLOWING EXCLUDE TIES) AS similar FROM line_items`],
  ['groups-frames', `SELECT id, sum(qty) OVER (PARTITION BY order_id ORDER BY product_id GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) AS g2, count(*) OVER (ORDER BY qty GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING EXCLUDE CURRENT ROW) AS next_group FROM line_items`],
  ['value-functions-frames', `SELECT id, first_value(status) OVER (PARTITION BY customer_id ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS f, last_value(id) OVER (PARTITION BY customer_id ORDER BY priority, id RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS l, nth_value(id, 3) OVER (PARTITION BY customer_id ORDER BY id) AS third FROM orders`],
  ['string-agg-window', `SELECT id, string_agg(name, ',') OVER (PARTITION BY city ORDER BY name, id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS recent, string_agg(name, '|') OVER (PARTITION BY segment ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS others FROM customers`],
  ['filter-in-window', `SELECT id, count(*) FILTER (WHERE status = 'paid') OVER (PARTITION BY customer_id ORDER BY id) AS paid_so_far, sum(priority) FILTER (WHERE note IS NOT NULL) OVER (PARTITION BY customer_id) AS noted FROM orders`],
  ['named-window-extended', `SELECT id, rank() OVER (w ORDER BY score DESC NULLS LAST) AS by_score, sum(credit_limit) OVER (w ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair, count(*) OVER w AS n FROM customers WINDOW w AS (PARTITION BY city)`],
  ['window-over-group-by', `SELECT customer_id, count(*) AS n, rank() OVER (ORDER BY count(*) DESC) AS r, sum(count(*)) OVER (ORDER BY customer_id NULLS FIRST) AS cumulative FROM orders GROUP BY customer_id`],
  ['window-expressions', `SELECT id, qty * 2 - row_number() OVER (PARTITION BY order_id % 3 ORDER BY qty * unit_price DESC NULLS LAST, id) AS x, sum(qty * unit_price) OVER (PARTITION BY order_id % 3 ORDER BY id) AS amount FROM line_items`],
  ['window-over-join', `SELECT o.id, c.city, dense_rank() OVER (PARTITION BY c.city ORDER BY o.order_date DESC NULLS LAST) AS recency, lag(o.id) OVER (PARTITION BY c.city ORDER BY o.id) AS prev FROM orders o JOIN customers c ON c.id = o.customer_id`],
  ['top-k-per-partition', `SELECT id, customer_id, rn FROM (SELECT id, customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC NULLS LAST, id) AS rn FROM orders) t WHERE rn <= 2`],
  ['top-1-cte', `WITH ranked AS (SELECT id, order_id, qty, row_number() OVER (PARTITION BY order_id ORDER BY qty DESC NULLS LAST, id) AS rn FROM line_items) SELECT order_id, id, qty FROM ranked WHERE rn = 1`],
  ['top-k-lt', `SELECT * FROM (SELECT id, status, row_number() OVER (PARTITION BY status ORDER BY id DESC) AS rn FROM orders) t WHERE rn < 3 AND id > 5`],
  ['rank-filtered-outside', `SELECT * FROM (SELECT id, city, rank() OVER (PARTITION BY city ORDER BY score NULLS LAST) AS r FROM customers) t WHERE r <= 2`],
  ['window-distinct-order', `SELECT DISTINCT city, count(*) OVER (PARTITION BY city) AS n FROM customers ORDER BY city NULLS FIRST`],
  ['correlated-window-subquery', `SELECT c.id, (SELECT count(*) OVER () FROM orders o WHERE o.customer_id = c.id ORDER BY o.id LIMIT 1) AS n, (SELECT lag(o.id) OVER (ORDER BY o.id) FROM orders o WHERE o.customer_id = c.id ORDER BY o.id DESC LIMIT 1) AS before_last FROM customers c`],
  ['range-desc-nulls-first', `SELECT id, sum(priority) OVER (ORDER BY priority DESC NULLS FIRST RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS s, count(*) OVER (ORDER BY created_at DESC NULLS FIRST RANGE BETWEEN CURRENT ROW AND '36 hours' FOLLOWING) AS n FROM orders`],
  ['groups-exclude-group', `SELECT id, avg(qty) OVER (ORDER BY product_id NULLS FIRST GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP) AS neighbours, nth_value(id, 2) OVER (ORDER BY product_id, id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW) AS second FROM line_items`],
  ['lag-negative-window-in-order-by', `SELECT id, lag(id, -2, 0) OVER (ORDER BY id) AS ahead FROM products ORDER BY row_number() OVER (ORDER BY price DESC NULLS LAST, id) LIMIT 6`],
  ['window-over-view', `SELECT id, city, rank() OVER (PARTITION BY city ORDER BY value DESC NULLS LAST) AS r FROM customer_value`],
  ['window-then-limit', `SELECT id, sum(priority) OVER (ORDER BY id) AS running FROM orders ORDER BY id DESC LIMIT 5`],
  ['json-agg-window', `SELECT id, json_agg(qty) OVER (PARTITION BY order_id ORDER BY id) AS qtys, jsonb_agg(unit_price) FILTER (WHERE qty > 2) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS prices FROM line_items`],
  ['json-object-agg-window', `SELECT id, json_object_agg(id, status) OVER (PARTITION BY customer_id ORDER BY created_at NULLS FIRST, id GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW) AS near, jsonb_object_agg(coalesce(status, '?'), priority) OVER (PARTITION BY customer_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS by_status FROM orders`],
]);
