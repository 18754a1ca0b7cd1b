import { test } from 'node:test';
import { T } from '../../src/types/types.js';
import { SQLSTATE } from '../../src/errors.js';
import { assertSameRows, assertSqlError, TestCatalog } from './harness.js';

function data() {
  const cat = new TestCatalog();
  const emp = cat.table('emp', [
    ['name', T.text],
    ['dept', T.int4],
    ['salary', T.int4],
  ]);
  const dept = cat.table('dept', [
    ['id', T.int4],
    ['title', T.text],
  ]);
  emp.insert([
    ['ann', 1, 100],
    ['bob', 1, 200],
    ['cy', 2, 50],
    ['dee', null as any, 70],
  ]);
  dept.insert([
    [1, 'eng'],
    [2, 'ops'],
    [3, 'empty'],
  ]);
  cat.cycle();
  return { cat, emp, dept };
}

test('IN / NOT IN / EXISTS / NOT EXISTS, uncorrelated', () => {
  const { cat } = data();
  assertSameRows(cat.read("SELECT name FROM emp WHERE dept IN (SELECT id FROM dept WHERE title <> 'ops')"), [['ann'], ['bob']]);
  // NOT IN: dee's NULL dept makes the test unknown, so dee is not returned.
  assertSameRows(cat.read("SELECT name FROM emp WHERE dept NOT IN (SELECT id FROM dept WHERE title = 'eng')"), [['cy']]);
  assertSameRows(cat.read('SELECT title FROM dept WHERE id NOT IN (SELECT dept FROM emp)'), []);
  assertSameRows(cat.read('SELECT title FROM dept WHERE EXISTS (SELECT 1 FROM emp WHERE salary > 150)'), [['eng'], ['ops'], ['empty']]);
  assertSameRows(cat.read('SELECT title FROM dept WHERE NOT EXISTS (SELECT 1 FROM emp WHERE salary > 500)'), [['eng'], ['ops'], ['empty']]);
});

test('EXISTS / NOT EXISTS / IN, correlated', () => {
  const { cat } = data();
  assertSameRows(cat.read('SELECT title FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id)'), [['eng'], ['ops']]);
  assertSameRows(cat.read('SELECT title FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id)'), [['empty']]);
  assertSameRows(
    cat.read('SELECT title FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id AND e.salary > d.id * 100)'),
    [['eng']],
  );
  assertSameRows(cat.read("SELECT title FROM dept d WHERE 'bob' IN (SELECT name FROM emp e WHERE e.dept = d.id)"), [['eng']]);
  assertSameRows(cat.read("SELECT title FROM dept d WHERE 'bob' NOT IN (SELECT name FROM emp e WHERE e.dept = d.id)"), [['ops'], ['empty']]);
});

test('scalar subqueries, uncorrelated and correlated', () => {
  const { cat } = data();
  assertSameRows(cat.read('SELECT name FROM emp WHERE salary > (SELECT avg(salary) FROM emp)'), [['bob']]);
  assertSameRows(cat.read('SELECT name, (SELECT max(salary) FROM emp) - salary AS gap FROM emp WHERE dept = 1'), [
    ['ann', 100],
    ['bob', 0],
  ]);
  assertSameRows(cat.read('SELECT title, (SELECT count(*) FROM emp e WHERE e.dept = d.id) AS n FROM dept d'), [
    ['eng', 2n],
    ['ops', 1n],
    ['empty', 0n],
  ]);
  assertSameRows(cat.read('SELECT name FROM emp e WHERE salary = (SELECT max(salary) FROM emp x WHERE x.dept = e.dept)'), [['bob'], ['cy']]);
  assertSameRows(cat.read('SELECT name, (SELECT title FROM dept WHERE id = emp.dept) FROM emp'), [
    ['ann', 'eng'],
    ['bob', 'eng'],
    ['cy', 'ops'],
    ['dee', null],
  ]);
  assertSqlError(() => cat.read('SELECT (SELECT name FROM emp) FROM dept'), SQLSTATE.cardinalityViolation);
  assertSqlError(() => cat.plan('SELECT (SELECT name, dept FROM emp)'), SQLSTATE.syntaxError, /one column/);
});

test('correlated subqueries stay correct as both sides change', () => {
  const { cat, emp, dept } = data();
  const exists = cat.maintain('SELECT title FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id)');
  const counts = cat.maintain('SELECT title, (SELECT count(*) FROM emp e WHERE e.dept = d.id) AS n FROM dept d');
  cat.cycle();
  emp.insert([['eve', 3, 10]]);
  emp.push([{ row: ['cy', 2, 50], diff: -1 }]);
  dept.insert([[4, 'new']]);
  cat.cycle();
  assertSameRows(exists.arrangement.rows(), [['eng'], ['empty']]);
  assertSameRows(counts.arrangement.rows(), [
    ['eng', 2n],
    ['ops', 0n],
    ['empty', 1n],
    ['new', 0n],
  ]);
});

test('EXISTS, IN, ANY and ALL as values, with three-valued results', () => {
  const { cat } = data();
  assertSameRows(cat.read('SELECT title, EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id) FROM dept d'), [
    ['eng', true],
    ['ops', true],
    ['empty', false],
  ]);
  assertSameRows(cat.read('SELECT title FROM dept d WHERE id = 3 OR EXISTS (SELECT 1 FROM emp WHERE salary > 150)'), [['eng'], ['ops'], ['empty']]);
  // dee's dept is NULL: IN is unknown for her; for ops' id 2 NOT IN a set with NULL is unknown.
  assertSameRows(cat.read('SELECT name, dept IN (SELECT id FROM dept WHERE id < 3) FROM emp'), [
    ['ann', true],
    ['bob', true],
    ['cy', true],
    ['dee', null],
  ]);
  assertSameRows(cat.read('SELECT id, id NOT IN (SELECT dept FROM emp) FROM dept'), [
    [1, false],
    [2, false],
    [3, null],
  ]);
  assertSameRows(cat.read("SELECT id, 'bob' IN (SELECT name FROM emp e WHERE e.dept = d.id) FROM dept d"), [
    [1, true],
    [2, false],
    [3, false],
  ]);
  assertSameRows(cat.read('SELECT name, salary > ALL (SELECT salary FROM emp WHERE dept = 1) FROM emp'), [
    ['ann', false],
    ['bob', false],
    ['cy', false],
    ['dee', false],
  ]);
  assertSameRows(cat.read('SELECT name, salary >= ALL (SELECT salary FROM emp WHERE dept IS NOT NULL) FROM emp'), [
    ['ann', false],
    ['bob', true],
    ['cy', false],
    ['dee', false],
  ]);
  assertSameRows(cat.read('SELECT name, salary < ANY (SELECT salary FROM emp WHERE dept = 1) FROM emp'), [
    ['ann', true],
    ['bob', false],
    ['cy', true],
    ['dee', true],
  ]);
  assertSameRows(cat.read('SELECT id, id > ALL (SELECT dept FROM emp) FROM dept'), [
    [1, false],
    [2, false],
    [3, null],
  ]);
  assertSameRows(cat.read('SELECT id, id > ALL (SELECT dept FROM emp WHERE false) FROM dept'), [
    [1, true],
    [2, true],
    [3, true],
  ]);
});

test('uncorrelated scalar subqueries in an aggregate query join after the aggregation', () => {
  const { cat, emp } = data();
  const sql = 'SELECT dept, count(*) * 100 / (SELECT count(*) FROM emp) AS pct FROM emp GROUP BY dept';
  const { arrangement } = cat.maintain(sql);
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    [1, 50n],
    [2, 25n],
    [null, 25n],
  ]);
  emp.push([{ row: ['dee', null, 70], diff: -1 }]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    [1, 66n],
    [2, 33n],
  ]);
  assertSameRows(cat.read('SELECT dept FROM emp GROUP BY dept HAVING count(*) > (SELECT count(*) FROM dept) / 2'), [[1]]);
  assertSqlError(
    () => cat.plan('SELECT dept, (SELECT count(*) FROM dept d WHERE d.id = emp.dept) FROM emp GROUP BY dept'),
    SQLSTATE.featureNotSupported,
  );
});

test('correlated subqueries of any shape are planned over the domain of outer values', () => {
  const { cat, emp } = data();
  // A reference two levels up: departments with someone who is not its top earner.
  const nested = cat.maintain(
    'SELECT title FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id AND EXISTS (SELECT 1 FROM emp x WHERE x.salary > e.salary AND x.dept = d.id))',
  );
  const grouped = 'SELECT title FROM dept d WHERE EXISTS (SELECT e.dept FROM emp e WHERE e.dept = d.id GROUP BY e.dept HAVING count(*) > 1)';
  const top = cat.maintain('SELECT title, (SELECT e.name FROM emp e WHERE e.dept = d.id ORDER BY salary DESC LIMIT 1) AS best FROM dept d');
  const plus = 'SELECT title, (SELECT max(e.salary) + d.id FROM emp e WHERE e.dept = d.id) FROM dept d';
  const counted = 'SELECT title, (SELECT count(*) + d.id FROM emp e WHERE e.dept = d.id) FROM dept d';
  cat.cycle();
  assertSameRows(nested.arrangement.rows(), [['eng']]);
  assertSameRows(cat.read(grouped), [['eng']]);
  assertSameRows(top.arrangement.rows(), [['eng', 'bob'], ['ops', 'cy'], ['empty', null]]);
  assertSameRows(cat.read(plus), [['eng', 201], ['ops', 52], ['empty', null]]);
  assertSameRows(cat.read(counted), [['eng', 3n], ['ops', 3n], ['empty', 3n]]);
  emp.insert([['eve', 2, 60], ['fay', 3, 1]]);
  cat.cycle();
  assertSameRows(nested.arrangement.rows(), [['eng'], ['ops']]);
  assertSameRows(top.arrangement.rows(), [['eng', 'bob'], ['ops', 'eve'], ['empty', 'fay']]);
  assertSqlError(() => cat.plan('SELECT title FROM dept d WHERE EXISTS (SELECT count(*) FROM emp e WHERE e.dept = d.id)'), SQLSTATE.featureNotSupported);
});

test('correlated scalar subqueries with non-equality conditions group by the outer values they read', () => {
  const { cat, emp } = data();
  // Top two earners per department: fewer than two colleagues of the department earn more.
  const sql = 'SELECT name FROM emp e WHERE (SELECT count(*) FROM emp x WHERE x.dept = e.dept AND x.salary > e.salary) < 1';
  const { arrangement } = cat.maintain(sql);
  cat.cycle();
  // dee's dept is NULL: nobody matches x.dept = NULL, so her count is 0 and she is kept.
  assertSameRows(arrangement.rows(), [['bob'], ['cy'], ['dee']]);
  emp.insert([['eve', 2, 60]]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [['bob'], ['eve'], ['dee']]);
  assertSameRows(cat.read(sql), arrangement.rows());
  assertSameRows(cat.read('SELECT name, (SELECT max(x.name) FROM emp x WHERE x.salary < e.salary) FROM emp e'), [
    ['ann', 'eve'],
    ['bob', 'eve'],
    ['cy', null],
    ['dee', 'eve'],
    ['eve', 'cy'],
  ]);
  assertSameRows(cat.read('SELECT name, (SELECT x.name FROM emp x WHERE x.salary > e.salary AND x.salary < e.salary + 15) FROM emp e'), [
    ['ann', null],
    ['bob', null],
    ['cy', 'eve'],
    ['dee', null],
    ['eve', 'dee'],
  ]);
});

test('row-valued NOT IN is exact with NULLs', () => {
  const { cat } = data();
  // Right rows: (1, 100) and (NULL, 70). A left row survives only if every right row differs in some non-NULL column.
  const sql = 'SELECT name FROM emp WHERE (dept, salary) NOT IN (SELECT dept, salary FROM emp WHERE salary IN (100, 70))';
  assertSameRows(cat.read(sql), [['bob'], ['cy']]);
  assertSameRows(
    cat.read('SELECT title FROM dept d WHERE (id, title) NOT IN (SELECT dept, name FROM emp e WHERE e.salary > d.id * 60)'),
    [['eng'], ['ops'], ['empty']],
  );
});

test('correlated EXISTS and IN values with non-equality conditions; EXISTS ... LIMIT 1', () => {
  const { cat } = data();
  assertSameRows(cat.read('SELECT name, EXISTS (SELECT 1 FROM emp x WHERE x.salary > e.salary * 1.5) FROM emp e'), [
    ['ann', true],
    ['bob', false],
    ['cy', true],
    ['dee', true],
  ]);
  assertSameRows(cat.read('SELECT name, dept IN (SELECT x.dept FROM emp x WHERE x.salary > e.salary) FROM emp e'), [
    ['ann', true],
    ['bob', false],
    ['cy', null],
    ['dee', null],
  ]);
  assertSameRows(cat.read('SELECT title FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id LIMIT 1)'), [['eng'], ['ops']]);
  assertSqlError(() => cat.plan('SELECT title FROM dept d WHERE EXISTS (SELECT count(*) FROM emp e WHERE e.dept = d.id)'), SQLSTATE.featureNotSupported);
});

test('a join in a correlated subquery reads the outer query down its left spine; elsewhere 0A000 naming it, a typo still 42703', () => {
  const { cat } = data();
  assertSameRows(cat.read('SELECT id, (SELECT count(*) FROM dept x JOIN LATERAL generate_series(x.id, d.id) g ON true) FROM dept d'), [[1, 1n], [2, 3n], [3, 6n]]);
  assertSameRows(cat.read('SELECT id, (SELECT count(*) FROM dept x LEFT JOIN LATERAL generate_series(x.id, d.id) g ON true) FROM dept d'), [[1, 3n], [2, 4n], [3, 6n]]);
  assertSameRows(cat.read('SELECT id, (SELECT sum(s.w) FROM dept x JOIN LATERAL (SELECT x.id * d.id AS w) s ON true) FROM dept d'), [[1, 6n], [2, 12n], [3, 18n]]);
  assertSameRows(cat.read('SELECT id, (SELECT count(y.id) FROM dept x LEFT JOIN dept y ON y.id = x.id AND y.id < d.id) FROM dept d'), [[1, 0n], [2, 1n], [3, 2n]]);
  // The right side of a join and a RIGHT/FULL join do not carry the outer values' columns.
  const refused = /on the right side of a join or inside a RIGHT or FULL join, in a correlated subquery/;
  assertSqlError(() => cat.plan('SELECT (SELECT count(*) FROM dept x JOIN (dept y CROSS JOIN LATERAL generate_series(1, d.id) g) ON true) FROM dept d'), SQLSTATE.featureNotSupported, refused);
  assertSqlError(() => cat.plan('SELECT (SELECT count(*) FROM (dept y CROSS JOIN LATERAL generate_series(1, d.id) g) FULL JOIN dept x ON true) FROM dept d'), SQLSTATE.featureNotSupported, refused);
  assertSqlError(() => cat.plan('SELECT (SELECT count(*) FROM dept x JOIN (SELECT d.id AS w) s ON true) FROM dept d'), SQLSTATE.featureNotSupported, refused);
  assertSqlError(() => cat.plan('SELECT (SELECT count(*) FROM dept x FULL JOIN dept y ON y.id = d.id) FROM dept d'), SQLSTATE.featureNotSupported, /a JOIN condition reading the outer query/);
  assertSqlError(() => cat.plan('SELECT (SELECT count(*) FROM dept x JOIN (SELECT nope AS w) s ON true) FROM dept d'), SQLSTATE.undefinedColumn);
  assertSqlError(() => cat.plan('SELECT (SELECT count(*) FROM dept x CROSS JOIN LATERAL generate_series(1, nope) g) FROM dept d'), SQLSTATE.undefinedColumn);
});
