/**
 * Views over views. The base views exist in both servers under the same names (plain views in
 * PostgreSQL; in Eddy materialized or plain as marked), so the queries below read the same in both.
 */
import { family } from '../query.js';

export interface BaseView {
  name: string;
  sql: string;
  /** Created as a materialized view in Eddy (PostgreSQL gets a plain view either way). */
  materialized: boolean;
}

/** In creation order: later ones read earlier ones. */
export const baseViews: BaseView[] = [
  {
    name: 'order_totals',
    materialized: true,
    sql: `SELECT o.id AS order_id, o.customer_id, o.status, sum(l.qty * l.unit_price) AS total, count(l.id) AS lines
          FROM orders o LEFT JOIN line_items l ON l.order_id = o.id GROUP BY o.id, o.customer_id, o.status`,
  },
  { name: 'active_customers', materialized: false, sql: `SELECT id, name, city FROM customers WHERE active` },
  {
    name: 'customer_value',
    materialized: true,
    sql: `SELECT c.id, c.name, c.city, sum(t.total) AS value, count(t.order_id) AS orders
          FROM active_customers c LEFT JOIN order_totals t ON t.customer_id = c.id GROUP BY c.id, c.name, c.city`,
  },
].map((v) => ({ ...v, sql: v.sql.replace(/\s+/g, ' ').trim() }));

export default family('views', [
  ['materialized-base', `SELECT * FROM order_totals WHERE total > 500`],
  ['plain-base', `SELECT * FROM active_customers WHERE city IS NOT NULL`],
  ['group-over-stacked', `SELECT city, sum(value) AS value, max(orders) AS most FROM customer_value GROUP BY city`],
  ['group-over-materialized', `SELECT status, count(*) AS n, sum(lines) AS lines FROM order_totals GROUP BY status`],
  ['top-over-stacked', `SELECT * FROM customer_value ORDER BY value DESC NULLS LAST, id LIMIT 3`],
  ['join-two-views', `SELECT a.name, t.order_id FROM active_customers a JOIN order_totals t ON t.customer_id = a.id WHERE t.lines = 0`],
  ['three-levels', `SELECT city, count(*) AS n FROM customer_value WHERE value IS NULL GROUP BY city`],
  ['view-and-table', `SELECT t.order_id, t.total, o.created_at FROM order_totals t JOIN orders o ON o.id = t.order_id WHERE o.priority >= 4`],
]);
