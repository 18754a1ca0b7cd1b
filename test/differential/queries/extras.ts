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
  ['generate-series-lateral', `SELECT o.id, g FROM orders o, generate_series(1, o.priority) AS g`],
  ['generate-series-select-list', `SELECT id, generate_series(0, qty, 3) AS step, generate_series(1, 2) AS two FROM line_items`],
  ['generate-series-numeric-timestamp', `SELECT o.id, n, t FROM orders o, generate_series(0.5, o.priority, 1.25) AS n, generate_series(o.created_at, o.created_at + interval '1 day', interval '10 hours') AS t`],
  ['jsonb-set-returning', `SELECT c.id, e.key, e.value, t.value AS text_value FROM customers c, jsonb_each(jsonb_build_object('city', c.city, 'score', c.score)) e, jsonb_each_text(jsonb_build_object('seg', c.segment)) t`],
  ['jsonb-array-elements', `SELECT c.id, jsonb_array_elements(jsonb_build_array(c.name, c.active)) AS v, jsonb_array_elements_text(jsonb_build_array(c.city, 1)) AS t FROM customers c`],
  ['jsonb-object-keys', `SELECT k, count(*) AS n FROM customers c, jsonb_object_keys(jsonb_strip_nulls(jsonb_build_object('city', c.city, 'segment', c.segment))) AS k GROUP BY k`],
  ['regexp-matches', `SELECT id, m, regexp_matches(name, '([a-z])([a-z])') AS first_pair FROM customers, regexp_matches(name, '[aeiou]', 'g') AS m`],
]);
