/** ORDER BY with LIMIT / OFFSET (top-K). Every ordering is total, so PostgreSQL's answer is the only right one. */
import { family } from '../query.js';

export default family('ordering', [
  ['top-double', `SELECT id, name, score FROM customers ORDER BY score DESC NULLS LAST, id LIMIT 5`],
  ['limit-offset', `SELECT id, price FROM products ORDER BY price, id LIMIT 3 OFFSET 2`],
  ['timestamp-desc-nulls-first', `SELECT id, created_at FROM orders ORDER BY created_at DESC NULLS FIRST, id DESC LIMIT 10`],
  ['top-groups', `SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id ORDER BY n DESC, customer_id NULLS FIRST LIMIT 5`],
  ['order-by-expression', `SELECT id, qty * unit_price AS amount FROM line_items ORDER BY qty * unit_price DESC NULLS LAST, id LIMIT 7`],
  ['text-order', `SELECT id, name FROM customers ORDER BY name, id LIMIT 6`],
  ['order-by-hidden-column', `SELECT name FROM products ORDER BY price DESC NULLS LAST, id LIMIT 4`],
  ['top-of-join', `SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.order_date DESC NULLS LAST, o.id LIMIT 5`],
  ['offset-only', `SELECT id FROM orders ORDER BY id OFFSET 40`],
  ['limit-zero', `SELECT id FROM customers ORDER BY id LIMIT 0`],
  ['top-distinct', `SELECT DISTINCT city FROM customers ORDER BY city NULLS FIRST LIMIT 3`],
  ['top-in-subquery', `SELECT c.name, t.id FROM (SELECT id, customer_id FROM orders ORDER BY created_at DESC NULLS LAST, id LIMIT 5) t JOIN customers c ON c.id = t.customer_id`],
  ['order-by-ordinals', `SELECT id, priority FROM orders ORDER BY 2 DESC NULLS LAST, 1 LIMIT 8`],
  ['order-by-bool-date', `SELECT id, active, signup_date FROM customers ORDER BY active NULLS FIRST, signup_date DESC, id LIMIT 5`],
  ['fetch-first', `SELECT id, qty FROM line_items ORDER BY qty DESC NULLS LAST, id FETCH FIRST 3 ROWS ONLY`],
  ['ordered-no-limit', `SELECT id, status FROM orders ORDER BY status, id`],
  ['text-desc-ties', `SELECT city, name, id FROM customers ORDER BY city DESC NULLS LAST, name DESC, id LIMIT 7`],
  ['numeric-desc-nulls-first', `SELECT id, credit_limit FROM customers ORDER BY credit_limit DESC NULLS FIRST, id LIMIT 4`],
  ['order-by-alias', `SELECT id, qty * unit_price AS amount FROM line_items WHERE qty IS NOT NULL ORDER BY amount, id LIMIT 6`],
  ['union-then-top', `SELECT id FROM customers WHERE city = 'Paris' UNION SELECT customer_id FROM orders WHERE status = 'new' ORDER BY 1 NULLS FIRST LIMIT 5`],
]);
