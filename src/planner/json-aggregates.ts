/**
 * json_agg, jsonb_agg, json_object_agg and jsonb_object_agg. Each is array_agg of its arguments
 * (with the call's FILTER, ORDER BY and DISTINCT) read through a call that turns the arrays into
 * the JSON document PostgreSQL builds, so a maintained view keeps them as it keeps array_agg:
 * the surviving rows in order, updated by each change. json keeps PostgreSQL's spacing
 * (`[1, 2]`, `{ "k" : 1 }`) and json values' own text; jsonb is canonical, its last duplicate key
 * winning.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { Json, SqlArray, T, type SqlType, type Value } from '../types/types.js';
import { jsonWithText, quoteJsonString } from '../types/json-text.js';
import { castValue } from '../types/casts.js';
import type { Expr } from './expr-ir.js';
import { jsonTextOf, toDoc } from './functions/json-fns.js';

export type JsonAggregate = 'json_agg' | 'jsonb_agg' | 'json_object_agg' | 'jsonb_object_agg';

const NAMES = new Set<string>(['json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg']);

/** The JSON aggregate a (folded, possibly pg_catalog-qualified) function name denotes, if any. */
export function jsonAggregateName(funcname: string[]): JsonAggregate | undefined {
  if (funcname.length > 2 || (funcname.length === 2 && funcname[0] !== 'pg_catalog')) return undefined;
  const name = funcname[funcname.length - 1]!;
  return NAMES.has(name) ? (name as JsonAggregate) : undefined;
}

/** How many arguments it takes: one value, or a key and a value. */
export function jsonAggregateArity(name: JsonAggregate): number {
  return name === 'json_agg' || name === 'jsonb_agg' ? 1 : 2;
}

const elements = (a: Value): readonly Value[] => (a as SqlArray).elements;

/**
 * The aggregate's value from the array_agg results of its arguments (`arrays`, of element types
 * `types`): NULL over no rows, as array_agg is.
 */
export function jsonAggregateResult(name: JsonAggregate, arrays: Expr[], types: SqlType[]): Expr {
  const binary = name.startsWith('jsonb');
  const [valueType, keyType] = name.endsWith('object_agg') ? [types[1]!, types[0]!] : [types[0]!, null];
  const impl = (args: Value[], env: Parameters<Extract<Expr, { kind: 'call' }>['impl']>[1]): Value => {
    if (args[0] === null) return null;
    if (keyType === null) {
      const values = elements(args[0]);
      const doc = values.map((v) => toDoc(valueType, v, env));
      return binary ? new Json(doc) : jsonWithText(doc, `[${values.map((v) => jsonTextOf(valueType, v, env)).join(', ')}]`);
    }
    const keys = elements(args[0]).map((k) => {
      if (k === null) throw new SqlError(SQLSTATE.invalidParameterValue, 'field name must not be null');
      return castValue(k, keyType, T.text, -1, env) as string;
    });
    const values = elements(args[1]!);
    const doc: Record<string, unknown> = {};
    keys.forEach((k, i) => (doc[k] = toDoc(valueType, values[i]!, env)));
    if (binary) return new Json(doc);
    return jsonWithText(doc, `{ ${keys.map((k, i) => `${quoteJsonString(k)} : ${jsonTextOf(valueType, values[i]!, env)}`).join(', ')} }`);
  };
  return { kind: 'call', name, args: arrays, type: binary ? T.jsonb : T.json, strict: false, volatile: false, impl };
}
