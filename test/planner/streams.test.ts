/** The SQL.md examples over stream and append sources: Deephaven's last_by, natural_join and agg_by. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { T } from '../../src/types/types.js';
import { assertSameRows, TestCatalog } from './harness.js';

test('last(): the latest value of a stream', () => {
  const cat = new TestCatalog();
  const stream = cat.table('result_stream', [['kafkavalue', T.text]], 'stream');
  const { plan, arrangement } = cat.maintain('SELECT last(KafkaValue) AS KafkaValue FROM result_stream');
  assert.deepEqual(plan.columns.map((c) => c.name), ['kafkavalue']);
  stream.insert([['a']]);
  cat.cycle();
  stream.insert([['b']]);
  cat.cycle();
  cat.cycle();
  assertSameRows(arrangement.rows(), [['b']]);
});

test('last_by, natural_join and agg_by: orders priced by the latest quote', () => {
  const cat = new TestCatalog();
  const quotes = cat.table('quotes', [['symbol', T.text], ['price', T.float8]], 'stream');
  const orders = cat.table('orders', [['symbol', T.text], ['id', T.text], ['limitprice', T.float8], ['qty', T.int4]], 'stream');
  cat.view('last_price', 'SELECT DISTINCT ON (Symbol) Symbol, Price FROM quotes');
  cat.view(
    'orders_with_current_price',
    'SELECT o.*, p.Price AS LastPrice FROM (SELECT DISTINCT ON (Id) * FROM orders) o LEFT JOIN last_price p USING (Symbol)',
  );
  const withPrice = cat.maintain('SELECT * FROM orders_with_current_price');
  assert.deepEqual(withPrice.plan.columns.map((c) => c.name), ['symbol', 'id', 'limitprice', 'qty', 'lastprice']);
  const total = cat.maintain('SELECT Symbol, sum(Qty) AS Shares, sum(Qty * LastPrice) AS Notional FROM orders_with_current_price GROUP BY Symbol');
  quotes.insert([['ACME', 10], ['INIT', 2]]);
  orders.insert([['ACME', 'o1', 9, 100], ['INIT', 'o2', 1, 5]]);
  cat.cycle();
  assertSameRows(total.arrangement.rows(), [
    ['ACME', 100n, 1000],
    ['INIT', 5n, 10],
  ]);
  // A new quote reprices every order of its symbol; an order id seen again replaces its order.
  quotes.insert([['ACME', 11]]);
  orders.insert([['ACME', 'o2', 9, 7]]);
  cat.cycle();
  cat.cycle();
  assertSameRows(withPrice.arrangement.rows(), [
    ['ACME', 'o1', 9, 100, 11],
    ['ACME', 'o2', 9, 7, 11],
  ]);
  assertSameRows(total.arrangement.rows(), [['ACME', 107n, 1177]]);
});

test('a stream joined with a table is a stream; its aggregate accumulates', () => {
  const cat = new TestCatalog();
  // Each click has its own id: equal rows in consecutive cycles would cancel in the stream
  // input's consolidated change (an engine limitation reported separately).
  const clicks = cat.table('clicks', [['click', T.int4], ['page', T.int4]], 'stream');
  const pages = cat.table('pages', [['id', T.int4], ['title', T.text]]);
  const sql = 'SELECT title, count(*) FROM clicks JOIN pages ON page = id GROUP BY title';
  assert.equal(cat.plan('SELECT title FROM clicks JOIN pages ON page = id').tableType, 'stream');
  const { arrangement } = cat.maintain(sql);
  pages.insert([[1, 'home'], [2, 'about']]);
  clicks.insert([[1, 1], [2, 1], [3, 2]]);
  cat.cycle();
  clicks.insert([[4, 1]]);
  cat.cycle();
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    ['home', 3n],
    ['about', 1n],
  ]);
});
