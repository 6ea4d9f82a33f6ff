/** Sentinel for "the path names nothing in the document". */
export const NOT_FOUND: unique symbol = Symbol('not found');

/**
 * Reads a dotted path (`data.items.0.total`) from a parsed JSON document: object keys by name, array
 * elements by index. An empty path is the document itself.
 */
export function extractValuePath(document: unknown, path: string): unknown {
  if (path === '') return document;
  let current: unknown = document;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      if (index >= current.length) return NOT_FOUND;
      current = current[index];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return NOT_FOUND;
    }
  }
  return current;
}
