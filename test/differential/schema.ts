/**
 * The differential suite's tables: small value domains so that joins and groups hit often, NULLs
 * in every nullable column, one PRIMARY KEY each, and every column type the suite covers (int,
 * bigint, numeric, double precision, text, boolean, date, timestamp). Each table knows how to make
 * a random row, a random SET clause and a random row predicate, all as SQL text that PostgreSQL
 * and Eddy both run verbatim.
 */
import type { Prng } from './prng.js';

/** The primary keys currently in each table (read back from PostgreSQL after each round). */
export type KeySets = Record<TableName, number[]>;
export type TableName = 'customers' | 'products' | 'orders' | 'line_items';

export interface TableSpec {
  name: TableName;
  ddl: string;
  /** Rows loaded before the first round, and the size DML keeps it near. */
  targetRows: number;
  /** The literals of a new row whose key is `id`, in column order. */
  row(rng: Prng, id: number, keys: KeySets): string[];
  /** The right-hand side of an UPDATE ... SET. */
  assignment(rng: Prng, keys: KeySets): string;
  /** A WHERE condition that picks some, usually few, rows. */
  predicate(rng: Prng, keys: KeySets): string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const orNull = (rng: Prng, p: number, literal: () => string) => (rng.chance(p) ? 'NULL' : literal());

// Names with a quote, a non-ASCII letter and mixed case exercise escaping and C-collation order.
const FIRST_NAMES = ['Ann', 'anna', 'Bob', "O'Brien", 'Zoë', 'Émile', 'Chen', 'Dmitri', 'eve', 'Farah'];
const CITIES = ['Berlin', 'Paris', 'Oslo', 'Lima', 'Quito'];
const SEGMENTS = ['retail', 'wholesale', 'online'];
const CATEGORIES = ['tools', 'toys', 'food', 'books'];
const PRODUCT_WORDS = ['hammer', 'kite', 'bread', 'atlas', 'saw', 'ball', 'tea', 'novel', 'drill', 'puzzle'];
const STATUSES = ['new', 'paid', 'shipped', 'cancelled'];
const NOTES = ['gift', 'rush', '', 'call first', 'fragile'];
const DISCOUNTS = ['0', '0.05', '0.1', '0.15', '0.25'];

/** An existing key most of the time, sometimes one that matches nothing (outer joins need both). */
const reference = (rng: Prng, keys: number[]) =>
  keys.length === 0 || rng.chance(0.08) ? String(900 + rng.int(0, 9)) : String(rng.pick(keys));

const money = (rng: Prng, maxWhole: number) => `${rng.int(0, maxWhole)}.${String(rng.int(0, 99)).padStart(2, '0')}`;

function dateLiteral(rng: Prng): string {
  const day = new Date(Date.UTC(2024, 0, 1 + rng.int(0, 120)));
  return day.toISOString().slice(0, 10);
}
const date = (rng: Prng) => quote(dateLiteral(rng));
const timestamp = (rng: Prng) =>
  quote(`${dateLiteral(rng)} ${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.pick([0, 15, 30, 45])).padStart(2, '0')}:${rng.chance(0.2) ? '30.5' : '00'}`);
// Multiples of 1/8 are exact in binary, so most double sums are exact; discounts are not.
const eighths = (rng: Prng, lo: number, hi: number) => String(rng.int(lo, hi) / 8);

export const customers: TableSpec = {
  name: 'customers',
  ddl: `CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    city text,
    segment text,
    credit_limit numeric(10,2),
    active boolean,
    signup_date date,
    score double precision
  )`,
  targetRows: 16,
  row: (rng, id) => [
    String(id),
    quote(`${rng.pick(FIRST_NAMES)}${rng.chance(0.5) ? '' : ` ${rng.int(1, 3)}`}`),
    orNull(rng, 0.15, () => quote(rng.pick(CITIES))),
    orNull(rng, 0.1, () => quote(rng.pick(SEGMENTS))),
    orNull(rng, 0.1, () => money(rng, 5000)),
    orNull(rng, 0.1, () => rng.pick(['true', 'false'])),
    orNull(rng, 0.1, () => date(rng)),
    orNull(rng, 0.15, () => eighths(rng, -40, 160)),
  ],
  assignment: (rng) =>
    rng.pick([
      () => `city = ${orNull(rng, 0.2, () => quote(rng.pick(CITIES)))}`,
      () => `segment = ${orNull(rng, 0.2, () => quote(rng.pick(SEGMENTS)))}`,
      () => `credit_limit = credit_limit * 1.1`,
      () => `credit_limit = ${orNull(rng, 0.2, () => money(rng, 5000))}`,
      () => `active = NOT active`,
      () => `score = score + ${eighths(rng, -8, 8)}`,
      () => `score = ${orNull(rng, 0.3, () => eighths(rng, -40, 160))}, city = ${quote(rng.pick(CITIES))}`,
      () => `signup_date = signup_date + ${rng.int(-10, 10)}`,
      () => `name = name || '.'`,
    ])(),
  predicate: (rng, keys) =>
    rng.pick([
      () => `city = ${quote(rng.pick(CITIES))} AND id % 3 = ${rng.int(0, 2)}`,
      () => `city IS NULL`,
      () => `segment = ${quote(rng.pick(SEGMENTS))} AND active`,
      () => `score < ${eighths(rng, -40, 40)}`,
      () => `id IN (${reference(rng, keys.customers)}, ${reference(rng, keys.customers)})`,
    ])(),
};

export const products: TableSpec = {
  name: 'products',
  ddl: `CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    category text,
    price numeric(10,2),
    weight double precision,
    discontinued boolean NOT NULL
  )`,
  targetRows: 12,
  row: (rng, id) => [
    String(id),
    quote(`${rng.pick(PRODUCT_WORDS)} ${rng.int(1, 9)}`),
    orNull(rng, 0.1, () => quote(rng.pick(CATEGORIES))),
    orNull(rng, 0.1, () => money(rng, 200)),
    orNull(rng, 0.15, () => String(rng.int(1, 40) / 4)),
    rng.chance(0.2) ? 'true' : 'false',
  ],
  assignment: (rng) =>
    rng.pick([
      () => `price = price * ${rng.pick(['1.1', '0.9', '1.05'])}`,
      () => `price = ${orNull(rng, 0.15, () => money(rng, 200))}`,
      () => `category = ${orNull(rng, 0.2, () => quote(rng.pick(CATEGORIES)))}`,
      () => `discontinued = NOT discontinued`,
      () => `weight = weight + 0.25`,
    ])(),
  predicate: (rng, keys) =>
    rng.pick([
      () => `category = ${quote(rng.pick(CATEGORIES))} AND id % 2 = ${rng.int(0, 1)}`,
      () => `price > ${rng.int(100, 200)}`,
      () => `discontinued AND weight IS NULL`,
      () => `id = ${reference(rng, keys.products)}`,
    ])(),
};

export const orders: TableSpec = {
  name: 'orders',
  ddl: `CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id integer,
    order_date date,
    status text,
    created_at timestamp,
    priority integer,
    note text
  )`,
  targetRows: 50,
  row: (rng, id, keys) => [
    String(id),
    orNull(rng, 0.05, () => reference(rng, keys.customers)),
    orNull(rng, 0.05, () => date(rng)),
    orNull(rng, 0.08, () => quote(rng.pick(STATUSES))),
    orNull(rng, 0.05, () => timestamp(rng)),
    orNull(rng, 0.1, () => String(rng.int(1, 5))),
    orNull(rng, 0.6, () => quote(rng.pick(NOTES))),
  ],
  assignment: (rng, keys) =>
    rng.pick([
      () => `status = ${orNull(rng, 0.1, () => quote(rng.pick(STATUSES)))}`,
      () => `priority = priority + 1`,
      () => `priority = ${orNull(rng, 0.2, () => String(rng.int(1, 5)))}`,
      () => `customer_id = ${reference(rng, keys.customers)}`,
      () => `note = ${orNull(rng, 0.4, () => quote(rng.pick(NOTES)))}`,
      () => `created_at = created_at + interval '${rng.int(1, 48)} hours', order_date = order_date + 1`,
    ])(),
  predicate: (rng, keys) =>
    rng.pick([
      () => `status = ${quote(rng.pick(STATUSES))} AND priority = ${rng.int(1, 5)}`,
      () => `customer_id = ${reference(rng, keys.customers)}`,
      () => `id % 10 = ${rng.int(0, 9)} AND order_date < ${date(rng)}`,
      () => `status IS NULL`,
      () => `id IN (${reference(rng, keys.orders)}, ${reference(rng, keys.orders)})`,
    ])(),
};

export const lineItems: TableSpec = {
  name: 'line_items',
  ddl: `CREATE TABLE line_items (
    id bigint PRIMARY KEY,
    order_id bigint,
    product_id integer,
    qty integer,
    unit_price numeric(10,2),
    discount double precision
  )`,
  targetRows: 120,
  row: (rng, id, keys) => [
    String(id),
    reference(rng, keys.orders),
    orNull(rng, 0.04, () => reference(rng, keys.products)),
    orNull(rng, 0.05, () => String(rng.int(1, 10))),
    orNull(rng, 0.05, () => money(rng, 150)),
    orNull(rng, 0.1, () => rng.pick(DISCOUNTS)),
  ],
  assignment: (rng, keys) =>
    rng.pick([
      () => `qty = qty + ${rng.int(1, 3)}`,
      () => `qty = ${orNull(rng, 0.1, () => String(rng.int(1, 10)))}`,
      () => `discount = ${orNull(rng, 0.2, () => rng.pick(DISCOUNTS))}`,
      () => `unit_price = unit_price * 0.95`,
      () => `product_id = ${reference(rng, keys.products)}`,
      () => `order_id = ${reference(rng, keys.orders)}`,
    ])(),
  predicate: (rng, keys) =>
    rng.pick([
      () => `product_id = ${reference(rng, keys.products)} AND qty > ${rng.int(3, 9)}`,
      () => `order_id = ${reference(rng, keys.orders)}`,
      () => `id % 25 = ${rng.int(0, 24)}`,
      () => `discount IS NULL AND qty < 3`,
      () => `id IN (${reference(rng, keys.line_items)}, ${reference(rng, keys.line_items)})`,
    ])(),
};

/** In load order: referenced tables first, so initial references mostly hit. */
export const TABLES: TableSpec[] = [customers, products, orders, lineItems];
