/**
 * A table entry for a key that came from a user (a config key, a request path, a CSV
 * header): only the table's own entries count, so "constructor", "toString" or
 * "__proto__" never find Object.prototype's members.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
