/** UNION / INTERSECT / EXCEPT [ALL], DISTINCT and DISTINCT ON. */
import { family } from '../query.js';

export default family('setops', [
  ['union', `SELECT city AS place FROM customers UNION SELECT category FROM products`],
  ['union-all', `SELECT customer_id AS id FROM orders UNION ALL SELECT id FROM customers`],
  ['union-nulls-equal', `SELECT city, segment FROM customers UNION SELECT city, NULL FROM customers`],
  ['union-all-type-promotion', `SELECT id FROM customers UNION ALL SELECT id FROM orders`],
  ['union-all-numeric', `SELECT price AS amount FROM products UNION ALL SELECT unit_price FROM line_items WHERE qty > 6`],
  ['intersect', `SELECT customer_id FROM orders INTERSECT SELECT id FROM customers WHERE active`],
  ['intersect-all', `SELECT product_id FROM line_items WHERE qty > 5 INTERSECT ALL SELECT product_id FROM line_items WHERE discount > 0`],
  ['intersect-all-pairs', `SELECT order_id, product_id FROM line_items WHERE qty > 3 INTERSECT ALL SELECT order_id, product_id FROM line_items WHERE discount IS NOT NULL`],
  ['except', `SELECT id FROM customers EXCEPT SELECT customer_id FROM orders`],
  ['except-all', `SELECT order_id FROM line_items EXCEPT ALL SELECT id FROM orders`],
  ['except-null-rows', `SELECT city FROM customers EXCEPT SELECT city FROM customers WHERE active`],
  ['parenthesized', `(SELECT customer_id FROM orders WHERE status = 'paid' UNION SELECT customer_id FROM orders WHERE status = 'shipped') EXCEPT SELECT id FROM customers WHERE city = 'Lima'`],
  ['intersect-binds-tighter', `SELECT id FROM customers WHERE city = 'Oslo' UNION SELECT customer_id FROM orders INTERSECT SELECT id FROM customers WHERE active`],
  ['aggregate-over-union', `SELECT count(*) AS n, count(DISTINCT x) AS d FROM (SELECT product_id AS x FROM line_items UNION ALL SELECT id FROM products) u`],
  ['union-of-aggregates', `SELECT 'orders' AS t, count(*) AS n FROM orders UNION ALL SELECT 'customers', count(*) FROM customers`],
  ['distinct-multi', `SELECT DISTINCT customer_id, status FROM orders`],
  ['distinct-expressions', `SELECT DISTINCT qty % 4 AS r, discount IS NULL AS nd FROM line_items`],
  ['distinct-on-latest', `SELECT DISTINCT ON (customer_id) customer_id, id, created_at FROM orders ORDER BY customer_id, created_at DESC, id DESC`],
  ['distinct-on-null-keys', `SELECT DISTINCT ON (city) city, name, id FROM customers ORDER BY city, score DESC NULLS LAST, id`],
  ['distinct-on-two-keys', `SELECT DISTINCT ON (order_id, product_id) order_id, product_id, id, qty FROM line_items ORDER BY order_id, product_id, qty DESC NULLS LAST, id`],
  ['distinct-on-join', `SELECT DISTINCT ON (c.city) c.city, o.id, o.created_at FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY c.city, o.created_at DESC NULLS LAST, o.id`],
  ['except-all-multiplicities', `SELECT qty FROM line_items EXCEPT ALL SELECT priority FROM orders`],
  ['union-doubles', `SELECT discount AS x FROM line_items UNION SELECT score FROM customers`],
]);
