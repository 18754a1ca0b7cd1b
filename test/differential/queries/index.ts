/** Every query of the differential suite, family by family. */
import aggregates from './aggregates.js';
import arrays from './arrays.js';
import basics from './basics.js';
import ctes from './ctes.js';
import extras from './extras.js';
import functions from './functions.js';
import joins from './joins.js';
import ordering from './ordering.js';
import recursive from './recursive.js';
import setops from './setops.js';
import subqueries from './subqueries.js';
import views from './views.js';
import windows from './windows.js';
import type { DiffQuery } from '../query.js';

export { baseViews } from './views.js';

export const ALL_QUERIES: DiffQuery[] = [
  ...basics,
  ...functions,
  ...joins,
  ...subqueries,
  ...aggregates,
  ...setops,
  ...ordering,
  ...ctes,
  ...recursive,
  ...views,
  ...extras,
  ...arrays,
  ...windows,
];
