/** PostgreSQL features beyond the contract's list that users reach for: VALUES, generate_series, LATERAL, ROLLUP, regexes. */
import { family } from '../query.js';

export default family('extras', [
  ['values-join', `SELECT c.id, v.label FROM customers c JOIN (VALUES ('Paris', 'FR'), ('Oslo', 'NO'), ('Lima', 'PE')) v(city, label) ON v.city = c.city`],
  ['generate-series-join', `SELECT g.n, count(o.id) AS orders FROM generate_series(1, 5) g(n) LEFT JOIN orders o ON o.priority = g.n GROUP BY g.n`],
  ['lateral-correlated', `SELECT c.id, s.latest FROM customers c CROSS JOIN LATERAL (SELECT max(o.created_at) AS latest FROM orders o WHERE o.customer_id = c.id) s`],
  ['left-join-lateral-top', `SELECT c.id, t.id AS oid FROM customers c LEFT JOIN LATERAL (SELECT o.id FROM orders o WHERE o.customer_id = c.id ORDER BY o.created_at DESC NULLS LAST, o.id LIMIT 2) t ON true`],
  ['rollup', `SELECT category, discontinued, count(*) AS n, sum(price) AS total FROM products GROUP BY ROLLUP (category, discontinued)`],
  ['regex', `SELECT id, regexp_replace(name, '[aeiou]', '_', 'g') AS masked, name ~ '^[A-Z]' AS capital, name ~* 'AN' AS has_an FROM customers`],
  ['similar-to', `SELECT id, name FROM products WHERE name SIMILAR TO '(saw|kite|tea)%'`],
  ['every', `SELECT customer_id, every(priority > 1) AS all_urgent FROM orders GROUP BY customer_id`],
  ['md5', `SELECT id, md5(name) AS h FROM customers`],
  ['date-bin', `SELECT date_bin('6 hours', created_at, TIMESTAMP '2024-01-01') AS bucket, count(*) AS n FROM orders GROUP BY 1`],
  ['interval-justify', `SELECT id, justify_interval(created_at - TIMESTAMP '2024-01-01') AS since, order_date + interval '1 month' AS next_month FROM orders`],
]);
