/** Arrays: ARRAY[...] and '{...}' literals, subscripts and slices, op ANY/ALL, array functions and operators, array_agg. */
import { family } from '../query.js';

export default family('arrays', [
  ['array-constructor', `SELECT id, ARRAY[city, segment] AS place, ARRAY[id, priority] AS nums FROM customers c LEFT JOIN (SELECT customer_id, max(priority) AS priority FROM orders GROUP BY customer_id) o ON o.customer_id = c.id`],
  ['array-subscripts', `SELECT id, (string_to_array(note, ' '))[1] AS first_word, (string_to_array(note, ' '))[2] AS second_word, (ARRAY[status, note])[priority] AS picked FROM orders`],
  ['array-slices', `SELECT id, (ARRAY[qty, product_id, order_id::int, 7])[2:3] AS mid, (ARRAY[qty, product_id])[:1] AS head, (ARRAY[qty, product_id])[qty:] AS tail FROM line_items`],
  ['any-untyped-literal', `SELECT id, status FROM orders WHERE status = ANY('{new,paid}')`],
  ['all-untyped-literal', `SELECT id, status FROM orders WHERE status <> ALL('{new,paid}')`],
  ['any-all-comparisons', `SELECT id, qty > ANY('{3,8}'::int[]) AS over_some, qty >= ALL(ARRAY[2, product_id]) AS over_all, qty = SOME(ARRAY[1, NULL]) AS one_or_null FROM line_items`],
  ['any-column-array', `SELECT c.id, o.id AS oid FROM customers c JOIN orders o ON o.status = ANY(string_to_array(c.segment || ',new', ','))`],
  ['array-functions', `SELECT id, array_length(string_to_array(note, ' '), 1) AS words, cardinality(string_to_array(note, ' ')) AS card, array_position(string_to_array(note, ' '), 'first') AS pos, array_remove(string_to_array(note, ' '), 'call') AS removed FROM orders`],
  ['array-concat', `SELECT id, array_cat(ARRAY[qty], ARRAY[product_id]) AS cat, ARRAY[qty] || product_id AS app, order_id || ARRAY[id] AS pre, array_append(ARRAY[qty], NULL) AS app_null, array_prepend(qty, ARRAY[]::int[]) AS pre_empty FROM line_items`],
  ['array-containment', `SELECT id, ARRAY[qty, product_id] @> ARRAY[3] AS has3, ARRAY[qty] <@ ARRAY[1, 2, 3] AS small, ARRAY[qty, product_id] && ARRAY[1, 5] AS overlap FROM line_items`],
  ['array-to-string', `SELECT id, array_to_string(ARRAY[city, segment, name], '/') AS path, array_to_string(ARRAY[city, segment], '/', '?') AS path_marked, array_to_string(ARRAY[signup_date], ',') AS days FROM customers`],
  ['array-bounds', `SELECT id, array_lower(string_to_array(note, ' '), 1) AS lo, array_upper(string_to_array(note, ' '), 1) AS hi, array_ndims(string_to_array(note, ' ')) AS nd, array_dims(string_to_array(note, ' ')) AS dims FROM orders`],
  ['group-by-array', `SELECT ARRAY[status] AS k, count(*) AS n FROM orders GROUP BY ARRAY[status]`],
  ['array-order-compare', `SELECT id, ARRAY[qty, product_id] < ARRAY[3, 1] AS lt, ARRAY[qty] = ARRAY[product_id] AS eq FROM line_items ORDER BY ARRAY[qty, product_id], id`],
  ['array-agg-ordered', `SELECT customer_id, array_agg(id ORDER BY id) AS ids, array_agg(status ORDER BY created_at DESC NULLS FIRST, id) AS statuses, array_agg(priority ORDER BY priority NULLS FIRST, id) AS priorities FROM orders GROUP BY customer_id`],
  ['array-agg-distinct', `SELECT customer_id, array_agg(DISTINCT status) AS statuses, array_agg(DISTINCT priority ORDER BY priority DESC) AS priorities FROM orders GROUP BY customer_id`],
  ['array-agg-filter-global', `SELECT array_agg(id ORDER BY id) FILTER (WHERE qty > 7) AS big, array_agg(DISTINCT product_id) AS products, array_agg(discount ORDER BY discount, id) FILTER (WHERE id < 0) AS none FROM line_items`],
  ['array-agg-over-join', `SELECT c.city, array_agg(o.id ORDER BY o.id) AS orders, cardinality(array_agg(DISTINCT o.status)) AS kinds FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.city`],
  ['array-agg-having', `SELECT order_id, array_agg(qty ORDER BY qty, id) AS qtys FROM line_items GROUP BY order_id HAVING 5 = ANY(array_agg(qty))`],
]);
