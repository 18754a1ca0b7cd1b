/**
 * The input, output, receive and send functions of Eddy's types, with PostgreSQL's names and
 * OIDs (pg_type.typinput ... and their pg_proc rows), and the array I/O functions: drivers tell
 * array types by them (pgjdbc: typinput = 'array_in'::regproc; Npgsql: typreceive = array_recv).
 * Every array type uses array_in/array_out/array_recv/array_send, as in PostgreSQL (int2vector and
 * oidvector, arrays with their own text form, have their own).
 */
import { ANY, ANYARRAY, ANYELEMENT, ANYNONARRAY, CSTRING } from '../../planner/functions/index.js';
import { T, type SqlType } from '../../types/types.js';

export interface TypeIo {
  input: number;
  output: number;
  receive: number;
  send: number;
}

/** [type oid, input, output, receive, send] as [oid, name] pairs (0 for none). */
const TABLE: [number, [number, string], [number, string], [number, string], [number, string]][] = [
  [T.bool.oid, [1242, 'boolin'], [1243, 'boolout'], [2436, 'boolrecv'], [2437, 'boolsend']],
  [T.bytea.oid, [1244, 'byteain'], [31, 'byteaout'], [2412, 'bytearecv'], [2413, 'byteasend']],
  [T.char.oid, [1245, 'charin'], [33, 'charout'], [2434, 'charrecv'], [2435, 'charsend']],
  [T.name.oid, [34, 'namein'], [35, 'nameout'], [2422, 'namerecv'], [2423, 'namesend']],
  [T.int8.oid, [460, 'int8in'], [461, 'int8out'], [2408, 'int8recv'], [2409, 'int8send']],
  [T.int2.oid, [38, 'int2in'], [39, 'int2out'], [2404, 'int2recv'], [2405, 'int2send']],
  [T.int2vector.oid, [40, 'int2vectorin'], [41, 'int2vectorout'], [2410, 'int2vectorrecv'], [2411, 'int2vectorsend']],
  [T.int4.oid, [42, 'int4in'], [43, 'int4out'], [2406, 'int4recv'], [2407, 'int4send']],
  [T.text.oid, [46, 'textin'], [47, 'textout'], [2414, 'textrecv'], [2415, 'textsend']],
  [T.oid.oid, [1798, 'oidin'], [1799, 'oidout'], [2418, 'oidrecv'], [2419, 'oidsend']],
  [T.oidvector.oid, [54, 'oidvectorin'], [55, 'oidvectorout'], [2420, 'oidvectorrecv'], [2421, 'oidvectorsend']],
  [T.json.oid, [321, 'json_in'], [322, 'json_out'], [323, 'json_recv'], [324, 'json_send']],
  [T.float4.oid, [200, 'float4in'], [201, 'float4out'], [2424, 'float4recv'], [2425, 'float4send']],
  [T.float8.oid, [214, 'float8in'], [215, 'float8out'], [2426, 'float8recv'], [2427, 'float8send']],
  [T.unknown.oid, [109, 'unknownin'], [110, 'unknownout'], [2416, 'unknownrecv'], [2417, 'unknownsend']],
  [T.bpchar.oid, [1044, 'bpcharin'], [1045, 'bpcharout'], [2430, 'bpcharrecv'], [2431, 'bpcharsend']],
  [T.varchar.oid, [1046, 'varcharin'], [1047, 'varcharout'], [2432, 'varcharrecv'], [2433, 'varcharsend']],
  [T.date.oid, [1084, 'date_in'], [1085, 'date_out'], [2468, 'date_recv'], [2469, 'date_send']],
  [T.timestamp.oid, [1312, 'timestamp_in'], [1313, 'timestamp_out'], [2474, 'timestamp_recv'], [2475, 'timestamp_send']],
  [T.timestamptz.oid, [1150, 'timestamptz_in'], [1151, 'timestamptz_out'], [2476, 'timestamptz_recv'], [2477, 'timestamptz_send']],
  [T.interval.oid, [1160, 'interval_in'], [1161, 'interval_out'], [2478, 'interval_recv'], [2479, 'interval_send']],
  [T.numeric.oid, [1701, 'numeric_in'], [1702, 'numeric_out'], [2460, 'numeric_recv'], [2461, 'numeric_send']],
  [T.jsonb.oid, [3806, 'jsonb_in'], [3804, 'jsonb_out'], [3805, 'jsonb_recv'], [3803, 'jsonb_send']],
  [ANY.oid, [2294, 'any_in'], [2295, 'any_out'], [0, ''], [0, '']],
  [ANYARRAY.oid, [2296, 'anyarray_in'], [2297, 'anyarray_out'], [2502, 'anyarray_recv'], [2503, 'anyarray_send']],
  [ANYELEMENT.oid, [2312, 'anyelement_in'], [2313, 'anyelement_out'], [0, ''], [0, '']],
  [ANYNONARRAY.oid, [2777, 'anynonarray_in'], [2778, 'anynonarray_out'], [0, ''], [0, '']],
  [CSTRING.oid, [2292, 'cstring_in'], [2293, 'cstring_out'], [2500, 'cstring_recv'], [2501, 'cstring_send']],
];

const ARRAY_IO: [number, string][] = [[750, 'array_in'], [751, 'array_out'], [2400, 'array_recv'], [2401, 'array_send']];

const byType = new Map<number, TypeIo>(TABLE.map(([oid, i, o, r, s]) => [oid, { input: i[0], output: o[0], receive: r[0], send: s[0] }]));

const [arrayIn, arrayOut, arrayRecv, arraySend] = ARRAY_IO.map(([oid]) => oid) as [number, number, number, number];
const ARRAY_TYPE_IO: TypeIo = { input: arrayIn, output: arrayOut, receive: arrayRecv, send: arraySend };

/** A type's I/O functions (zeros for a type without them). */
export const typeIo = (type: SqlType): TypeIo =>
  type.element && !type.vector ? ARRAY_TYPE_IO : (byType.get(type.oid) ?? { input: 0, output: 0, receive: 0, send: 0 });

/** Every I/O function as (oid, name), for pg_proc. */
export const TYPE_IO_FUNCTIONS: readonly { oid: number; name: string }[] = [
  ...TABLE.flatMap(([, ...fns]) => fns.filter(([oid]) => oid !== 0).map(([oid, name]) => ({ oid, name }))),
  ...ARRAY_IO.map(([oid, name]) => ({ oid, name })),
];
