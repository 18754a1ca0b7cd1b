import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { T } from '../../src/types/types.js';
import { SQLSTATE } from '../../src/errors.js';
import { assertSameRows, assertSqlError, TestCatalog } from './harness.js';

function shop() {
  const cat = new TestCatalog();
  const customers = cat.table('customers', [
    ['id', T.int4],
    ['name', T.text],
  ]);
  const orders = cat.table('orders', [
    ['oid', T.int4],
    ['id', T.int4],
    ['amount', T.int8],
  ]);
  customers.insert([
    [1, 'ann'],
    [2, 'bob'],
    [3, 'cy'],
  ]);
  orders.insert([
    [10, 1, 5n],
    [11, 1, 7n],
    [12, 2, 1n],
    [13, 9, 4n],
  ]);
  cat.cycle();
  return { cat, customers, orders };
}

test('inner join ON, USING and NATURAL; comma joins with WHERE', () => {
  const { cat } = shop();
  const expected = [
    ['ann', 10],
    ['ann', 11],
    ['bob', 12],
  ];
  assertSameRows(cat.read('SELECT c.name, o.oid FROM customers c JOIN orders o ON c.id = o.id'), expected);
  assertSameRows(cat.read('SELECT name, oid FROM customers JOIN orders USING (id)'), expected);
  assertSameRows(cat.read('SELECT name, oid FROM customers NATURAL JOIN orders'), expected);
  assertSameRows(cat.read('SELECT name, oid FROM customers c, orders o WHERE c.id = o.id'), expected);
  assertSameRows(cat.read('SELECT name, oid FROM customers CROSS JOIN orders WHERE customers.id = orders.id AND amount > 4'), [
    ['ann', 10],
    ['ann', 11],
  ]);
  // SELECT * over USING lists the merged column once, first.
  const plan = cat.plan('SELECT * FROM customers JOIN orders USING (id)');
  assert.deepEqual(plan.columns.map((c) => c.name), ['id', 'name', 'oid', 'amount']);
  assert.match(cat.plan('SELECT name, oid FROM customers c, orders o WHERE c.id = o.id').explain(), /Inner Join ON id = id/);
});

test('outer joins keep unmatched rows, also incrementally', () => {
  const { cat, customers, orders } = shop();
  const left = cat.maintain('SELECT name, oid FROM customers LEFT JOIN orders USING (id)');
  const right = cat.maintain('SELECT id, name, oid FROM customers RIGHT JOIN orders USING (id)');
  const full = cat.maintain('SELECT id, name, oid FROM customers FULL JOIN orders USING (id)');
  cat.cycle();
  assertSameRows(left.arrangement.rows(), [
    ['ann', 10],
    ['ann', 11],
    ['bob', 12],
    ['cy', null],
  ]);
  assertSameRows(right.arrangement.rows(), [
    [1, 'ann', 10],
    [1, 'ann', 11],
    [2, 'bob', 12],
    [9, null, 13],
  ]);
  assertSameRows(full.arrangement.rows(), [
    [1, 'ann', 10],
    [1, 'ann', 11],
    [2, 'bob', 12],
    [3, 'cy', null],
    [9, null, 13],
  ]);
  orders.push([{ row: [12, 2, 1n], diff: -1 }]);
  customers.insert([[9, 'dee']]);
  cat.cycle();
  assertSameRows(full.arrangement.rows(), [
    [1, 'ann', 10],
    [1, 'ann', 11],
    [2, 'bob', null],
    [3, 'cy', null],
    [9, 'dee', 13],
  ]);
});

test('ON conditions of outer joins are not WHERE conditions', () => {
  const { cat } = shop();
  assertSameRows(cat.read('SELECT name, oid FROM customers c LEFT JOIN orders o ON c.id = o.id AND o.amount > 5'), [
    ['ann', 11],
    ['bob', null],
    ['cy', null],
  ]);
  assertSameRows(cat.read('SELECT name, oid FROM customers c LEFT JOIN orders o ON c.id = o.id WHERE o.amount > 5'), [['ann', 11]]);
  assertSameRows(cat.read("SELECT name, oid FROM customers c LEFT JOIN orders o ON c.id = o.id AND c.name = 'bob'"), [
    ['ann', null],
    ['bob', 12],
    ['cy', null],
  ]);
  assertSameRows(cat.read('SELECT name, oid FROM customers c LEFT JOIN orders o ON c.id = o.id WHERE o.oid IS NULL'), [['cy', null]]);
  // A WHERE condition no NULL-extended row passes narrows the join (and then moves below it).
  const narrowed = cat.plan('SELECT name, oid FROM customers c LEFT JOIN orders o ON c.id = o.id WHERE o.amount > 5').explain();
  assert.match(narrowed, /Inner Join ON id = id/);
  assert.match(narrowed, /Filter \(amount > 5\)/);
  assert.match(cat.plan('SELECT name, oid FROM customers c FULL JOIN orders o ON c.id = o.id WHERE c.name <> o.oid::text').explain(), /Inner Join/);
  assert.match(cat.plan('SELECT name, oid FROM customers c FULL JOIN orders o ON c.id = o.id WHERE c.name IS NOT NULL').explain(), /Left Join/);
  assert.match(cat.plan('SELECT name, oid FROM customers c FULL JOIN orders o ON c.id = o.id WHERE coalesce(o.oid, 0) = 0').explain(), /Full Join/);
  assertSameRows(cat.read('SELECT name, oid FROM customers c FULL JOIN orders o ON c.id = o.id WHERE c.name IS NOT NULL'), [
    ['ann', 10],
    ['ann', 11],
    ['bob', 12],
    ['cy', null],
  ]);
});

test('subqueries in FROM, column aliases, and joins of three', () => {
  const { cat } = shop();
  assertSameRows(
    cat.read('SELECT s.who, s.total FROM (SELECT name, sum(amount) FROM customers JOIN orders USING (id) GROUP BY name) AS s(who, total)'),
    [
      ['ann', new Decimal(12)],
      ['bob', new Decimal(1)],
    ],
  );
  assertSameRows(
    cat.read('SELECT a.name, b.name FROM customers a JOIN orders o ON a.id = o.id JOIN customers b ON b.id = o.id + 1'),
    [
      ['ann', 'bob'],
      ['ann', 'bob'],
      ['bob', 'cy'],
    ],
  );
  assertSqlError(() => cat.plan('SELECT * FROM customers JOIN orders USING (nope)'), SQLSTATE.undefinedColumn, /USING/);
});

test('LATERAL subqueries read the row to their left', () => {
  const { cat, orders } = shop();
  const top = cat.maintain('SELECT c.name, o.oid FROM customers c, LATERAL (SELECT oid FROM orders WHERE orders.id = c.id ORDER BY amount DESC LIMIT 1) o');
  const left = 'SELECT c.name, o.oid FROM customers c LEFT JOIN LATERAL (SELECT oid FROM orders WHERE orders.id = c.id ORDER BY amount DESC LIMIT 1) o ON true';
  const counted = cat.maintain('SELECT c.name, s.n, s.total FROM customers c, LATERAL (SELECT count(*) AS n, sum(amount) AS total FROM orders o WHERE o.id = c.id) s');
  cat.cycle();
  assertSameRows(top.arrangement.rows(), [['ann', 11], ['bob', 12]]);
  assertSameRows(cat.read(left), [['ann', 11], ['bob', 12], ['cy', null]]);
  assertSameRows(counted.arrangement.rows(), [['ann', 2n, new Decimal(12)], ['bob', 1n, new Decimal(1)], ['cy', 0n, null]]);
  orders.insert([[14, 3, 9n]]);
  orders.push([{ row: [11, 1, 7n], diff: -1 }]);
  cat.cycle();
  assertSameRows(top.arrangement.rows(), [['ann', 10], ['bob', 12], ['cy', 14]]);
  assertSameRows(counted.arrangement.rows(), [['ann', 1n, new Decimal(5)], ['bob', 1n, new Decimal(1)], ['cy', 1n, new Decimal(9)]]);
  assertSqlError(() => cat.plan('SELECT * FROM customers c RIGHT JOIN LATERAL (SELECT 1) s ON true'), SQLSTATE.featureNotSupported);
});
