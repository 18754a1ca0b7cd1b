/** A type's name as PostgreSQL's format_type prints it, with its modifier: numeric(10,2), character varying(20). */
import type { SqlType } from './types.js';

export function formatTypeName(type: SqlType, typmod: number): string {
  if (type.element && !type.vector) return formatTypeName(type.element, typmod) + '[]';
  if (typmod < 0) return type.name;
  switch (type.typname) {
    case 'numeric': {
      const mod = typmod - 4;
      return `numeric(${(mod >> 16) & 0xffff},${mod & 0xffff})`;
    }
    case 'varchar':
    case 'bpchar':
      return `${type.name}(${typmod - 4})`;
    case 'timestamp':
    case 'timestamptz':
      return type.name.replace('timestamp', `timestamp(${typmod})`);
    default:
      return type.name;
  }
}
