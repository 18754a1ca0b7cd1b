/**
 * WITH RECURSIVE: set (UNION) and bag (UNION ALL) recursion over the suite's tables, whose
 * updates insert and delete edges (orders link a customer id to a priority, both small
 * integers, so the graph has cycles and self-loops that UNION must not count twice).
 */
import { family } from '../query.js';

const EDGES = `SELECT customer_id AS src, priority AS dst FROM orders WHERE customer_id IS NOT NULL AND priority IS NOT NULL`;

export default family('recursive', [
  ['counter', `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT c.id, n.i FROM customers c JOIN n ON n.i = c.id % 7`],
  ['transitive-closure', `WITH RECURSIVE e AS (${EDGES}), tc(src, dst) AS (SELECT src, dst FROM e UNION SELECT tc.src, e.dst FROM tc JOIN e ON e.src = tc.dst) SELECT src, dst FROM tc`],
  ['closure-count-per-node', `WITH RECURSIVE tc(src, dst) AS (${EDGES} UNION SELECT tc.src, o.priority FROM tc JOIN orders o ON o.customer_id = tc.dst WHERE o.priority IS NOT NULL) SELECT src, count(*) AS reach FROM tc GROUP BY src`],
  ['depth-bounded-walk', `WITH RECURSIVE walk(id, depth) AS (SELECT id, 0 FROM customers WHERE id <= 4 UNION ALL SELECT o.priority, w.depth + 1 FROM walk w JOIN orders o ON o.customer_id = w.id WHERE w.depth < 3 AND o.priority IS NOT NULL) SELECT id, depth, count(*) AS paths FROM walk GROUP BY id, depth`],
  ['reachable-from-city', `WITH RECURSIVE r(id) AS (SELECT id FROM customers WHERE city = 'Oslo' UNION SELECT o.priority FROM r JOIN orders o ON o.customer_id = r.id WHERE o.priority IS NOT NULL) SELECT id FROM r`],
  ['path-text', `WITH RECURSIVE p(id, path, len) AS (SELECT id, name, 1 FROM customers WHERE id <= 3 UNION ALL SELECT o.priority, p.path || '>' || o.priority, p.len + 1 FROM p JOIN orders o ON o.customer_id = p.id WHERE p.len < 3 AND o.priority IS NOT NULL) SELECT id, path, len FROM p`],
  ['doubling-numeric', `WITH RECURSIVE s(id, total) AS (SELECT id, price::numeric FROM products WHERE price IS NOT NULL UNION SELECT id, total * 2 FROM s WHERE total < 400) SELECT id, total FROM s`],
  ['left-join-in-term', `WITH RECURSIVE w(n, label) AS (SELECT 1, 'start' UNION ALL SELECT w.n + 1, coalesce(p.name, 'none') FROM w LEFT JOIN products p ON p.id = w.n WHERE w.n < 6) SELECT n, label FROM w`],
  ['distinct-in-term', `WITH RECURSIVE r(id) AS (SELECT DISTINCT customer_id FROM orders WHERE status = 'paid' AND customer_id IS NOT NULL UNION ALL SELECT DISTINCT o.priority FROM r JOIN orders o ON o.customer_id = r.id WHERE o.priority > r.id) SELECT id, count(*) AS n FROM r GROUP BY id`],
  ['recursive-with-filter-outside', `WITH RECURSIVE tc(src, dst) AS (${EDGES} UNION SELECT tc.src, o.priority FROM tc JOIN orders o ON o.customer_id = tc.dst WHERE o.priority IS NOT NULL) SELECT src, dst FROM tc WHERE src = dst`],
  // a CTE inside a scalar subquery that reads the outer row (asyncpg's type introspection has one)
  ['correlated-recursive-count', `SELECT c.id, (WITH RECURSIVE walk(id, depth) AS (SELECT o.priority, 1 FROM orders o WHERE o.customer_id = c.id AND o.priority IS NOT NULL UNION SELECT o.priority, w.depth + 1 FROM walk w JOIN orders o ON o.customer_id = w.id WHERE w.depth < 3 AND o.priority IS NOT NULL) SELECT count(*) FROM walk) AS reach FROM customers c`],
  ['correlated-recursive-limit', `SELECT c.id, (WITH RECURSIVE up(id, depth) AS (SELECT o.priority, 0 FROM orders o WHERE o.customer_id = c.id AND o.priority IS NOT NULL UNION ALL SELECT o.priority, u.depth + 1 FROM orders o, up u WHERE o.customer_id = u.id AND u.depth < 2 AND o.priority IS NOT NULL) SELECT id FROM up ORDER BY depth DESC, id DESC LIMIT 1) AS deepest FROM customers c`],
  ['correlated-cte-in-case', `SELECT c.id, CASE WHEN c.id % 2 = 0 THEN (WITH mine AS (SELECT o.priority FROM orders o WHERE c.id = o.customer_id) SELECT max(priority) FROM mine) END AS top FROM customers c`],
]);
