/** One query of the differential suite: its id names the family and the case, for failure reports. */
export interface DiffQuery {
  id: string;
  sql: string;
}

/** Builds a family's list from [name, sql] pairs, prefixing each id with the family. */
export const family = (name: string, cases: [string, string][]): DiffQuery[] =>
  cases.map(([id, sql]) => ({ id: `${name}/${id}`, sql: sql.replace(/\s+/g, ' ').trim() }));
