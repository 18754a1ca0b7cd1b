/** Common table expressions: single, reused, chained, and inside subqueries. */
import { family } from '../query.js';

export default family('ctes', [
  ['simple', `WITH big AS (SELECT * FROM line_items WHERE qty > 5) SELECT order_id, count(*) AS n FROM big GROUP BY order_id`],
  ['reused', `WITH t AS (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) SELECT a.customer_id, a.n FROM t a WHERE a.n = (SELECT max(n) FROM t)`],
  ['chained', `WITH paid AS (SELECT id, customer_id FROM orders WHERE status = 'paid'), lines AS (SELECT p.customer_id, l.qty FROM paid p JOIN line_items l ON l.order_id = p.id) SELECT customer_id, sum(qty) AS units FROM lines GROUP BY customer_id`],
  ['joined-to-table', `WITH spend AS (SELECT o.customer_id, sum(l.qty * l.unit_price) AS total FROM orders o JOIN line_items l ON l.order_id = o.id GROUP BY o.customer_id) SELECT c.name, s.total FROM customers c LEFT JOIN spend s ON s.customer_id = c.id`],
  ['union-in-cte', `WITH ids AS (SELECT customer_id AS id FROM orders UNION SELECT id FROM customers WHERE city = 'Quito') SELECT count(*) AS n FROM ids`],
  ['distinct-on-in-cte', `WITH latest AS (SELECT DISTINCT ON (customer_id) customer_id, status FROM orders ORDER BY customer_id, created_at DESC NULLS LAST, id DESC) SELECT status, count(*) AS n FROM latest GROUP BY status`],
  ['cte-in-subquery', `SELECT id FROM products WHERE id IN (WITH hot AS (SELECT product_id FROM line_items WHERE qty >= 8) SELECT product_id FROM hot)`],
  ['cte-two-references-joined', `WITH c AS (SELECT id, city FROM customers WHERE city IS NOT NULL) SELECT a.id AS a, b.id AS b FROM c a JOIN c b ON a.city = b.city AND a.id < b.id`],
  ['cte-shadows-table', `WITH orders AS (SELECT * FROM orders WHERE status = 'paid') SELECT count(*) AS n FROM orders`],
  ['cte-column-aliases', `WITH t(cid, n) AS (SELECT customer_id, count(*) FROM orders GROUP BY customer_id) SELECT cid, n FROM t WHERE n > 1`],
  ['top-k-cte-used-twice', `WITH recent AS (SELECT id, customer_id FROM orders ORDER BY created_at DESC NULLS LAST, id LIMIT 10) SELECT a.id AS a, b.id AS b FROM recent a JOIN recent b ON a.customer_id = b.customer_id AND a.id < b.id`],
]);
