/** Loads every family of built-in functions into the registry. */
import './arithmetic.js';
import './comparison.js';
import './strings.js';
import './patterns.js';
import './math.js';
import './datetime-arith.js';
import './datetime-fields.js';
import './datetime-fns.js';
import './json-fns.js';
import './arrays.js';
import './series.js';
import './system.js';
import './session-fns.js';
import './catalog-fns.js';
import './to-char.js';
import './to-timestamp.js';

export { ANY, ANYARRAY, ANYELEMENT, ANYNONARRAY, CSTRING, PSEUDO_TYPES, takesAsIs, isPolymorphic, functionsNamed, registeredFunctions, implFor, returnTypeFor, type FunctionDef } from './registry.js';
export { resolveOverload, isPreferred, type Resolution } from './resolve.js';
